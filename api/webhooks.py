"""Webhooks: events POSTed to a tenant's receivers, signed, retried with backoff, logged.

**Emitting** adds one ``webhook_deliveries`` row per subscribed webhook to the caller's transaction (an
outbox: the event exists exactly when what it tells of was committed) and, once that commits, queues
the ``skillmatch.deliver_webhooks`` huey task. Events carry ids, scores and statuses only, never a
name or résumé text: ``job.completed`` / ``job.failed`` when a job finishes (``api/jobs.py``), and
``candidate.scored`` when a candidate's score for a role is computed and stored (the one place is
``usecases/ranking.refresh_scores``: a ranking read, a refresh job or an export scores new or stale
candidates there).

**Sending** happens in the job worker. Like a job, a delivery row is the truth: the sender claims it
with one conditional UPDATE (pending and due, or "sending" on a claim that ran out), POSTs it with
short timeouts and without following redirects, appends the attempt to ``webhook_attempts`` and
sets the state: a 2xx is ``delivered``; anything else is tried again after
``webhook_retry_delay_seconds`` x 2^n until ``webhook_max_attempts``, then ``failed``. Retries are
huey scheduled tasks; each worker's reaper also queues a drain when deliveries are due, so a lost
task only delays them.

Receivers check ``X-Skillmatch-Signature: t=<unix>,v1=<hex>``, the HMAC-SHA256 of ``f"{t}.{body}"``
under the webhook's secret (and refuse an old ``t``), and drop repeats by ``X-Skillmatch-Event-Id``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import ssl
import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.orm import Session

from .store.models import Webhook, WebhookAttempt, WebhookDelivery, utc_iso, utcnow

log = logging.getLogger("api.webhooks")

EVENTS = ("job.completed", "job.failed", "candidate.scored")
TASK_NAME = "skillmatch.deliver_webhooks"
SIGNATURE_HEADER = "X-Skillmatch-Signature"
EVENT_ID_HEADER = "X-Skillmatch-Event-Id"
EVENT_HEADER = "X-Skillmatch-Event"
MAX_BACKOFF_SECONDS = 3600.0
_NEXT_DRAIN = "webhooks:next-drain"  # huey_kv: when a drain is already scheduled


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def new_secret() -> str:
    import secrets

    return "whsec_" + secrets.token_hex(32)


# ------------------------------------------------------------------ emitting (in the caller's transaction)

def subscribed(db: Session, tenant_id: str, event_name: str) -> list[Webhook]:
    hooks = db.scalars(select(Webhook).where(Webhook.tenant_id == tenant_id)).all()
    return [h for h in hooks if event_name in h.events]


def emit(state, db: Session, tenant_id: str, event_name: str, items: list[dict[str, Any]]) -> int:
    """One event per item (its payload; ``candidate_id`` / ``role_id`` in it tie the delivery to them) for
    every webhook of the tenant that takes ``event_name``. Not committed; a drain is queued after the commit."""
    hooks = subscribed(db, tenant_id, event_name) if items else []
    now = utcnow()
    for payload in items if hooks else ():
        event_id = str(uuid.uuid4())
        for hook in hooks:
            db.add(WebhookDelivery(id=str(uuid.uuid4()), tenant_id=tenant_id, webhook_id=hook.id, event_id=event_id,
                                   event=event_name, payload=payload, candidate_id=payload.get("candidate_id"),
                                   role_id=payload.get("role_id"), status="pending", attempts=0,
                                   next_attempt_at=now, created_at=now, updated_at=now))
    if hooks and items and not db.info.get("webhooks_kick"):
        db.info["webhooks_kick"] = True
        event.listen(db, "after_commit", lambda s: _kick_after_commit(state, s), once=True)
    return len(hooks) * len(items)


def _kick_after_commit(state, db: Session) -> None:
    db.info.pop("webhooks_kick", None)
    try:
        state.queue().deliver()
    except Exception:  # noqa: BLE001 - the reaper queues due deliveries anyway
        log.warning("webhook drain not queued", exc_info=True)


def job_payload(job) -> dict[str, Any]:
    """``job.completed`` / ``job.failed``: the job's id, kind, status, error code and its numeric results."""
    counts = {k: v for k, v in (job.result or {}).items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return {"job_id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress, "total": job.total,
            "error_code": (job.error or {}).get("code"), "result": counts, "finished_at": utc_iso(job.finished_at),
            "href": f"/v1/jobs/{job.id}"}


# ------------------------------------------------------------------ sending (in the job worker)

def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str | None]:
    """POST ``body``; (HTTP status, None) or (None, error). Redirects are never followed."""
    u = urlsplit(url)
    if u.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            u.hostname, u.port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request("POST", (u.path or "/") + (f"?{u.query}" if u.query else ""), body=body, headers=headers)
        resp = conn.getresponse()
        resp.read(4096)
        if 300 <= resp.status < 400:
            return resp.status, f"redirect to {resp.getheader('Location', '?')[:200]} not followed"
        return resp.status, None
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        conn.close()


def envelope(d: WebhookDelivery) -> bytes:
    return json.dumps({"id": d.event_id, "event": d.event, "created_at": utc_iso(d.created_at), "data": d.payload},
                      separators=(",", ":"), sort_keys=True).encode()


def _claim_lease(settings) -> timedelta:
    return timedelta(seconds=2 * settings.webhook_timeout_seconds + 10)


def _due(settings, now: datetime):
    return or_(and_(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now),
               and_(WebhookDelivery.status == "sending", WebhookDelivery.claimed_at < now - _claim_lease(settings)))


def attempt(state, delivery_id: str) -> None:
    """One attempt at one delivery, if this worker wins its claim."""
    settings = state.settings
    with state.sessions() as db:
        now = utcnow()
        won = db.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, _due(settings, now))
                         .values(status="sending", claimed_at=now, attempts=WebhookDelivery.attempts + 1, updated_at=now))
        db.commit()
        if won.rowcount != 1:
            return
        d = db.get(WebhookDelivery, delivery_id)
        hook = db.get(Webhook, d.webhook_id)
        body = envelope(d)
        db.commit()  # no transaction (nor, with PostgreSQL, a connection) held while the receiver answers
        stamp = int(time.time())
        started = time.monotonic()
        code, error = post(hook.url, body, {"Content-Type": "application/json", "User-Agent": "skillmatch-webhooks/1",
                                            SIGNATURE_HEADER: sign(hook.secret, stamp, body),
                                            EVENT_ID_HEADER: d.event_id, EVENT_HEADER: d.event},
                           settings.webhook_timeout_seconds)
        if error is None and code is not None and not 200 <= code < 300:
            error = f"HTTP {code}"
        db.add(WebhookAttempt(delivery_id=d.id, at=utcnow(), status_code=code, error=error,
                              duration_ms=int((time.monotonic() - started) * 1000)))
        _settle(d, code, error, settings)
        db.commit()


def _settle(d: WebhookDelivery, code: int | None, error: str | None, settings) -> None:
    d.last_status_code, d.last_error, d.updated_at, d.claimed_at = code, error, utcnow(), None
    if error is None:
        d.status, d.next_attempt_at = "delivered", None
    elif d.attempts >= settings.webhook_max_attempts:
        d.status, d.next_attempt_at = "failed", None
    else:
        delay = min(settings.webhook_retry_delay_seconds * 2 ** (d.attempts - 1), MAX_BACKOFF_SECONDS)
        d.status, d.next_attempt_at = "pending", utcnow() + timedelta(seconds=delay)


def drain(state, batch: int = 50) -> int:
    """Send every due delivery (the huey task's body); schedule the next drain for retries. Returns attempts made."""
    sent = 0
    for _ in range(1000):  # bounded: each attempt moves its row out of "due"
        with state.sessions() as db:
            ids = list(db.scalars(select(WebhookDelivery.id).where(_due(state.settings, utcnow()))
                                  .order_by(WebhookDelivery.next_attempt_at).limit(batch)))
        if not ids:
            break
        for delivery_id in ids:
            try:
                attempt(state, delivery_id)
            except Exception:  # noqa: BLE001 - one bad row must not stop the others; its claim runs out
                log.exception("webhook delivery %s", delivery_id)
            sent += 1
    _schedule_next(state)
    return sent


def _schedule_next(state) -> None:
    with state.sessions() as db:
        nxt = db.scalar(select(func.min(WebhookDelivery.next_attempt_at)).where(WebhookDelivery.status == "pending"))
    if nxt is None:
        return
    at = (nxt if nxt.tzinfo else nxt.replace(tzinfo=utcnow().tzinfo)).timestamp()
    queue = state.queue()
    planned = queue.huey.storage.peek_data(_NEXT_DRAIN)
    if isinstance(planned, bytes | memoryview) and time.time() < float(bytes(planned)) <= at:
        return  # a drain already runs before then
    queue.huey.storage.put_data(_NEXT_DRAIN, str(at).encode())
    queue.deliver.schedule(delay=max(0.0, at - time.time()))


def queue_if_due(state) -> bool:
    """The reaper's safety net: queue a drain when deliveries are due (their task was lost)."""
    with state.sessions() as db:
        due = db.scalar(select(WebhookDelivery.id).where(_due(state.settings, utcnow())).limit(1))
    if due is not None:
        state.queue().deliver()
    return due is not None
