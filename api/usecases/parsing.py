"""Parsing in the worker processes: a résumé into a profile, a job description into a role. Both
block (run them in a thread: :func:`threaded`); a worker's failure becomes the API's problem. With a
``tenant_id`` the worker parses on that tenant's taxonomy (its own additions go with the task)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from matcher import CompiledRole, Profile, Role, RoleError, RoleSpec, TaxonomyAdditions, load_role_spec, resolve_spec

from ..errors import ApiError
from ..state import AppState
from ..workers import ParseFailed
from .inputs import ResumeInput, RoleInput


def _raise_parse(exc: ParseFailed) -> None:
    raise ApiError(exc.status, exc.code, exc.message) from None


def parse_resume(state: AppState, inp: ResumeInput, tenant_id: str | None = None) -> Profile:
    """Blocking: run in a thread. Raises ApiError / MatcherError."""
    try:
        return state.pool().run("profile", inp.data, inp.as_of, taxonomy=_own(state, tenant_id))
    except ParseFailed as exc:
        _raise_parse(exc)


def _own(state: AppState, tenant_id: str | None) -> TaxonomyAdditions | None:
    return state.additions(tenant_id) if tenant_id is not None else None


def match_resume(state: AppState, inp: ResumeInput, compiled: CompiledRole,
                 taxonomy: TaxonomyAdditions | None = None) -> dict[str, Any]:
    """Blocking: a résumé's ``FitReport`` against a compiled role (compiled on the tenant's taxonomy,
    whose additions are ``taxonomy``), parsed and reported in a worker."""
    try:
        return state.pool().run("match", inp.data, (inp.as_of, compiled), taxonomy=taxonomy)
    except ParseFailed as exc:
        _raise_parse(exc)


async def match_resume_async(state: AppState, inp: ResumeInput, compiled: CompiledRole,
                             taxonomy: TaxonomyAdditions | None = None) -> dict[str, Any]:
    """``match_resume`` awaited on the event loop: no thread waits while the worker parses."""
    pool = state.pool() if state.pool_ready else await run_in_threadpool(state.pool)
    try:
        return await pool.run_async("match", inp.data, (inp.as_of, compiled), taxonomy=taxonomy)
    except ParseFailed as exc:
        _raise_parse(exc)


def role_from_input(state: AppState, inp: RoleInput, tenant_id: str | None = None,
                    own: TaxonomyAdditions | None = None) -> tuple[Role, dict[str, Any], list[str]]:
    """Blocking. (resolved role, the editable spec as stored, warnings). A spec is resolved here;
    a job description is parsed in a worker. ``own``: the tenant's additions when already read."""
    own = own if own is not None else _own(state, tenant_id)
    engine = state.engine_for(own)
    if inp.spec is not None:
        spec = load_role_spec(inp.spec)
        return resolve_spec(spec, engine.taxonomy), spec_dict(spec), []
    data, filename = inp.job_bytes()
    if not data.strip():
        raise RoleError("the job description is empty")
    try:
        role, spec, warnings = state.pool().run("role", data, filename, taxonomy=own)
    except ParseFailed as exc:
        _raise_parse(exc)
    return role, spec_dict(spec), list(warnings)


def spec_dict(spec: RoleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude_none=True)


async def threaded(fn, *args, **kwargs):
    return await run_in_threadpool(fn, *args, **kwargs)
