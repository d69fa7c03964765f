"""Webhooks of a tenant: register (the signing secret is shown once), list, delete, and the delivery
log. Sending is ``api/webhooks.py``."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ApiError, NotFound
from ..store.models import Webhook, WebhookAttempt, WebhookDelivery, utc_iso, utcnow
from ..webhooks import EVENTS, new_secret

MAX_URL = 2000


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, no credentials and no fragment (else a ValueError saying why)."""
    try:
        u = urlsplit(url.strip())
        u.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ValueError(f"not a URL: {exc}") from None
    if u.scheme not in ("http", "https"):
        raise ValueError("the URL must be http:// or https:// (use https in production)")
    if not u.hostname:
        raise ValueError("the URL has no host")
    if u.username is not None or u.password is not None:
        raise ValueError("credentials in the URL are not accepted: authenticate the receiver by the signature")
    if u.fragment:
        raise ValueError("the URL must not have a #fragment")
    return u.geturl()


def webhook_view(h: Webhook) -> dict[str, Any]:
    """``WebhookOut``."""
    return {"id": h.id, "url": h.url, "events": list(h.events), "created_at": utc_iso(h.created_at)}


def create_webhook(db: Session, tenant_id: str, url: str, events: list[str], actor: str, most: int) -> dict[str, Any]:
    """A new webhook, committed; its view with the signing ``secret`` (shown this once)."""
    count = db.scalar(select(func.count()).select_from(Webhook).where(Webhook.tenant_id == tenant_id)) or 0
    if count >= most:
        raise ApiError(409, "too_many_webhooks", f"a tenant may register at most {most} webhooks: delete one first")
    hook = Webhook(id=str(uuid.uuid4()), tenant_id=tenant_id, url=url, events=sorted(set(events), key=EVENTS.index),
                   secret=new_secret(), created_by=actor, created_at=utcnow())
    db.add(hook)
    db.commit()
    return {**webhook_view(hook), "secret": hook.secret}


def webhook_or_404(db: Session, tenant_id: str, webhook_id: str) -> Webhook:
    hook = db.scalar(select(Webhook).where(Webhook.id == webhook_id, Webhook.tenant_id == tenant_id))
    if hook is None:
        raise NotFound("webhook")
    return hook


def list_webhooks(db: Session, tenant_id: str) -> list[dict[str, Any]]:
    rows = db.scalars(select(Webhook).where(Webhook.tenant_id == tenant_id).order_by(Webhook.created_at, Webhook.id))
    return [webhook_view(h) for h in rows]


def delete_webhook(db: Session, hook: Webhook) -> None:
    """The webhook and its delivery log (pending deliveries are never sent)."""
    db.delete(hook)
    db.commit()


def deliveries(db: Session, hook: Webhook, status: str | None, limit: int, offset: int) -> dict[str, Any]:
    """``DeliveryList``: newest first, each with its attempts."""
    where = [WebhookDelivery.webhook_id == hook.id, *([WebhookDelivery.status == status] if status else [])]
    total = db.scalar(select(func.count()).select_from(WebhookDelivery).where(*where)) or 0
    rows = list(db.scalars(select(WebhookDelivery).where(*where)
                           .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(limit).offset(offset)))
    tries: dict[str, list[dict[str, Any]]] = {d.id: [] for d in rows}
    for a in db.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(list(tries)))
                        .order_by(WebhookAttempt.id)):
        tries[a.delivery_id].append({"at": utc_iso(a.at), "status_code": a.status_code, "error": a.error,
                                     "duration_ms": a.duration_ms})
    items = [{"id": d.id, "event_id": d.event_id, "event": d.event, "status": d.status, "attempts": d.attempts,
              "last_status_code": d.last_status_code, "last_error": d.last_error,
              "next_attempt_at": utc_iso(d.next_attempt_at), "created_at": utc_iso(d.created_at),
              "updated_at": utc_iso(d.updated_at), "payload": d.payload, "attempt_log": tries[d.id]} for d in rows]
    return {"webhook_id": hook.id, "total": total, "limit": limit, "offset": offset, "items": items}
