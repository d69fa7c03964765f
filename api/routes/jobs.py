"""Background jobs: bulk imports, CSV exports, retraining; follow any job by its id."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .. import jobs
from ..deps import DB, CurrentKey, State, StoredRole, allow
from ..errors import COMMON_RESPONSES, ApiError, NotFound, problem_schema
from ..schemas import ExportOut, JobOut, typed
from ..usecases.jobs import job_view
from ..usecases.parsing import threaded

router = APIRouter(prefix="/v1", tags=["jobs"], responses=COMMON_RESPONSES)

ACCEPTED = {"status_code": 202}


def _job_or_404(db, key, job_id: str):
    job = jobs.get_job(db, key.tenant_id, job_id)
    if job is None:
        raise NotFound("job")
    return job


@router.get("/jobs/{job_id}", summary="A job's status, progress, result or error",
            **allow("recruiter", "ats", "admin"), **typed(JobOut))
def get_job(job_id: str, db: DB, key: CurrentKey) -> dict[str, Any]:
    return job_view(_job_or_404(db, key, job_id))


@router.get("/jobs/{job_id}/result", summary="An export job's CSV",
            description="With `Accept: text/csv` the file itself (a download); otherwise JSON with the CSV as a string.",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
                       409: problem_schema("the job has no file (yet)", "job_not_done", 409)},
            **allow("recruiter"), **typed(ExportOut))
def job_result(request: Request, job_id: str, db: DB, key: CurrentKey) -> Any:
    job = _job_or_404(db, key, job_id)
    if job.kind != "export" or job.status != "succeeded" or job.artifact is None:
        raise ApiError(409, "job_not_done", f"job {job.id} has no file to download (status {job.status})")
    if "text/csv" in request.headers.get("accept", ""):
        return Response(job.artifact, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="ranking-{job.id[:8]}.csv"'})
    return {"job_id": job.id, "rows": (job.result or {}).get("rows", 0), "csv": job.artifact.decode("utf-8")}


IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary",
                                                                                 "description": "a ZIP of résumés"}}}},
    "application/json": {"schema": {"type": "object", "properties": {"resumes": {"type": "array", "items": {
        "type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                         "text": {"type": "string"}}}}}}},
}}}


async def _import_body(request: Request) -> tuple[bytes, str, int | None]:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=1)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "invalid_request", "send the ZIP as the multipart field 'file'")
        data = await upload.read()
        if not data.startswith(b"PK"):
            raise ApiError(415, "unsupported_format", "an import file must be a ZIP archive")
        return data, "zip", None
    try:
        body = json.loads(await request.body())
        items = body["resumes"]
        assert isinstance(items, list) and all(isinstance(i, dict) and isinstance(i.get("text"), str) for i in items)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ApiError(422, "invalid_request", 'JSON must be {"resumes": [{"text": ..., "id"?, "name"?}, ...]}') from None
    return json.dumps({"resumes": items}).encode(), "json", len(items)


@router.post("/imports", summary="Import many résumés as a job",
             description="A ZIP of résumé files (multipart `file`) or a JSON batch. Answers 202 with the job; "
             "follow it at `GET /v1/jobs/{id}` (progress in résumés; the result lists the ones that failed).",
             **ACCEPTED, **allow("recruiter", "ats", extra=IMPORT_BODY), **typed(JobOut))
async def create_import(request: Request, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    data, fmt, total = await _import_body(request)
    job = await threaded(jobs.submit, state, db, key.tenant_id, "import", {"format": fmt}, payload=data, total=total)
    return job_view(job)


@router.post("/roles/{role_id}/exports", summary="Export a role's ranking as CSV, as a job",
             description="Answers 202 with the job; its CSV is at `GET /v1/jobs/{id}/result` once it succeeded.",
             **ACCEPTED, **allow("recruiter"), **typed(JobOut))
def create_export(row: StoredRole, state: State, db: DB, key: CurrentKey,
                  min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
                  all_required_met: Annotated[bool | None, Query()] = None) -> dict[str, Any]:
    params = {"role_id": row.id, "min_score": min_score, "all_required_met": all_required_met, "key_id": key.id}
    return job_view(jobs.submit(state, db, key.tenant_id, "export", params))


@router.post("/models/retrain/jobs", summary="Retrain the learned order as a job",
             description="As `POST /v1/models/retrain`, in the background: 202 with the job; its result is the "
             "model, or its error `not_enough_decisions`.",
             **ACCEPTED, **allow("recruiter", "admin"), **typed(JobOut))
def create_retrain(state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    return job_view(jobs.submit(state, db, key.tenant_id, "retrain", {}, dedupe_key="retrain"))
