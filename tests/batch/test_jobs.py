"""``matcher batch parse`` / ``batch rank`` on a local[2] Spark: the same answers as ``matcher parse``
and ``matcher rank``, per-file errors as rows, and clear messages for a bad input as a whole."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from tests.batch.conftest import JOBS, PDFS, RANKING

pytestmark = pytest.mark.xdist_group("spark")
AS_OF = "2025-11-01"
#: (ranking folder, job file): the hand-graded ranking set, each with the job it was graded against.
ROLES = [("ml-engineer", "ml-engineer-job-page.txt"), ("sre", "senior-site-reliability-engineer.txt")]


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    """The ml-engineer and sre résumés, one real PDF, and files the engine can't read."""
    folder = tmp_path_factory.mktemp("pool")
    for name, _job in ROLES:
        shutil.copytree(RANKING / name, folder / name)
    pdf = sorted(PDFS.rglob("*.pdf"))[0]
    shutil.copy(pdf, folder / "real.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return folder


@pytest.fixture(scope="module")
def profiles(spark, pool, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "profiles.parquet"
    r = _run("batch", "parse", str(pool), "--out", str(out), "--master", "local[2]", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    return out


def test_profile_rows_are_the_parse_json_of_each_file(spark, pool, profiles):
    rows = {r["id"]: r.asDict(recursive=True) for r in spark.read.parquet(str(profiles)).collect()}
    files = sorted(p for p in pool.rglob("*") if p.is_file())
    assert sorted(rows) == sorted(str(p.relative_to(pool)) for p in files)
    r = _run("parse", "--json", "--as-of", AS_OF, "--jobs", "1", *map(str, files))
    for expected in json.loads(r.stdout):
        row = rows[str(__import__("pathlib").Path(expected["source"]).relative_to(pool))]
        if "error" in expected:
            assert (row["error_code"], row["profile_json"]) == (expected["error"]["code"], None)
            continue
        assert row["error_code"] is None
        assert json.loads(row["profile_json"]) == expected
        taxonomy_rows = [s for s in row["skills"] if not s["skill_id"].startswith("~")]
        assert [s["skill_id"] for s in taxonomy_rows] == [s["id"] for s in expected["skills"]]
        assert [(s["years"], s["last_used"], s["sources"]) for s in taxonomy_rows] == \
            [(s["years"], s["last_used"], s["sources"]) for s in expected["skills"]]
        # then one row per unresolved mention (free-text requirements read them), keyed "~key"
        assert [s["skill_id"] for s in row["skills"][len(taxonomy_rows):]] == \
            ["~" + u["key"] for u in expected["unresolved"] if u["evidence"]]


def test_unreadable_files_are_rows_with_their_error_code(spark, profiles):
    errors = {r["id"]: r["error_code"] for r in spark.read.parquet(str(profiles)).where("error_code IS NOT NULL").collect()}
    assert set(errors) == {"broken.pdf", "empty.txt", "image.png"}
    assert all(code and code != "internal_error" for code in errors.values())


@pytest.mark.parametrize(("folder", "job"), ROLES, ids=[r[0] for r in ROLES])
def test_batch_rank_gives_the_order_scores_and_statuses_of_matcher_rank(spark, pool, profiles, tmp_path, folder, job):
    _assert_batch_rank_is_matcher_rank(spark, pool, profiles, tmp_path, folder, JOBS / job)


#: A role whose requirements are partly tools outside the taxonomy, named by résumés of the ml-engineer
#: set (FeaturePipelines, StreamVista in dated positions; Mailchimp listed; ResNet in a project).
FREE_TEXT_ROLE = {"title": "ML Platform Engineer", "requirements": [
    {"any_of": ["PyTorch", "TensorFlow"]},
    {"free_text": ["FeaturePipelines"]},
    {"any_of": ["Kubernetes"], "free_text": ["StreamVista"]},
    {"free_text": ["Mailchimp", "ResNet"], "required": False},
]}


def test_batch_rank_meets_free_text_requirements_as_matcher_rank_does(spark, pool, profiles, tmp_path):
    role = tmp_path / "role.json"
    role.write_text(json.dumps(FREE_TEXT_ROLE), encoding="utf-8")
    got = _assert_batch_rank_is_matcher_rank(spark, pool, profiles, tmp_path, "ml-engineer", role)
    statuses = {g["status"] for x in got if x["groups"] for g in x["groups"]}
    assert "matched_unresolved" in statuses  # the free-text groups were met, not all missing


def _assert_batch_rank_is_matcher_rank(spark, pool, profiles, tmp_path, folder, job):
    """``batch rank`` of the whole pool against ``job``, checked against ``matcher rank`` of the
    files of ``folder``: order, scores, statuses, all-required-met, versions. Returns the ranking."""
    out = tmp_path / "ranking.parquet"
    r = _run("batch", "rank", "--role", str(job), "--profiles", str(profiles), "--out", str(out))
    assert r.exit_code == 0, r.output
    got = [x.asDict(recursive=True) for x in spark.read.parquet(str(out)).orderBy("rank").collect()]
    assert [x["rank"] for x in got] == list(range(1, len(got) + 1))
    mine = [x for x in got if x["id"].startswith(folder + "/")]
    files = sorted((pool / folder).iterdir())
    cli = json.loads(_run("rank", "--json", "--as-of", AS_OF, "--jobs", "1", "--role", str(job),
                          *map(str, files)).stdout)
    assert [x["id"] for x in mine] == [f"{folder}/{__import__('pathlib').Path(c['source']).name}" for c in cli["results"]]
    assert [x["score"] for x in mine] == [c["score"] for c in cli["results"]]
    for x, c in zip(mine, cli["results"]):
        assert [(g["label"], g["required"], g["status"]) for g in x["groups"]] == \
            [(q["group"], q["required"], q["status"]) for q in c["requirements"]]
        assert x["all_required_met"] == all(q["status"] == "met" for q in c["requirements"] if q["required"])
    assert {x["scoring_version"] for x in got} == {cli["scoring_version"]}
    assert {x["taxonomy_version"] for x in got} == {cli["taxonomy_version"]}
    assert [x["score"] is None for x in got] == sorted(x["score"] is None for x in got)  # unparsed rows last
    return got


def test_a_table_of_an_older_scoring_ranks_from_its_sources_like_a_current_one(spark, profiles, tmp_path):
    """The job reads only the four scoring fields of a current table, and the whole skills and the
    profile JSON of an older one (features computed again; a table of a scoring before 2.1.0 has no
    ``~key`` rows, so free-text groups come from the profile JSON): both give the same ranking."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(profiles)
    rows = table.to_pylist()
    for row in rows:
        if row["skills"] is not None:
            row["scoring_version"] = "0.0.1"
            row["skills"] = [{**s, "bits": 0, "years10": 0, "months": 0} for s in row["skills"]
                             if not s["skill_id"].startswith("~")]
    older = tmp_path / "older.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), older)
    job = str(tmp_path / "role.json")
    (tmp_path / "role.json").write_text(json.dumps(FREE_TEXT_ROLE), encoding="utf-8")
    for name, table in (("current", profiles), ("older", older)):
        r = _run("batch", "rank", "--role", job, "--profiles", str(table), "--out", str(tmp_path / name))
        assert r.exit_code == 0, r.output
    current, old = ([(x["rank"], x["id"], x["score"], x["all_required_met"], x["groups"]) for x in
                     spark.read.parquet(str(tmp_path / name)).orderBy("rank").collect()] for name in ("current", "older"))
    assert old == current
    assert sum(x[2] is not None and x[2] > 0 for x in current) > 5
    assert "matched_unresolved" in {g["status"] for x in current if x[4] for g in x[4]}


def test_top_k_is_the_head_of_the_whole_ranking(spark, profiles, tmp_path):
    job = str(JOBS / ROLES[0][1])
    assert _run("batch", "rank", "--role", job, "--profiles", str(profiles), "--out", str(tmp_path / "all")).exit_code == 0
    assert _run("batch", "rank", "--role", job, "--profiles", str(profiles), "--out", str(tmp_path / "top"),
                "--top", "5").exit_code == 0
    whole = [(r["rank"], r["id"], r["score"]) for r in spark.read.parquet(str(tmp_path / "all")).orderBy("rank").collect()]
    top = [(r["rank"], r["id"], r["score"]) for r in spark.read.parquet(str(tmp_path / "top")).orderBy("rank").collect()]
    assert top == whole[:5]


def test_a_table_of_texts_and_bytes_parses_like_the_files(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import matcher

    files = sorted((RANKING / "data-engineer").iterdir())[:6]
    pdf = sorted(PDFS.rglob("*.pdf"))[1]
    table = pa.table({"id": [f.name for f in files] + ["cv.pdf", "blank"],
                      "bytes": [None] * len(files) + [pdf.read_bytes(), None],
                      "text": [f.read_text(encoding="utf-8") for f in files] + [None, "   "]})
    pq.write_table(table, tmp_path / "resumes.parquet")
    out = tmp_path / "profiles.parquet"
    r = _run("batch", "parse", str(tmp_path / "resumes.parquet"), "--out", str(out), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    rows = {x["id"]: x for x in spark.read.parquet(str(out)).collect()}
    engine, when = matcher.default_engine(), date.fromisoformat(AS_OF)
    for f in files:
        expected = matcher.profile_to_dict(matcher.parse_bytes(f.read_bytes(), engine, when), f.name)
        assert json.loads(rows[f.name]["profile_json"]) == expected
    assert json.loads(rows["cv.pdf"]["profile_json"]) == matcher.profile_to_dict(
        matcher.parse_bytes(pdf.read_bytes(), engine, when), "cv.pdf")
    with pytest.raises(matcher.MatcherError) as exc:
        matcher.parse_bytes(b"   ", engine, when)
    assert rows["blank"]["error_code"] == exc.value.code


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "parse", "{tmp}/nowhere", "--out", "{tmp}/p"], "no such folder or table"),
        (["batch", "parse", "{tmp}/table.parquet", "--out", "{tmp}/p"], "needs an id column"),
        (["batch", "parse", "{tmp}", "--out", "{tmp}/exists"], "exists: pass --overwrite"),
        (["batch", "parse", "{tmp}", "--out", "{tmp}/p", "--format", "csv"], "--format must be"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/nowhere", "--out", "{tmp}/r"],
         "no such profile table"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/table.parquet", "--out", "{tmp}/r"],
         "is not a profile table"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/table.parquet", "--out", "{tmp}/r",
          "--additions", "{tmp}/nowhere.json"], "cannot read the additions file"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/table.parquet", "--out", "{tmp}/r",
          "--additions", "{tmp}/latin.json"], "is not UTF-8 text"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/table.parquet", "--out", "{tmp}/r",
          "--additions", "{tmp}/cut.json"], "is not JSON: Expecting"),
        (["batch", "rank", "--role", str(JOBS / ROLES[0][1]), "--profiles", "{tmp}/table.parquet", "--out", "{tmp}/r",
          "--additions", "{tmp}/list.json"], "the additions object must be an object, not list"),
        (["batch", "parse", "{tmp}", "--out", "{tmp}/p", "--additions", "{tmp}/unknown.json"],
         "skills[0] has unknown field(s) 'parents'"),
    ],
    ids=["missing-input", "table-without-id", "output-exists", "bad-format", "missing-profiles", "not-a-profile-table",
         "additions-missing", "additions-not-text", "additions-not-json", "additions-not-an-object",
         "additions-unknown-field"],
)
def test_a_bad_input_as_a_whole_is_a_message_and_exit_2(spark, tmp_path, args, message):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"name": ["x"], "body": ["y"]}), tmp_path / "table.parquet")
    (tmp_path / "exists").mkdir()
    (tmp_path / "cut.json").write_text('{"skills": [', encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    (tmp_path / "latin.json").write_bytes('{"aliases": [{"skill_id": "python", "alias": "Pythön"}]}'.encode("latin-1"))
    (tmp_path / "unknown.json").write_text(json.dumps({"skills": [{"name": "Gantry Shipper", "category": "devops_ci",
                                                                   "parents": ["docker"]}]}), encoding="utf-8")
    r = _run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


def test_spark_lists_a_folder_and_the_worker_reads_the_bytes(spark, pool):
    from matcher.batch.jobs import read_resumes

    rows = read_resumes(spark, pool.resolve(), "files").collect()
    assert len(rows) == sum(1 for p in pool.rglob("*") if p.is_file())
    assert all(r["content"] is None for r in rows if not r["source"].endswith("empty.txt"))  # paths, not bytes


def test_a_listed_file_that_cannot_be_read_is_an_unreadable_file_row(tmp_path):
    import matcher
    from matcher.batch.jobs import parse_row

    row = parse_row({"source": f"file:{tmp_path}/gone.txt", "content": None, "text": None},
                    matcher.default_engine(), date.fromisoformat(AS_OF), str(tmp_path))
    assert (row["id"], row["error_code"], row["profile_json"]) == ("gone.txt", "unreadable_file", None)
    assert "cannot read" in row["error_message"]


#: A tenant's additions as ``matcher batch --additions`` reads them: one the bundled taxonomy takes
#: ("Gantry Shipper", and "kubbo" for Kubernetes) and one it no longer does ("PyTorch" names a bundled skill).
TENANT = {"skills": [{"name": "Gantry Shipper", "category": "devops_ci", "aliases": ["gs-ship"]}],
          "aliases": [{"skill_id": "kubernetes", "alias": "kubbo"}, {"skill_id": "python", "alias": "PyTorch"}]}


def test_the_batch_engines_extend_the_taxonomy_as_the_service_does(engine):
    import matcher
    from api.workers import tenant_engine
    from matcher.batch.jobs import engine_for, taxonomy_for

    additions = matcher.additions_from_dict(TENANT)
    service = tenant_engine(engine, additions)  # the unusable alias left out, and the version says so
    assert service.taxonomy.version == matcher.usable_additions(engine.taxonomy, additions)[0].version_on(
        engine.taxonomy.version) != additions.version_on(engine.taxonomy.version)
    assert engine_for(None, additions).taxonomy.version == taxonomy_for(None, additions).version == service.taxonomy.version
    assert engine_for(None, additions) is engine_for(None, matcher.additions_from_dict(TENANT))  # built once per process
    assert taxonomy_for(None, additions).resolve("kubbo").id == "kubernetes"
    assert engine_for(None) is matcher.default_engine() and taxonomy_for(None).version == engine.taxonomy.version


def test_batch_parse_with_additions_parses_on_the_extended_taxonomy(spark, tmp_path, engine):
    import matcher
    from matcher.batch.jobs import engine_for

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cv.txt").write_text("Jo Park\n\nSkills: Python, Gantry Shipper, kubbo\n", encoding="utf-8")
    (tmp_path / "additions.json").write_text(json.dumps(TENANT), encoding="utf-8")
    r = _run("batch", "parse", str(tmp_path / "in"), "--out", str(tmp_path / "p"), "--as-of", AS_OF,
             "--additions", str(tmp_path / "additions.json"))
    assert r.exit_code == 0, r.output
    assert "taxonomy addition left out: the alias 'PyTorch' already names another skill" in " ".join(r.output.split())
    [row] = spark.read.parquet(str(tmp_path / "p")).collect()
    grown = engine_for(None, matcher.additions_from_dict(TENANT))
    assert row["taxonomy_version"] == grown.taxonomy.version != engine.taxonomy.version
    assert {"python", "x-gantry-shipper", "kubernetes"} <= {s["skill_id"] for s in row["skills"]}
