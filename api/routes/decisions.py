"""Recruiter decisions on a role's candidates: advance, reject or hire; list; undo."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..deps import DB, CurrentKey, Limit, Offset, State, StoredRole, allow
from ..errors import COMMON_RESPONSES, problem_schema
from ..schemas import DecisionIn, DecisionOut, DecisionPage, typed
from ..store import queries
from ..usecases.candidates import candidate_or_404
from ..usecases.decisions import decision_or_404, decision_view, record_decision, undo

router = APIRouter(prefix="/v1/roles", tags=["decisions"], responses=COMMON_RESPONSES)


@router.post(
    "/{role_id}/decisions",
    status_code=201,
    summary="Record a decision on a candidate",
    description="Stores the decision with the candidate's current score, the scoring, taxonomy and model "
    "versions, the role revision and the full fit report it was made on. The latest decision that was not "
    "undone is the candidate's standing decision for the role.",
    responses={409: problem_schema("the candidate has no résumé yet", "no_resume", 409)},
    **allow("recruiter"),
    **typed(DecisionOut),
)
def create_decision(body: DecisionIn, row: StoredRole, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    cand = candidate_or_404(db, key.tenant_id, body.candidate_id)
    d = record_decision(db, state, key.tenant_id, key.id, row, cand, decision=body.decision,
                        reason_code=body.reason_code, note=body.note)
    db.commit()
    return decision_view(d, with_report=True)


@router.get("/{role_id}/decisions", summary="List a role's decisions (newest first)", **allow("recruiter"),
            **typed(DecisionPage))
def list_decisions(
    row: StoredRole, db: DB, key: CurrentKey, limit: Limit = 20, offset: Offset = 0,
    candidate_id: Annotated[str | None, Query(max_length=64)] = None,
    include_undone: Annotated[bool, Query(description="also the decisions that were taken back")] = False,
) -> dict[str, Any]:
    total, rows = queries.list_decisions(db, key.tenant_id, row.id, candidate_id=candidate_id,
                                         include_undone=include_undone, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [decision_view(d) for d in rows]}


@router.get("/{role_id}/decisions/{decision_id}", summary="One decision, with the report it was made on",
            **allow("recruiter"), **typed(DecisionOut))
def get_decision(decision_id: str, row: StoredRole, db: DB, key: CurrentKey) -> dict[str, Any]:
    return decision_view(decision_or_404(db, key.tenant_id, row, decision_id), with_report=True)


@router.post(
    "/{role_id}/decisions/{decision_id}/undo",
    summary="Undo a decision",
    description="The decision is kept, marked undone (by this key, now); the candidate's standing decision "
    "falls back to their previous one, if any.",
    responses={409: problem_schema("already undone", "already_undone", 409)},
    **allow("recruiter"),
    **typed(DecisionOut),
)
def undo_decision(decision_id: str, row: StoredRole, db: DB, key: CurrentKey) -> dict[str, Any]:
    d = undo(db, key.tenant_id, row, decision_id, key.id)
    db.commit()
    return decision_view(d)
