"""Hardening round 2: one regression test per finding of the attacker's probe (issue 10), and the
rate limits. Runs on SQLite and PostgreSQL like the other API tests."""

from __future__ import annotations

import csv
import io
import time
import uuid
from pathlib import Path

import pytest

from .conftest import RESUME, SPEC, candidate_key, make_settings, new_tenant, sign_in

NESTED = b"[" * 100_000 + b"]" * 100_000


def _own_app(db_url, engine, parse_pool, **settings):
    from api.main import create_app

    return create_app(make_settings(db_url, max_body_bytes=3_000_000, **settings), engine=engine, pool=parse_pool)


# ------------------------------------------------------------------ CSV formula injection

@pytest.mark.parametrize("value,safe", [
    ("=HYPERLINK(\"http://evil.example/x\",\"Python\")", True),
    ("+1+1", True), ("-2+3", True), ("@SUM(A1)", True),
    (" =1+1", True), ("\u3000=1+1", True),
    ("\uff1d1+1", True), ("\uff0b1", True), ("\uff0d1", True), ("\uff201", True),
    ("\t=1", True), ("\r=1", True),
    ("Python", False), ("C++ or Go", False), ("", False), ("1.5", False),
], ids=["hyperlink", "plus", "minus", "at", "space", "ideographic-space", "fullwidth-eq", "fullwidth-plus",
        "fullwidth-minus", "fullwidth-at", "tab", "cr", "plain", "inner-plus", "empty", "number"])
def test_csv_cells_never_start_a_formula(value, safe):
    from api.web.views import csv_cell

    out = csv_cell(value)
    assert out == ("'" + value if safe else value)


def test_requirement_labels_reach_the_csv_header_as_text(client, web, tenant):
    spec = {"title": "CSV role", "requirements": [
        {"any_of": ["Python"], "label": "=HYPERLINK(\"http://evil.example/x\",\"Python\")"},
        {"any_of": ["Docker"], "label": " +cmd|' /C calc'!A0"},
        {"any_of": ["SQL"], "label": "\uff1d1+1"},
    ]}
    role_id = client.post("/v1/roles", json={"spec": spec}, headers=tenant.h()).json()["id"]
    assert client.post("/v1/candidates", json={"text": RESUME, "name": "=cmd"}, headers=tenant.h()).status_code == 201
    sign_in(web, tenant.tokens["recruiter"])
    rows = list(csv.reader(io.StringIO(web.get(f"/web/roles/{role_id}/ranking.csv").text)))
    for row in rows:
        for cell in row:
            head = cell.lstrip(" \u3000")
            assert not head[:1] in "=+-@\uff1d\uff0b\uff0d\uff20" or cell.startswith("'"), cell
    assert "'=HYPERLINK(\"http://evil.example/x\",\"Python\")" in rows[0]


# ------------------------------------------------------------------ bodies the JSON parser can't take

@pytest.mark.parametrize("method,path,role", [
    ("post", "/v1/parse", "ats"), ("post", "/v1/candidates", "ats"), ("post", "/v1/match", "ats"),
    ("post", "/v1/match/batch", "ats"), ("post", "/v1/roles", "recruiter"),
], ids=["parse", "candidates", "match", "batch", "roles"])
@pytest.mark.parametrize("body", [NESTED, b'{"text": ' + b"1" * 10_000 + b"}", b"\xff\xfe{}", b"{not json"],
                         ids=["nested", "huge-int", "not-utf8", "syntax"])
def test_bodies_the_json_parser_cant_take_are_400(client, tenant, method, path, role, body):
    r = getattr(client, method)(path, content=body, headers={**tenant.h(role), "content-type": "application/json"})
    assert r.status_code == 400, r.text[:300]
    assert r.json()["code"] == "invalid_json"


@pytest.mark.parametrize("body", [NESTED, b"{not json"], ids=["nested", "syntax"])
def test_put_role_with_a_bad_body_is_400(client, tenant, body):
    role_id = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    r = client.put(f"/v1/roles/{role_id}", content=body, headers={**tenant.h(), "content-type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_json", r.text[:300]


def test_a_deeply_nested_spec_inside_job_text_is_an_invalid_role(client, tenant):
    r = client.post("/v1/roles", json={"job_text": "[" * 50_000 + "]" * 50_000}, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_role", r.text[:300]


# ------------------------------------------------------------------ pagination bounds

@pytest.mark.parametrize("offset", ["9223372036854775808", "1000001", "-1"], ids=["int64-overflow", "past-max", "neg"])
@pytest.mark.parametrize("path", ["/v1/candidates", "/v1/roles", "ranking"])
def test_pagination_parameters_are_bounded(client, tenant, offset, path):
    if path == "ranking":
        path = f"/v1/roles/{client.post('/v1/roles', json={'spec': SPEC}, headers=tenant.h()).json()['id']}/ranking"
    r = client.get(path, params={"offset": offset}, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_request", r.text[:300]
    assert client.get(path, params={"offset": 1_000_000}, headers=tenant.h()).status_code == 200


# ------------------------------------------------------------------ candidate reports: invited roles only

def test_a_candidate_sees_reports_only_for_roles_they_were_invited_to(app, client, web, tenant):
    from api.store import queries

    invited = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    other = client.post("/v1/roles", json={"spec": {**SPEC, "title": "Other"}}, headers=tenant.h()).json()["id"]
    cid = client.post("/v1/candidates", json={"text": RESUME}, headers=tenant.h()).json()["id"]
    with app.state.sm.sessions() as db:
        queries.invite(db, queries.get_candidate(db, tenant.id, cid), queries.get_role(db, tenant.id, invited))
        db.commit()
    token = candidate_key(app, tenant, cid)
    h = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/v1/candidates/{cid}/report/{invited}", headers=h).status_code == 200
    r = client.get(f"/v1/candidates/{cid}/report/{other}", headers=h)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    sign_in(web, token)  # the page says the same
    assert web.get(f"/web/me/roles/{invited}").status_code == 200
    assert web.get(f"/web/me/roles/{other}").status_code == 404
    # a recruiter still sees the candidate against every role of the tenant
    assert client.get(f"/v1/candidates/{cid}/report/{other}", headers=tenant.h()).status_code == 200


# ------------------------------------------------------------------ bidi controls and length limits

def test_bidi_and_format_controls_are_stripped_from_names_and_labels(client, tenant):
    r = client.post("/v1/candidates", json={"text": RESUME, "name": "Ann \u202efdp.exe\u200b"}, headers=tenant.h())
    assert r.status_code == 201 and r.json()["name"] == "Ann fdp.exe"
    spec = {"title": "Role \u2067x\u2069", "requirements": [{"any_of": ["Python"], "label": "Py\u202ethon\u200f"}]}
    role = client.post("/v1/roles", json={"spec": spec}, headers=tenant.h()).json()
    assert role["title"] == "Role x" and role["requirements"][0]["label"] == "Python"
    r = client.post("/v1/keys", json={"role": "recruiter", "name": "team \u202eevil"}, headers=tenant.h("admin"))
    assert r.status_code == 201 and r.json()["name"] == "team evil"


@pytest.mark.parametrize("field,value", [
    ("label", "x" * 201), ("title", "x" * 301), ("any_of", ["x" * 201]), ("any_of", ["Python"] * 51),
    ("source_text", "x" * 1001),
], ids=["label", "title", "skill-name", "alternatives", "source-text"])
def test_free_text_fields_have_length_limits(client, tenant, field, value):
    req = {"any_of": ["Python"]}
    spec = {"title": "T", "requirements": [req]}
    if field == "title":
        spec["title"] = value
    else:
        req[field] = value
    r = client.post("/v1/roles", json={"spec": spec}, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_role", r.text[:300]


def test_bidi_names_are_isolated_on_the_pages(client, web, tenant):
    role_id = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    client.post("/v1/candidates", json={"text": RESUME, "name": "Zed Q"}, headers=tenant.h())
    sign_in(web, tenant.tokens["recruiter"])
    page = web.get(f"/web/roles/{role_id}").text
    assert "<bdi>Zed Q</bdi>" in page and "\u202e" not in page


# ------------------------------------------------------------------ erased text leaves the SQLite file

def test_erased_resume_text_is_not_left_in_free_pages(tmp_path, engine, parse_pool):
    from fastapi.testclient import TestClient

    db_file = tmp_path / "erase.db"
    app = _own_app(f"sqlite:///{db_file}", engine, parse_pool)
    marker = f"Zyxwvut{uuid.uuid4().hex}"
    with TestClient(app) as c:
        t = new_tenant(app)
        ids = [c.post("/v1/candidates", json={"text": f"{RESUME}\n{marker} marker line {i}\n"}, headers=t.h()).json()["id"]
               for i in range(3)]
        assert marker.encode() in db_file.read_bytes()
        for cid in ids:
            assert c.delete(f"/v1/candidates/{cid}", headers=t.h()).status_code == 204
    assert marker.encode() not in Path(db_file).read_bytes()


# ------------------------------------------------------------------ PUT takes what GET gives

def test_put_accepts_what_get_returns(client, tenant):
    role_id = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    got = client.get(f"/v1/roles/{role_id}", headers=tenant.h()).json()
    got["spec"]["title"] = "Renamed"
    r = client.put(f"/v1/roles/{role_id}", json=got, headers=tenant.h())
    assert r.status_code == 200, r.text[:300]
    assert r.json()["title"] == "Renamed" and r.json()["revision"] == got["revision"] + 1
    r = client.put(f"/v1/roles/{role_id}", json=got, headers=tenant.h())  # the old revision again
    assert r.status_code == 409 and r.json()["code"] == "revision_conflict"
    r = client.put(f"/v1/roles/{role_id}", json={**got, "revision": None, "surprise": 1}, headers=tenant.h())
    assert r.status_code == 422


# ------------------------------------------------------------------ rate limits

def test_a_burst_over_the_per_key_limit_gets_429_with_retry_after(db_url, engine, parse_pool):
    from fastapi.testclient import TestClient

    app = _own_app(db_url, engine, parse_pool, rate_limit_per_minute=60)
    with TestClient(app) as c:
        t = new_tenant(app)
        other = new_tenant(app)
        codes = [c.get("/v1/taxonomy/skills", params={"q": "py"}, headers=t.h()) for _ in range(100)]
        limited = [r for r in codes if r.status_code == 429]
        assert len(limited) == 40 and all(r.status_code == 200 for r in codes[:60])
        r = limited[0]
        assert r.json()["code"] == "too_many_requests" and r.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert c.get("/v1/taxonomy/skills", params={"q": "py"}, headers=other.h()).status_code == 200  # per key


def test_the_counters_are_shared_by_processes_on_one_database(db_url, engine, parse_pool):
    """Two app instances (as two server processes would be) on one database share the key's count."""
    from fastapi.testclient import TestClient

    a = _own_app(db_url, engine, parse_pool, rate_limit_per_minute=30, rate_limit_storage="database")
    b = _own_app(db_url, engine, parse_pool, rate_limit_per_minute=30, rate_limit_storage="database")
    with TestClient(a) as ca, TestClient(b) as cb:
        t = new_tenant(a)
        got = [c.get("/v1/taxonomy/skills", params={"q": "go"}, headers=t.h()).status_code for _ in range(20) for c in (ca, cb)]
    assert got.count(200) == 30 and got.count(429) == 10


def test_auto_storage_is_the_database_on_postgres_only(db_url, engine, parse_pool):
    from limits.storage import MemoryStorage

    from api.ratelimit import SQLStorage
    from api.state import AppState

    state = AppState(make_settings(db_url), engine=engine, pool=parse_pool)
    try:
        assert isinstance(state.limits.storage, SQLStorage if db_url.startswith("postgres") else MemoryStorage)
    finally:
        state.db.dispose()


def test_sign_in_attempts_are_limited_per_address(db_url, engine, parse_pool):
    from fastapi.testclient import TestClient

    app = _own_app(db_url, engine, parse_pool, sign_in_attempts_per_minute=5)
    with TestClient(app, base_url="https://testserver") as c:
        got = [c.post("/web/sign-in", data={"api_key": f"sk_nothere{i}_x"}) for i in range(8)]
    assert [r.status_code for r in got] == [401] * 5 + [429] * 3
    assert "Retry-After" in got[-1].headers and "Too many requests" in got[-1].text  # a page, not JSON


def test_one_key_cannot_hold_more_parse_slots_than_allowed(client, app, tenant):
    key_id = tenant.tokens["ats"].split("_")[1]
    limits = app.state.sm.limits
    held = [limits.parse_slot(key_id) for _ in range(limits.parses_in_flight_per_key)]
    for cm in held:
        cm.__enter__()
    try:
        r = client.post("/v1/parse", json={"text": RESUME}, headers=tenant.h("ats"))
        assert r.status_code == 429 and r.json()["code"] == "too_many_requests" and r.headers["Retry-After"] == "1"
        other = new_tenant(app)  # another key is not held up
        assert client.post("/v1/parse", json={"text": RESUME}, headers=other.h("ats")).status_code == 200
    finally:
        for cm in held:
            cm.__exit__(None, None, None)
    assert client.post("/v1/parse", json={"text": RESUME}, headers=tenant.h("ats")).status_code == 200


def test_default_parse_slots_leave_a_lane_for_other_keys():
    from api.settings import Settings

    from api.ratelimit import build_rate_limits
    from sqlalchemy import create_engine

    s = Settings(database_url="sqlite://")
    limits = build_rate_limits(s, create_engine("sqlite://"))
    assert limits.parses_in_flight_per_key == s.parse_workers + s.parse_fast_workers - 1 < s.parse_workers + s.parse_fast_workers
    t0 = time.perf_counter()
    with limits.parse_slot("k"), limits.parse_slot("k"), pytest.raises(Exception, match="in flight"), limits.parse_slot("k"):
        pass
    assert time.perf_counter() - t0 < 1
