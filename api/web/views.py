"""Plain functions that turn engine values and rows into what the templates show. No HTTP here."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matcher import RoleError, Taxonomy, personal_spans

#: What a person is told for each error code a page can meet (the code and detail are shown too).
MESSAGES = {
    "unsupported_format": "This file type can't be read. Upload a PDF, a Word document (.docx) or a text file.",
    "unsupported_media_type": "This file type can't be read. Upload a PDF, a Word document (.docx) or a text file.",
    "no_text_layer": "This PDF is a scan: its pages are pictures with no text to read. "
                     "Upload the original PDF or a Word document instead.",
    "encrypted_document": "This file is password-protected. Remove the password and upload it again.",
    "unreadable_document": "This file seems damaged or incomplete, so it can't be read. Try exporting it again.",
    "empty_document": "This file holds no text.",
    "document_too_large": "This file is too large.",
    "body_too_large": "This upload is too large.",
    "parse_timeout": "Reading this file took too long, so it was stopped. Try a simpler export (PDF or DOCX).",
    "parse_memory_exceeded": "Reading this file needed too much memory, so it was stopped.",
    "parse_crashed": "Reading this file failed. Try exporting it again.",
    "invalid_role": "The requirements can't be used as they are.",
    "invalid_request": "Something in the form is missing or wrong.",
    "not_found": "There is nothing here (or it belongs to another organisation).",
    "no_resume": "No résumé has been uploaded yet.",
    "csrf_failed": "This form is out of date (it was opened in another session). Reload the page and try again.",
    "too_many_requests": "Too many requests in a short time. Wait a moment and try again.",
}


def human_message(code: str, detail: str = "") -> str:
    return MESSAGES.get(code, detail or "Something went wrong.")


# ------------------------------------------------------------------ names and blind review

def display_name(cand: Any, blind: bool) -> str:
    if blind:
        return f"Candidate {cand.id[:6].upper()}"
    return cand.name or cand.filename or f"Candidate {cand.id[:6].upper()}"


# ------------------------------------------------------------------ the résumé with its evidence

@dataclass(frozen=True)
class Segment:
    kind: str  # "text" | "mark" | "hidden"
    text: str
    req: int | None = None  # requirement index of a mark
    anchor: str | None = None


def highlight(text: str, evidence: Iterable[tuple[int, int, int]], hidden: Sequence[tuple[int, int]] = ()) -> list[Segment]:
    """Split ``text`` into plain, marked (evidence of requirement ``req``) and hidden (blind review)
    segments. Evidence wins where the two overlap; overlapping evidence keeps the first."""
    marks: list[tuple[int, int, int]] = []
    for s, e, req in sorted(evidence):
        if 0 <= s < e <= len(text) and (not marks or s >= marks[-1][1]):
            marks.append((s, e, req))
    spans: list[tuple[int, int, str, int | None]] = [(s, e, "mark", r) for s, e, r in marks]
    for s, e in hidden:
        if not any(s < me and ms < e for ms, me, _ in marks):
            spans.append((s, e, "hidden", None))
    spans.sort()
    out: list[Segment] = []
    pos = 0
    n = 0
    for s, e, kind, req in spans:
        if s < pos:
            continue
        if s > pos:
            out.append(Segment("text", text[pos:s]))
        if kind == "mark":
            n += 1
            out.append(Segment("mark", text[s:e], req, f"ev-{n}"))
        else:
            out.append(Segment("hidden", "█" * min(12, max(3, e - s))))
        pos = e
    if pos < len(text):
        out.append(Segment("text", text[pos:]))
    return out


def redact_line(line: str, name: str | None) -> str:
    """An evidence line with the person's details blanked (blind review)."""
    out, pos = [], 0
    for s, e in personal_spans(line, name):
        out.append(line[pos:s])
        out.append("█" * min(12, max(3, e - s)))
        pos = e
    out.append(line[pos:])
    return "".join(out)


# ------------------------------------------------------------------ the parsed profile

@dataclass
class SkillRow:
    id: str
    name: str
    years: float | None
    where: list[str]
    lines: list[str]
    own: bool = False  # added by the candidate
    claimed_years: float | None = None


@dataclass
class CategoryGroup:
    name: str
    skills: list[SkillRow] = field(default_factory=list)


SOURCE_WORDS = {"position": "in a job", "skills_list": "in a skills list", "project": "in a project",
                "text": "in the text", "candidate": "added by you"}


def profile_groups(profile: dict[str, Any], text: str, corrections: Sequence[Any], taxonomy: Taxonomy
                   ) -> tuple[list[CategoryGroup], list[SkillRow]]:
    """(skills by category, with the candidate's additions; skills the candidate removed)."""
    removed = {c.skill_id for c in corrections if c.action == "remove"}
    positions = {p.get("index", i): p for i, p in enumerate(profile.get("positions", []))}
    groups: dict[str, CategoryGroup] = {}
    gone: list[SkillRow] = []

    def where_of(s: dict[str, Any]) -> list[str]:
        out = []
        for e in s.get("evidence", []):
            p = positions.get(e.get("position")) if e.get("position") is not None else None
            label = f"{p.get('title') or 'a job'}" + (f" at {p['organization']}" if p and p.get("organization") else "") \
                if p else SOURCE_WORDS.get(e.get("source", "text"), "in the text")
            if e.get("page"):
                label += f" (page {e['page']})"
            if label not in out:
                out.append(label)
        return out[:4]

    for s in profile.get("skills", []):
        lines = []
        for e in s.get("evidence", [])[:3]:
            ls = text.rfind("\n", 0, e["start"]) + 1
            le = text.find("\n", e["end"])
            lines.append(text[ls:(len(text) if le < 0 else le)].strip()[:300])
        row = SkillRow(s["id"], s["name"], s.get("years"), where_of(s), lines)
        if s["id"] in removed:
            gone.append(row)
            continue
        cat = taxonomy.categories.get(s.get("category"), s.get("category") or "Other")
        groups.setdefault(cat, CategoryGroup(cat)).skills.append(row)
    have = {s["id"] for s in profile.get("skills", [])}
    for c in corrections:
        if c.action == "add" and c.skill_id in taxonomy and c.skill_id not in have:
            sk = taxonomy[c.skill_id]
            cat = taxonomy.categories.get(sk.category, sk.category)
            groups.setdefault(cat, CategoryGroup(cat)).skills.append(
                SkillRow(sk.id, sk.name, None, [SOURCE_WORDS["candidate"]], [], own=True, claimed_years=c.years))
    ordered = sorted(groups.values(), key=lambda g: (-len(g.skills), g.name))
    for g in ordered:
        g.skills.sort(key=lambda r: (-(r.years or 0), r.name.lower()))
    return ordered, gone


# ------------------------------------------------------------------ the role editor

@dataclass
class GroupForm:
    skills: list[str]
    required: bool = True
    min_years: str = ""
    label: str = ""
    weight: float = 1.0
    source_text: str = ""
    free_text: list[str] = field(default_factory=list)  # names outside the taxonomy, matched by name


@dataclass
class RoleForm:
    title: str = ""
    level: str = ""
    min_years: str = ""
    years_knockout: bool = False
    groups: list[GroupForm] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def form_from_spec(spec: dict[str, Any], taxonomy: Taxonomy) -> RoleForm:
    def name(s: str) -> str:
        sk = taxonomy.get(s) or taxonomy.resolve(s)
        return sk.name if sk else s

    return RoleForm(
        title=spec.get("title", ""), level=spec.get("level") or "",
        min_years="" if spec.get("min_years") is None else f"{spec['min_years']:g}",
        years_knockout=bool(spec.get("years_knockout")),
        groups=[GroupForm([name(s) for s in g.get("any_of", [])], bool(g.get("required", True)),
                          "" if g.get("min_years") is None else f"{g['min_years']:g}", g.get("label") or "",
                          float(g.get("weight", 1.0)), g.get("source_text") or "", list(g.get("free_text") or []))
                for g in spec.get("requirements", [])],
    )


def _number(value: str, what: str, errors: list[str]) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        n = float(value)
    except ValueError:
        errors.append(f"{what}: '{value}' is not a number")
        return None
    if not 0 <= n <= 50:
        errors.append(f"{what}: must be between 0 and 50")
        return None
    return n


def _chosen(fields: Any, chips: str, add: str) -> list[str]:
    """A group's names: its checked chips (field ``chips``), then the comma-separated names typed in
    its ``add`` box, each once (case-insensitively), at most 200 characters."""
    names = [s for s in fields.getlist(chips) if s.strip()]
    names += [s.strip() for s in (fields.get(add) or "").split(",") if s.strip()]
    seen: list[str] = []
    for s in names:
        if s.lower() not in {x.lower() for x in seen}:
            seen.append(s[:200])
    return seen


def form_from_fields(fields: Any) -> RoleForm:
    """The editor's form fields -> RoleForm. Unchecked skill and free-text chips are dropped; names
    typed in a group's "add" boxes (comma-separated) are added; groups marked for removal or left
    empty (no skill and no free-text name) go."""
    form = RoleForm(title=(fields.get("title") or "").strip(), level=fields.get("level") or "",
                    min_years=fields.get("min_years") or "", years_knockout=fields.get("years_knockout") == "on")
    try:
        count = min(int(fields.get("groups") or 0), 100)
    except ValueError:
        count = 0
    for i in range(count + 1):  # + the blank "new requirement" group
        if fields.get(f"g{i}_remove") == "on":
            continue
        seen = _chosen(fields, f"g{i}_skill", f"g{i}_add")
        free = _chosen(fields, f"g{i}_free", f"g{i}_free_add")
        if not seen and not free:
            continue
        try:
            weight = float(fields.get(f"g{i}_weight") or 1.0)
        except ValueError:
            weight = 1.0
        form.groups.append(GroupForm(seen, fields.get(f"g{i}_required", "required") != "preferred",
                                     fields.get(f"g{i}_min_years") or "", (fields.get(f"g{i}_label") or "").strip(),
                                     weight, fields.get(f"g{i}_source") or "", free))
    return form


def spec_from_form(form: RoleForm) -> dict[str, Any]:
    """RoleForm -> a role spec dict (validated later by the engine); problems go to form.errors."""
    if not form.title:
        form.errors.append("Give the role a title.")
    if not form.groups:
        form.errors.append("Add at least one requirement.")
    spec: dict[str, Any] = {"title": form.title or "Untitled role", "years_knockout": form.years_knockout,
                            "requirements": []}
    if form.level:
        spec["level"] = form.level
    my = _number(form.min_years, "Minimum years", form.errors)
    if my is not None:
        spec["min_years"] = my
    for n, g in enumerate(form.groups, 1):
        req: dict[str, Any] = {"any_of": g.skills, "required": g.required, "weight": g.weight}
        if g.free_text:
            req["free_text"] = g.free_text
        gy = _number(g.min_years, f"Requirement {n} minimum years", form.errors)
        if gy is not None:
            req["min_years"] = gy
        if g.label:
            req["label"] = g.label[:200]
        if g.source_text:
            req["source_text"] = g.source_text[:1000]
        spec["requirements"].append(req)
    return spec


def no_requirement_hints(details: dict[str, Any]) -> list[str]:
    """What the empty-draft editor tells a recruiter when a job description gave no requirements."""
    out = ["No skill requirements were found in this job description. Add them below: type a skill in "
           "\u201cAdd skills\u201d (suggestions come from the taxonomy)."]
    if details.get("sections"):
        out.append("Sections found: " + "; ".join(details["sections"]) + ".")
    else:
        out.append("No section headings were found (such as \u201cRequirements\u201d or \u201cNice to have\u201d).")
    if details.get("unknown_terms"):
        out.append("Skill-like terms that are not in the taxonomy: " + ", ".join(details["unknown_terms"])
                   + ". If one is a skill under another name, add that name.")
    return out


def role_error_lines(exc: RoleError) -> list[str]:
    return [str(exc.message)]


# ------------------------------------------------------------------ CSV export

def ranking_csv(rows: Iterable[dict[str, Any]], labels: Sequence[str]) -> str:
    """The ranking as CSV; every cell (the header's requirement labels too) goes through :func:`csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([csv_cell(c) for c in ("rank", "candidate", "candidate_id", "score", "all_required_met", *labels, "summary")])
    for r in rows:
        w.writerow([csv_cell(c) for c in (r["rank"], r["name"], r["id"], f"{r['score']:g}",
                                          "yes" if r["all_required_met"] else "no", *r["statuses"], r["summary"])])
    return buf.getvalue()


#: First characters that make a spreadsheet read a cell as a formula (OWASP's CSV-injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs: a value that starts a formula gets a leading
    apostrophe. Leading blanks are skipped when looking (" =1+1" is still a formula to Excel), and
    the first character is compared in its compatibility form, so a full-width "＝", "＋", "－" or
    "＠" (which some spreadsheets fold to ASCII) counts too."""
    text = "" if value is None else str(value)
    head = text.lstrip(" \u00a0\u3000")
    if head[:1] in FORMULA_STARTS or unicodedata.normalize("NFKC", head[:1])[:1] in FORMULA_STARTS:
        return "'" + text
    return text
