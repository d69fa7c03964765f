"""Webhooks: events POSTed to a real receiver on 127.0.0.1 (a thread of the test process), signed,
retried with backoff and logged; a dead URL ends failed; payloads carry ids, scores and statuses only."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import RESUME, SPEC


class Receiver:
    """An HTTP server on 127.0.0.1 answering POSTs with the scripted statuses (then 200), recording each."""

    def __init__(self, script: list[int] | None = None, location: str = "") -> None:
        self.script, self.location, self.seen = list(script or []), location, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server calls it by this name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.seen.append((dict(self.headers), body))
                status = owner.script.pop(0) if owner.script else 200
                self.send_response(status)
                if owner.location:
                    self.send_header("Location", owner.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks?src=skillmatch"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(script=None, location=""):
        made.append(Receiver(script, location))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture(scope="module", autouse=True)
def quick_retries(app, client):
    """3 attempts, 0.1 s then 0.2 s apart, 2 s timeouts (the worker reads them at each attempt)."""
    s = app.state.sm.settings
    saved = (s.webhook_max_attempts, s.webhook_retry_delay_seconds, s.webhook_timeout_seconds)
    s.webhook_max_attempts, s.webhook_retry_delay_seconds, s.webhook_timeout_seconds = 3, 0.1, 2.0
    yield
    s.webhook_max_attempts, s.webhook_retry_delay_seconds, s.webhook_timeout_seconds = saved


def _register(client, tenant, url, events, role="ats"):
    r = client.post("/v1/webhooks", json={"url": url, "events": events}, headers=tenant.h(role))
    assert r.status_code == 201, r.text
    return r.json()


def _log(client, tenant, hook, until=lambda items: True, timeout=30.0):
    """The delivery log, polled until ``until(items)`` holds (or the time runs out)."""
    end = time.monotonic() + timeout
    while True:
        items = client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"limit": 100}, headers=tenant.h("ats")).json()["items"]
        if until(items) or time.monotonic() > end:
            return items
        time.sleep(0.1)


def _settled(items):
    return bool(items) and all(d["status"] in ("delivered", "failed") for d in items)


def _verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["X-Skillmatch-Signature"].split(","))
    want = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300


def test_job_events_are_signed_and_delivered(client, tenant, receiver, worker):
    rx = receiver()
    hook = _register(client, tenant, rx.url, ["job.completed", "job.failed"])
    imp = client.post("/v1/imports", json={"resumes": [{"text": RESUME, "name": "Zelda Quux"}]}, headers=tenant.h("ats"))
    retrain = client.post("/v1/models/retrain/jobs", headers=tenant.h())  # fails: not enough decisions
    items = _log(client, tenant, hook, lambda i: len(i) == 2 and _settled(i))
    assert sorted((d["event"], d["status"], d["attempts"], d["last_status_code"]) for d in items) == [
        ("job.completed", "delivered", 1, 200), ("job.failed", "delivered", 1, 200)]
    assert len(rx.seen) == 2
    bodies = {}
    for headers, body in rx.seen:
        assert _verify(hook["secret"], headers, body)
        assert not _verify(hook["secret"].replace("whsec_", "whsec_x"), headers, body)
        msg = json.loads(body)
        assert headers["X-Skillmatch-Event-Id"] == msg["id"] and headers["X-Skillmatch-Event"] == msg["event"]
        bodies[msg["data"]["job_id"]] = msg
    assert bodies[imp.json()["id"]]["data"]["result"] == {"imported": 1}
    failed = bodies[retrain.json()["id"]]
    assert (failed["event"], failed["data"]["error_code"]) == ("job.failed", "not_enough_decisions")
    assert b"Zelda" not in b"".join(b for _, b in rx.seen)


def test_a_receiver_failing_twice_is_retried_until_it_answers(client, tenant, receiver, worker):
    rx = receiver([500, 503])
    hook = _register(client, tenant, rx.url, ["job.failed"])
    client.post("/v1/models/retrain/jobs", headers=tenant.h())
    (d,) = _log(client, tenant, hook, _settled)
    assert (d["status"], d["attempts"], d["last_status_code"], d["next_attempt_at"]) == ("delivered", 3, 200, None)
    assert [(a["status_code"], a["error"]) for a in d["attempt_log"]] == [(500, "HTTP 500"), (503, "HTTP 503"), (200, None)]
    assert len({h["X-Skillmatch-Event-Id"] for h, _ in rx.seen}) == 1 and len(rx.seen) == 3
    gaps = [b["at"] for b in d["attempt_log"]]
    assert gaps == sorted(gaps)


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize("script, location, error", [
    (None, "", "ConnectionRefusedError"),
    ([302, 302, 302], "http://elsewhere.invalid/", "redirect to http://elsewhere.invalid/ not followed"),
    ([500, 500, 500], "", "HTTP 500"),
], ids=["dead-url", "redirect-elsewhere", "always-500"])
def test_a_delivery_that_never_succeeds_ends_failed(client, tenant, receiver, worker, script, location, error):
    url = f"http://127.0.0.1:{_closed_port()}/hook" if script is None else receiver(script, location).url
    hook = _register(client, tenant, url, ["job.failed"], role="admin")
    client.post("/v1/models/retrain/jobs", headers=tenant.h())
    (d,) = _log(client, tenant, hook, _settled)
    assert (d["status"], d["attempts"], len(d["attempt_log"])) == ("failed", 3, 3)
    assert error in d["last_error"] and d["next_attempt_at"] is None
    assert client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "failed"},
                      headers=tenant.h("ats")).json()["total"] == 1


def test_candidate_scored_carries_ids_and_scores_and_goes_with_erasure(client, tenant, receiver, worker):
    rx = receiver()
    hook = _register(client, tenant, rx.url, ["candidate.scored"])
    cids = [client.post("/v1/candidates", json={"text": RESUME.replace("Jane Doe", f"Zelda Quux{i}")},
                        headers=tenant.h()).json()["id"] for i in range(2)]
    rid = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    ranking = client.get(f"/v1/roles/{rid}/ranking", headers=tenant.h()).json()
    items = _log(client, tenant, hook, lambda i: len(i) == 2 and _settled(i))
    got = {d["payload"]["candidate_id"]: d["payload"] for d in items}
    assert set(got) == set(cids) and all(d["status"] == "delivered" for d in items)
    for r in ranking["results"]:
        p = got[r["candidate"]["id"]]
        assert (p["role_id"], p["score"], p["all_required_met"]) == (rid, r["score"], r["all_required_met"])
    sent = b"".join(b for _, b in rx.seen)
    assert b"Zelda" not in sent and b"PyTorch" not in sent and b"Acme" not in sent
    assert client.get(f"/v1/roles/{rid}/ranking", headers=tenant.h()).json()["recomputed"] == 0
    assert len(_log(client, tenant, hook)) == 2  # scores served from the cache are not events again
    assert client.delete(f"/v1/candidates/{cids[0]}", headers=tenant.h()).status_code == 204
    assert [d["payload"]["candidate_id"] for d in _log(client, tenant, hook)] == [cids[1]]
    assert client.delete(f"/v1/roles/{rid}", headers=tenant.h()).status_code == 204
    assert _log(client, tenant, hook) == []


def test_webhooks_are_the_tenants_own(client, tenant, other_tenant):
    hook = _register(client, tenant, "https://ats.example.com/hook", ["candidate.scored"])
    listed = client.get("/v1/webhooks", headers=tenant.h("admin")).json()["items"]
    assert listed == [{k: hook[k] for k in ("id", "url", "events", "created_at")}]  # the secret is shown once
    assert client.get("/v1/webhooks", headers=other_tenant.h("ats")).json()["items"] == []
    for method, path in (("GET", f"/v1/webhooks/{hook['id']}/deliveries"), ("DELETE", f"/v1/webhooks/{hook['id']}")):
        assert client.request(method, path, headers=other_tenant.h("admin")).status_code == 404
        assert client.request(method, path, headers=tenant.h("recruiter")).status_code == 403
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=tenant.h("ats")).status_code == 204
    assert client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=tenant.h("ats")).status_code == 404


@pytest.mark.parametrize("body, fragment", [
    ({"url": "ftp://ats.example.com/hook", "events": ["job.completed"]}, "http:// or https://"),
    ({"url": "javascript:alert(1)", "events": ["job.completed"]}, "http:// or https://"),
    ({"url": "https://user:pw@ats.example.com/", "events": ["job.completed"]}, "credentials"),
    ({"url": "https:///nohost", "events": ["job.completed"]}, "no host"),
    ({"url": "https://ats.example.com/" + "a" * 2000, "events": ["job.completed"]}, "at most 2000"),
    ({"url": "https://ats.example.com/", "events": ["candidate.hired"]}, "candidate.scored"),
    ({"url": "https://ats.example.com/", "events": []}, "at least 1"),
], ids=["ftp", "javascript", "userinfo", "no-host", "too-long", "unknown-event", "no-events"])
def test_bad_webhooks_are_refused(client, tenant, body, fragment):
    r = client.post("/v1/webhooks", json=body, headers=tenant.h("ats"))
    assert r.status_code == 422 and fragment in r.text, r.text


def test_a_tenant_has_a_bounded_number_of_webhooks(client, app, tenant):
    most = app.state.sm.settings.webhooks_per_tenant
    for _ in range(most):
        _register(client, tenant, "https://ats.example.com/hook", ["job.completed"])
    r = client.post("/v1/webhooks", json={"url": "https://ats.example.com/hook", "events": ["job.completed"]},
                    headers=tenant.h("ats"))
    assert (r.status_code, r.json()["code"]) == (409, "too_many_webhooks")
