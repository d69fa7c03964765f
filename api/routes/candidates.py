"""Candidates: upload (file, text or JSON Resume), get the parsed profile, list, erase, gap reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import DB, CurrentKey, IdempotencyKey, Limit, Offset, State, StoredCandidate, allow
from ..errors import COMMON_RESPONSES, NotFound, problem_schema
from ..usecases.candidates import candidate_view, require_resume, store_candidate
from ..usecases.idempotency import create_once
from ..usecases.inputs import read_resume
from ..usecases.parsing import parse_resume, threaded
from ..usecases.ranking import candidate_report as report_of
from ..usecases.ranking import log_report_shown
from ..usecases.roles import role_or_404
from ..store import audit as audit_store
from ..store import events as event_store
from ..store import queries
from ..schemas import CandidateOut, CandidatePage, CandidateReport, typed
from ._docs import resume_body

router = APIRouter(prefix="/v1/candidates", tags=["candidates"], responses=COMMON_RESPONSES)


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

    def create() -> tuple[str, dict[str, Any]]:
        cand = store_candidate(db, key.tenant_id, inp, parse_resume(state, inp, key.tenant_id), inp.name)
        return cand.id, candidate_view(cand)

    parts = ("candidates", inp.fingerprint_parts())
    return await threaded(create_once, db, key.tenant_id, idempotency_key, parts, "candidate", create)


@router.get("", summary="List candidates", **allow("recruiter"), **typed(CandidatePage))
def list_candidates(db: DB, key: CurrentKey, limit: Limit = 20,
                    offset: Offset = 0) -> dict[str, Any]:
    total, rows = queries.list_candidates(db, key.tenant_id, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [candidate_view(c, with_profile=False) for c in rows]}


@router.get("/{candidate_id}", summary="Get a candidate's parsed profile", **allow("recruiter", "candidate"),
            **typed(CandidateOut))
def get_candidate(cand: StoredCandidate) -> dict[str, Any]:
    return candidate_view(cand)


@router.delete(
    "/{candidate_id}",
    status_code=204,
    summary="Erase a candidate",
    description="Erasure: the stored document, parsed profile, cached text, scores, the candidate's keys and any "
    "stored idempotent responses are deleted.",
    **allow("recruiter", "ats", "candidate"),
)
def delete_candidate(cand: StoredCandidate, db: DB) -> Response:
    audit_store.retire_candidate(db, cand)  # anonymous audit counts stay; the self-identification goes
    event_store.forget_candidate(db, cand.tenant_id, cand.id)
    queries.erase_candidate(db, cand)
    db.commit()
    return Response(status_code=204)


@router.get(
    "/{candidate_id}/report/{role_id}",
    summary="A candidate's fit / gap report for a role",
    **allow("recruiter", "candidate"),
    **typed(CandidateReport),
)
def candidate_report(cand: StoredCandidate, role_id: str, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    if key.role == "candidate" and not queries.is_invited(db, cand, role_id):
        raise NotFound("role")  # a candidate sees reports only for the roles they were invited to (as on /web)
    row = role_or_404(db, key.tenant_id, role_id)
    require_resume(cand)
    fixes = queries.corrections_of(db, key.tenant_id, [cand.id])
    _, out = report_of(db, state.engine(key.tenant_id, db), cand, row, fixes)
    log_report_shown(db, cand, row, out, key.id, fixes)
    return {"candidate_id": cand.id, "role_id": row.id, "role_revision": row.revision, "report": out}
