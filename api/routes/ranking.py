"""Ranking: the tenant's candidates for a role, best first, with full fit reports for the page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.exc import IntegrityError

from matcher.scoring import SCORING_VERSION

from ..deps import DB, CurrentKey, State, allow
from ..errors import COMMON_RESPONSES, NotFound
from ..service import effective_profiles, refresh_scores, report_view
from ..store import queries

router = APIRouter(prefix="/v1/roles", tags=["ranking"], responses=COMMON_RESPONSES)


@router.get(
    "/{role_id}/ranking",
    summary="Ranked fit reports for a role",
    description="Scores are cached per (role revision, scoring version, taxonomy version) and recomputed "
    "(vectorized) when stale; full fit reports are built only for the returned page.",
    **allow("recruiter"),
)
def ranking(
    role_id: str,
    state: State,
    db: DB,
    key: CurrentKey,
    limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_score: Annotated[float | None, Query(ge=0, le=100, description="only scores >= this")] = None,
    all_required_met: Annotated[bool | None, Query(description="only candidates meeting every required group")] = None,
) -> dict[str, Any]:
    row = queries.get_role(db, key.tenant_id, role_id)
    if row is None:
        raise NotFound("role")
    engine = state.engine()
    try:
        compiled, recomputed = refresh_scores(db, state, key.tenant_id, row)
        db.commit()
    except IntegrityError:  # a concurrent request stored the same scores first: use them
        db.rollback()
        compiled, recomputed = refresh_scores(db, state, key.tenant_id, row)
        db.commit()
    total, scores = queries.ranked_scores(db, key.tenant_id, row.id, min_score=min_score,
                                          all_required_met=all_required_met, limit=limit, offset=offset)
    cands = queries.candidates_by_ids(db, key.tenant_id, [s.candidate_id for s in scores])
    profiles = dict(zip([s.candidate_id for s in scores],
                        effective_profiles(db, engine, [cands[s.candidate_id] for s in scores])))
    results = []
    for i, s in enumerate(scores):
        c = cands[s.candidate_id]
        report = report_view(profiles[c.id], compiled.role, engine, compiled)
        results.append({
            "rank": offset + i + 1,
            "candidate": {"id": c.id, "name": c.name, "external_id": c.external_id, "filename": c.filename},
            "score": s.score,
            "all_required_met": s.all_required_met,
            "scoring_version": s.scoring_version,
            "taxonomy_version": s.taxonomy_version,
            "report": report,
        })
    return {
        "role": {"id": row.id, "title": row.title, "revision": row.revision},
        "scoring_version": SCORING_VERSION,
        "taxonomy_version": engine.taxonomy.version,
        "total": total,
        "limit": limit,
        "offset": offset,
        "recomputed": recomputed,
        "results": results,
    }
