"""Stateless match for ATSs: one résumé (or many) against one role (id, spec or job text)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, Request

from matcher.errors import MatcherError
from matcher.pipeline import Engine
from matcher.scoring import SCORING_VERSION, compile_role
from matcher.types import Role

from ..deps import DB, CurrentKey, State, allow
from ..errors import COMMON_RESPONSES, ApiError, NotFound, problem_for_exception
from ..service import (
    ROLE_KEYS,
    ResumeInput,
    RoleInput,
    content_kind,
    file_bytes,
    invalid,
    parse_resume,
    read_form,
    read_json,
    report_view,
    resume_from_form,
    resume_from_json,
    role_from_input,
    role_input_from_fields,
    role_of_row,
    safe_filename,
    threaded,
)
from ..schemas import BatchOut, MatchOut, typed
from ..store import queries
from ._docs import (
    RESUME_TEXT_EXAMPLE,
    ROLE_INPUT_FORM,
    ROLE_INPUT_JSON,
    ROLE_SPEC_EXAMPLE,
    resume_body,
)

router = APIRouter(prefix="/v1/match", tags=["match"], responses=COMMON_RESPONSES)


async def _role_input(fields: dict[str, Any], files, state) -> RoleInput:
    inp = role_input_from_fields(fields, files)
    if inp.file is not None:
        inp.file = await file_bytes(files["job_file"][0], state)
        inp.filename = safe_filename(files["job_file"][0].filename)
    return inp


def _resolve_role(state, db, key, inp: RoleInput) -> Role:
    if inp.role_id is not None:
        row = queries.get_role(db, key.tenant_id, inp.role_id)
        if row is None:
            raise NotFound("role")
        role = role_of_row(row, state.engine())
        db.rollback()  # nothing more to read: the connection goes back to the pool before any parse
        return role
    return role_from_input(state, inp)[0]


def _envelope(role: Role, engine: Engine, report: dict[str, Any]) -> dict[str, Any]:
    return {"role": {"title": role.title}, "scoring_version": report["scoring_version"],
            "taxonomy_version": report["taxonomy_version"], "report": report}


@router.post(
    "",
    summary="Match one résumé to a role",
    description="Stateless: nothing is stored. The résumé is a file, text or JSON Resume; the role is "
    "`role_id` (a stored role), `role_spec` or `job_text` (or `job_file` in multipart).",
    **allow("ats", "recruiter", extra=resume_body(ROLE_INPUT_FORM, ROLE_INPUT_JSON), parses=True),
    **typed(MatchOut),
)
async def match(request: Request, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    if content_kind(request) == "multipart":
        form = await read_form(request, state, max_files=2)
        resume = await resume_from_form(form, state)
        role_inp = await _role_input(form.fields, form.files, state)
    else:
        obj = await read_json(request)
        if not isinstance(obj, dict):
            raise invalid("body must be an object")
        role_inp = role_input_from_fields(obj)
        resume = resume_from_json({k: v for k, v in obj.items() if k not in ROLE_KEYS})

    def work() -> dict[str, Any]:
        role = _resolve_role(state, db, key, role_inp)
        profile = parse_resume(state, resume)
        engine = state.engine()
        return _envelope(role, engine, report_view(profile, role, engine))

    return await threaded(work)


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
    limit = state.settings.max_batch
    inputs: list[tuple[str, ResumeInput | None, Exception | None]] = []
    if content_kind(request) == "multipart":
        form = await read_form(request, state, max_files=limit + 1)
        files = form.files.get("files") or []
        role_inp = await _role_input(form.fields, form.files, state)
        for i, up in enumerate(files):
            inputs.append((up.filename or str(i), ResumeInput(await file_bytes(up, state), up.filename), None))
    else:
        obj = await read_json(request)
        if not isinstance(obj, dict) or not isinstance(obj.get("resumes"), list):
            raise invalid("body needs 'resumes' (a list) and one of role_id / role_spec / job_text / job_html / job")
        if len(obj["resumes"]) > limit:  # before any item is looked at
            raise ApiError(413, "batch_too_large", f"at most {limit} résumés per batch")
        role_inp = role_input_from_fields(obj)
        for i, item in enumerate(obj["resumes"]):
            ident = str(item.get("id", i)) if isinstance(item, dict) else str(i)
            try:
                r = resume_from_json({k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item)
                inputs.append((ident, r, None))
            except ApiError as exc:
                inputs.append((ident, None, exc))
    if not inputs:
        raise invalid("no résumés given")
    if len(inputs) > limit:
        raise ApiError(413, "batch_too_large", f"at most {limit} résumés per batch")

    def work() -> dict[str, Any]:
        role = _resolve_role(state, db, key, role_inp)
        engine = state.engine()
        compiled = compile_role(role, engine.taxonomy)
        def one(item):
            ident, inp, err = item
            if err is None:
                try:
                    report = report_view(parse_resume(state, inp), role, engine, compiled)
                    return {"id": ident, "score": report["score"], "report": report}
                except (ApiError, MatcherError) as exc:
                    err = exc
            return {"id": ident, "error": json.loads(problem_for_exception(err).body)}

        with ThreadPoolExecutor(max_workers=state.settings.parse_workers) as ex:  # one thread per parse worker
            done = list(ex.map(one, inputs))
        ok = [d for d in done if "error" not in d]
        failed = [d for d in done if "error" in d]
        ok.sort(key=lambda r: -r["score"])
        return {"role": {"title": role.title}, "scoring_version": SCORING_VERSION,
                "taxonomy_version": engine.taxonomy.version, "results": ok + failed}

    return await threaded(work)
