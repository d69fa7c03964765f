"""``skillmatch-api batch export`` -> ``matcher batch rank`` (local[2]) -> ``skillmatch-api batch import``:
the imported scores are the ones the service computes itself, and a stale ranking is refused."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import matcher
from tests.batch.conftest import JOBS, RANKING

pytestmark = pytest.mark.xdist_group("spark")


@pytest.fixture()
def service(tmp_path, monkeypatch, engine):
    """A SQLite service with one tenant, the ml-engineer role and its résumés (one with a correction)."""
    from api.settings import Settings
    from api.state import AppState
    from api.store import queries

    url = f"sqlite:///{tmp_path / 'svc.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    state = AppState(Settings(database_url=url), engine=engine)
    state.migrate()
    role, _spec, warnings = matcher.load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine, filename="job.txt")
    with state.sessions() as db:
        tenant = queries.create_tenant(db, "acme")
        row = queries.add_role(db, tenant.id, title=role.title, spec=matcher.role_to_spec(role, engine.taxonomy),
                               source_text=None, warnings=warnings)
        cands = []
        for f in sorted((RANKING / "ml-engineer").iterdir())[:12]:
            p = matcher.parse_bytes(f.read_bytes(), engine)
            cands.append(queries.add_candidate(db, tenant.id, profile=matcher.profile_to_dict(p), text=p.text,
                                               taxonomy_version=p.taxonomy_version, document=None, filename=f.name,
                                               content_type="text/plain"))
        first = cands[0].profile["skills"][0]["id"]
        queries.set_correction(db, cands[0], first, "remove")  # exported as the service scores it
        db.commit()
        return state, tenant.id, row.id


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


def test_export_rank_import_gives_the_service_ranking(spark, service, tmp_path, engine):
    from matcher.cli import app as matcher_app

    state, tenant_id, role_id = service
    r = _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "x"))
    assert r.exit_code == 0, r.output
    assert "exported 12 profiles" in r.output
    r = CliRunner().invoke(matcher_app, ["batch", "rank", "--role", str(tmp_path / "x" / "role.json"), "--profiles",
                                         str(tmp_path / "x" / "profiles.parquet"), "--out", str(tmp_path / "rank")])
    assert r.exit_code == 0, r.output
    r = _api("batch", "import", "--tenant", "acme", "--role", role_id, "--ranking", str(tmp_path / "rank"))
    assert r.exit_code == 0, r.output
    assert "stored 12 scores" in r.output
    recomputed, imported = _service_scores(state, tenant_id, role_id)
    assert recomputed == 0  # the imported scores are current: the service computed none itself

    from sqlalchemy import delete

    from api.store.models import Score

    with state.sessions() as db:  # the service's own numbers: drop the cache and rank again
        db.execute(delete(Score))
        db.commit()
    recomputed, own = _service_scores(state, tenant_id, role_id)
    assert recomputed == 12
    assert imported == own


def test_a_ranking_for_another_role_revision_is_refused(spark, service, tmp_path, engine):
    from api.store import queries
    from matcher.cli import app as matcher_app

    state, tenant_id, role_id = service
    assert _api("batch", "export", "--tenant", "acme", "--role", role_id, "--out", str(tmp_path / "x")).exit_code == 0
    r = CliRunner().invoke(matcher_app, ["batch", "rank", "--role", str(tmp_path / "x" / "role.json"), "--profiles",
                                         str(tmp_path / "x" / "profiles.parquet"), "--out", str(tmp_path / "rank")])
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
