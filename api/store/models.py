"""Tables. Every tenant-owned row carries ``tenant_id``; queries always filter on it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc_iso(ts: datetime | None) -> str | None:
    """A stored time as ISO 8601 with its UTC offset (SQLite hands times back without a zone)."""
    if ts is None:
        return None
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).isoformat()


class Base(DeclarativeBase):
    pass


# Columns many tables declare alike (SQLAlchemy maps ``Mapped[TenantId]`` to the whole column).
#: The owning tenant; erasing a tenant erases the row.
TenantId = Annotated[str, mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)]
#: A UTC time, by default the moment the row is written.
Stamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[Stamp]


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the public prefix id
    tenant_id: Mapped[TenantId]
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64))
    candidate_id: Mapped[str | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at: Mapped[Stamp]
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Candidate(Base):
    __tablename__ = "candidates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(300), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: The uploaded file, up to max_file_bytes: loaded only when read (re-parsing), never with a ranking page.
    document: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    text: Mapped[str] = mapped_column(Text, default="")
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    taxonomy_version: Mapped[str] = mapped_column(String(64))
    #: "parsed" (has a résumé), or "invited" (a candidate invited to a role who has not uploaded yet;
    #: never ranked or scored).
    status: Mapped[str] = mapped_column(String(16), default="parsed", server_default="parsed")
    created_at: Mapped[Stamp]


class Role(Base):
    __tablename__ = "roles"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    title: Mapped[str] = mapped_column(String(300))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    source_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[Stamp]
    updated_at: Mapped[Stamp]


class Score(Base):
    """A cached vectorized score; stale when any of the three versions differs from now."""

    __tablename__ = "scores"
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True, index=True)
    tenant_id: Mapped[TenantId]
    score: Mapped[float] = mapped_column(Float)
    all_required_met: Mapped[bool] = mapped_column(Boolean)
    scoring_version: Mapped[str] = mapped_column(String(32))
    taxonomy_version: Mapped[str] = mapped_column(String(64))
    role_revision: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[Stamp]


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_idempotency_tenant_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JSON)
    resource_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resource_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    created_at: Mapped[Stamp]


class Correction(Base):
    """A candidate's own correction of their parsed profile, kept apart from what was parsed:
    ``action`` "remove" (a wrongly found skill) or "add" (a missed one). One row per skill."""

    __tablename__ = "profile_corrections"
    __table_args__ = (UniqueConstraint("candidate_id", "skill_id", name="uq_correction_candidate_skill"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[TenantId]
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(8))
    years: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[Stamp]


class Invitation(Base):
    """A candidate invited to see their gap report against a role."""

    __tablename__ = "invitations"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True)
    tenant_id: Mapped[TenantId]
    created_at: Mapped[Stamp]


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its sha256 is stored here."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[Stamp]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RateLimitCounter(Base):
    """A fixed-window request counter (``api/ratelimit.py``), written by one atomic upsert per hit."""

    __tablename__ = "rate_limits"
    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class Decision(Base):
    """A recruiter's decision on a candidate for a role, and what it was made on: the score, the
    scoring, taxonomy and model versions, the role revision and the full fit report. Append-only:
    undoing one sets ``undone_at`` / ``undone_by``; nothing else is ever updated."""

    __tablename__ = "decisions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    score: Mapped[float] = mapped_column(Float)
    scoring_version: Mapped[str] = mapped_column(String(32))
    taxonomy_version: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    role_revision: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    #: sha256 of what the score was computed from (the stored profile, the candidate's corrections,
    #: the role spec and revision): with the versions, the score can be reproduced.
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    #: The decision goes against the automated assessment (advance/hire without every required group
    #: met, or reject with every one met): a human override, made with a reason code.
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[Stamp]
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    undone_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LearnedModel(Base):
    """A tenant's learned ranking model (``matcher`` learning, stored as its JSON form, no pickle);
    the newest row is the one in use."""

    __tablename__ = "learned_models"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    model_version: Mapped[str] = mapped_column(String(64))
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    n_decisions: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[Stamp]


# ------------------------------------------------------------------ fairness operations (api/usecases/audit.py)
# Read only by the audit use cases: scoring, ranking, reports, learning and the recruiter pages never
# import these (tests/api/test_audit.py walks the imports).


class SelfIdentification(Base):
    """A candidate's voluntary self-identification (EEO-1 / NYC LL144 categories), kept apart from
    their profile; given or withdrawn by the candidate, erased with them."""

    __tablename__ = "self_identifications"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[TenantId]
    sex: Mapped[str] = mapped_column(String(32))
    race_ethnicity: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[Stamp]


class AnonymousApplicant(Base):
    """What an erased candidate leaves to the bias audit: per role they were scored for, their score,
    whether they were selected and their self-identified categories; no link to the person."""

    __tablename__ = "anonymous_applicants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[TenantId]
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[float] = mapped_column(Float)
    selected: Mapped[bool] = mapped_column(Boolean)
    sex: Mapped[str] = mapped_column(String(32))
    race_ethnicity: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """The append-only log of what the tool showed and what people asked: scores shown on a ranking
    or report (with their inputs hashes and versions) and candidates' requests for human review.
    Decisions have their own table. Kept ``audit_retention_days``, then purged."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[TenantId]
    kind: Mapped[str] = mapped_column(String(32))
    role_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    candidate_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Stamp]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Job(Base):
    """Background work (``api/jobs.py``): what was asked, how far it got, and what came of it. The
    queue (huey) only carries job ids; this row is the truth a worker claims and a client reads."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued, running, succeeded, failed
    #: one live job per key (same tenant): asking again while it is queued or running returns it
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # an upload; dropped when done
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    artifact: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # an export's CSV
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[Stamp]
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: a running job's lease: renewed as it progresses; past the lease another worker takes it over
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


# huey's own tables (SqlHuey, api/jobs.py): declared here so the migrations make them, with a prefix.
class HueyTask(Base):
    __tablename__ = "huey_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    queue: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    priority: Mapped[float] = mapped_column(Float, default=0.0)


class HueySchedule(Base):
    __tablename__ = "huey_schedule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    queue: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    timestamp: Mapped[int] = mapped_column(BigInteger, index=True)


class HueyKV(Base):
    __tablename__ = "huey_kv"
    queue: Mapped[str] = mapped_column(String(255), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


class HueyCounter(Base):
    __tablename__ = "huey_counter"
    queue: Mapped[str] = mapped_column(String(255), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


# ------------------------------------------------------------------ webhooks (api/webhooks.py)


class Webhook(Base):
    """A tenant's receiver: events of the listed kinds are POSTed to ``url``, signed with ``secret``
    (HMAC-SHA256; the secret is needed to sign, so it is stored as is and shown once, at creation)."""

    __tablename__ = "webhooks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Stamp]


class WebhookDelivery(Base):
    """One event for one webhook: what is sent (ids, scores and statuses only) and where its delivery
    stands (pending, sending, delivered, failed). ``candidate_id`` / ``role_id`` tie a delivery to what
    it is about, so erasing the candidate or deleting the role deletes it too."""

    __tablename__ = "webhook_deliveries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))  # one per event, shared by its deliveries to each webhook
    event: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    candidate_id: Mapped[str | None] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), nullable=True,
                                                     index=True)
    role_id: Mapped[str | None] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    #: while "sending": when the sender took it (past the lease another worker may take it over)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[Stamp]
    updated_at: Mapped[Stamp]


class WebhookAttempt(Base):
    """The append-only log of a delivery's attempts: when, the receiver's HTTP status or the error, how long."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    at: Mapped[Stamp]
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer)


# ------------------------------------------------------------------ a tenant's own taxonomy (api/store/taxonomy.py)


class TaxonomyAddition(Base):
    """One of a tenant's own additions to the taxonomy: a new skill (``kind`` "skill": ``skill_id`` its
    derived id, ``name`` its name, ``category``) or an alias (``kind`` "alias": ``name`` the alias,
    ``skill_id`` the skill it names, bundled or the tenant's). The tenant's taxonomy version is derived
    from them (``matcher.TaxonomyAdditions.version_on``)."""

    __tablename__ = "taxonomy_additions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[TenantId]
    kind: Mapped[str] = mapped_column(String(8))
    skill_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Stamp]
