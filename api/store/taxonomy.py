"""A tenant's own taxonomy additions (``TaxonomyAddition`` rows) and the value the engine takes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher import AliasAddition, SkillAddition, TaxonomyAdditions

from .models import Candidate, TaxonomyAddition
from .queries import new_id, now


def rows_of(db: Session, tenant_id: str) -> Sequence[TaxonomyAddition]:
    return db.scalars(select(TaxonomyAddition).where(TaxonomyAddition.tenant_id == tenant_id)
                      .order_by(TaxonomyAddition.created_at, TaxonomyAddition.id)).all()


def additions_from_rows(rows: Sequence[TaxonomyAddition]) -> TaxonomyAdditions:
    """The engine's value: each skill with the aliases that name it, and the aliases of other skills."""
    own = {r.skill_id for r in rows if r.kind == "skill"}
    skills = tuple(SkillAddition(r.name, r.category or "", tuple(a.name for a in rows
                                                                 if a.kind == "alias" and a.skill_id == r.skill_id))
                   for r in rows if r.kind == "skill")
    aliases = tuple(AliasAddition(r.skill_id, r.name) for r in rows if r.kind == "alias" and r.skill_id not in own)
    return TaxonomyAdditions(skills, aliases)


def additions_of(db: Session, tenant_id: str) -> TaxonomyAdditions:
    return additions_from_rows(rows_of(db, tenant_id))


def get_addition(db: Session, tenant_id: str, kind: str, addition_id: str) -> TaxonomyAddition | None:
    return db.scalar(select(TaxonomyAddition).where(TaxonomyAddition.tenant_id == tenant_id,
                                                    TaxonomyAddition.kind == kind, TaxonomyAddition.id == addition_id))


def add(db: Session, tenant_id: str, kind: str, skill_id: str, name: str, category: str | None,
        created_by: str) -> TaxonomyAddition:
    row = TaxonomyAddition(id=new_id(), tenant_id=tenant_id, kind=kind, skill_id=skill_id, name=name,
                           category=category, created_by=created_by, created_at=now())
    db.add(row)
    db.flush()
    return row


def remove(db: Session, row: TaxonomyAddition) -> None:
    """Remove an addition; removing a skill removes the aliases that name it."""
    if row.kind == "skill":
        db.execute(delete(TaxonomyAddition).where(TaxonomyAddition.tenant_id == row.tenant_id,
                                                   TaxonomyAddition.kind == "alias",
                                                   TaxonomyAddition.skill_id == row.skill_id))
    db.delete(row)
    db.flush()


def outdated_candidates(db: Session, tenant_id: str, taxonomy_version: str) -> list[str]:
    """Ids of the tenant's parsed candidates whose profile was made under another taxonomy version."""
    return list(db.scalars(select(Candidate.id).where(Candidate.tenant_id == tenant_id, Candidate.status == "parsed",
                                                      Candidate.taxonomy_version != taxonomy_version)
                           .order_by(Candidate.created_at, Candidate.id)))


def recent_profiles(db: Session, tenant_id: str, limit: int) -> Sequence[tuple[dict, str]]:
    """(profile, text) of the tenant's most recent parsed candidates, for the unresolved mentions."""
    return db.execute(select(Candidate.profile, Candidate.text).where(
        Candidate.tenant_id == tenant_id, Candidate.status == "parsed")
        .order_by(Candidate.created_at.desc()).limit(limit)).all()
