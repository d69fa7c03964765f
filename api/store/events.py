"""The audit event log: scores shown to people and requests for human review. Append-only;
purged after ``audit_retention_days``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, delete, select
from sqlalchemy.orm import Session

from .models import AuditEvent
from .queries import now


def add_event(db: Session, tenant_id: str, kind: str, actor: str, payload: dict[str, Any], *,
              role_id: str | None = None, candidate_id: str | None = None) -> AuditEvent:
    ev = AuditEvent(tenant_id=tenant_id, kind=kind, actor=actor, payload=payload, role_id=role_id,
                    candidate_id=candidate_id, at=now())
    db.add(ev)
    db.flush()
    return ev


def list_events(db: Session, tenant_id: str, start: datetime | None, end: datetime | None, kind: str | None,
                limit: int, offset: int) -> Sequence[AuditEvent]:
    q = select(AuditEvent).where(AuditEvent.tenant_id == tenant_id)
    if start is not None:
        q = q.where(AuditEvent.at >= start)
    if end is not None:
        q = q.where(AuditEvent.at < end)
    if kind is not None:
        q = q.where(AuditEvent.kind == kind)
    return db.scalars(q.order_by(AuditEvent.at, AuditEvent.id).limit(limit).offset(offset)).all()


def purge_events(db: Session, retention_days: int) -> int:
    """Delete audit events older than the retention (decisions are kept with their candidate)."""
    cutoff = now() - timedelta(days=retention_days)
    return db.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount or 0


def forget_candidate(db: Session, tenant_id: str, candidate_id: str) -> None:
    """Erasure: a candidate's own events go; in events that listed them among others (scores shown
    on a ranking) their id is blanked, so the log keeps the counts and scores but not the person."""
    db.execute(delete(AuditEvent).where(AuditEvent.tenant_id == tenant_id, AuditEvent.candidate_id == candidate_id))
    mentioning = db.scalars(select(AuditEvent).where(AuditEvent.tenant_id == tenant_id,
                                                     cast(AuditEvent.payload, String).contains(candidate_id))).all()
    for ev in mentioning:
        items = [dict(i, candidate_id=None, inputs_hash=None) if i.get("candidate_id") == candidate_id else i
                 for i in ev.payload.get("items", [])]
        ev.payload = {**ev.payload, "items": items}
    db.flush()
