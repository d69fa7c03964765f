"""Every database read and write of the API. Tenant-owned rows are always filtered by tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..auth import keys_changed, new_token
from .models import (
    ApiKey,
    Base,
    Candidate,
    Correction,
    Decision,
    IdempotencyRecord,
    LearnedModel,
    Invitation,
    Role,
    Score,
    Tenant,
    WebSession,
)


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def ping(db: Session) -> None:
    db.execute(text("SELECT 1"))


_Row = TypeVar("_Row", bound=Base)


def _inserted(db: Session, row: _Row) -> _Row:
    """``row`` added and flushed: written within the transaction, so a conflict shows here."""
    db.add(row)
    db.flush()
    return row


#: A tenant-owned table with a string ``id`` and a ``created_at``.
_Owned = TypeVar("_Owned", ApiKey, Candidate, Role)


def _get_owned(db: Session, model: type[_Owned], tenant_id: str, row_id: str) -> _Owned | None:
    """The tenant's row with this id (None when there is none, or it is another tenant's)."""
    return db.scalar(select(model).where(model.tenant_id == tenant_id, model.id == row_id))


def _page_owned(db: Session, model: type[_Owned], tenant_id: str, limit: int,
                offset: int) -> tuple[int, Sequence[_Owned]]:
    """(how many the tenant has, one page of them oldest first; ties by id, so pages never overlap)."""
    mine = model.tenant_id == tenant_id
    total = db.scalar(select(func.count()).select_from(model).where(mine)) or 0
    rows = db.scalars(select(model).where(mine).order_by(model.created_at, model.id).limit(limit).offset(offset)).all()
    return total, rows


# ------------------------------------------------------------------ tenants and keys

def create_tenant(db: Session, name: str) -> Tenant:
    return _inserted(db, Tenant(id=new_id(), name=name, created_at=now()))


def get_tenant_by_name(db: Session, name: str) -> Tenant | None:
    return db.scalar(select(Tenant).where(Tenant.name == name))


def get_tenant(db: Session, tenant_id: str) -> Tenant | None:
    return db.get(Tenant, tenant_id)


def find_tenant(db: Session, name_or_id: str) -> Tenant | None:
    """A tenant by its name, else by its id (what a --tenant option names)."""
    return get_tenant_by_name(db, name_or_id) or get_tenant(db, name_or_id)


def list_tenants(db: Session) -> Sequence[Tenant]:
    return db.scalars(select(Tenant).order_by(Tenant.created_at)).all()


def create_key(db: Session, tenant_id: str, role: str, name: str = "", candidate_id: str | None = None) -> tuple[ApiKey, str]:
    key_id, token, digest = new_token()
    key = _inserted(db, ApiKey(id=key_id, tenant_id=tenant_id, role=role, name=name, key_hash=digest,
                               candidate_id=candidate_id, created_at=now()))
    return key, token


def get_key(db: Session, key_id: str) -> ApiKey | None:
    return db.get(ApiKey, key_id)


def list_keys(db: Session, tenant_id: str) -> Sequence[ApiKey]:
    return db.scalars(select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.created_at, ApiKey.id)).all()


def get_tenant_key(db: Session, tenant_id: str, key_id: str) -> ApiKey | None:
    return _get_owned(db, ApiKey, tenant_id, key_id)


def revoke_key(db: Session, key: ApiKey) -> None:
    key.revoked_at = now()
    db.flush()
    keys_changed(db)


# ------------------------------------------------------------------ candidates

def add_candidate(db: Session, tenant_id: str, *, profile: dict[str, Any], text: str, taxonomy_version: str,
                  document: bytes | None, filename: str | None, content_type: str | None,
                  name: str | None = None, external_id: str | None = None) -> Candidate:
    return _inserted(db, Candidate(id=new_id(), tenant_id=tenant_id, profile=profile, text=text,
                                   taxonomy_version=taxonomy_version, document=document, filename=filename,
                                   content_type=content_type, name=name, external_id=external_id, created_at=now()))


def get_candidate(db: Session, tenant_id: str, candidate_id: str) -> Candidate | None:
    return _get_owned(db, Candidate, tenant_id, candidate_id)


def list_candidates(db: Session, tenant_id: str, limit: int, offset: int) -> tuple[int, Sequence[Candidate]]:
    return _page_owned(db, Candidate, tenant_id, limit, offset)


def candidates_by_ids(db: Session, tenant_id: str, ids: Sequence[str]) -> dict[str, Candidate]:
    if not ids:
        return {}
    rows = db.scalars(select(Candidate).where(Candidate.tenant_id == tenant_id, Candidate.id.in_(list(ids)))).all()
    return {c.id: c for c in rows}


def replace_profile(db: Session, cand: Candidate, profile: dict[str, Any], text: str, taxonomy_version: str) -> None:
    cand.profile = profile
    cand.text = text
    cand.taxonomy_version = taxonomy_version
    db.flush()


def replace_document(db: Session, cand: Candidate, *, profile: dict[str, Any], text: str, taxonomy_version: str,
                     document: bytes | None, filename: str | None, content_type: str | None) -> None:
    """A new résumé for an existing candidate (the candidate's own upload): profile, text and
    document replaced, cached scores dropped. Corrections are kept."""
    cand.profile, cand.text, cand.taxonomy_version = profile, text, taxonomy_version
    cand.document, cand.filename, cand.content_type = document, filename, content_type
    cand.status = "parsed"
    drop_scores(db, cand.id)
    db.flush()


def drop_scores(db: Session, candidate_id: str) -> None:
    """Forget a candidate's cached scores (their profile or corrections changed)."""
    db.execute(delete(Score).where(Score.candidate_id == candidate_id))


def erase_candidate(db: Session, cand: Candidate) -> None:
    """Erasure: the document, profile, cached text, scores, the candidate's keys and any stored
    idempotent responses that carried them."""
    db.execute(delete(Score).where(Score.candidate_id == cand.id))
    db.execute(delete(Correction).where(Correction.candidate_id == cand.id))
    db.execute(delete(Decision).where(Decision.candidate_id == cand.id))
    db.execute(delete(Invitation).where(Invitation.candidate_id == cand.id))
    db.execute(delete(WebSession).where(WebSession.key_id.in_(select(ApiKey.id).where(ApiKey.candidate_id == cand.id))))
    db.execute(delete(ApiKey).where(ApiKey.candidate_id == cand.id))
    keys_changed(db)
    db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.resource_id == cand.id))
    db.execute(delete(Candidate).where(Candidate.id == cand.id))
    db.flush()


# ------------------------------------------------------------------ roles

def add_role(db: Session, tenant_id: str, *, title: str, spec: dict[str, Any], source_text: str | None,
             warnings: list[str]) -> Role:
    return _inserted(db, Role(id=new_id(), tenant_id=tenant_id, title=title, spec=spec, revision=1,
                              source_text=source_text, warnings=warnings, created_at=now(), updated_at=now()))


def get_role(db: Session, tenant_id: str, role_id: str) -> Role | None:
    return _get_owned(db, Role, tenant_id, role_id)


def list_roles(db: Session, tenant_id: str, limit: int, offset: int) -> tuple[int, Sequence[Role]]:
    return _page_owned(db, Role, tenant_id, limit, offset)


def all_roles(db: Session, tenant_id: str) -> Sequence[Role]:
    return db.scalars(select(Role).where(Role.tenant_id == tenant_id).order_by(Role.created_at, Role.id)).all()


def update_role(db: Session, role: Role, *, title: str, spec: dict[str, Any], warnings: list[str]) -> Role:
    role.title = title
    role.spec = spec
    role.warnings = warnings
    role.source_text = None
    role.revision = role.revision + 1
    role.updated_at = now()
    db.flush()
    return role


def delete_role(db: Session, role: Role) -> None:
    db.execute(delete(Score).where(Score.role_id == role.id))
    db.execute(delete(Decision).where(Decision.role_id == role.id))
    db.execute(delete(Invitation).where(Invitation.role_id == role.id))
    db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.resource_id == role.id))
    db.execute(delete(Role).where(Role.id == role.id))
    db.flush()


# ------------------------------------------------------------------ scores

def _stale(tenant_id: str, role: Role, scoring_version: str, taxonomy_version: str):
    current = (
        select(Score.candidate_id)
        .where(Score.role_id == role.id, Score.scoring_version == scoring_version,
               Score.taxonomy_version == taxonomy_version, Score.role_revision == role.revision)
    )
    return (Candidate.tenant_id == tenant_id, Candidate.status == "parsed",
            or_(Candidate.id.not_in(current), Candidate.taxonomy_version != taxonomy_version))


def stale_candidates(db: Session, tenant_id: str, role: Role, scoring_version: str, taxonomy_version: str) -> list[Candidate]:
    """Candidates of the tenant without a current score for ``role``, or whose profile was parsed
    under another taxonomy."""
    return list(db.scalars(select(Candidate).where(*_stale(tenant_id, role, scoring_version, taxonomy_version))
                           .order_by(Candidate.created_at, Candidate.id)).all())


def count_stale(db: Session, tenant_id: str, role: Role, scoring_version: str, taxonomy_version: str) -> int:
    """How many :func:`stale_candidates` there are, without loading them."""
    return db.scalar(select(func.count()).select_from(Candidate)
                     .where(*_stale(tenant_id, role, scoring_version, taxonomy_version))) or 0


def last_scored(db: Session, role_id: str):
    """When the role's stored scores were last computed (None without any)."""
    return db.scalar(select(func.max(Score.computed_at)).where(Score.role_id == role_id))


def upsert_scores(db: Session, tenant_id: str, role: Role, rows: Sequence[tuple[str, float, bool]],
                  scoring_version: str, taxonomy_version: str) -> None:
    if not rows:
        return
    ids = [r[0] for r in rows]
    for i in range(0, len(ids), 500):
        db.execute(delete(Score).where(Score.role_id == role.id, Score.candidate_id.in_(ids[i:i + 500])))
    stamp = now()
    db.add_all(
        Score(role_id=role.id, candidate_id=cid, tenant_id=tenant_id, score=float(score), all_required_met=bool(met),
              scoring_version=scoring_version, taxonomy_version=taxonomy_version, role_revision=role.revision,
              computed_at=stamp)
        for cid, score, met in rows
    )
    db.flush()


#: Sort orders of a ranking page; ties always fall back to score, then upload order.
RANK_ORDERS = ("score", "name", "newest")


def ranked_scores(db: Session, tenant_id: str, role_id: str, *, min_score: float | None, all_required_met: bool | None,
                  limit: int, offset: int, order: str = "score") -> tuple[int, Sequence[Score]]:
    cond = [Score.role_id == role_id, Score.tenant_id == tenant_id]
    if min_score is not None:
        cond.append(Score.score >= min_score)
    if all_required_met is not None:
        cond.append(Score.all_required_met == all_required_met)
    total = db.scalar(select(func.count()).select_from(Score).where(*cond)) or 0
    by = {"score": [], "name": [func.lower(func.coalesce(Candidate.name, "~"))], "newest": [Candidate.created_at.desc()]}
    if order not in by:
        raise ValueError(f"order must be one of {RANK_ORDERS}")
    rows = db.scalars(
        select(Score).join(Candidate, Candidate.id == Score.candidate_id).where(*cond)
        .order_by(*by[order], Score.score.desc(), Candidate.created_at, Candidate.id).limit(limit).offset(offset)
    ).all()
    return total, rows


def score_versions(db: Session, tenant_id: str, role_ids: Sequence[str]) -> set[tuple[str, str]]:
    """The (scoring, taxonomy) versions of the stored scores of these roles."""
    rows = db.execute(select(Score.scoring_version, Score.taxonomy_version).distinct()
                      .where(Score.tenant_id == tenant_id, Score.role_id.in_(list(role_ids)))).all()
    return {(v, t) for v, t in rows}


def score_rank(db: Session, role_id: str, score: float) -> int:
    """1 + how many candidates score higher for the role."""
    return 1 + (db.scalar(select(func.count()).select_from(Score).where(Score.role_id == role_id, Score.score > score)) or 0)


def mark_scores_stale(db: Session, tenant_id: str) -> None:
    """For tests/ops: forget score versions so the next ranking recomputes."""
    db.execute(update(Score).where(Score.tenant_id == tenant_id).values(taxonomy_version="stale"))


# ------------------------------------------------------------------ idempotency

def get_idempotent(db: Session, tenant_id: str, key: str) -> IdempotencyRecord | None:
    return db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key))


def save_idempotent(db: Session, tenant_id: str, key: str, fingerprint: str, status_code: int, response: Any,
                    resource_type: str | None, resource_id: str | None) -> bool:
    """Store the response; False when a concurrent request stored the same key first."""
    try:
        with db.begin_nested():
            db.add(IdempotencyRecord(tenant_id=tenant_id, key=key, fingerprint=fingerprint, status_code=status_code,
                                     response=response, resource_type=resource_type, resource_id=resource_id,
                                     created_at=now()))
        return True
    except IntegrityError:
        return False


# ------------------------------------------------------------------ corrections, invitations

def corrections_of(db: Session, tenant_id: str, candidate_ids: Sequence[str]) -> dict[str, list[Correction]]:
    out: dict[str, list[Correction]] = {}
    ids = list(candidate_ids)
    for i in range(0, len(ids), 500):
        rows = db.scalars(select(Correction).where(Correction.tenant_id == tenant_id,
                                                   Correction.candidate_id.in_(ids[i:i + 500]))
                          .order_by(Correction.id)).all()
        for r in rows:
            out.setdefault(r.candidate_id, []).append(r)
    return out


def set_correction(db: Session, cand: Candidate, skill_id: str, action: str | None, years: float | None = None) -> None:
    """Record (or with ``action=None`` undo) the candidate's correction of one skill; drops cached scores."""
    for attempt in (1, 2):  # a concurrent submit for the same skill (a double click): the second one wins
        try:
            with db.begin_nested():
                db.execute(delete(Correction).where(Correction.candidate_id == cand.id, Correction.skill_id == skill_id))
                if action is not None:
                    db.add(Correction(tenant_id=cand.tenant_id, candidate_id=cand.id, skill_id=skill_id,
                                      action=action, years=years, created_at=now()))
            break
        except IntegrityError:
            if attempt == 2:
                raise
    drop_scores(db, cand.id)
    db.flush()


def add_invited_candidate(db: Session, tenant_id: str, role: Role, name: str | None, taxonomy_version: str) -> Candidate:
    """A candidate who has not uploaded yet ("invited"), invited to ``role``."""
    cand = _inserted(db, Candidate(id=new_id(), tenant_id=tenant_id, profile={}, text="",
                                   taxonomy_version=taxonomy_version, name=name, status="invited", created_at=now()))
    invite(db, cand, role)
    return cand


def invite(db: Session, cand: Candidate, role: Role) -> None:
    if db.get(Invitation, (cand.id, role.id)) is None:
        db.add(Invitation(candidate_id=cand.id, role_id=role.id, tenant_id=cand.tenant_id, created_at=now()))
        db.flush()


def invited_roles(db: Session, cand: Candidate) -> Sequence[Role]:
    return db.scalars(select(Role).join(Invitation, Invitation.role_id == Role.id)
                      .where(Invitation.candidate_id == cand.id, Role.tenant_id == cand.tenant_id)
                      .order_by(Role.title)).all()


def is_invited(db: Session, cand: Candidate, role_id: str) -> bool:
    return db.get(Invitation, (cand.id, role_id)) is not None


# ------------------------------------------------------------------ browser sessions

def add_web_session(db: Session, id_hash: str, key_id: str, csrf: str, expires_at: datetime) -> WebSession:
    return _inserted(db, WebSession(id_hash=id_hash, key_id=key_id, csrf=csrf, blind=False, created_at=now(),
                                    expires_at=expires_at))


def get_web_session(db: Session, id_hash: str) -> WebSession | None:
    return db.get(WebSession, id_hash)


def delete_web_session(db: Session, id_hash: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id_hash == id_hash))


def purge_web_sessions(db: Session) -> None:
    db.execute(delete(WebSession).where(WebSession.expires_at < now()))


# ------------------------------------------------------------------ for tests: every table

def all_tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables]


# ------------------------------------------------------------------ decisions and learned models

def add_decision(db: Session, tenant_id: str, **fields: Any) -> Decision:
    return _inserted(db, Decision(id=new_id(), tenant_id=tenant_id, created_at=now(), **fields))


def get_decision(db: Session, tenant_id: str, role_id: str, decision_id: str) -> Decision | None:
    return db.scalar(select(Decision).where(Decision.tenant_id == tenant_id, Decision.role_id == role_id,
                                            Decision.id == decision_id))


def list_decisions(db: Session, tenant_id: str, role_id: str | None, *, candidate_id: str | None = None,
                   include_undone: bool = False, limit: int = 100, offset: int = 0) -> tuple[int, Sequence[Decision]]:
    """(how many, one page newest first) of a role's decisions (every role's with ``role_id`` None)."""
    where = [Decision.tenant_id == tenant_id]
    if role_id is not None:
        where.append(Decision.role_id == role_id)
    if candidate_id is not None:
        where.append(Decision.candidate_id == candidate_id)
    if not include_undone:
        where.append(Decision.undone_at.is_(None))
    total = db.scalar(select(func.count()).select_from(Decision).where(*where)) or 0
    rows = db.scalars(select(Decision).where(*where).order_by(Decision.created_at.desc(), Decision.id.desc())
                      .limit(limit).offset(offset)).all()
    return total, rows


def decision_log(db: Session, tenant_id: str, start: datetime | None, end: datetime | None, limit: int,
                 offset: int) -> tuple[int, Sequence[Decision]]:
    """Every decision of the tenant made in [start, end), undone ones included, oldest first."""
    where = [Decision.tenant_id == tenant_id]
    if start is not None:
        where.append(Decision.created_at >= start)
    if end is not None:
        where.append(Decision.created_at < end)
    total = db.scalar(select(func.count()).select_from(Decision).where(*where)) or 0
    return total, db.scalars(select(Decision).where(*where).order_by(Decision.created_at, Decision.id)
                             .limit(limit).offset(offset)).all()


def current_decisions(db: Session, tenant_id: str, role_id: str, candidate_ids: Sequence[str]) -> dict[str, Decision]:
    """Each candidate's latest decision for the role that was not undone."""
    rows = db.scalars(select(Decision).where(Decision.tenant_id == tenant_id, Decision.role_id == role_id,
                                             Decision.candidate_id.in_(list(candidate_ids)),
                                             Decision.undone_at.is_(None))
                      .order_by(Decision.created_at, Decision.id)).all()
    return {d.candidate_id: d for d in rows}


def undo_decision(db: Session, decision: Decision, actor: str) -> Decision:
    decision.undone_at = now()
    decision.undone_by = actor
    db.flush()
    return decision


def training_decisions(db: Session, tenant_id: str) -> Sequence[Decision]:
    """Every standing decision of the tenant (the learning set), oldest first."""
    return db.scalars(select(Decision).where(Decision.tenant_id == tenant_id, Decision.undone_at.is_(None))
                      .order_by(Decision.created_at, Decision.id)).all()


def add_learned_model(db: Session, tenant_id: str, *, model_version: str, model: dict[str, Any],
                      n_decisions: int) -> LearnedModel:
    return _inserted(db, LearnedModel(id=new_id(), tenant_id=tenant_id, model_version=model_version, model=model,
                                      n_decisions=n_decisions, created_at=now()))


def latest_learned_model(db: Session, tenant_id: str) -> LearnedModel | None:
    return db.scalar(select(LearnedModel).where(LearnedModel.tenant_id == tenant_id)
                     .order_by(LearnedModel.created_at.desc(), LearnedModel.id.desc()).limit(1))
