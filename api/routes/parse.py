"""Stateless parse: résumé -> profile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ..deps import CurrentKey, State, allow
from ..errors import COMMON_RESPONSES, problem_schema
from ..usecases.candidates import profile_view
from ..usecases.inputs import read_resume
from ..usecases.parsing import parse_resume, threaded
from ..schemas import ParseOut, typed
from ._docs import resume_body

router = APIRouter(prefix="/v1", tags=["parse"], responses=COMMON_RESPONSES)


@router.post(
    "/parse",
    summary="Parse a résumé into a profile (nothing stored)",
    responses={413: problem_schema("too large", "document_too_large", 413),
               415: problem_schema("unsupported format", "unsupported_format", 415)},
    **allow("ats", "recruiter", extra=resume_body(), parses=True),
    **typed(ParseOut),
)
async def parse(request: Request, state: State, key: CurrentKey) -> dict[str, Any]:
    inp = await read_resume(request, state)
    profile = await threaded(parse_resume, state, inp, key.tenant_id)
    return {"profile": profile_view(profile, inp.filename), "text": profile.text}
