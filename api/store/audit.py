"""Queries of the fairness tables: self-identification, anonymous applicants, audit events.

Only ``api.usecases.audit`` (and the routes and pages that call it) import this module; nothing that
scores, ranks, reports or learns does (``tests/api/test_audit.py`` checks the imports).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import AnonymousApplicant, Candidate, Decision, Score, SelfIdentification
from .queries import now

#: What the audit counts for a candidate who gave no self-identification.
UNKNOWN = "unknown"


def get_self_id(db: Session, cand: Candidate) -> SelfIdentification | None:
    return db.get(SelfIdentification, cand.id)


def set_self_id(db: Session, cand: Candidate, sex: str, race_ethnicity: str) -> SelfIdentification:
    row = db.get(SelfIdentification, cand.id)
    if row is None:
        row = SelfIdentification(candidate_id=cand.id, tenant_id=cand.tenant_id)
        db.add(row)
    row.sex, row.race_ethnicity, row.updated_at = sex, race_ethnicity, now()
    db.flush()
    return row


def delete_self_id(db: Session, cand: Candidate) -> bool:
    return bool(db.execute(delete(SelfIdentification).where(SelfIdentification.candidate_id == cand.id)).rowcount)


@dataclass(frozen=True)
class Applicant:
    """One (candidate, role) pair the audit counts: the score, selection and categories only."""

    role_id: str
    score: float
    selected: bool
    sex: str
    race_ethnicity: str


def _selected(db: Session, tenant_id: str, candidate_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(role, candidate) pairs whose standing decision is advance or hire."""
    rows = db.execute(
        select(Decision.role_id, Decision.candidate_id, Decision.decision)
        .where(Decision.tenant_id == tenant_id, Decision.undone_at.is_(None), Decision.candidate_id.in_(candidate_ids))
        .order_by(Decision.created_at, Decision.id)
    ).all()
    latest = {(r, c): d for r, c, d in rows}
    return {k for k, d in latest.items() if d in ("advance", "hire")}


def applicants(db: Session, tenant_id: str, role_ids: Sequence[str], start: datetime | None,
               end: datetime | None) -> list[Applicant]:
    """Every scored (candidate, role) pair of these roles whose candidate arrived in [start, end),
    with the anonymous pairs erased candidates left."""
    q = (select(Score.role_id, Score.candidate_id, Score.score, SelfIdentification.sex, SelfIdentification.race_ethnicity)
         .join(Candidate, Candidate.id == Score.candidate_id)
         .outerjoin(SelfIdentification, SelfIdentification.candidate_id == Score.candidate_id)
         .where(Score.tenant_id == tenant_id, Score.role_id.in_(list(role_ids))))
    a = (select(AnonymousApplicant)
         .where(AnonymousApplicant.tenant_id == tenant_id, AnonymousApplicant.role_id.in_(list(role_ids))))
    if start is not None:
        q, a = q.where(Candidate.created_at >= start), a.where(AnonymousApplicant.applied_at >= start)
    if end is not None:
        q, a = q.where(Candidate.created_at < end), a.where(AnonymousApplicant.applied_at < end)
    rows = db.execute(q).all()
    picked = _selected(db, tenant_id, list({r.candidate_id for r in rows}))
    out = [Applicant(r.role_id, r.score, (r.role_id, r.candidate_id) in picked, r.sex or UNKNOWN,
                     r.race_ethnicity or UNKNOWN) for r in rows]
    out += [Applicant(x.role_id, x.score, x.selected, x.sex, x.race_ethnicity) for x in db.scalars(a).all()]
    return out


def retire_candidate(db: Session, cand: Candidate) -> int:
    """Before erasure: keep the candidate's anonymous audit counts (per scored role: score,
    selection, categories), then drop their self-identification. Returns the pairs kept."""
    me = get_self_id(db, cand)
    scores = db.scalars(select(Score).where(Score.candidate_id == cand.id)).all()
    picked = _selected(db, cand.tenant_id, [cand.id])
    for s in scores:
        db.add(AnonymousApplicant(tenant_id=cand.tenant_id, role_id=s.role_id, applied_at=cand.created_at,
                                  score=s.score, selected=(s.role_id, cand.id) in picked,
                                  sex=me.sex if me else UNKNOWN, race_ethnicity=me.race_ethnicity if me else UNKNOWN))
    delete_self_id(db, cand)
    db.flush()
    return len(scores)
