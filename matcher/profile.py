"""Mentions + positions -> Profile: normalized skills with years, recency and provenance.

Rules:
- Only ``asserted`` mentions are evidence. Skills seen only in negated/aspirational mentions become
  ``interests``; skills seen only in hidden text become ``hidden_skills`` (with a warning).
- ``years`` of a skill: the merged durations of the dated positions whose text mentions it
  (overlapping positions count once). A skill never mentioned inside a dated position has
  ``years = None`` (unknown), not 0.
- ``last_used``: the end month of the latest such position (``as_of`` month for current ones).
- A skill the résumé names also counts the positions where a skill that strongly implies it was
  used (PySpark -> Apache Spark); those mentions join its evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .timeline import evidence_years, experience_years, position_interval
from .taxonomy import Taxonomy
from .detector import DetectedMention
from .headings import section_at
from .positions import position_at
from .types import Document, Position, Profile, ProfileSkill, Section, SkillMention, UnresolvedSkill


#: Implication weight from which a child skill's positions count as use of its parent.
STRONG_IMPLICATION = 0.9


def _variant_of(taxonomy: Taxonomy, child_id: str, parent_id: str) -> bool:
    """PySpark is a variant of Apache Spark: it implies it strongly and its name contains one of
    the parent's names ("Spark"). FastAPI implies Python but is not Python use."""
    if taxonomy.implied(child_id).get(parent_id, 0.0) < STRONG_IMPLICATION:
        return False
    child = taxonomy[child_id].name.lower()
    parent = taxonomy[parent_id]
    return any(len(f) >= 3 and f.lower() in child for f in (parent.name, *parent.aliases))


def build_profile(
    document: Document,
    sections: Sequence[Section],
    positions: Sequence[Position],
    mentions: Sequence[SkillMention],
    taxonomy: Taxonomy,
    as_of: date,
    *,
    hidden_skills: Sequence[str] = (),
    detected: Sequence[DetectedMention] = (),
) -> Profile:
    intervals = {p.index: position_interval(p, as_of) for p in positions}
    asserted: dict[str, list[SkillMention]] = {}
    wished: dict[str, None] = {}
    for m in mentions:
        if m.modality == "asserted":
            asserted.setdefault(m.skill_id, []).append(m)
        elif m.modality in ("negated", "aspiration"):
            wished.setdefault(m.skill_id, None)
        # "other": about other people ("hired Go engineers"): neither evidence nor interest

    # A named skill also draws on the positions where a skill that strongly implies it was used
    # ("PySpark" in a job is Apache Spark use, when the résumé names Apache Spark too).
    own = {k: list(v) for k, v in asserted.items()}
    for skill_id in asserted:
        for other_id, other_mentions in own.items():
            if other_id != skill_id and _variant_of(taxonomy, other_id, skill_id):
                asserted[skill_id] = asserted[skill_id] + [m for m in other_mentions if m.position is not None]
    skills: list[ProfileSkill] = []
    for skill_id, evidence in asserted.items():
        evidence.sort(key=lambda m: m.start)
        skill = taxonomy[skill_id]
        years, last_used = evidence_years(evidence, intervals)
        skills.append(
            ProfileSkill(
                id=skill_id,
                name=skill.name,
                category=skill.category,
                years=years,
                last_used=last_used,
                evidence=tuple(evidence),
                sources=tuple(sorted({m.source for m in evidence})),
            )
        )
    # Order: most substantiated first (years, then evidence count), then name: stable and readable.
    skills.sort(key=lambda s: (-(s.years or 0.0), -len(s.evidence), s.name.lower()))

    warnings = list(document.warnings)
    hidden_only = [s for s in hidden_skills if s not in asserted]
    if document.hidden:
        reasons = sorted({h.reason for h in document.hidden})
        found = ", ".join(taxonomy[s].name for s in hidden_only) if hidden_only else "no skills"
        warnings.append(
            f"hidden text found ({', '.join(reasons)}): {found}; it is not counted as evidence"
        )
    if not any(s.kind != "header" for s in sections):
        warnings.append("no section headings found: skills are taken from the whole text")
    undated = [p for p in positions if p.start is None]
    if undated:
        warnings.append(f"{len(undated)} position(s) without a readable date: no years counted for them")

    return Profile(
        skills=tuple(skills),
        positions=tuple(positions),
        sections=tuple(sections),
        experience_years=experience_years(positions, as_of),
        as_of=as_of,
        taxonomy_version=taxonomy.version,
        warnings=tuple(dict.fromkeys(warnings)),
        interests=tuple(s for s in wished if s not in asserted),
        hidden_skills=tuple(hidden_only),
        unresolved=unresolved_skills(detected, sections, positions),
        text=document.text,
        pages=document.pages,
    )


def unresolved_skills(detected: Sequence[DetectedMention], sections: Sequence[Section],
                      positions: Sequence[Position]) -> tuple[UnresolvedSkill, ...]:
    """The detector's asserted mentions of tools outside the taxonomy, one entry per normalized
    key, most mentioned first; evidence placed in its section and position like a skill's."""
    by_key: dict[str, list[SkillMention]] = {}
    for d in detected:
        if d.skill_id is not None or d.modality != "asserted" or not d.key:
            continue
        sec = section_at(sections, d.start)
        pos = position_at(positions, d.start)
        kind = sec.kind if sec is not None else "header"
        source = "position" if pos is not None else "project" if kind == "projects" else (
            "skills_list" if kind == "skills" else "text")
        by_key.setdefault(d.key, []).append(SkillMention("~" + d.key, d.text, d.start, d.end, kind,
                                                         pos.index if pos is not None else None, source,
                                                         version=d.version))
    out = []
    for key, evidence in by_key.items():
        names = [m.text for m in evidence]
        out.append(UnresolvedSkill(key, max(set(names), key=lambda n: (names.count(n), n)), tuple(evidence)))
    return tuple(sorted(out, key=lambda u: (-len(u.evidence), u.key)))
