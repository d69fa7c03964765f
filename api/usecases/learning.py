"""Learning from recruiter decisions: retrain a tenant's model (explicit: API or CLI), and the
learned view of a report (P(advance) and the reasons, in words) beside the rule score.

The model sees only what ``matcher.features_from_report`` reads of the stored fit reports the
decisions were made on: statuses, credits, evidence kinds, years, recency — never names, contact
details, schools, free text or self-identification.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matcher import (
    LearnedModel,
    NotEnoughDecisions,
    explain,
    features_from_report,
    fit_model,
    model_from_dict,
    model_to_dict,
    report_from_dict,
)

from ..errors import ApiError, NotFound
from ..store import queries
from ..store.models import LearnedModel as ModelRow
from ..store.models import utc_iso

#: Reasons shown per candidate.
REASONS = 3


def retrain(db: Session, tenant_id: str) -> ModelRow:
    """Fit a model on every standing decision of the tenant and store it (409
    ``not_enough_decisions`` while the rule score must stand)."""
    decisions = queries.training_decisions(db, tenant_id)
    examples = [(features_from_report(report_from_dict(d.report)), d.decision) for d in decisions]
    fitted = fit_model(examples, seed=0)
    if isinstance(fitted, NotEnoughDecisions):
        raise ApiError(409, "not_enough_decisions", fitted.reason + "; the rule score stands")
    return queries.add_learned_model(db, tenant_id, model_version=fitted.model_version, model=model_to_dict(fitted),
                                     n_decisions=fitted.n_decisions)


def current_model(db: Session, tenant_id: str) -> tuple[ModelRow, LearnedModel] | None:
    row = queries.latest_learned_model(db, tenant_id)
    return (row, model_from_dict(row.model)) if row is not None else None


def model_view(row: ModelRow, model: LearnedModel) -> dict[str, Any]:
    """``ModelOut``."""
    return {"model_version": row.model_version, "trained_at": utc_iso(row.created_at), "n_decisions": row.n_decisions,
            "class_counts": dict(model.class_counts), "calibration": model.calibration,
            "features": list(model.feature_names)}


def model_or_404(db: Session, tenant_id: str) -> dict[str, Any]:
    found = current_model(db, tenant_id)
    if found is None:
        raise NotFound("learned model (record decisions, then retrain)")
    return model_view(*found)


def learned_view(model: LearnedModel, version: str, report: dict[str, Any]) -> dict[str, Any]:
    """``Learned``: P(advance) of a report (the JSON view) and the features that move it most."""
    features = features_from_report(report_from_dict(report))
    return {"p_advance": round(model.p_advance(features), 4), "model_version": version,
            "reasons": [c.text for c in explain(model, features, REASONS)]}
