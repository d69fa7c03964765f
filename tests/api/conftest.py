"""API test fixtures: one engine and one parse pool per test process; one app per database.

``db_url`` runs every API test on SQLite and on PostgreSQL. PostgreSQL comes from
``SKILLMATCH_TEST_POSTGRES_URL`` (scripts/test.sh sets it after scripts/postgres.sh); without it the
PostgreSQL variant is skipped. Each xdist worker gets its own schema, dropped and recreated at start.
"""

from __future__ import annotations

import re

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[2]
RESUME_PDFS = REPO / "tests" / "data" / "resume-pdfs"  # real résumés, vendored (see its README.md)
SAMPLES = REPO / "samples"
PG_ENV = "SKILLMATCH_TEST_POSTGRES_URL"


def _pg_url(worker: str) -> str:
    from sqlalchemy import create_engine, text

    base = os.environ[PG_ENV]
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base[len("postgresql://"):]
    schema = f"skillmatch_test_{worker}"
    eng = create_engine(base)
    with eng.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_url(request, tmp_path_factory, worker_id) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'api.db'}"
    if not os.environ.get(PG_ENV):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set in CI: scripts/test.sh must run scripts/postgres.sh first")
        pytest.skip(f"PostgreSQL variant: set {PG_ENV} (eval \"$(bash scripts/postgres.sh)\") to run it")
    return _pg_url(worker_id)


@pytest.fixture(scope="session")
def parse_pool(engine):
    from api.workers import ParsePool

    pool = ParsePool(engine, workers=2, timeout=60, memory_mb=3072)
    pool.start()
    yield pool
    pool.close()


def make_settings(db_url: str, **over):
    from api.settings import Settings

    return Settings(database_url=db_url, **over)


@pytest.fixture(scope="session")
def app(db_url, engine, parse_pool):
    from api.main import create_app

    # Sign-in attempts all come from "testclient": the shared app's per-address limit is set out of the way
    # (tests/api/test_hardening.py checks the limits on apps of their own).
    return create_app(make_settings(db_url, max_body_bytes=3_000_000, sign_in_attempts_per_minute=100_000),
                      engine=engine, pool=parse_pool)


@pytest.fixture(scope="session", autouse=True)
def responses_match_openapi():
    """Every response of every TestClient in these tests is validated against the app's OpenAPI
    (``openapi_check.py``): the documented schemas are what the API really answers."""
    from starlette.testclient import TestClient

    from .openapi_check import install

    original = install(TestClient)
    yield
    TestClient.request = original


@pytest.fixture(scope="module")
def worker(app, client):
    """A job worker (``skillmatch-api worker``) in a thread of the test process, for one test module."""
    import threading

    from api.jobs import run_worker

    stop = threading.Event()
    t = threading.Thread(target=run_worker, args=(app.state.sm, 2, stop), daemon=True)
    t.start()
    yield
    stop.set()
    t.join(30)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@dataclass
class Tenant:
    id: str
    name: str
    tokens: dict[str, str] = field(default_factory=dict)

    def h(self, role: str = "recruiter") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def new_tenant(app) -> Tenant:
    from api.store import queries

    state = app.state.sm
    with state.sessions() as db:
        t = queries.create_tenant(db, f"t-{uuid.uuid4().hex[:10]}")
        tokens = {r: queries.create_key(db, t.id, r, r)[1] for r in ("recruiter", "ats", "admin", "auditor")}
        db.commit()
        return Tenant(t.id, t.name, tokens)


def candidate_key(app, tenant: Tenant, candidate_id: str) -> str:
    from api.store import queries

    with app.state.sm.sessions() as db:
        _, token = queries.create_key(db, tenant.id, "candidate", "cand", candidate_id)
        db.commit()
    return token


@pytest.fixture
def tenant(client, app) -> Tenant:
    return new_tenant(app)


@pytest.fixture
def other_tenant(client, app) -> Tenant:
    return new_tenant(app)


def sample_resumes() -> list[Path]:
    files = sorted((SAMPLES / "resumes").glob("*"))
    files = [p for p in files if p.is_file()]
    if not files:
        files = sorted((REPO / "tests" / "data" / "ranking" / "ml-engineer").glob("*.txt"))
    return files


def sample_role() -> Path:
    roles = sorted((SAMPLES / "roles").glob("*"))
    return roles[0] if roles else REPO / "tests" / "data" / "jobs" / "ml-engineer-job-page.txt"


SPEC = {
    "title": "ML Engineer",
    "level": "senior",
    "requirements": [
        {"any_of": ["PyTorch", "TensorFlow"], "required": True},
        {"any_of": ["Python"], "required": True},
        {"any_of": ["Kubernetes"], "required": False},
    ],
}

RESUME = """Jane Doe
Machine Learning Engineer

EXPERIENCE
Senior ML Engineer - Acme Corp
March 2019 - Present
- Built recommendation models in PyTorch and Python, deployed on Kubernetes

SKILLS
Python, PyTorch, Kubernetes, SQL
"""


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def web(app, client):
    """A browser-like client: https (the session cookie is Secure), no lifespan of its own."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="https://testserver")


def sign_in(web, token: str) -> str:
    """Sign ``web`` in with an API key; the CSRF token of the page it lands on."""
    r = web.post("/web/sign-in", data={"api_key": token})
    assert r.status_code == 200, r.text[:500]
    return CSRF.search(r.text).group(1)
