"""Ranking: the tenant's candidates for a role, best first, with full fit reports for the page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from matcher.scoring import SCORING_VERSION

from ..deps import DB, CurrentKey, Limit, Offset, State, allow
from ..errors import COMMON_RESPONSES, NotFound
from ..service import ranked_page
from ..schemas import RankingOut, typed
from ..store import queries

router = APIRouter(prefix="/v1/roles", tags=["ranking"], responses=COMMON_RESPONSES)


@router.get(
    "/{role_id}/ranking",
    summary="Ranked fit reports for a role",
    description="Scores are cached per (role revision, scoring version, taxonomy version) and recomputed "
    "(vectorized) when stale; full fit reports are built only for the returned page.",
    **allow("recruiter"),
    **typed(RankingOut),
)
def ranking(
    role_id: str,
    state: State,
    db: DB,
    key: CurrentKey,
    limit: Limit = 20,
    offset: Offset = 0,
    min_score: Annotated[float | None, Query(ge=0, le=100, description="only scores >= this")] = None,
    all_required_met: Annotated[bool | None, Query(description="only candidates meeting every required group")] = None,
) -> dict[str, Any]:
    row = queries.get_role(db, key.tenant_id, role_id)
    if row is None:
        raise NotFound("role")
    total, recomputed, rows = ranked_page(db, state, key.tenant_id, row, min_score=min_score,
                                          all_required_met=all_required_met, limit=limit, offset=offset)
    return {
        "role": {"id": row.id, "title": row.title, "revision": row.revision},
        "scoring_version": SCORING_VERSION,
        "taxonomy_version": state.engine().taxonomy.version,
        "total": total,
        "limit": limit,
        "offset": offset,
        "recomputed": recomputed,
        "results": [
            {
                "rank": r.rank,
                "candidate": {"id": r.candidate.id, "name": r.candidate.name, "external_id": r.candidate.external_id,
                              "filename": r.candidate.filename},
                "score": r.score.score,
                "all_required_met": r.score.all_required_met,
                "scoring_version": r.score.scoring_version,
                "taxonomy_version": r.score.taxonomy_version,
                "report": r.report,
            }
            for r in rows
        ],
    }
