"""Fairness operations: the impact-ratio bias audit, the audit event log, and candidates'
voluntary self-identification (given or withdrawn by the candidate or their ATS)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ..deps import DB, CurrentKey, Limit, Offset, State, StoredCandidate, allow
from ..errors import COMMON_RESPONSES, ApiError
from ..schemas import AuditEventPage, DecisionPage, ImpactRatios, SelfIdentificationIn, SelfIdentificationOut, typed
from ..store import queries
from ..store import events as event_store
from ..store.models import utc_iso
from ..usecases import audit
from ..usecases.decisions import decision_view
from ..usecases.roles import role_or_404

router = APIRouter(tags=["audit"], responses=COMMON_RESPONSES)

Day = Annotated[date | None, Query(description="a day, YYYY-MM-DD (inclusive)")]


def _range(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise ApiError(400, "bad_range", f"from {start} is after to {end}")


@router.get(
    "/v1/audit/impact-ratios",
    summary="Bias audit: scoring and selection rates and impact ratios by sex, race/ethnicity and both",
    description="Over the (candidate, role) pairs scored for one role or every role, whose candidate arrived "
    "between `from` and `to`. Scoring rate: share above the role's median score; selection rate: share advanced "
    "or hired. `format=csv` gives the same as CSV with the range and versions in its first row.",
    **allow("auditor", "admin"),
    response_model=ImpactRatios, response_model_by_alias=True,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string", "description": "the audit as CSV"}}}}},
)
def impact_ratios(state: State, db: DB, key: CurrentKey, role_id: Annotated[str | None, Query(max_length=64)] = None,
                  start: Annotated[date | None, Query(alias="from")] = None, end: Annotated[date | None, Query(alias="to")] = None,
                  format: Literal["json", "csv"] = "json") -> Any:
    _range(start, end)
    role = role_or_404(db, key.tenant_id, role_id) if role_id else None
    report = audit.impact_ratios(db, state, key.tenant_id, role, start, end)
    if format == "csv":
        return Response(audit.impact_ratios_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="impact-ratios.csv"'})
    return report


@router.get("/v1/audit/events", summary="The audit log: scores shown, human review requests (oldest first)",
            **allow("auditor", "admin"), **typed(AuditEventPage))
def audit_events(db: DB, key: CurrentKey, limit: Limit = 20, offset: Offset = 0,
                 start: Annotated[date | None, Query(alias="from")] = None, end: Annotated[date | None, Query(alias="to")] = None,
                 kind: Annotated[str | None, Query(max_length=32)] = None) -> dict[str, Any]:
    _range(start, end)
    lo, hi = audit._bounds(start, end)
    rows = event_store.list_events(db, key.tenant_id, lo, hi, kind, limit, offset)
    return {"limit": limit, "offset": offset, "items": [
        {"id": e.id, "kind": e.kind, "role_id": e.role_id, "candidate_id": e.candidate_id, "actor": e.actor,
         "at": utc_iso(e.at), "payload": e.payload} for e in rows]}


@router.get("/v1/audit/decisions", summary="The decision log of every role (oldest first), for export",
            description="Every decision with who made it, when, the inputs hash and versions that reproduce its "
            "score, whether it overrode the automated assessment and why; undone ones too.",
            **allow("auditor", "admin"), **typed(DecisionPage))
def audit_decisions(db: DB, key: CurrentKey, limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0,
                    start: Annotated[date | None, Query(alias="from")] = None,
                    end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    _range(start, end)
    lo, hi = audit._bounds(start, end)
    total, rows = queries.decision_log(db, key.tenant_id, lo, hi, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [decision_view(d) for d in rows]}


@router.get("/v1/candidates/{candidate_id}/self-identification", summary="A candidate's self-identification",
            **allow("candidate", "auditor"), **typed(SelfIdentificationOut))
def get_self_id(cand: StoredCandidate, db: DB) -> dict[str, Any]:
    return audit.read_self_id(db, cand)


@router.put("/v1/candidates/{candidate_id}/self-identification", summary="Give or change self-identification",
            description="Voluntary. Stored apart from the profile; scoring, ranking, reports, learning and "
            "recruiters never see it. Erased with the candidate.", **allow("candidate", "ats"),
            **typed(SelfIdentificationOut))
def put_self_id(body: SelfIdentificationIn, cand: StoredCandidate, db: DB) -> dict[str, Any]:
    out = audit.give_self_id(db, cand, body.sex, body.race_ethnicity)
    db.commit()
    return out


@router.delete("/v1/candidates/{candidate_id}/self-identification", status_code=204,
               summary="Withdraw self-identification", **allow("candidate", "ats"))
def delete_self_id(cand: StoredCandidate, db: DB) -> Response:
    audit.withdraw_self_id(db, cand)
    db.commit()
    return Response(status_code=204)
