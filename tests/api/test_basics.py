"""Health, auth, problem+json, request ids, OpenAPI."""

from __future__ import annotations

import re

from .conftest import RESUME


def test_health_and_ready(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["checks"] == {"database": "ok", "engine": "ok"}
    assert body["taxonomy_version"]


def test_request_id_in_and_out(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32
    r = client.get("/healthz", headers={"X-Request-ID": "bad id\twith junk"})
    assert r.headers["x-request-id"] != "bad id\twith junk"


def test_missing_and_bad_keys_are_401_problems(client, tenant):
    r = client.get("/v1/candidates")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "unauthorized" and body["status"] == 401 and body["type"] and body["title"] and body["detail"]
    assert client.get("/v1/candidates", headers={"Authorization": "Bearer sk_nope_nope"}).status_code == 401
    bad = tenant.tokens["recruiter"][:-2] + "xx"
    assert client.get("/v1/candidates", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
    assert client.get("/v1/candidates", headers={"Authorization": f"Basic {tenant.tokens['recruiter']}"}).status_code == 401


def test_x_api_key_header_works(client, tenant):
    r = client.get("/v1/candidates", headers={"X-API-Key": tenant.tokens["recruiter"]})
    assert r.status_code == 200


def test_key_in_query_string_is_rejected(client, tenant):
    for params in ({"api_key": tenant.tokens["recruiter"]}, {"q": tenant.tokens["recruiter"]}, {"token": "x"}):
        r = client.get("/v1/candidates", params=params, headers=tenant.h())
        assert r.status_code == 400, params
        assert r.json()["code"] == "api_key_in_query"


def test_wrong_role_is_403(client, tenant):
    r = client.get("/v1/candidates", headers=tenant.h("ats"))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_validation_error_is_invalid_request(client, tenant):
    r = client.get("/v1/candidates", params={"limit": 0}, headers=tenant.h())
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    r = client.post("/v1/candidates", content=b"{not json", headers={**tenant.h(), "content-type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"
    r = client.post("/v1/candidates", content=b"x", headers={**tenant.h(), "content-type": "image/png"})
    assert r.status_code == 415


def test_unknown_route_is_problem(client):
    r = client.get("/v1/nope")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_openapi_documents_every_route_with_examples(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/v1/candidates", "/v1/candidates/{candidate_id}", "/v1/roles", "/v1/roles/{role_id}",
              "/v1/roles/{role_id}/ranking", "/v1/match", "/v1/match/batch", "/v1/parse", "/v1/taxonomy/skills",
              "/v1/keys", "/healthz", "/readyz"):
        assert p in paths, p
    body = paths["/v1/candidates"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body and "examples" in body["application/json"]
    assert paths["/v1/candidates"]["post"]["x-allowed-roles"] == ["recruiter", "ats"]


def test_keys_admin_flow(client, tenant):
    r = client.post("/v1/keys", json={"role": "ats", "name": "my ats"}, headers=tenant.h("admin"))
    assert r.status_code == 201, r.text
    token, kid = r.json()["token"], r.json()["id"]
    assert client.post("/v1/parse", json={"text": RESUME}, headers={"X-API-Key": token}).status_code == 200
    listed = client.get("/v1/keys", headers=tenant.h("admin")).json()["items"]
    assert kid in [k["id"] for k in listed] and all("token" not in k and "key_hash" not in k for k in listed)
    assert client.delete(f"/v1/keys/{kid}", headers=tenant.h("admin")).status_code == 204
    assert client.post("/v1/parse", json={"text": RESUME}, headers={"X-API-Key": token}).status_code == 401
    r = client.post("/v1/keys", json={"role": "candidate"}, headers=tenant.h("admin"))
    assert r.status_code == 422


def test_keys_are_stored_hashed(client, app, tenant):
    from sqlalchemy import text

    with app.state.sm.db.connect() as conn:
        rows = conn.execute(text("SELECT id, key_hash FROM api_keys WHERE tenant_id = :t"), {"t": tenant.id}).all()
    assert rows
    for token in tenant.tokens.values():
        assert all(token != h and token.split("_", 2)[2] not in h for _, h in rows)


def test_taxonomy_search(client, tenant):
    r = client.get("/v1/taxonomy/skills", params={"q": "pytor"}, headers=tenant.h("ats"))
    assert r.status_code == 200
    assert r.json()["items"][0]["id"] == "pytorch"
    r = client.get("/v1/taxonomy/skills", params={"q": "k8s"}, headers=tenant.h())
    assert "kubernetes" in [i["id"] for i in r.json()["items"]]


def test_migrations_match_models(app, client):  # client: the app has started (migrated, state set)
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from api.store.models import Base

    with app.state.sm.db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_unhandled_error_is_problem_with_request_id(db_url, engine):
    from fastapi.testclient import TestClient

    from api.main import create_app

    from .conftest import make_settings

    app = create_app(make_settings(db_url), engine=engine, build_engine_on_start=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom", headers={"X-Request-ID": "req-42"})
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert r.headers["x-request-id"] == "req-42" and "kaput" not in r.text


def test_api_docs_load_without_internet(client):
    """/docs and /redoc name no outside host: their scripts and styles come from the package."""
    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200
        urls = re.findall(r'(?:src|href)=["\']([^"\']+)', r.text) + re.findall(r"url: ?'([^']+)'", r.text)
        assert urls and all(u.startswith("/") for u in urls), urls
        for u in urls:
            if u.endswith((".js", ".css")):
                assert client.get(u).status_code == 200, u
