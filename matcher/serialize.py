"""Plain-JSON views of engine values. These shapes are the CLI/API contract: add fields, never
rename or remove them."""

from __future__ import annotations

from datetime import date
from typing import Any

from .types import Position, Profile, ProfileSkill, Section, SkillMention, page_at


def month(d: date | None) -> str | None:
    return None if d is None else f"{d.year:04d}-{d.month:02d}"


def mention_to_dict(m: SkillMention, page: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "section": m.section,
        "position": m.position,
        "source": m.source,
    }
    if page is not None:
        out["page"] = page
    return out


def skill_to_dict(s: ProfileSkill, pages: dict[int, int] | None = None) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "category": s.category,
        "years": s.years,
        "last_used": month(s.last_used),
        "sources": list(s.sources),
        "evidence": [mention_to_dict(m, (pages or {}).get(m.start)) for m in s.evidence],
    }


def position_to_dict(p: Position, skills: list[str]) -> dict[str, Any]:
    return {
        "title": p.title,
        "organization": p.organization,
        "start": month(p.start),
        "end": month(p.end),
        "current": p.current,
        "date_text": p.date_text,
        "skills": skills,
    }


def section_to_dict(s: Section) -> dict[str, Any]:
    return {"kind": s.kind, "heading": s.heading, "start": s.start, "end": s.end}


def profile_to_dict(profile: Profile, source: str | None = None) -> dict[str, Any]:
    """The ``matcher parse --json`` object for one file (evidence carries its page for PDFs)."""
    by_position: dict[int, list[str]] = {}
    for s in profile.skills:
        for m in s.evidence:
            if m.position is not None and s.id not in by_position.setdefault(m.position, []):
                by_position[m.position].append(s.id)
    pages = None
    if profile.pages:
        pages = {m.start: page_at(profile.pages, m.start) for s in profile.skills for m in s.evidence}
    out: dict[str, Any] = {} if source is None else {"source": source}
    out.update(
        {
            "experience_years": profile.experience_years,
            "skills": [skill_to_dict(s, pages) for s in profile.skills],
            "positions": [position_to_dict(p, by_position.get(p.index, [])) for p in profile.positions],
            "sections": [section_to_dict(s) for s in profile.sections],
            "warnings": list(profile.warnings),
            "interests": list(profile.interests),
            "hidden_skills": list(profile.hidden_skills),
            "as_of": profile.as_of.isoformat(),
            "taxonomy_version": profile.taxonomy_version,
        }
    )
    return out
