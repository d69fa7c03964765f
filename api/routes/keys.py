"""API keys of the tenant (admin keys only). The token is shown once, at creation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from matcher import clean_label

from ..auth import KeyRole
from ..deps import DB, CurrentKey, allow
from ..errors import COMMON_RESPONSES, NotFound, invalid_request
from ..schemas import KeyList, NewKey, typed
from ..store import queries

router = APIRouter(prefix="/v1/keys", tags=["keys"], responses=COMMON_RESPONSES)


class KeyIn(BaseModel):
    role: KeyRole
    name: str = Field(default="", max_length=200)
    candidate_id: str | None = Field(default=None, max_length=64, description="Required for (and only for) candidate keys.")

    @field_validator("name")
    @classmethod
    def _one_line(cls, v: str) -> str:
        return clean_label(v)

    model_config = {"json_schema_extra": {"examples": [{"role": "recruiter", "name": "hiring team"}]}}


def key_view(k) -> dict[str, Any]:
    return {"id": k.id, "role": k.role, "name": k.name, "candidate_id": k.candidate_id,
            "created_at": k.created_at.isoformat() if k.created_at else None,
            "revoked": k.revoked_at is not None}


@router.post("", status_code=201, summary="Create a key (the token is returned once)", **allow("admin"),
             **typed(NewKey))
def create_key(body: KeyIn, db: DB, key: CurrentKey) -> dict[str, Any]:
    if (body.role == KeyRole.candidate) != (body.candidate_id is not None):
        raise invalid_request("candidate_id is required for candidate keys and only for them")
    if body.candidate_id is not None and queries.get_candidate(db, key.tenant_id, body.candidate_id) is None:
        raise NotFound("candidate")
    new, token = queries.create_key(db, key.tenant_id, body.role.value, body.name, body.candidate_id)
    db.commit()
    return {**key_view(new), "token": token}


@router.get("", summary="List keys", **allow("admin"), **typed(KeyList))
def list_keys(db: DB, key: CurrentKey) -> dict[str, Any]:
    return {"items": [key_view(k) for k in queries.list_keys(db, key.tenant_id)]}


@router.delete("/{key_id}", status_code=204, summary="Revoke a key", **allow("admin"))
def revoke_key(key_id: str, db: DB, key: CurrentKey) -> Response:
    k = queries.get_tenant_key(db, key.tenant_id, key_id)
    if k is None:
        raise NotFound("key")
    queries.revoke_key(db, k)
    db.commit()
    return Response(status_code=204)
