"""Roles: create from a spec or a job description (text or file), get requirements, edit, list, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import Response

from pydantic import BaseModel, ConfigDict, Field

from matcher import MAX_TITLE, RoleSpec

from ..deps import DB, CurrentKey, IdempotencyKey, Limit, Offset, State, StoredRole, allow
from ..errors import COMMON_RESPONSES, ApiError, problem_schema
from ..usecases.roles import role_or_404
from ..usecases.idempotency import create_once
from ..usecases.inputs import read_new_role
from ..usecases.parsing import threaded
from ..usecases.roles import create_role as new_role
from ..usecases.roles import role_view, save_role
from ..store import queries
from ..schemas import RoleOut, RolePage, typed
from ._docs import ROLE_SPEC_EXAMPLE

router = APIRouter(prefix="/v1/roles", tags=["roles"], responses=COMMON_RESPONSES)

CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "description": "Exactly one of the properties.", "properties": {
                    "spec": {"type": "object", "description": "A role spec"},
                    "job_text": {"type": "string", "description": "A job description to derive the spec from: "
                                 "text or Markdown, with or without line breaks; HTML (also entity-escaped) is "
                                 "detected and converted"},
                    "job_html": {"type": "string", "description": "A job description as HTML (a fragment or a page)"},
                    "job": {"type": "object", "description": "An ATS job object: a Greenhouse job-board job "
                            "(title, content), a Lever posting (text, description/descriptionPlain, lists, "
                            "additional), a USAJOBS record, or {title, description}"},
                }},
                "examples": {
                    "spec": {"summary": "from a role spec", "value": {"spec": ROLE_SPEC_EXAMPLE}},
                    "job_html": {"summary": "from an HTML job posting", "value": {
                        "job_html": "<h2>Senior ML Engineer</h2><h3>Requirements</h3><ul><li>5+ years of Python</li>"
                                    "<li>PyTorch or TensorFlow</li></ul><p><strong>Nice to have</strong></p><ul><li>JAX</li></ul>"}},
                    "job": {"summary": "from a Greenhouse job object", "value": {"job": {
                        "title": "Data Engineer", "content": "&lt;p&gt;&lt;strong&gt;Requirements&lt;/strong&gt;&lt;/p&gt;"
                        "&lt;ul&gt;&lt;li&gt;SQL and Apache Spark&lt;/li&gt;&lt;/ul&gt;"}}},
                    "job_text": {"summary": "from job-description text", "value": {
                        "job_text": "Senior ML Engineer\n\nRequirements\n- 5+ years of Python\n- PyTorch or TensorFlow\n"
                                    "- Kubernetes\n\nNice to have\n- JAX"}},
                },
            },
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "A job description (text, Markdown, HTML, PDF, DOCX, an ATS job "
                                        "object as .json) or a YAML/JSON spec file"},
            }}},
        },
    }
}


@router.post(
    "",
    status_code=201,
    summary="Create a role",
    description="From a role spec, or from a job description (text or file); the response holds the derived "
    "requirements to check and edit with PUT.",
    responses={422: problem_schema("the spec or job text can't be used", "invalid_role", 422)},
    **allow("recruiter", extra=CREATE_BODY, parses=True),
    **typed(RoleOut),
)
async def create_role(request: Request, state: State, db: DB, key: CurrentKey, idempotency_key: IdempotencyKey = None):
    inp, parts = await read_new_role(request, state)

    def create() -> tuple[str, dict[str, Any]]:
        row = new_role(state, db, key.tenant_id, inp)
        return row.id, role_view(row, state.engine(key.tenant_id, db))

    return await threaded(create_once, db, key.tenant_id, idempotency_key, ("roles", parts), "role", create)


@router.get("", summary="List roles", **allow("recruiter"), **typed(RolePage))
def list_roles(db: DB, key: CurrentKey, limit: Limit = 20,
               offset: Offset = 0) -> dict[str, Any]:
    total, rows = queries.list_roles(db, key.tenant_id, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [role_view(r) for r in rows]}



@router.get("/{role_id}", summary="Get a role and its derived requirements", **allow("recruiter"),
            **typed(RoleOut))
def get_role(row: StoredRole, state: State, db: DB) -> dict[str, Any]:
    return role_view(row, state.engine(row.tenant_id, db))


class RoleDocument(BaseModel):
    """A role as ``GET /v1/roles/{id}`` returns it, PUT back after editing ``spec``. The other fields
    are read-only and ignored, except ``revision``: when given, it must still be the role's current
    revision (409 ``revision_conflict`` otherwise), so two editors can't silently overwrite each other."""

    model_config = ConfigDict(extra="forbid")

    spec: RoleSpec
    revision: int | None = Field(default=None, ge=1, le=2**31, description="The revision the edit is based on.")
    id: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, max_length=MAX_TITLE)
    warnings: list[str] | None = None
    created_at: str | None = Field(default=None, max_length=64)
    updated_at: str | None = Field(default=None, max_length=64)
    requirements: list[dict[str, Any]] | None = None
    level: str | None = Field(default=None, max_length=20)
    min_years: float | None = None


@router.put(
    "/{role_id}",
    summary="Edit a role (replace its spec)",
    description="Send the new spec, or the role as GET returns it with its `spec` edited (read-only fields are "
    "ignored; a `revision` that is no longer current is a 409). The revision goes up; rankings for the role are "
    "recomputed on the next request.",
    responses={422: problem_schema("the spec can't be used", "invalid_role", 422),
               409: problem_schema("the role was edited since that revision", "revision_conflict", 409)},
    **allow("recruiter"),
    **typed(RoleOut),
)
def put_role(role_id: str, body: Annotated[RoleSpec | RoleDocument, Body(examples=[ROLE_SPEC_EXAMPLE])], state: State,
             db: DB, key: CurrentKey) -> dict[str, Any]:
    row = role_or_404(db, key.tenant_id, role_id)
    spec = body.spec if isinstance(body, RoleDocument) else body
    if isinstance(body, RoleDocument) and body.revision is not None and body.revision != row.revision:
        raise ApiError(409, "revision_conflict",
                       f"the role is at revision {row.revision}, not {body.revision}: GET it again and reapply the edit")
    engine = state.engine(key.tenant_id, db)
    return role_view(save_role(db, engine, key.tenant_id, spec.model_dump(mode="json", exclude_none=True), row), engine)


@router.delete("/{role_id}", status_code=204, summary="Delete a role (and its scores)", **allow("recruiter"))
def delete_role(row: StoredRole, db: DB) -> Response:
    queries.delete_role(db, row)
    db.commit()
    return Response(status_code=204)
