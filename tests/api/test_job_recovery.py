"""A job survives its worker's kill -9: another worker takes it over once its lease runs out, goes
on from its last committed progress, and no résumé is imported twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from .conftest import REPO, RESUME


def _worker(db_url: str, log) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "SKILLMATCH_JOB_LEASE_SECONDS": "2", "SKILLMATCH_PARSE_WORKERS": "1",
           "SKILLMATCH_PARSE_FAST_WORKERS": "1"}
    return subprocess.Popen([sys.executable, "-m", "api", "worker", "--threads", "1"], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _job(client, tenant, job_id):
    return client.get(f"/v1/jobs/{job_id}", headers=tenant.h("ats")).json()


def test_import_survives_worker_kill_9(client, tenant, db_url, tmp_path):
    n = 400
    items = [{"id": f"e{i}", "name": f"P{i}", "text": RESUME} for i in range(n)]
    job_id = client.post("/v1/imports", json={"resumes": items}, headers=tenant.h("ats")).json()["id"]
    with open(tmp_path / "worker.log", "wb") as log:
        first = _worker(db_url, log)
        try:
            end = time.monotonic() + 180
            while (job := _job(client, tenant, job_id))["progress"] == 0 and time.monotonic() < end:
                time.sleep(0.05)
            assert job["status"] == "running" and 0 < job["progress"] < n, job
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
            killed_at = _job(client, tenant, job_id)["progress"]
            second = _worker(db_url, log)
            try:
                while (job := _job(client, tenant, job_id))["status"] not in ("succeeded", "failed") and time.monotonic() < end:
                    time.sleep(0.1)
            finally:
                os.killpg(second.pid, signal.SIGTERM)
                second.wait(30)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
    assert job["status"] == "succeeded", (job, (tmp_path / "worker.log").read_text()[-2000:])
    assert job["attempts"] == 2 and killed_at < n
    assert job["result"]["imported"] == n
    listed = client.get("/v1/candidates", params={"limit": 1}, headers=tenant.h()).json()["total"]
    assert listed == n  # none twice, none lost
