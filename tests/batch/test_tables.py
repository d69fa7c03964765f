"""The batch tables without Spark: a profile row scored in columns gives ``match_profile``'s score,
statuses and all-required-met (free-text requirements met by unresolved mentions too), also from
rows written under another scoring version."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher.batch import profile_record, profile_schema, score_batch
from matcher.types import Position, UnresolvedSkill

ROLE_TEXT = ("Data Engineer\n\nRequirements:\n- Python\n- Apache Spark, 3+ years\n- SQL or PostgreSQL\n- Kubernetes\n"
             "- Experience with Zorbix or Flumewave\n\nNice to have:\n- Docker\n- Kafka\n- Familiarity with Blorp\n")
#: Unresolved mention keys a generated profile may hold: the role's free-text names and one it doesn't ask for.
UNRESOLVED = ["zorbix", "flumewave", "blorp", "quux"]
DATED = Position(0, "Engineer", "Acme", date(2015, 3, 1), None, True, (0, 100))
SKILLS = ["python", "apache-spark", "pyspark", "sql", "postgresql", "kubernetes", "docker", "apache-kafka", "java",
          "apache-flink", "mysql", "openshift"]
SOURCES = ["position", "skills_list", "text", "project", "candidate"]


@pytest.fixture(scope="module")
def role(engine):
    role_, _spec, _w = matcher.load_role_text(ROLE_TEXT, engine.skill_matcher)
    free = [(g.required, [t.key for t in g.free_text]) for g in role_.groups if g.free_text]
    assert free == [(True, ["zorbix", "flumewave"]), (False, ["blorp"])]
    return role_


def _skill(engine, sid, years, last_used, sources):
    known = engine.taxonomy[sid]
    return matcher.ProfileSkill(sid, known.name, known.category, years, last_used, (), tuple(sorted(set(sources))))


def _unresolved(key, source):
    pos = 0 if source == "position" else None
    m = matcher.SkillMention("~" + key, key.title(), 0, len(key), "experience" if pos == 0 else "skills", pos, source)
    return UnresolvedSkill(key, key.title(), (m,))


profiles = st.builds(
    lambda skills, exp, as_of, unresolved: (skills, exp, as_of, unresolved),
    st.lists(st.tuples(st.sampled_from(SKILLS), st.one_of(st.none(), st.integers(0, 200).map(lambda t: t / 10)),
                       st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2026, 12, 1)).map(lambda d: d.replace(day=1))),
                       st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3)),
             max_size=8, unique_by=lambda s: s[0]),
    st.one_of(st.none(), st.integers(0, 300).map(lambda t: t / 10)),
    st.dates(date(2020, 1, 1), date(2027, 1, 1)),
    st.lists(st.tuples(st.sampled_from(UNRESOLVED), st.sampled_from(SOURCES)), max_size=3, unique_by=lambda u: u[0]),
)


def _batch(engine, generated, stale=None):
    """The generated profiles as a profile-table batch; ``stale`` as if written by another scoring
    (features to be computed again): "with-json" as before 2.1.0 (no ``~key`` skill rows, the
    profile JSON kept), "without-json" (the skill rows only)."""
    import pyarrow as pa

    rows, built = [], []
    for i, (skills, exp, as_of, unresolved) in enumerate(generated):
        p = matcher.Profile(tuple(_skill(engine, *s) for s in skills), (DATED,), (), exp, as_of, engine.taxonomy.version,
                            unresolved=tuple(_unresolved(*u) for u in unresolved))
        row = profile_record(f"c{i}", f"c{i}", p)
        if stale:
            row["scoring_version"] = "0.0.1"
            row["skills"] = [{**s, "bits": 0, "years10": 0, "months": 0} for s in row["skills"]
                             if stale == "without-json" or not s["skill_id"].startswith("~")]
            row["profile_json"] = row["profile_json"] if stale == "with-json" else None
        rows.append(row)
        built.append(p)
    return pa.RecordBatch.from_pylist(rows, schema=profile_schema()), built


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=st.lists(profiles, min_size=1, max_size=12), stale=st.sampled_from([None, "with-json", "without-json"]))
def test_scored_columns_equal_match_profile(engine, role, generated, stale):
    batch, built = _batch(engine, generated, stale)
    compiled = matcher.compile_role(role, engine.taxonomy)
    out = score_batch(batch, role, compiled, engine, "digest").to_pylist()
    for row, p in zip(out, built):
        report = matcher.match_profile(p, role, engine, compiled)
        assert row["score"] == report.score
        assert [g["status"] for g in row["groups"]] == [g.status for g in report.groups]
        assert row["all_required_met"] == all(g.status == "met" for g in report.groups if g.group.required)
        assert row["scoring_version"] == matcher.SCORING_VERSION


def test_unresolved_mentions_are_skill_rows_with_their_key(engine, role):
    """A free-text group is ``matched_unresolved`` from the row alone: the mention is a ``~key`` skill
    row with its years from the dated position (Mar 2015 to Mar 2025, both months counted)."""
    p = matcher.Profile((), (DATED,), (), 5.0, date(2025, 3, 1), engine.taxonomy.version,
                        unresolved=(_unresolved("zorbix", "position"), _unresolved("quux", "skills_list")))
    row = profile_record("c", "c", p)
    assert [(s["skill_id"], s["category"], s["years"], s["sources"]) for s in row["skills"]] == [
        ("~zorbix", "unresolved", 10.1, ["position"]), ("~quux", "unresolved", None, ["skills_list"])]
    import pyarrow as pa

    batch = pa.RecordBatch.from_pylist([row], schema=profile_schema())
    out = score_batch(batch, role, matcher.compile_role(role, engine.taxonomy), engine, "d").to_pylist()[0]
    report = matcher.match_profile(p, role, engine)
    assert "matched_unresolved" in [g["status"] for g in out["groups"]]
    assert (out["score"], [g["status"] for g in out["groups"]]) == (report.score, [g.status for g in report.groups])


def test_error_rows_keep_their_code_and_get_no_score(engine, role):
    import pyarrow as pa

    from matcher.batch import error_record

    good = profile_record("ok", "ok.txt", matcher.parse_text("Ann\n\nSkills: Python, SQL", engine))
    rows = [error_record("bad", "bad.pdf", "no_text_layer", "scanned"), good]
    batch = pa.RecordBatch.from_pylist(rows, schema=profile_schema())
    out = score_batch(batch, role, matcher.compile_role(role, engine.taxonomy), engine, "d").to_pylist()
    assert [(r["id"], r["error_code"], r["score"] is None, r["groups"] is None) for r in out] == \
        [("bad", "no_text_layer", True, True), ("ok", None, False, False)]

