"""Candidates: upload (file, text or JSON Resume), get the parsed profile, list, erase, gap reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ..deps import DB, CurrentKey, IdempotencyKey, Limit, Offset, State, allow
from ..errors import COMMON_RESPONSES, ApiError, NotFound, problem_schema
from ..service import (
    candidate_view,
    commit_created,
    effective_profiles,
    fingerprint,
    parse_resume,
    profile_view,
    read_resume,
    replay,
    report_view,
    role_of_row,
    threaded,
)
from ..store import queries
from ..schemas import CandidateOut, CandidatePage, CandidateReport, typed
from ._docs import resume_body

router = APIRouter(prefix="/v1/candidates", tags=["candidates"], responses=COMMON_RESPONSES)


def _own(db, key, candidate_id: str):
    """The candidate if this key may see it (its tenant; a candidate key only its own), else 404."""
    if key.role == "candidate" and key.candidate_id != candidate_id:
        raise NotFound("candidate")
    cand = queries.get_candidate(db, key.tenant_id, candidate_id)
    if cand is None:
        raise NotFound("candidate")
    return cand


@router.post(
    "",
    status_code=201,
    summary="Upload a résumé",
    description="A multipart file (PDF, DOCX, text), or JSON with `text`, or JSON with `resume` (JSON Resume). "
    "The document is parsed in a worker process with time and memory limits. Send `Idempotency-Key` to make "
    "retries safe.",
    responses={
        413: problem_schema("file or body too large", "document_too_large", 413),
        415: problem_schema("unsupported format", "unsupported_format", 415),
    },
    **allow("recruiter", "ats", extra=resume_body(), parses=True),
    **typed(CandidateOut),
)
async def create_candidate(request: Request, state: State, db: DB, key: CurrentKey, idempotency_key: IdempotencyKey = None):
    inp = await read_resume(request, state)
    fp = fingerprint("candidates", inp.fingerprint_parts())

    def work() -> JSONResponse:
        again = replay(db, key.tenant_id, idempotency_key, fp)
        if again is not None:
            return again
        profile = parse_resume(state, inp)
        cand = queries.add_candidate(
            db, key.tenant_id, profile=profile_view(profile), text=profile.text,
            taxonomy_version=profile.taxonomy_version, document=inp.data if inp.keep_document else None,
            filename=inp.filename, content_type=inp.content_type, name=inp.name, external_id=inp.external_id,
        )
        body = candidate_view(cand)
        return commit_created(db, key.tenant_id, idempotency_key, fp, 201, body, "candidate", cand.id)

    return await threaded(work)


@router.get("", summary="List candidates", **allow("recruiter"), **typed(CandidatePage))
def list_candidates(db: DB, key: CurrentKey, limit: Limit = 20,
                    offset: Offset = 0) -> dict[str, Any]:
    total, rows = queries.list_candidates(db, key.tenant_id, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [candidate_view(c, with_profile=False) for c in rows]}


@router.get("/{candidate_id}", summary="Get a candidate's parsed profile", **allow("recruiter", "candidate"),
            **typed(CandidateOut))
def get_candidate(candidate_id: str, db: DB, key: CurrentKey) -> dict[str, Any]:
    return candidate_view(_own(db, key, candidate_id))


@router.delete(
    "/{candidate_id}",
    status_code=204,
    summary="Erase a candidate",
    description="Erasure: the stored document, parsed profile, cached text, scores, the candidate's keys and any "
    "stored idempotent responses are deleted.",
    **allow("recruiter", "ats", "candidate"),
)
def delete_candidate(candidate_id: str, db: DB, key: CurrentKey) -> Response:
    cand = _own(db, key, candidate_id)
    queries.erase_candidate(db, cand)
    db.commit()
    return Response(status_code=204)


@router.get(
    "/{candidate_id}/report/{role_id}",
    summary="A candidate's fit / gap report for a role",
    **allow("recruiter", "candidate"),
    **typed(CandidateReport),
)
def candidate_report(candidate_id: str, role_id: str, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    cand = _own(db, key, candidate_id)
    row = queries.get_role(db, key.tenant_id, role_id)
    if row is None or (key.role == "candidate" and not queries.is_invited(db, cand, role_id)):
        raise NotFound("role")  # a candidate sees reports only for the roles they were invited to (as on /web)
    if cand.status != "parsed":
        raise ApiError(409, "no_resume", "this candidate has not uploaded a résumé yet")
    engine = state.engine()
    out = report_view(effective_profiles(db, engine, [cand])[0], role_of_row(row, engine), engine)
    return {"candidate_id": cand.id, "role_id": row.id, "role_revision": row.revision, "report": out}
