"""A tenant's own taxonomy: aliases and skills it adds to the bundled one (company-internal tools,
other names for known skills), read and written by ``/v1/taxonomy`` and the taxonomy web page.

The engine checks an addition (``matcher.extend_taxonomy``: a name that already names a skill is
``taxonomy_conflict``, an ordinary word or an unknown category ``invalid_taxonomy_addition``); the
tenant's taxonomy version is the bundled one's with a digest of its additions
(``2026.11.1+t.3f9a1c2b7d40``). A change queues one ``retaxonomy`` job for that tenant alone: its
candidates parsed under another version are parsed again, then every role's scores refreshed (the
stale-score refresh of a ranking), so other tenants' profiles and scores are never touched.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import (
    AliasAddition,
    MatcherError,
    SkillAddition,
    TaxonomyAdditionError,
    TaxonomyConflict,
    TaxonomyAdditions,
    extend_taxonomy,
    unresolved_suggestions,
    usable_additions,
)

from .. import jobs
from ..errors import NotFound
from ..state import AppState
from ..store import queries
from ..store import taxonomy as store
from ..store.models import Job, TaxonomyAddition, utc_iso
from .candidates import reparse_outdated
from .ranking import _refreshed
from .roles import role_of_row

#: candidates parsed again and committed together (one progress step of the job)
RESCORE_CHUNK = 50
#: the unresolved mentions are counted over this many of the tenant's most recent candidates
SUGGESTION_CANDIDATES = 2000


def _item(row: TaxonomyAddition, names: dict[str, str]) -> dict[str, Any]:
    out = {"id": row.id, "skill_id": row.skill_id, "name": row.name, "created_at": utc_iso(row.created_at),
           "created_by": row.created_by}
    if row.kind == "skill":
        out["category"] = row.category
    else:
        out["skill_name"] = names.get(row.skill_id, row.skill_id)
    return out


def taxonomy_view(state: AppState, db: Session, tenant_id: str) -> dict[str, Any]:
    """``TaxonomyOut``: the versions, the tenant's own skills (each with its aliases) and aliases of
    bundled skills, additions a newer bundled taxonomy made unusable, and the running re-score job."""
    rows = store.rows_of(db, tenant_id)
    raw = store.additions_from_rows(rows)
    engine = state.engine_for(raw)
    names = {r.skill_id: s.name for r in rows if (s := engine.taxonomy.get(r.skill_id)) is not None}
    dropped = usable_additions(state.engine().taxonomy, raw)[1] if raw else ()
    skills = [dict(_item(r, names), aliases=[_item(a, names) for a in rows if a.kind == "alias" and a.skill_id == r.skill_id])
              for r in rows if r.kind == "skill"]
    own = {r.skill_id for r in rows if r.kind == "skill"}
    live = rescore_job(db, tenant_id)
    return {"base_version": state.engine().taxonomy.version, "taxonomy_version": engine.taxonomy.version,
            "categories": dict(engine.taxonomy.categories), "skills": skills,
            "aliases": [_item(r, names) for r in rows if r.kind == "alias" and r.skill_id not in own],
            "unusable": list(dropped), "rescore_job_id": live.id if live is not None else None}


def _checked(state: AppState, db: Session, tenant_id: str, new: TaxonomyAdditions) -> None:
    """Raise the engine's error when ``new`` can't join the tenant's current additions (those still usable):
    a name taken by a bundled or an added skill, too many additions in all, a bad name."""
    base = state.engine().taxonomy
    kept = usable_additions(base, state.additions(tenant_id, db))[0]
    extend_taxonomy(base, TaxonomyAdditions((*kept.skills, *new.skills), (*kept.aliases, *new.aliases)))


def add_alias(state: AppState, db: Session, tenant_id: str, actor: str, skill: str, alias: str) -> dict[str, Any]:
    """A new alias for ``skill`` (an id, a name or an alias of a skill in the tenant's taxonomy); committed,
    and the tenant's candidates re-scored. ``TaxonomyChange``."""
    tax = state.engine(tenant_id, db).taxonomy
    target = tax.get(skill.strip()) or tax.resolve(skill)
    if target is None:
        raise TaxonomyAdditionError(f"unknown skill {skill.strip()[:100]!r}: give a skill id or name of the taxonomy")
    _checked(state, db, tenant_id, TaxonomyAdditions(aliases=(AliasAddition(target.id, alias),)))
    row = store.add(db, tenant_id, "alias", target.id, " ".join(alias.split()), None, actor)
    return _changed(state, db, tenant_id, _item(row, {target.id: target.name}))


def add_skill(state: AppState, db: Session, tenant_id: str, actor: str, name: str, category: str,
              aliases: list[str]) -> dict[str, Any]:
    """A new skill of the tenant's own, with its aliases; committed, candidates re-scored. ``TaxonomyChange``."""
    addition = SkillAddition(name, category, tuple(aliases))
    _checked(state, db, tenant_id, TaxonomyAdditions(skills=(addition,)))
    clean = " ".join(name.split())
    row = store.add(db, tenant_id, "skill", addition.id, clean, category, actor)
    made = [store.add(db, tenant_id, "alias", addition.id, " ".join(a.split()), None, actor) for a in aliases]
    names = {addition.id: clean}
    return _changed(state, db, tenant_id, dict(_item(row, names), aliases=[_item(a, names) for a in made]))


def remove_addition(state: AppState, db: Session, tenant_id: str, kind: str, addition_id: str) -> dict[str, Any]:
    """Remove one of the tenant's aliases, or skills (with the aliases that name it); committed,
    candidates re-scored. ``TaxonomyChange``."""
    row = store.get_addition(db, tenant_id, kind, addition_id)
    if row is None:
        raise NotFound("alias" if kind == "alias" else "skill")
    store.remove(db, row)
    in_use = _roles_broken(state, db, tenant_id)  # read in this transaction: without the removed rows
    if in_use:
        db.rollback()
        raise TaxonomyConflict(f"{row.name!r} is named by the role(s) {', '.join(in_use)}: edit them first "
                               "(or keep the name there under free_text)")
    return _changed(state, db, tenant_id, None)


def _roles_broken(state: AppState, db: Session, tenant_id: str) -> list[str]:
    """Titles of the tenant's roles whose specs would no longer resolve on its taxonomy as it now reads."""
    engine = state.engine(tenant_id, db)
    broken = []
    for role in queries.all_roles(db, tenant_id):
        try:
            role_of_row(role, engine)
        except MatcherError:
            broken.append(repr(role.title))
    return broken[:5]


def _changed(state: AppState, db: Session, tenant_id: str, item: dict[str, Any] | None) -> dict[str, Any]:
    db.commit()
    version = state.engine(tenant_id, db).taxonomy.version
    job = jobs.submit(state, db, tenant_id, "retaxonomy", {"taxonomy_version": version},
                      dedupe_key=f"retaxonomy:{version}")
    return {**({"item": item} if item is not None else {}), "taxonomy_version": version, "rescore_job_id": job.id}


def rescore_job(db: Session, tenant_id: str) -> Job | None:
    """The tenant's queued or running re-score, if any."""
    return db.scalar(select(Job).where(Job.tenant_id == tenant_id, Job.kind == "retaxonomy",
                                       Job.status.not_in(jobs.DONE)).order_by(Job.created_at.desc()).limit(1))


def suggestions(state: AppState, db: Session, tenant_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """The tools the tenant's candidates mention that its taxonomy does not know, most résumés first
    (``matcher.unresolved_suggestions``, as ``matcher taxonomy suggest`` lists them for files)."""
    rows = store.recent_profiles(db, tenant_id, SUGGESTION_CANDIDATES)
    return unresolved_suggestions(((p, t, None) for p, t in rows), limit, state.engine(tenant_id, db).taxonomy)


def run_retaxonomy(state, db: Session, job: Job) -> dict[str, Any]:
    """The job: the tenant's candidates parsed under another taxonomy version parsed again (chunk by
    chunk, with progress), then each role's stale scores recomputed."""
    own = state.additions(job.tenant_id, db)  # read once: every chunk parses on the same taxonomy
    version = state.engine_for(own).taxonomy.version
    ids = store.outdated_candidates(db, job.tenant_id, version)
    db.rollback()
    reparsed = 0
    for start in range(0, len(ids), RESCORE_CHUNK):
        chunk = queries.candidates_by_ids(db, job.tenant_id, ids[start:start + RESCORE_CHUNK])
        reparsed += reparse_outdated(state, db, list(chunk.values()), own)
        jobs.progress(db, job, min(start + RESCORE_CHUNK, len(ids)), len(ids))
    recomputed, skipped = 0, []
    for row in queries.all_roles(db, job.tenant_id):
        try:  # a role that no longer resolves (its spec names a removed addition) is reported, not fatal
            recomputed += _refreshed(db, state, job.tenant_id, row)[1]
        except MatcherError as exc:
            db.rollback()
            skipped.append({"role_id": row.id, "code": exc.code})
    return {"taxonomy_version": version, "reparsed": reparsed, "outdated": len(ids), "recomputed": recomputed,
            "roles_skipped": skipped}
