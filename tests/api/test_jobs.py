"""Background jobs on the queue: imports (ZIP and JSON), CSV exports, retraining, stale rankings
served while a refresh job runs; a worker runs in a thread of the test process."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from .conftest import RESUME, SPEC


def _done(client, tenant, job, role="recruiter", timeout=60.0):
    from api.jobs import wait_for

    wait_for(client.app.state.sm, job["id"], timeout)
    return client.get(f"/v1/jobs/{job['id']}", headers=tenant.h(role)).json()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_zip_import_stores_every_readable_resume_and_lists_the_rest(client, tenant, worker):
    files = {f"r{i}.txt": RESUME.replace("Jane Doe", f"Person {i}").encode() for i in range(7)}
    files["broken.pdf"] = b"%PDF-1.7 not really"
    r = client.post("/v1/imports", files={"file": ("batch.zip", _zip(files), "application/zip")}, headers=tenant.h("ats"))
    assert r.status_code == 202, r.text
    job = _done(client, tenant, r.json(), "ats")
    assert job["status"] == "succeeded", job
    assert (job["progress"], job["total"], job["result"]["imported"]) == (8, 8, 7)
    assert [f["item"] for f in job["result"]["failed"]] == ["broken.pdf"]
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 7


@pytest.mark.parametrize("body, code", [
    ({"resumes": "nope"}, "invalid_request"),
    ({"items": []}, "invalid_request"),
], ids=["not-a-list", "no-resumes"])
def test_bad_json_import_is_refused_before_queueing(client, tenant, body, code):
    r = client.post("/v1/imports", json=body, headers=tenant.h("ats"))
    assert (r.status_code, r.json()["code"]) == (422, code)


def test_zip_bomb_import_fails_without_retries(client, app, tenant, worker):
    limit = app.state.sm.settings.max_file_bytes
    r = client.post("/v1/imports", files={"file": ("bomb.zip", _zip({"big.txt": b"a" * (limit + 10)}), "application/zip")},
                    headers=tenant.h("ats"))
    job = _done(client, tenant, r.json(), "ats")
    assert (job["status"], job["error"]["code"], job["attempts"]) == ("failed", "archive_too_large", 1)


def test_json_import_then_csv_export(client, tenant, worker):
    items = [{"id": f"ext-{i}", "name": f"Person {i}", "text": RESUME} for i in range(5)]
    job = _done(client, tenant, client.post("/v1/imports", json={"resumes": items}, headers=tenant.h("ats")).json(), "ats")
    assert job["result"]["imported"] == 5
    rid = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    r = client.post(f"/v1/roles/{rid}/exports", headers=tenant.h())
    assert r.status_code == 202
    job = _done(client, tenant, r.json())
    assert job["status"] == "succeeded" and job["result"]["rows"] == 5
    got = client.get(job["download"], headers={**tenant.h(), "Accept": "text/csv"})
    assert got.headers["content-type"].startswith("text/csv")
    assert client.get(job["download"], headers=tenant.h()).json() == {"job_id": job["id"], "rows": 5, "csv": got.text}
    rows = list(csv.reader(io.StringIO(got.text)))
    assert len(rows) == 6 and rows[0][:2] == ["rank", "candidate"]
    assert sorted(r[1] for r in rows[1:]) == sorted(f"Person {i}" for i in range(5))


def test_retrain_job_reports_the_refusal_and_has_no_file(client, tenant, other_tenant, worker):
    job = _done(client, tenant, client.post("/v1/models/retrain/jobs", headers=tenant.h()).json())
    assert (job["status"], job["error"]["code"]) == ("failed", "not_enough_decisions")
    assert client.get(f"/v1/jobs/{job['id']}/result", headers=tenant.h()).json()["code"] == "job_not_done"
    assert client.get(f"/v1/jobs/{job['id']}", headers=other_tenant.h()).status_code == 404


def test_big_stale_ranking_is_served_stale_while_a_refresh_job_runs(client, app, tenant, worker, monkeypatch):
    for i in range(3):
        client.post("/v1/candidates", json={"text": RESUME.replace("Jane Doe", f"P{i}")}, headers=tenant.h())
    rid = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    first = client.get(f"/v1/roles/{rid}/ranking", headers=tenant.h()).json()
    assert (first["stale"], first["total"], first["recomputed"]) == (False, 3, 3)
    edited = {**SPEC, "requirements": SPEC["requirements"][:2]}
    assert client.put(f"/v1/roles/{rid}", json=edited, headers=tenant.h()).status_code == 200
    monkeypatch.setattr(app.state.sm.settings, "ranking_inline_max", 1)
    stale = client.get(f"/v1/roles/{rid}/ranking", headers=tenant.h()).json()
    assert stale["stale"] is True and stale["recomputed"] == 0 and stale["total"] == 3
    assert stale["stale_age_seconds"] >= 0
    job = _done(client, tenant, {"id": stale["refresh_job_id"]})
    assert job["status"] == "succeeded" and job["result"]["recomputed"] == 3
    fresh = client.get(f"/v1/roles/{rid}/ranking", headers=tenant.h()).json()
    assert (fresh["stale"], fresh["recomputed"]) == (False, 0)


def test_readyz_reports_queue_depth_and_workers(client, worker):
    import time

    time.sleep(0.2)
    body = client.get("/readyz").json()
    assert body["jobs"]["live_workers"] >= 1 and body["jobs"]["queued_jobs"] >= 0
