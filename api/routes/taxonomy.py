"""The taxonomy as the caller's tenant has it: skill autocomplete over names and aliases, and the
tenant's own additions (aliases and skills; admin keys write them). A change re-scores that tenant only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..deps import DB, CurrentKey, State, allow
from ..errors import COMMON_RESPONSES, problem_schema
from ..schemas import SkillSearch, SuggestionList, TaxonomyChange, TenantTaxonomy, typed
from ..usecases import taxonomy as uc

router = APIRouter(prefix="/v1/taxonomy", tags=["taxonomy"], responses=COMMON_RESPONSES)

READ = ("recruiter", "ats", "admin")
WRITE_ERRORS = {409: problem_schema("the name already names a skill", "taxonomy_conflict", 409),
                422: problem_schema("the name or category can't be used", "invalid_taxonomy_addition", 422)}
Name = Annotated[str, Field(min_length=1, max_length=80)]


class AliasIn(BaseModel):
    skill: str = Field(min_length=1, max_length=100, description="The skill's id, name or one of its aliases.",
                       examples=["kubernetes"])
    alias: Name = Field(examples=["kube"])


class SkillIn(BaseModel):
    name: Name = Field(examples=["Lighthouse Deploy"])
    category: str = Field(max_length=64, description="One of the taxonomy's categories (`GET /v1/taxonomy`).",
                          examples=["devops_ci"])
    aliases: list[Name] = Field(default=[], max_length=20, examples=[["lh-deploy"]])


@router.get("/skills", summary="Search skills by name or alias", **allow("candidate", "recruiter", "ats", "admin"),
            **typed(SkillSearch))
def search_skills(state: State, db: DB, key: CurrentKey,
                  q: Annotated[str, Query(min_length=1, max_length=100, examples=["pytor"])],
                  limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    tax = state.engine(key.tenant_id, db).taxonomy
    return {
        "taxonomy_version": tax.version,
        "items": [{"id": s.id, "name": s.name, "category": s.category, "aliases": list(s.aliases)} for s in tax.search(q, limit)],
    }


@router.get("", summary="The tenant's taxonomy: its version and its own aliases and skills",
            **allow(*READ), **typed(TenantTaxonomy))
def get_taxonomy(state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    return uc.taxonomy_view(state, db, key.tenant_id)


@router.get("/suggestions", summary="Tools the tenant's candidates mention that its taxonomy does not know",
            description="Most résumés first, with spellings and example lines: candidates to add as skills or aliases. "
                        "Recruiter and admin keys only: the example lines are résumé text, which ATS keys cannot read.",
            **allow("recruiter", "admin"), **typed(SuggestionList))
def get_suggestions(state: State, db: DB, key: CurrentKey,
                    limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return {"taxonomy_version": state.engine(key.tenant_id, db).taxonomy.version,
            "items": uc.suggestions(state, db, key.tenant_id, limit)}


@router.post("/aliases", status_code=201, summary="Add an alias for a skill (re-scores the tenant)",
             responses=WRITE_ERRORS, **allow("admin"), **typed(TaxonomyChange))
def add_alias(body: AliasIn, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    return uc.add_alias(state, db, key.tenant_id, key.id, body.skill, body.alias)


@router.delete("/aliases/{alias_id}", status_code=204, summary="Remove an alias the tenant added (re-scores the tenant)",
               description="The re-score job is `rescore_job_id` of `GET /v1/taxonomy`.", **allow("admin"))
def remove_alias(alias_id: str, state: State, db: DB, key: CurrentKey) -> Response:
    uc.remove_addition(state, db, key.tenant_id, "alias", alias_id)
    return Response(status_code=204)


@router.post("/skills", status_code=201, summary="Add a skill of the tenant's own (re-scores the tenant)",
             responses=WRITE_ERRORS, **allow("admin"), **typed(TaxonomyChange))
def add_skill(body: SkillIn, state: State, db: DB, key: CurrentKey) -> dict[str, Any]:
    return uc.add_skill(state, db, key.tenant_id, key.id, body.name, body.category, body.aliases)


@router.delete("/skills/{addition_id}", status_code=204,
               summary="Remove a skill the tenant added, with its aliases (re-scores the tenant)",
               description="The re-score job is `rescore_job_id` of `GET /v1/taxonomy`.", **allow("admin"))
def remove_skill(addition_id: str, state: State, db: DB, key: CurrentKey) -> Response:
    uc.remove_addition(state, db, key.tenant_id, "skill", addition_id)
    return Response(status_code=204)
