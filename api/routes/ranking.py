"""Ranking: the tenant's candidates for a role, best first, with full fit reports for the page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from ..deps import DB, CurrentKey, Limit, Offset, State, StoredRole, allow
from ..errors import COMMON_RESPONSES
from ..usecases.ranking import RankingQuery, freshen, model_out, ranked_page, ranking_body, tenant_model
from ..schemas import RankingOut, typed

router = APIRouter(prefix="/v1/roles", tags=["ranking"], responses=COMMON_RESPONSES)


@router.get(
    "/{role_id}/ranking",
    summary="Ranked fit reports for a role",
    description="Scores are cached per (role revision, scoring version, taxonomy version) and recomputed "
    "(vectorized) when stale; full fit reports are built only for the returned page. Past "
    "`SKILLMATCH_RANKING_INLINE_MAX` stale candidates (a role edit or a taxonomy upgrade over a large pool) a "
    "refresh job is queued and the last complete ranking is served with `stale: true`, its age and the job's id.",
    **allow("recruiter"),
    **typed(RankingOut),
)
def ranking(
    row: StoredRole,
    state: State,
    db: DB,
    key: CurrentKey,
    limit: Limit = 20,
    offset: Offset = 0,
    min_score: Annotated[float | None, Query(ge=0, le=100, description="only scores >= this")] = None,
    all_required_met: Annotated[bool | None, Query(description="only candidates meeting every required group")] = None,
    order: Annotated[Literal["score", "learned"], Query(
        description="score: the rule score; learned: P(advance) from the tenant's model of its decisions "
        "(409 no_learned_model without one)")] = "score",
) -> dict[str, Any]:
    stale = freshen(db, state, key.tenant_id, row)
    found = tenant_model(db, key.tenant_id)
    total, recomputed, rows = ranked_page(db, state, key.tenant_id, row, RankingQuery(min_score, all_required_met, order),
                                          limit, offset, shown_to=key.id, refresh=stale is None, found=found)
    return {**ranking_body(state, row, total, recomputed, rows, limit, offset, order, model_out(found),
                         db=db),
            **(stale or {"stale": False})}
