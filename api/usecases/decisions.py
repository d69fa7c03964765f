"""Recruiter decisions: record one (with the score, versions and report it was made on), list, undo.

Decisions are append-only: an undo marks the decision undone and keeps it, so the log shows who
decided what, on which report, and who took it back. A candidate's standing decision for a role is
their latest one not undone.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from ..errors import ApiError, NotFound
from ..schemas import DecisionIn
from ..state import AppState
from ..store import queries
from ..store.models import Candidate, Decision, utc_iso
from ..store.models import Role as RoleRow
from .candidates import require_resume
from .ranking import candidate_report, inputs_hash


def record_decision(db: Session, state: AppState, tenant_id: str, actor: str, row: RoleRow, cand: Candidate, *,
                    decision: str, reason_code: str | None = None, note: str | None = None) -> Decision:
    """Store a decision with the candidate's current report for the role (corrections applied)."""
    require_resume(cand, "a candidate without a résumé has no report to decide on")
    fixes = queries.corrections_of(db, tenant_id, [cand.id])
    _, report = candidate_report(db, state.engine(cand.tenant_id, db), cand, row, fixes)
    override = (decision == "reject") == report["all_required_met"]
    if override and reason_code is None:
        raise ApiError(422, "override_needs_reason",
                       f"{decision} goes against the automated assessment (every required group met: "
                       f"{str(report['all_required_met']).lower()}): give a reason_code")
    model = queries.latest_learned_model(db, tenant_id)
    return queries.add_decision(
        db, tenant_id, role_id=row.id, candidate_id=cand.id, decision=decision, reason_code=reason_code,
        note=(note or "").strip() or None, score=report["score"], scoring_version=report["scoring_version"],
        taxonomy_version=report["taxonomy_version"], model_version=model.model_version if model else None,
        role_revision=row.revision, report=report, actor=actor, inputs_hash=inputs_hash(cand, row, fixes),
        override=override,
    )


#: What the pages show for each reason code (``schemas.ReasonCode``), in the order they offer them.
REASON_LABELS: dict[str, str] = {
    "meets_requirements": "Meets the requirements",
    "strong_experience": "Strong relevant experience",
    "missing_required_skill": "Missing a required skill",
    "insufficient_experience": "Not enough experience",
    "skills_not_shown_in_use": "Skills listed but not shown in use",
    "overqualified": "Overqualified for the level",
    "position_filled": "Position filled",
    "candidate_withdrew": "Candidate withdrew",
    "other": "Other",
}


def decision_from_form(fields: dict[str, str]) -> DecisionIn:
    """A page's decision form, checked by the same model as the API (422 ``invalid_request``)."""
    try:
        return DecisionIn.model_validate({
            "candidate_id": fields.get("candidate_id") or "", "decision": fields.get("decision") or "",
            "reason_code": fields.get("reason_code") or None, "note": fields.get("note") or None,
        })
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", "; ".join(e["msg"] for e in exc.errors())[:300]) from None


def standing(db: Session, tenant_id: str, row: RoleRow, candidate_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each candidate's standing decision for the role, as ``decision_view``."""
    return {cid: decision_view(d) for cid, d in queries.current_decisions(db, tenant_id, row.id, candidate_ids).items()}


def decision_or_404(db: Session, tenant_id: str, row: RoleRow, decision_id: str) -> Decision:
    d = queries.get_decision(db, tenant_id, row.id, decision_id)
    if d is None:
        raise NotFound("decision")
    return d


def undo(db: Session, tenant_id: str, row: RoleRow, decision_id: str, actor: str) -> Decision:
    """Take a decision back (409 ``already_undone`` the second time)."""
    d = decision_or_404(db, tenant_id, row, decision_id)
    if d.undone_at is not None:
        raise ApiError(409, "already_undone", f"decision {d.id} was undone at {utc_iso(d.undone_at)}")
    return queries.undo_decision(db, d, actor)


def decision_view(d: Decision, with_report: bool = False) -> dict[str, Any]:
    """``DecisionOut``."""
    out = {
        "id": d.id, "role_id": d.role_id, "candidate_id": d.candidate_id, "decision": d.decision,
        "reason_code": d.reason_code, "note": d.note, "score": d.score, "scoring_version": d.scoring_version,
        "taxonomy_version": d.taxonomy_version, "model_version": d.model_version, "role_revision": d.role_revision,
        "actor": d.actor, "inputs_hash": d.inputs_hash, "override": d.override,
        "created_at": utc_iso(d.created_at), "undone_at": utc_iso(d.undone_at),
        "undone_by": d.undone_by,
    }
    if with_report:
        out["report"] = d.report
    return out
