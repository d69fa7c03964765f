"""``skillmatch-api batch export`` -> ``matcher batch rank`` (local[2]) -> ``skillmatch-api batch import``:
the imported scores are the ones the service computes itself (for a tenant with taxonomy additions of
its own too, ranked with ``--additions``), and a stale ranking, or one made without them, is refused."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import matcher
from tests.batch.conftest import JOBS, RANKING

pytestmark = pytest.mark.xdist_group("spark")


#: The tenant's own taxonomy in the tests that have one: a skill that two of the résumés mention
#: ("feature pipelines") and another name for a bundled skill ("ResNet", in one of them).
ADDITIONS = matcher.TaxonomyAdditions(
    skills=(matcher.SkillAddition("Feature Pipelines", "data_processing", ("feature pipeline",)),),
    aliases=(matcher.AliasAddition("convolutional-neural-networks", "ResNet"),))


def _make_service(tmp_path, monkeypatch, engine, additions=matcher.TaxonomyAdditions(), require_added=True):
    """A SQLite service with one tenant (with ``additions`` as its own taxonomy), the ml-engineer role
    (with ``require_added``, requiring the first added skill too, if any) and its résumés parsed as the
    service parses them for the tenant (one with a correction)."""
    from api.settings import Settings
    from api.state import AppState
    from api.store import queries
    from api.store import taxonomy as tenant_taxonomy

    url = f"sqlite:///{tmp_path / 'svc.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    state = AppState(Settings(database_url=url), engine=engine)
    state.migrate()
    with state.sessions() as db:
        tenant = queries.create_tenant(db, "acme")
        for s in additions.skills:
            tenant_taxonomy.add(db, tenant.id, "skill", s.id, s.name, s.category, "test")
            for a in s.aliases:
                tenant_taxonomy.add(db, tenant.id, "alias", s.id, a, None, "test")
        for a in additions.aliases:
            tenant_taxonomy.add(db, tenant.id, "alias", a.skill_id, a.alias, None, "test")
        own = state.engine(tenant.id, db)
        role, _spec, warnings = matcher.load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), own, filename="job.txt")
        spec = matcher.role_to_spec(role, own.taxonomy)
        spec["requirements"] += [{"any_of": [s.name], "required": True} for s in additions.skills[:require_added]]
        row = queries.add_role(db, tenant.id, title=role.title, spec=spec, source_text=None, warnings=warnings)
        cands = []
        for f in sorted((RANKING / "ml-engineer").iterdir())[:12]:
            p = matcher.parse_bytes(f.read_bytes(), own)
            cands.append(queries.add_candidate(db, tenant.id, profile=matcher.profile_to_dict(p), text=p.text,
                                               taxonomy_version=p.taxonomy_version, document=None, filename=f.name,
                                               content_type="text/plain"))
        first = cands[0].profile["skills"][0]["id"]
        queries.set_correction(db, cands[0], first, "remove")  # exported as the service scores it
        db.commit()
        return state, tenant.id, row.id


@pytest.fixture()
def service(tmp_path, monkeypatch, engine):
    """A tenant without taxonomy additions of its own."""
    return _make_service(tmp_path, monkeypatch, engine)


@pytest.fixture()
def tenant_service(tmp_path, monkeypatch, engine):
    """A tenant with ``ADDITIONS``, and a role that requires its added skill."""
    return _make_service(tmp_path, monkeypatch, engine, ADDITIONS)


def _api(*args):
    from api.cli import app

    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _service_scores(state, tenant_id, role_id):
    from api.store import queries
    from api.usecases.ranking import RankingQuery, ranked_page

    with state.sessions() as db:
        row = queries.get_role(db, tenant_id, role_id)
        total, recomputed, rows = ranked_page(db, state, tenant_id, row, RankingQuery(), limit=100)
        return recomputed, [(r.candidate.id, r.score.score, r.score.all_required_met) for r in rows]


def _rank(tmp_path, *extra):
    """``matcher batch rank`` on the export in ``tmp_path/x`` into ``tmp_path/rank``."""
    from matcher.cli import app as matcher_app

    return CliRunner().invoke(matcher_app, ["batch", "rank", "--role", str(tmp_path / "x" / "role.json"), "--profiles",
                                            str(tmp_path / "x" / "profiles.parquet"), "--out", str(tmp_path / "rank"),
                                            *extra])


def _export_rank_import(state, tenant_id, role_id, tmp_path, *rank_args):
    """Export, rank (with ``rank_args``) and import; the scores then stored, and the service's own
    scores for the same candidates (the cache dropped and the role ranked again)."""
    from sqlalchemy import delete

    from api.store.models import Score

    r = _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "x"))
    assert r.exit_code == 0, r.output
    assert "exported 12 profiles" in r.output
    r = _rank(tmp_path, *rank_args)
    assert r.exit_code == 0, r.output
    r = _api("batch", "import", "--tenant", "acme", "--role", role_id, "--ranking", str(tmp_path / "rank"))
    assert r.exit_code == 0, r.output
    assert "stored 12 scores" in r.output
    recomputed, imported = _service_scores(state, tenant_id, role_id)
    assert recomputed == 0  # the imported scores are current: the service computed none itself
    with state.sessions() as db:  # the service's own numbers: drop the cache and rank again
        db.execute(delete(Score))
        db.commit()
    recomputed, own = _service_scores(state, tenant_id, role_id)
    assert recomputed == 12
    return imported, own


def test_export_rank_import_gives_the_service_ranking(spark, service, tmp_path, engine):
    state, tenant_id, role_id = service
    imported, own = _export_rank_import(state, tenant_id, role_id, tmp_path)
    assert imported == own
    assert not (tmp_path / "x" / "taxonomy-additions.json").exists()  # no additions: nothing new exported


def test_a_tenant_with_its_own_taxonomy_ranks_in_batch_with_its_additions(spark, tenant_service, tmp_path, engine):
    import pyarrow.parquet as pq

    state, tenant_id, role_id = tenant_service
    version = ADDITIONS.version_on(engine.taxonomy.version)
    r = _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "probe"))
    assert f"--additions {tmp_path / 'probe' / 'taxonomy-additions.json'}" in r.output and version in r.output
    assert matcher.load_additions(tmp_path / "probe" / "taxonomy-additions.json") == ADDITIONS

    additions = str(tmp_path / "x" / "taxonomy-additions.json")
    imported, own = _export_rank_import(state, tenant_id, role_id, tmp_path, "--additions", additions)
    assert imported == own
    ranking = pq.read_table(tmp_path / "rank").to_pylist()
    assert {r["taxonomy_version"] for r in ranking} == {version}
    added = [g["status"] for r in ranking for g in r["groups"] if g["label"] == "Feature Pipelines"]
    assert len(added) == 12 and {"met", "missing"} <= set(added)  # the workers know the added skill


WITHOUT_ADDITIONS = [
    # the role names the tenant's skill: rank can't read it on the bundled taxonomy
    ("role-names-an-added-skill", True, "rank", 1, "unknown skill 'Feature Pipelines'"),
    # the role names bundled skills only: rank runs, import refuses the bundled taxonomy's version
    ("role-of-bundled-skills", False, "import", 1,
     "rank with the tenant's taxonomy additions (matcher batch rank --additions"),
]


@pytest.mark.parametrize(("require_added", "step", "code", "message"), [r[1:] for r in WITHOUT_ADDITIONS],
                         ids=[r[0] for r in WITHOUT_ADDITIONS])
def test_a_tenants_export_ranked_without_its_additions_is_refused(spark, tmp_path, monkeypatch, engine, require_added,
                                                                   step, code, message):
    _state, _tenant_id, role_id = _make_service(tmp_path, monkeypatch, engine, ADDITIONS, require_added)
    assert _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "x")).exit_code == 0
    r = _rank(tmp_path)
    assert "is beside the role: pass it with --additions" in " ".join(r.output.split())
    if step == "import":
        assert r.exit_code == 0, r.output
        r = _api("batch", "import", "--tenant", "acme", "--role", role_id, "--ranking", str(tmp_path / "rank"))
        assert "the ranking was made for taxonomy version" in " ".join(r.output.split())
    assert r.exit_code == code
    assert message in " ".join(r.output.split())


def test_a_ranking_for_another_role_revision_is_refused(spark, service, tmp_path, engine):
    from api.store import queries

    state, tenant_id, role_id = service
    assert _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "x")).exit_code == 0
    r = _rank(tmp_path)
    assert r.exit_code == 0, r.output
    with state.sessions() as db:  # the recruiter drops a requirement meanwhile
        row = queries.get_role(db, tenant_id, role_id)
        spec = dict(row.spec)
        spec["requirements"] = spec["requirements"][1:]
        queries.update_role(db, row, title=row.title, spec=spec, warnings=[])
        db.commit()
    r = _api("batch", "import", "--tenant", "acme", "--role", role_id, "--ranking", str(tmp_path / "rank"))
    assert r.exit_code == 1
    assert "the role changed since it was exported" in r.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["import", "--tenant", "nope", "--role", "r", "--ranking", "{tmp}"], 1, "no tenant 'nope'"),
        (["import", "--tenant", "acme", "--role", "nope", "--ranking", "{tmp}"], 1, "no role 'nope'"),
        (["import", "--tenant", "acme", "--role", "{role}", "--ranking", "{tmp}/none"], 1, "no such ranking table"),
        (["import", "--tenant", "acme", "--role", "{role}", "--ranking", "{tmp}/t.parquet"], 1, "is not a ranking table"),
    ],
    ids=["unknown-tenant", "unknown-role", "missing-table", "not-a-ranking"],
)
def test_bad_imports_are_a_message(service, tmp_path, args, code, message):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["x"]}), tmp_path / "t.parquet")
    _state, _tenant, role_id = service
    r = _api("batch", *[a.replace("{tmp}", str(tmp_path)).replace("{role}", role_id) for a in args])
    assert r.exit_code == code
    assert message in r.output
