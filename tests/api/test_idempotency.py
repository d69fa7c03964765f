"""Idempotency-Key: a retried create never makes a duplicate; keys are per tenant."""

from __future__ import annotations

from .conftest import RESUME, SPEC


def test_retried_upload_returns_the_stored_response(client, tenant):
    h = {**tenant.h(), "Idempotency-Key": "upload-1"}
    r1 = client.post("/v1/candidates", json={"text": RESUME}, headers=h)
    r2 = client.post("/v1/candidates", json={"text": RESUME}, headers=h)
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json()
    assert r2.headers.get("idempotent-replayed") == "true"
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 1


def test_retried_multipart_upload_with_new_boundary(client, tenant):
    h = {**tenant.h("ats"), "Idempotency-Key": "mp-1"}
    ids = {client.post("/v1/candidates", files={"file": ("cv.txt", RESUME.encode())}, headers=h).json()["id"] for _ in range(3)}
    assert len(ids) == 1
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 1


def test_same_key_other_request_is_rejected(client, tenant):
    h = {**tenant.h(), "Idempotency-Key": "k"}
    assert client.post("/v1/candidates", json={"text": RESUME}, headers=h).status_code == 201
    r = client.post("/v1/candidates", json={"text": RESUME + "\nGo"}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_tenant(client, tenant, other_tenant):
    a = client.post("/v1/candidates", json={"text": RESUME}, headers={**tenant.h(), "Idempotency-Key": "same"}).json()
    b = client.post("/v1/candidates", json={"text": RESUME}, headers={**other_tenant.h(), "Idempotency-Key": "same"}).json()
    assert a["id"] != b["id"]
    assert client.get(f"/v1/candidates/{a['id']}", headers=other_tenant.h()).status_code == 404


def test_roles_are_idempotent_too(client, tenant):
    h = {**tenant.h(), "Idempotency-Key": "role-1"}
    a = client.post("/v1/roles", json={"spec": SPEC}, headers=h).json()
    b = client.post("/v1/roles", json={"spec": SPEC}, headers=h).json()
    assert a["id"] == b["id"]
    assert client.get("/v1/roles", headers=tenant.h()).json()["total"] == 1


def test_failed_requests_are_not_stored(client, tenant):
    h = {**tenant.h(), "Idempotency-Key": "fails"}
    assert client.post("/v1/candidates", json={"text": "  "}, headers=h).status_code == 422
    assert client.post("/v1/candidates", json={"text": RESUME}, headers=h).status_code == 201
