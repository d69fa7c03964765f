"""Webhooks for ATSs: register a receiver for events, list and delete them, read the delivery log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from ..deps import DB, CurrentKey, Limit, Offset, SettingsDep, allow
from ..errors import COMMON_RESPONSES
from ..schemas import DeliveryList, NewWebhook, WebhookList, typed
from ..usecases import webhooks as uc
from ..webhooks import EVENTS

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=COMMON_RESPONSES)

WHO = ("admin", "ats")
Event = Literal["job.completed", "job.failed", "candidate.scored"]
assert set(Event.__args__) == set(EVENTS)  # one list of events


class WebhookIn(BaseModel):
    url: str = Field(max_length=uc.MAX_URL, description="http:// or https:// (use https in production: the "
                     "payload is signed, not encrypted).", examples=["https://ats.example.com/hooks/skillmatch"])
    events: list[Event] = Field(min_length=1, max_length=len(EVENTS))

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return uc.check_url(v)


@router.post("", status_code=201, summary="Register a webhook (its signing secret is returned once)",
             description="Events are POSTed as JSON `{id, event, created_at, data}` with `X-Skillmatch-Signature: "
             "t=<unix>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>` and `X-Skillmatch-Event-Id` (drop repeats by "
             "it); a 2xx answer marks the delivery delivered, anything else is retried with backoff. Redirects are "
             "not followed. Payloads hold ids, scores and statuses only.",
             **allow(*WHO), **typed(NewWebhook))
def create_webhook(body: WebhookIn, db: DB, key: CurrentKey, settings: SettingsDep) -> dict[str, Any]:
    return uc.create_webhook(db, key.tenant_id, body.url, list(body.events), key.id, settings.webhooks_per_tenant)


@router.get("", summary="List webhooks", **allow(*WHO), **typed(WebhookList))
def list_webhooks(db: DB, key: CurrentKey) -> dict[str, Any]:
    return {"items": uc.list_webhooks(db, key.tenant_id)}


@router.delete("/{webhook_id}", status_code=204, summary="Delete a webhook and its delivery log", **allow(*WHO))
def delete_webhook(webhook_id: str, db: DB, key: CurrentKey) -> Response:
    uc.delete_webhook(db, uc.webhook_or_404(db, key.tenant_id, webhook_id))
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", summary="A webhook's delivery log",
            description="Newest first: each event sent or to send, its state (pending, sending, delivered, "
            "failed), attempts, the receiver's last HTTP status or error, the next attempt, and every attempt.",
            **allow(*WHO), **typed(DeliveryList))
def list_deliveries(webhook_id: str, db: DB, key: CurrentKey, limit: Limit = 20, offset: Offset = 0,
                    status: Annotated[Literal["pending", "sending", "delivered", "failed"] | None, Query()] = None,
                    ) -> dict[str, Any]:
    return uc.deliveries(db, uc.webhook_or_404(db, key.tenant_id, webhook_id), status, limit, offset)
