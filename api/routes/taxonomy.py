"""Skill autocomplete over the taxonomy (names and aliases)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..deps import CurrentKey, State, allow
from ..errors import COMMON_RESPONSES
from ..schemas import SkillSearch, typed

router = APIRouter(prefix="/v1/taxonomy", tags=["taxonomy"], responses=COMMON_RESPONSES)


@router.get("/skills", summary="Search skills by name or alias", **allow("candidate", "recruiter", "ats", "admin"),
            **typed(SkillSearch))
def search_skills(state: State, key: CurrentKey, q: Annotated[str, Query(min_length=1, max_length=100, examples=["pytor"])],
                  limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    tax = state.engine().taxonomy
    return {
        "taxonomy_version": tax.version,
        "items": [{"id": s.id, "name": s.name, "category": s.category, "aliases": list(s.aliases)} for s in tax.search(q, limit)],
    }
