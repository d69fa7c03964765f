"""Stateless matching for ATSs: one résumé, or a batch, against one role; nothing is stored."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from matcher import SCORING_VERSION, CompiledRole, MatcherError, Role, TaxonomyAdditions

from ..errors import ApiError, problem_for_exception
from ..state import AppState
from .inputs import BatchInput, ResumeInput, RoleInput
from .parsing import match_resume, match_resume_async, role_from_input
from .roles import role_of_row, role_or_404


def resolve_role(state: AppState, db: Session, tenant_id: str, inp: RoleInput,
                 own: TaxonomyAdditions | None = None) -> Role:
    """Blocking: a stored role (by id) or one read from the input; ``own``: the tenant's additions,
    when already read."""
    if inp.role_id is not None:
        engine = state.engine_for(own) if own is not None else state.engine(tenant_id, db)
        role = role_of_row(role_or_404(db, tenant_id, inp.role_id), engine)
        db.rollback()  # nothing more to read: the connection goes back to the pool before any parse
        return role
    db.rollback()  # the job description parses in a worker: no connection held meanwhile
    return role_from_input(state, inp, tenant_id, own)[0]


async def match_one(state: AppState, db: Session, tenant_id: str, resume: ResumeInput,
                    role_inp: RoleInput) -> dict[str, Any]:
    """``MatchOut``. The role is read and compiled (cached, on the tenant's taxonomy) in one thread;
    the résumé is parsed and reported in a worker whose answer is awaited on the event loop."""

    def role_and_compiled() -> tuple[Role, CompiledRole, TaxonomyAdditions]:
        own = state.additions(tenant_id, db)
        role = resolve_role(state, db, tenant_id, role_inp, own)  # gives the connection back
        return role, state.compiled(role, state.engine_for(own)), own

    role, compiled, own = await run_in_threadpool(role_and_compiled)
    report = await match_resume_async(state, resume, compiled, own)
    return {"role": {"title": role.title}, "scoring_version": report["scoring_version"],
            "taxonomy_version": report["taxonomy_version"], "report": report}


def match_many(state: AppState, db: Session, tenant_id: str, inputs: list[BatchInput],
               role_inp: RoleInput) -> dict[str, Any]:
    """Blocking. ``BatchOut``: best first, the résumés that could not be read last with their problem."""
    own = state.additions(tenant_id, db)
    role = resolve_role(state, db, tenant_id, role_inp, own)
    engine = state.engine_for(own)
    compiled = state.compiled(role, engine)

    def one(item: BatchInput) -> dict[str, Any]:
        ident, inp, err = item
        if err is None:
            try:
                report = match_resume(state, inp, compiled, own)
                return {"id": ident, "score": report["score"], "report": report}
            except (ApiError, MatcherError) as exc:
                err = exc
        return {"id": ident, "error": json.loads(problem_for_exception(err).body)}

    with ThreadPoolExecutor(max_workers=state.settings.parse_workers) as ex:  # one thread per parse worker
        done = list(ex.map(one, inputs))
    ok = sorted((d for d in done if "error" not in d), key=lambda r: -r["score"])
    failed = [d for d in done if "error" in d]
    return {"role": {"title": role.title}, "scoring_version": SCORING_VERSION,
            "taxonomy_version": engine.taxonomy.version, "results": ok + failed}
