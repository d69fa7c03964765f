"""Stateless match for ATSs: one résumé (or many) against one role (id, spec or job text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ..deps import DB, CurrentKey, State, allow
from ..errors import COMMON_RESPONSES
from ..schemas import BatchOut, MatchOut, typed
from ..usecases.inputs import read_batch, read_match
from ..usecases.matching import match_many, match_one
from ..usecases.parsing import threaded
from ._docs import (
    RESUME_TEXT_EXAMPLE,
    ROLE_INPUT_FORM,
    ROLE_INPUT_JSON,
    ROLE_SPEC_EXAMPLE,
    resume_body,
)

router = APIRouter(prefix="/v1/match", tags=["match"], responses=COMMON_RESPONSES)


@router.post(
    "",
    summary="Match one résumé to a role",
    description="Stateless: nothing is stored. The résumé is a file, text or JSON Resume; the role is "
    "`role_id` (a stored role), `role_spec`, `job_text` (text or Markdown, with or without line breaks; HTML "
    "is detected), `job_html`, `job` (a Greenhouse, Lever or USAJOBS job object, or {title, description}), "
    "or `job_file` in multipart.",
    **allow("ats", "recruiter", extra=resume_body(ROLE_INPUT_FORM, ROLE_INPUT_JSON), parses=True),
    **typed(MatchOut),
)
async def match(request: Request, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    resume, role = await read_match(request, state)
    return await match_one(state, db, key.tenant_id, resume, role)


BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {
                    "resumes": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "text": {"type": "string"}, "resume": {"type": "object"}}}},
                    **ROLE_INPUT_JSON,
                }},
                "example": {"role_spec": ROLE_SPEC_EXAMPLE,
                            "resumes": [{"id": "a", "text": RESUME_TEXT_EXAMPLE}, {"id": "b", "text": "Nurse\n\nSKILLS\nTriage"}]},
            },
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}}, **ROLE_INPUT_FORM}}},
        },
    }
}


@router.post(
    "/batch",
    summary="Match many résumés to one role",
    description="Results come best first; a résumé that can't be read is listed last with its error "
    "(problem fields) and does not fail the batch.",
    **allow("ats", "recruiter", extra=BATCH_BODY, parses=True),
    **typed(BatchOut),
)
async def match_batch(request: Request, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    inputs, role = await read_batch(request, state)
    return await threaded(match_many, state, db, key.tenant_id, inputs, role)
