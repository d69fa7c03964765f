"""Score -> FitReport: per requirement status, matched skills, evidence lines, points, advice, summary.

The same report serves the recruiter ("why this rank") and the candidate ("what are my gaps").
"""

from __future__ import annotations


from dataclasses import dataclass, replace

from .scoring import (
    SCORING_VERSION,
    CompiledRole,
    ProfileScore,
    depth_of,
    score_profile,
    scored_skills,
    skill_features,
)
from .serialize import month
from .taxonomy import Taxonomy
from .types import FitReport, GroupResult, Profile, ProfileSkill, RequirementGroup, SkillMatch

MAX_MATCHES = 3
MAX_EVIDENCE = 4


#: How a group met only by a name outside the taxonomy reads, in reports and on the web page.
MATCHED_UNRESOLVED_TEXT = "matched by name, not in the taxonomy"


def _reason(kind: str, cand: str, alt: str) -> str:
    if kind == "unresolved":
        return f"{cand} {MATCHED_UNRESOLVED_TEXT}"
    if kind == "exact":
        return f"{cand} named"
    if kind == "implied":
        return f"{cand} implies {alt}"
    return f"{cand} is related to {alt} (partial credit)"


def build_report(profile: Profile, compiled: CompiledRole, score: ProfileScore, taxonomy: Taxonomy) -> FitReport:
    groups: list[GroupResult] = []
    skills = scored_skills(profile)
    by_id = {s.id: s for s in skills}
    for plan, g, gs in zip(compiled.plans, compiled.role.groups, score.groups):
        matches: list[SkillMatch] = []
        for s in skills:
            hit = plan.credit_by_skill.get(s.id)
            if hit is None:
                continue
            strength, kind, alt = hit
            depth = depth_of(*skill_features(s, profile.as_of), plan.target_years)
            matches.append(
                SkillMatch(
                    skill_id=s.id,
                    requirement_id=alt,
                    kind=kind,
                    strength=strength,
                    depth=depth,
                    years=s.years,
                    last_used=s.last_used,
                    sources=s.sources,
                    evidence=s.evidence[:MAX_EVIDENCE],
                    reason=_reason(kind, s.name, _alt_name(g, alt, taxonomy)),
                    name=s.name,
                )
            )
        matches.sort(key=lambda m: (-(m.strength * m.depth), m.skill_id))
        matches = matches[:MAX_MATCHES]
        status = gs.status
        groups.append(
            GroupResult(
                group=g,
                status=status,
                credit=gs.credit,
                points=round(gs.points, 2),
                max_points=round(plan.max_points, 2),
                matched=tuple(matches),
                advice=_advice(status, g, matches, plan.target_years, by_id, taxonomy),
            )
        )
    return FitReport(
        score=score.score,
        summary=_summary(score.score, groups, profile.experience_years, compiled, score.gate),
        groups=tuple(groups),
        experience_years=profile.experience_years,
        experience_points=round(score.experience_points, 2),
        experience_max_points=round(compiled.experience_max_points, 2),
        scoring_version=SCORING_VERSION,
        taxonomy_version=compiled.taxonomy_version,
        knocked_out=score.knocked_out,
    )


def _alt_name(group: RequirementGroup, alt: str, taxonomy: Taxonomy) -> str:
    """The name of one of the group's alternatives: a taxonomy skill's, or a free-text term's."""
    return next((t.name for t in group.free_text if t.id == alt), None) or taxonomy[alt].name


def _names(group: RequirementGroup, taxonomy: Taxonomy) -> str:
    names = [_alt_name(group, a, taxonomy) for a in group.alternatives]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _advice(status, group, matches, target, by_id, taxonomy) -> str:
    wanted = _names(group, taxonomy)
    min_years = group.min_years
    if status == "missing":
        return f"add evidence of {wanted} in a position"
    best = matches[0]
    skill = by_id[best.skill_id]
    if status == "partial":
        return f"{skill.name} only counts as related; evidence of {wanted} would raise this"
    if status == "matched_unresolved" and "position" not in best.sources:
        return f"{skill.name} {MATCHED_UNRESOLVED_TEXT}, only outside positions; show it used in a dated position"
    if best.sources == ("candidate",):
        return f"{skill.name} was added by the candidate, not found in the résumé; show it used in a dated position"
    if "position" not in best.sources:
        where = "a skills list" if "skills_list" in best.sources else "the text outside positions"
        return f"{skill.name} appears only in {where}; show it used in a dated position"
    if min_years and (best.years or 0) < min_years:
        return f"{best.years or 0:g} years of {skill.name} shown; {min_years:g} asked"
    if best.depth < 1.0 and best.last_used is not None and (best.years or 0) >= target:
        return f"{skill.name} last used {month(best.last_used)}; recent use would raise this"
    if best.depth < 1.0:
        return f"{best.years or 0:g} years of {skill.name} shown; {target:g}+ years gives full credit"
    return ""


def _summary(score: float, groups: list[GroupResult], years: float | None, compiled: CompiledRole,
             gate: float) -> str:
    """"72/100; 12 required: 9 with experience, 2 listed only, 1 missing; 1/2 preferred; ..."."""
    req = [g for g in groups if g.group.required]
    pref = [g for g in groups if not g.group.required]
    count = {st: sum(g.status == st for g in req)
             for st in ("met", "listed_only", "matched_unresolved", "partial", "missing")}
    shown = [f"{count['met']} with experience"]
    shown += [f"{count[st]} {word}" for st, word in (("listed_only", "listed only"),
                                                      ("matched_unresolved", "matched by name only"),
                                                      ("partial", "related only"), ("missing", "missing")) if count[st]]
    parts = [f"{score:g}/100"]
    if req:
        parts.append(f"{len(req)} required: " + ", ".join(shown))
    if pref:
        by_name = sum(g.status == "matched_unresolved" for g in pref)
        parts.append(f"{sum(g.status == 'met' for g in pref) + by_name}/{len(pref)} preferred"
                     + (f" ({by_name} by name only)" if by_name else ""))
    needed = compiled.experience_needed
    exp = "unknown experience" if years is None else f"{years:g} years experience"
    if needed:
        exp += f" ({needed:g} asked)"
    parts.append(exp)
    text = "; ".join(parts)
    if req and gate < 1.0 and (pref or needed is not None):
        text += f". Preferred and experience points count {gate:.0%}, the share of required skills shown in use"
    missing = [g.group.label for g in req if g.status == "missing"]
    if missing:
        text += ". Missing: " + ", ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
    return text


@dataclass(frozen=True)
class Change:
    """One thing that would change the outcome: showing ``skill`` used in a dated position for
    ``years`` would take the score from ``score_before`` to ``score_after``."""

    requirement: str
    skill: str
    years: float
    score_before: float
    score_after: float

    def __str__(self) -> str:
        return (f"Showing {self.skill} used in a dated position ({self.years:g}+ years) for "
                f"\u201c{self.requirement}\u201d would raise the score from {self.score_before:g} to {self.score_after:g}.")


def what_would_change(profile: Profile, compiled: CompiledRole, taxonomy: Taxonomy, limit: int = 3) -> tuple[Change, ...]:
    """The requirements that are not met, each scored as if the candidate showed its first skill
    used in a current dated position for the target years; the ``limit`` largest gains."""
    now = score_profile(profile, compiled)
    before = now.score
    out = []
    for plan, gs, g in zip(compiled.plans, now.groups, compiled.role.groups, strict=True):
        if gs.status == "met" and gs.depth >= 1.0:
            continue
        first = g.alternatives[0]
        name = _alt_name(g, first, taxonomy)
        category = taxonomy[first].category if first in taxonomy else "unresolved"
        shown = ProfileSkill(first, name, category, plan.target_years, profile.as_of, (), ("position",))
        others = tuple(s for s in profile.skills if s.id != first)
        after = score_profile(replace(profile, skills=(*others, shown)), compiled).score
        if after > before:
            out.append(Change(g.label or name, name, plan.target_years, before, after))
    out.sort(key=lambda c: (-(c.score_after - c.score_before), c.requirement))
    return tuple(out[:limit])
