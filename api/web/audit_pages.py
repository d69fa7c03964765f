"""Web pages of fairness operations, apart from the recruiter pages (which never import this):
a candidate's voluntary self-identification, and the bias audit for auditor keys."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..deps import DB, State
from ..errors import ApiError
from ..store import queries
from ..usecases import audit
from ..usecases.candidates import candidate_or_404
from ..usecases.roles import role_or_404
from .pages import _form, redirect, render
from .session import Auditor, CandidateUser

router = APIRouter(prefix="/web")


@router.get("/me/self-identification", response_class=HTMLResponse)
def self_id_page(request: Request, db: DB, user: CandidateUser, saved: str | None = None) -> HTMLResponse:
    cand = candidate_or_404(db, user.tenant_id, user.candidate_id or "")
    return render(request, "self_id.html", user, current=audit.read_self_id(db, cand), sexes=audit.SEX_LABELS,
                  races=audit.RACE_LABELS, saved=saved)


@router.post("/me/self-identification")
async def self_id_submit(request: Request, db: DB, user: CandidateUser) -> Response:
    cand = candidate_or_404(db, user.tenant_id, user.candidate_id or "")
    form = await _form(request, user, max_files=0)
    if form.fields.get("action") == "withdraw":
        audit.withdraw_self_id(db, cand)
        db.commit()
        return redirect("/web/me/self-identification?saved=withdrawn")
    sex, race = form.fields.get("sex") or "", form.fields.get("race_ethnicity") or ""
    if sex not in (*audit.SEX_LABELS, audit.DECLINE) or race not in (*audit.RACE_LABELS, audit.DECLINE):
        raise ApiError(422, "invalid_request", "choose one answer for each question (or “I decline to answer”)")
    audit.give_self_id(db, cand, sex, race)
    db.commit()
    return redirect("/web/me/self-identification?saved=given")


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid_request", f"{name} must be a day (YYYY-MM-DD)") from None


def _audit(request: Request, state, db, user) -> dict[str, Any]:
    q = request.query_params
    start, end = _day(q.get("from"), "from"), _day(q.get("to"), "to")
    if start and end and start > end:
        raise ApiError(400, "bad_range", f"from {start} is after to {end}")
    role = role_or_404(db, user.tenant_id, q["role_id"]) if q.get("role_id") else None
    return audit.impact_ratios(db, state, user.tenant_id, role, start, end)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, state: State, db: DB, user: Auditor) -> HTMLResponse:
    report = _audit(request, state, db, user)
    labels = {**audit.SEX_LABELS, **audit.RACE_LABELS, "unknown": "Unknown (no answer or declined)"}
    labels |= {f"{s}/{r}": f"{sl} · {rl}" for s, sl in audit.SEX_LABELS.items() for r, rl in audit.RACE_LABELS.items()}
    return render(request, "audit.html", user, report=report, labels=labels, roles=queries.all_roles(db, user.tenant_id),
                  query=request.url.query)


@router.get("/audit.csv")
def audit_csv(request: Request, state: State, db: DB, user: Auditor) -> Response:
    return Response(audit.impact_ratios_csv(_audit(request, state, db, user)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="impact-ratios.csv"'})
