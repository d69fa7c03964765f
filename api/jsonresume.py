"""JSON Resume (https://jsonresume.org/schema) -> résumé text the engine reads.

The engine reads text; this adapter renders the JSON Resume sections the way a plain-text résumé
lays them out (headings, dated positions with their bullets, a skills list)."""

from __future__ import annotations

from typing import Any


def looks_like_json_resume(data: Any) -> bool:
    return isinstance(data, dict) and any(k in data for k in ("basics", "work", "skills", "education")) and "text" not in data


def _s(v: Any) -> str:
    return v.strip() if isinstance(v, str) else ""


def _dates(item: dict[str, Any]) -> str:
    start, end = _s(item.get("startDate")), _s(item.get("endDate"))
    if not start and not end:
        return ""
    return f"{start[:7] or '?'} - {end[:7] or 'Present'}"


def to_text(data: dict[str, Any]) -> str:
    out: list[str] = []
    basics = data.get("basics") if isinstance(data.get("basics"), dict) else {}
    if basics:
        out += [x for x in (_s(basics.get("name")), _s(basics.get("label")), _s(basics.get("email"))) if x]
        if _s(basics.get("summary")):
            out += ["", "SUMMARY", _s(basics.get("summary"))]
    work = [w for w in data.get("work") or [] if isinstance(w, dict)]
    if work:
        out += ["", "EXPERIENCE"]
        for w in work:
            title = " - ".join(x for x in (_s(w.get("position")), _s(w.get("name") or w.get("company"))) if x)
            out += ["", title, _dates(w)]
            if _s(w.get("summary")):
                out.append(_s(w.get("summary")))
            out += [f"- {_s(h)}" for h in w.get("highlights") or [] if _s(h)]
    projects = [p for p in data.get("projects") or [] if isinstance(p, dict)]
    if projects:
        out += ["", "PROJECTS"]
        for p in projects:
            out += ["", _s(p.get("name")), _s(p.get("description"))]
            out += [f"- {_s(h)}" for h in p.get("highlights") or [] if _s(h)]
    education = [e for e in data.get("education") or [] if isinstance(e, dict)]
    if education:
        out += ["", "EDUCATION"]
        for e in education:
            line = ", ".join(x for x in (_s(e.get("studyType")), _s(e.get("area")), _s(e.get("institution"))) if x)
            out += [line, _dates(e)]
    skills = [s for s in data.get("skills") or [] if isinstance(s, dict)]
    if skills:
        out += ["", "SKILLS"]
        for s in skills:
            kws = ", ".join(_s(k) for k in s.get("keywords") or [] if _s(k))
            name = _s(s.get("name"))
            out.append(f"{name}: {kws}" if name and kws else (name or kws))
    return "\n".join(out).strip() + "\n"
