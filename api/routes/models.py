"""The tenant's learned ranking model: retrain it from the recruiters' decisions, read it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from matcher import model_from_dict

from ..deps import DB, CurrentKey, allow
from ..errors import COMMON_RESPONSES, problem_schema
from ..schemas import ModelOut, typed
from ..usecases.learning import model_or_404, model_view, retrain

router = APIRouter(prefix="/v1/models", tags=["learning"], responses=COMMON_RESPONSES)


@router.post(
    "/retrain",
    status_code=201,
    summary="Retrain the learned order from every standing decision",
    description="Fits a calibrated logistic model on features of the fit reports the decisions were made on "
    "(never names, contact details, schools or free text) and stores it as the tenant's current model. "
    "With too few decisions (or only one outcome) nothing is stored and the rule score stands.",
    responses={409: problem_schema("too few decisions to learn from", "not_enough_decisions", 409)},
    **allow("recruiter", "admin"),
    **typed(ModelOut),
)
def retrain_model(db: DB, key: CurrentKey) -> dict[str, Any]:
    row = retrain(db, key.tenant_id)
    db.commit()
    return model_view(row, model_from_dict(row.model))


@router.get("/current", summary="The learned model in use", **allow("recruiter", "admin", "auditor"), **typed(ModelOut))
def current(db: DB, key: CurrentKey) -> dict[str, Any]:
    return model_or_404(db, key.tenant_id)
