"""Plain-JSON views of engine values, in one place: profiles (to and from dicts) and fit reports.
These shapes are the CLI/API contract: add fields, never rename or remove them."""

from __future__ import annotations

from datetime import date
from typing import Any

from .taxonomy import Taxonomy
from .types import (
    FitReport,
    FreeTextTerm,
    GroupResult,
    Page,
    Position,
    Profile,
    ProfileSkill,
    RequirementGroup,
    Section,
    SkillMatch,
    SkillMention,
    UnresolvedSkill,
    page_at,
)


def month(d: date | None) -> str | None:
    return None if d is None else f"{d.year:04d}-{d.month:02d}"


def mention_to_dict(m: SkillMention, page: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "skill_id": m.skill_id,  # differs from the skill's id for a variant ("PySpark" for Apache Spark)
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "section": m.section,
        "position": m.position,
        "source": m.source,
    }
    if m.version is not None:
        out["version"] = m.version
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
        "index": p.index,
        "title": p.title,
        "organization": p.organization,
        "start": month(p.start),
        "end": month(p.end),
        "current": p.current,
        "date_text": p.date_text,
        "span": list(p.span),
        "section": p.section,
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
            "unresolved": [{"key": u.key, "name": u.name, "evidence": [mention_to_dict(m) for m in u.evidence]}
                           for u in profile.unresolved],
            "as_of": profile.as_of.isoformat(),
            "pages": [{"number": pg.number, "start": pg.start, "end": pg.end} for pg in profile.pages],
            "taxonomy_version": profile.taxonomy_version,
        }
    )
    return out


def _parse_month(value: str | None) -> date | None:
    if not value:
        return None
    year, mon = value.split("-")[:2]
    return date(int(year), int(mon), 1)


def _mention_from_dict(e: dict[str, Any], skill_id: str) -> SkillMention:
    return SkillMention(skill_id=e.get("skill_id", skill_id), text=e["text"], start=e["start"], end=e["end"],
                        section=e["section"], position=e["position"], source=e.get("source", "text"),
                        version=e.get("version"))


def profile_from_dict(data: dict[str, Any], text: str = "") -> Profile:
    """Rebuild a Profile from ``profile_to_dict`` output (what a store keeps), for re-scoring
    without re-reading the document. Only asserted evidence is stored, so only it comes back."""
    skills = []
    for s in data["skills"]:
        evidence = tuple(_mention_from_dict(e, s["id"]) for e in s["evidence"])
        skills.append(
            ProfileSkill(
                id=s["id"], name=s["name"], category=s["category"], years=s["years"],
                last_used=_parse_month(s["last_used"]), evidence=evidence,
                sources=tuple(s.get("sources") or sorted({e.source for e in evidence})),
            )
        )
    positions = tuple(
        Position(
            index=p.get("index", i), title=p["title"], organization=p["organization"],
            start=_parse_month(p["start"]), end=_parse_month(p["end"]), current=bool(p.get("current")),
            span=tuple(p.get("span") or (0, 0)), date_text=p.get("date_text", ""), section=p.get("section", "experience"),
        )
        for i, p in enumerate(data["positions"])
    )
    sections = tuple(
        Section(kind=s["kind"], heading=s["heading"], start=s["start"], end=s["end"]) for s in data["sections"]
    )
    return Profile(
        skills=tuple(skills), positions=positions, sections=sections,
        experience_years=data["experience_years"], as_of=date.fromisoformat(data["as_of"]),
        taxonomy_version=data["taxonomy_version"], warnings=tuple(data.get("warnings", ())),
        interests=tuple(data.get("interests", ())), hidden_skills=tuple(data.get("hidden_skills", ())),
        unresolved=tuple(UnresolvedSkill(u["key"], u["name"], tuple(_mention_from_dict(e, "~" + u["key"])
                                                                      for e in u["evidence"]))
                         for u in data.get("unresolved", ())),
        text=text, pages=tuple(Page(**pg) for pg in data.get("pages", ())),
    )


# ------------------------------------------------------------------ fit reports

def line_of(text: str, m: SkillMention) -> str:
    if not text:
        return m.text
    ls = text.rfind("\n", 0, m.start) + 1
    le = text.find("\n", m.end)
    return text[ls : (len(text) if le < 0 else le)].strip()


def report_to_dict(report: FitReport, profile_text: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON view of a fit report (``matcher rank --json`` results)."""
    reqs = []
    for gr in report.groups:
        evidence = []
        for m in gr.matched[:1]:
            for e in m.evidence:
                evidence.append(
                    {
                        "skill_id": e.skill_id,
                        "text": e.text,
                        "line": line_of(profile_text, e),
                        "start": e.start,
                        "end": e.end,
                        "section": e.section,
                        "position": e.position,
                        "source": e.source,
                    }
                )
        reqs.append(
            {
                "group": gr.group.label,
                "any_of": list(gr.group.any_of),
                "free_text": [{"key": t.key, "name": t.name} for t in gr.group.free_text],
                "required": gr.group.required,
                "weight": gr.group.weight,
                "status": gr.status,
                "credit": round(gr.credit, 6),
                "matched": [
                    {
                        "skill_id": m.skill_id,
                        "name": m.name or taxonomy[m.skill_id].name,
                        "kind": m.kind,
                        "for": m.requirement_id,
                        "strength": round(m.strength, 3),
                        "depth": round(m.depth, 3),
                        "years": m.years,
                        "last_used": month(m.last_used),
                        "sources": list(m.sources),
                        "reason": m.reason,
                    }
                    for m in gr.matched
                ],
                "evidence": evidence,
                "points": gr.points,
                "max_points": gr.max_points,
                "advice": gr.advice,
            }
        )
    return {
        "score": report.score,
        "summary": report.summary,
        "experience_years": report.experience_years,
        "experience_points": report.experience_points,
        "experience_max_points": report.experience_max_points,
        "knocked_out": report.knocked_out,
        "requirements": reqs,
    }


def report_from_dict(data: dict[str, Any]) -> FitReport:
    """Rebuild a FitReport from ``report_to_dict`` output (a stored report, e.g. the one a decision
    was made on): scores, statuses, credits and matches come back; evidence spans do not (a stored
    report keeps their lines, not the document). Reports stored before ``weight`` / ``credit`` were
    written get weight 1 and credit points / max points."""
    groups = []
    for r in data.get("requirements", []):
        maxp = float(r.get("max_points") or 0.0)
        credit = r.get("credit", (float(r.get("points") or 0.0) / maxp) if maxp else 0.0)
        matched = tuple(
            SkillMatch(skill_id=m["skill_id"], requirement_id=m.get("for") or m["skill_id"], kind=m["kind"],
                       strength=float(m["strength"]), depth=float(m["depth"]), years=m.get("years"),
                       last_used=_parse_month(m.get("last_used")), sources=tuple(m.get("sources", ())), evidence=(),
                       reason=m.get("reason", ""), name=m.get("name", ""))
            for m in r.get("matched", [])
        )
        group = RequirementGroup(tuple(r.get("any_of", ())), bool(r.get("required", True)),
                                 float(r.get("weight", 1.0)), label=r.get("group", ""),
                                 free_text=tuple(FreeTextTerm(t["key"], t["name"]) for t in r.get("free_text", ())))
        groups.append(GroupResult(group, r["status"], float(credit), float(r.get("points") or 0.0), maxp, matched,
                                  r.get("advice") or ""))
    return FitReport(
        score=float(data["score"]), summary=data.get("summary", ""), groups=tuple(groups),
        experience_years=data.get("experience_years"), experience_points=float(data.get("experience_points") or 0.0),
        experience_max_points=float(data.get("experience_max_points") or 0.0),
        scoring_version=data.get("scoring_version", ""), taxonomy_version=data.get("taxonomy_version", ""),
        knocked_out=bool(data.get("knocked_out", False)),
    )
