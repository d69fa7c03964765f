"""Job text or role spec -> Role.

A **role spec** (YAML or JSON, validated with pydantic) is what a recruiter edits::

    title: Senior Data Engineer
    level: senior            # intern | junior | mid | senior | staff | principal (optional)
    min_years: 5             # overall professional years (optional)
    years_knockout: false    # true: falling short of min_years caps the score
    requirements:
      - any_of: [Apache Spark, Apache Flink]   # skill names, aliases or ids: any one satisfies it
        required: true                         # must-have (default) or nice-to-have (false)
        weight: 1.0                            # share of the points, relative to the others
        min_years: 3                           # optional depth asked for this group
      - free_text: [Zorbix]                    # names outside the taxonomy, matched by name against
        required: false                        # the résumé's unresolved mentions (any_of may be empty)

A **job description** (text, Markdown, PDF, DOCX) is turned into a spec by ``role_from_job_text``:
only the requirements part counts ("Requirements", "Must have", "What we're looking for", "You
have"... as required; "Nice to have", "Bonus", "Preferred", "... is a plus" as preferred); the
company blurb, responsibilities, salary tables, FAQs and benefits never become requirements.
"X, Y, or Z" / "X or Y" / "X/Y" become one any-of group, "X and Y" two groups; "5+ years" /
"3–5 years of X" become minimum years; level words in the title become the level.
A single capitalised tool-like word the taxonomy doesn't know, named where tools are named
("Experience with Zorbix or Flumewave", "Python, Zorbix") becomes a free-text alternative
(``FreeTextTerm``, see ``free_text_terms``); ordinary words, title-case phrases and soft skills don't.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from .documents.normalize import clean_label
from .errors import RoleError
from .extraction import SkillMatcher, match_skills, normalize_key
from .job_structure import cue_kind, restructure
from .taxonomy import Taxonomy
from .text import NOT_ABBREVIATION, MarkedLine, is_lead_in, marked_lines
from .types import UNRESOLVED_PREFIX, FreeTextTerm, Level, RequirementGroup, Role
from .vocab.jobs import NOT_TOOL_WORDS, PREFERRED_CLAUSES, PREFERRED_PHRASES, TOOL_CUES
from .vocab.resume import CITIES, REGIONS, SPOKEN_LANGUAGES

# --------------------------------------------------------------------------------------------
# The spec (what a recruiter edits and `matcher role` prints)
# --------------------------------------------------------------------------------------------


MAX_REQUIREMENTS = 200


#: Length limits of the spec's free-text fields (a label or title is one line a person reads).
MAX_TITLE = 300
MAX_LABEL = 200
MAX_SKILL_NAME = 200
MAX_ALTERNATIVES = 50
MAX_SOURCE_TEXT = 1000
#: A free-text name is a tool's name, not a sentence: at most this many words.
MAX_FREE_TEXT_WORDS = 5


def free_text_term(name: str) -> FreeTextTerm | None:
    """The free-text alternative a name stands for: its ``normalize_key`` (the key unresolved
    mentions are grouped by, so "Zorbix 3.2", "zorbix" and "ZorBix" meet each other), or None when
    the name is no tool name (no letter or digit, a sentence)."""
    name = clean_label(name)
    if len(name.split()) > MAX_FREE_TEXT_WORDS:
        return None
    key = normalize_key(name)
    return FreeTextTerm(key, name) if key and any(c.isalnum() for c in key) else None


class RequirementSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    any_of: list[Annotated[str, Field(max_length=MAX_SKILL_NAME)]] = Field(
        default=[], max_length=MAX_ALTERNATIVES, description="Skill names, aliases or ids; any one satisfies the group.")
    free_text: list[Annotated[str, Field(max_length=MAX_SKILL_NAME)]] | None = Field(
        default=None, max_length=MAX_ALTERNATIVES,
        description="Tool names outside the taxonomy: met by a résumé mention with the same normalized name "
                    "(status matched_unresolved). A name the taxonomy knows counts as that skill.")
    required: StrictBool = True
    weight: float = Field(default=1.0, gt=0, le=100)
    min_years: float | None = Field(default=None, ge=0, le=50)
    label: str | None = Field(default=None, max_length=MAX_LABEL,
                              description="Shown instead of the skill names (control and bidi characters are dropped).")
    source_text: str | None = Field(default=None, max_length=MAX_SOURCE_TEXT,
                                    description="The job-description sentence it came from.")

    @field_validator("label", "source_text")
    @classmethod
    def _one_line(cls, v: str | None) -> str | None:
        return (clean_label(v) or None) if v is not None else None

    @field_validator("free_text")
    @classmethod
    def _tool_names(cls, v: list[str] | None) -> list[str] | None:
        for name in v or ():
            if free_text_term(name) is None:
                raise ValueError(f"{name[:60]!r} is not a tool name (a name of at most {MAX_FREE_TEXT_WORDS} "
                                 "words with a letter or digit)")
        return [clean_label(n) for n in v] if v else None

    @model_validator(mode="after")
    def _some_alternative(self) -> RequirementSpec:
        if not self.any_of and not self.free_text:
            raise ValueError("a requirement needs at least one skill in any_of or a name in free_text")
        return self


class RoleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    level: Level | None = None
    min_years: float | None = Field(default=None, ge=0, le=50)
    years_knockout: StrictBool = False
    requirements: list[RequirementSpec] = Field(min_length=1, max_length=MAX_REQUIREMENTS)

    @field_validator("title")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = clean_label(v)
        if not v:
            raise ValueError("the title is empty")
        return v


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def load_role_spec(data: Any) -> RoleSpec:
    """Validate a parsed spec mapping; raises RoleError naming the bad field."""
    if not isinstance(data, dict):
        raise RoleError("a role spec must be a mapping with 'title' and 'requirements'")
    try:
        return RoleSpec.model_validate(data)
    except ValidationError as exc:
        raise RoleError(f"invalid role spec: {_format_validation(exc)}") from None


#: Top-level keys that make a mapping a role spec (a misspelt one is still reported as a spec error).
_SPEC_KEYS = frozenset({"title", "level", "min_years", "years_knockout", "requirements", "requirement", "groups"})
_SPEC_LINE = re.compile(r"^(?:title|requirements|level|min_years|years_knockout)\s*:|^\s*-\s*any_of\s*:", re.MULTILINE)


def parse_spec_text(text: str) -> dict[str, Any] | None:
    """The mapping if ``text`` is a YAML/JSON role spec, None if it is a job description.

    Text that starts like JSON, or has spec-style lines (``title:``, ``requirements:``,
    ``- any_of:``), is a spec: a syntax error in it is a RoleError with its line and column, never
    a silent fall-back to reading it as a job description.
    """
    stripped = text.lstrip()
    if not stripped:
        return None
    looks_like_spec = stripped[0] in "{[" or bool(_SPEC_LINE.search(stripped))
    try:
        data = json.loads(stripped) if stripped[0] in "{[" else yaml.safe_load(stripped)
    except RecursionError:
        raise RoleError("invalid role spec: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise RoleError(f"invalid role spec: JSON syntax error at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        if not looks_like_spec:
            return None
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        raise RoleError(f"invalid role spec: YAML syntax error{where}: {getattr(exc, 'problem', None) or exc}") from None
    if isinstance(data, dict) and _SPEC_KEYS & {str(k) for k in data}:
        return data
    if looks_like_spec:
        raise RoleError("invalid role spec: expected a mapping with 'title' and 'requirements'")
    return None


def _free_text(names: Sequence[str], taxonomy: Taxonomy, ids: list[str]) -> tuple[FreeTextTerm, ...]:
    """The free-text terms of ``names`` (one per key); a name the taxonomy knows joins ``ids`` instead."""
    terms: dict[str, FreeTextTerm] = {}
    for name in names:
        skill = taxonomy.resolve(name)
        if skill is not None:
            if skill.id not in ids:
                ids.append(skill.id)
            continue
        term = free_text_term(name)
        if term is not None:
            terms.setdefault(term.key, term)
    return tuple(terms.values())


def resolve_spec(spec: RoleSpec, taxonomy: Taxonomy) -> Role:
    """Map every skill name/alias/id of the spec's ``any_of`` to taxonomy ids (an unknown one is an
    error) and its ``free_text`` names to free-text terms."""
    groups = []
    for i, req in enumerate(spec.requirements):
        ids: list[str] = []
        for name in req.any_of:
            skill = taxonomy.get(name) or taxonomy.resolve(name)
            if skill is None:
                hints = ", ".join(s.name for s in taxonomy.search(name, limit=3))
                hint = f" (did you mean: {hints}?" if hints else " ("
                raise RoleError(f"requirements[{i}]: unknown skill {name!r}{hint}{'; ' if hints else ''}"
                                "a tool outside the taxonomy goes under free_text, matched by name)")
            if skill.id not in ids:
                ids.append(skill.id)
        terms = _free_text(req.free_text or (), taxonomy, ids)
        label = req.label or " / ".join([taxonomy[s].name for s in ids] + [t.name for t in terms])
        groups.append(
            RequirementGroup(
                any_of=tuple(ids),
                required=req.required,
                weight=req.weight,
                min_years=req.min_years,
                label=label,
                source_text=req.source_text or "",
                free_text=terms,
            )
        )
    return Role(
        title=spec.title,
        groups=tuple(groups),
        level=spec.level,
        min_years=spec.min_years,
        years_knockout=spec.years_knockout,
    )


def role_to_spec(role: Role, taxonomy: Taxonomy) -> dict[str, Any]:
    """The editable spec of a role (skill names, which load back to the same ids)."""
    out: dict[str, Any] = {"title": role.title, "level": role.level, "min_years": role.min_years}
    if role.years_knockout:
        out["years_knockout"] = True
    reqs = []
    for g in role.groups:
        r: dict[str, Any] = {"any_of": [taxonomy[s].name for s in g.any_of], "required": g.required}
        if g.free_text:
            r["free_text"] = [t.name for t in g.free_text]
        if g.weight != 1.0:
            r["weight"] = g.weight
        if g.min_years is not None:
            r["min_years"] = g.min_years
        if g.source_text:
            r["source_text"] = g.source_text
        reqs.append(r)
    out["requirements"] = reqs
    return out


# --------------------------------------------------------------------------------------------
# Job description -> spec
# --------------------------------------------------------------------------------------------

def _cue_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(sorted(phrases, key=len, reverse=True)) + r")(?![\w'’-])",
                      re.IGNORECASE)


_PREFERRED_LINE = _cue_regex(PREFERRED_PHRASES)
_YEARS = re.compile(
    r"(?<![\d$.,])(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s*\+?\s*"
    r"(?:(?:-|–|—|to)\s*(\d{1,2})\s*\+?\s*)?(?:years?|yrs?)\b",
    re.IGNORECASE,
)
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ROLE_YEARS_CUE = re.compile(
    r"\b(experience|professional|industry|roles?|engineering|development|career|working as)\b", re.IGNORECASE
)
_SENTENCE_SPLIT = re.compile(NOT_ABBREVIATION + r"(?<=[.!?])\s+(?=[A-Z])")
_OR_CUE = re.compile(r"\b(such as|e\.g\.?|eg\.|one of|any of|at least one|like|either|including)\b[^.;]*$", re.IGNORECASE)
_LEVEL_WORDS = [
    ("intern", re.compile(r"\b(intern|internship|co-?op)\b", re.IGNORECASE)),
    ("junior", re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate|associate)\b", re.IGNORECASE)),
    ("principal", re.compile(r"\b(principal|distinguished)\b", re.IGNORECASE)),
    ("staff", re.compile(r"\bstaff\b", re.IGNORECASE)),
    ("senior", re.compile(r"\b(senior|sr\.?|lead)\b", re.IGNORECASE)),
    ("mid", re.compile(r"\b(mid[- ]level|mid|intermediate)\b", re.IGNORECASE)),
]
_TITLE_NOISE = re.compile(
    r"\s+(?:jobs?|openings?|careers?)(?:\s*(?:&|and)\s*internships?)?(?:\s+\d{4})?\s*$|\s+\d{4}\s*$", re.IGNORECASE
)
_TITLE_SPLIT = re.compile(r"\s+(?:—|–|-|\||·|@|at)\s+")
_TITLE_PREFIX = re.compile(r"^\s*(?:job title|title|position|role|job)\s*[:\-–]\s*", re.IGNORECASE)


_LEVEL_PAREN = re.compile(r"\s*\((?:[^)]*\b(?:level|junior|senior|mid|entry|intern|staff|principal)\b[^)]*)\)", re.IGNORECASE)


def _raw_title(lines: Sequence[MarkedLine]) -> str:
    for ln in lines:
        m = _TITLE_PREFIX.match(ln.text)
        if m:
            return ln.text[m.end():].strip()
    for ln in lines:
        if ln.text and not ln.text.startswith(("|", ">", "---")):
            return ln.text.strip()
    return ""


def _tidy_title(t: str) -> str:
    t = t.strip().strip("*# ").strip()
    t = _TITLE_SPLIT.split(t, maxsplit=1)[0]
    t = _LEVEL_PAREN.sub("", t)
    t = _TITLE_NOISE.sub("", t).strip()
    letters = [c for c in t if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        t = " ".join(w if len(w) <= 3 and w in {"ML", "AI", "QA", "UX", "UI", "SRE", "IT", "BI"} else w.capitalize() for w in t.split())
    return t[:200] or "Untitled role"


def _level(title: str) -> Level | None:
    for level, rx in _LEVEL_WORDS:
        if rx.search(title):
            return level  # type: ignore[return-value]
    return None


def _years_value(m: re.Match[str]) -> float:
    first = m.group(1).lower()
    return float(_WORD_NUM.get(first, first if first.isdigit() else 0))


def _group_mentions(item: str, found: list[tuple[str, int, int, str]]) -> list[list[str]]:
    """Split an item's mentions into any-of groups by their connectors ("or", "/", "and", ",")."""
    groups: list[list[str]] = []
    run: list[tuple[str, int, int, str]] = []
    connectors: list[str] = []

    def flush() -> None:
        if not run:
            return
        has_or = "or" in connectors
        commas_are_or = has_or or bool(_OR_CUE.search(item[: run[0][1]]))
        current: list[str] = [run[0][0]]
        for (sid, *_), conn in zip(run[1:], connectors):
            if conn == "or" or (conn == "comma" and commas_are_or):
                current.append(sid)
            else:
                groups.append(current)
                current = [sid]
        groups.append(current)

    prev = None
    for m in found:
        if prev is not None:
            gap = item[prev[2] : m[1]].strip().lower()
            gap = re.sub(r"[()\[\]]", " ", gap).strip()
            if re.fullmatch(r"(?:,\s*)?(?:or|and/or|/|\|)(?:\s*even)?|/", gap):
                connectors.append("or")
                run.append(m)
            elif re.fullmatch(r"(?:,\s*)?(?:and|&|\+|as well as|plus)", gap):
                connectors.append("and")
                run.append(m)
            elif gap == ",":
                connectors.append("comma")
                run.append(m)
            else:
                flush()
                run, connectors = [m], []
        else:
            run = [m]
        prev = m
    flush()
    return groups


#: Categories of skills that are practices or fields rather than named tools.
PRACTICE_CATEGORIES = frozenset({"ml_concepts", "methodologies", "statistics_experimentation"})
#: One-word practices (multi-word ones are recognised by their sentence-case names).
PRACTICE_IDS = frozenset({"ci-cd", "devops", "mlops", "observability", "microservices", "etl", "statistics", "robotics"})
_TOOLS_FOLLOW = re.compile(
    r"\b(?:with|using|via|through|in|on|such as|like|e\.g\.?|including|across|experience)\b|[(:\-–—]", re.IGNORECASE
)
_PURPOSE = re.compile(r"\s(?:for|to support|to power|to enable|to build)\s", re.IGNORECASE)
_PREFERRED_CLAUSE = re.compile(r",?\s*\b(?:" + "|".join(PREFERRED_CLAUSES) + r")\b", re.IGNORECASE)
_PAREN = re.compile(r"\([^()]*\)")
_EXAMPLE_CUE = re.compile(r"\b(?:such as|including|e\.g\.?|for example|like)\b|[(:]", re.IGNORECASE)

Found = tuple[str, int, int, str]


def is_practice(skill) -> bool:
    """A practice or field ("Distributed training", "Data warehousing", "CI/CD") rather than a
    named tool ("PyTorch", "SQL"): by its category, a short list, or a sentence-case name."""
    if skill.category in PRACTICE_CATEGORIES or skill.id in PRACTICE_IDS:
        return True
    words = skill.name.split()
    return len(words) > 1 and all(w.islower() for w in words[1:]) and not any(c.isdigit() for c in skill.name)


def _in_paren(text: str, pos: int) -> tuple[int, int] | None:
    for m in _PAREN.finditer(text):
        if m.start() < pos < m.end():
            return m.span()
    return None


_TOOL_CUE = _cue_regex(TOOL_CUES)
#: One item of a list after a cue: a single word (with its version: "Zorbix 3.2"), never a phrase.
_LIST_WORD = re.compile(r"[A-Za-z][\w.+#-]*[\w+#]|[A-Za-z]")
_LIST_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)*\b")
_LIST_SEP = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:and/or|or|and)\s+)?|/|\||\s+(?:and/or|or|and|&)\s+)[ \t]*",
                       re.IGNORECASE)
_CAPITALISED = re.compile(r"[A-Z][\w.+#-]*")
_PREV_WORD = re.compile(r"([\w.+#-]+)[ \t]+$")
_NOT_TOOL_NAMES = frozenset(w for w in CITIES | REGIONS if len(w) > 3) | frozenset(SPOKEN_LANGUAGES.split("|"))


def _is_free_text_word(part: str, start: int, end: int, taxonomy: Taxonomy) -> bool:
    """A word the taxonomy doesn't know that looks like a tool's name: capitalised or tech-shaped
    ("Zorbix", "dbFlux", "K9s"), no stop word, field, soft skill, credential, place or language, no
    cue word, and not one word of a title-case phrase ("Customer Success", "Computer Science")."""
    w = part[start:end].rstrip(".")
    lw = w.lower()
    if len(w) < 2 or not (w[0].isupper() or _TERM_SHAPE.search(w)) or w.isdigit():
        return False
    from spacy.lang.en.stop_words import STOP_WORDS

    if lw in STOP_WORDS or lw in NOT_TOOL_WORDS or lw in _MONTHS or lw in _NOT_TOOL_NAMES or cue_kind(w) is not None:
        return False
    if taxonomy.resolve(w) is not None or taxonomy.resolve(part[start:end]) is not None:
        return False  # a known name the ambiguity rules kept out ("Excel" as a verb, "Go") stays out
    prev = _PREV_WORD.search(part, 0, start)
    if prev and prev.group(1)[0].isupper() and prev.group(1).lower() not in STOP_WORDS | {"using"}:
        return False
    return not (part[end:end + 1] in (" ", "\t") and _CAPITALISED.match(part[end:].lstrip(" \t")))


def free_text_terms(part: str, found: Sequence[Found], taxonomy: Taxonomy) -> list[Found]:
    """Free-text alternatives of one requirement part, as ``("~" + key, start, end, surface)``: the
    tool-like words (``_is_free_text_word``) of a list that follows a tool cue ("Experience with
    Zorbix or Flumewave") or holds a taxonomy skill ("Python, Zorbix and SQL"). The list runs over
    single words and taxonomy mentions joined by ",", "/", "or", "and"; anything else ends it."""
    starts = {f[1]: f for f in found}
    anchors = sorted({m.end() for m in _TOOL_CUE.finditer(part)} | set(starts))
    out: dict[int, Found] = {}
    for pos in anchors:
        while True:
            pos += len(part[pos:]) - len(part[pos:].lstrip(" \t"))
            if pos in starts:
                pos = starts[pos][2]
            elif (m := _LIST_WORD.match(part, pos)) and _is_free_text_word(part, m.start(), m.end(), taxonomy):
                v = _LIST_VERSION.match(part, m.end())
                end = v.end() if v else m.end()
                surface = part[m.start():end]
                out.setdefault(m.start(), (UNRESOLVED_PREFIX + normalize_key(surface), m.start(), end, surface))
                pos = end
            else:
                break
            sep = _LIST_SEP.match(part, pos)
            if not sep or not sep.group(0).strip():
                break
            pos = sep.end()
    return [out[k] for k in sorted(out) if out[k][0] != UNRESOLVED_PREFIX]


def _practice(sid: str, taxonomy: Taxonomy) -> bool:
    """``is_practice`` of a taxonomy id; a free-text term is a tool's name, never a practice."""
    return not sid.startswith(UNRESOLVED_PREFIX) and is_practice(taxonomy[sid])


def _implied(sid: str, taxonomy: Taxonomy) -> dict[str, float]:
    return {} if sid.startswith(UNRESOLVED_PREFIX) else taxonomy.implied(sid)


def _requirement_groups(sentence: str, found: list[Found], taxonomy) -> list[list[str]]:
    """Any-of groups of one requirement sentence, with the noise around the tools removed.

    - a "for ..." purpose clause after the skills names what they are for, not more requirements;
    - a parenthesis right after a skill ("Firebase (Crashlytics, Remote Config)", "Swift (iOS)")
      annotates it: its skills are dropped and it doesn't break an "or" list;
    - a practice-only group followed by tools ("Distributed training with Horovod, DeepSpeed, or
      FSDP", "Infrastructure as code - Terraform/Pulumi") names the activity: only the tools count;
      a practice right after a tool ("PyTorch distributed training") qualifies it;
    - practices inside parentheses ("(Formula SAE, Baja, robotics)") are context, not requirements;
    - a group whose skills all imply a skill of an earlier group ("Kubernetes: EKS, GKE") gives
      examples of it.
    """
    m = _PURPOSE.search(sentence)
    if m and any(f[2] <= m.start() for f in found):
        stop = re.compile(r"[,;]").search(sentence, m.end())
        cut_end = stop.start() if stop else len(sentence)
        found = [f for f in found if not (m.start() < f[1] < cut_end)]
    kept: list[Found] = []
    for f in found:
        span = _in_paren(sentence, f[1])
        if span is not None:
            before = sentence[: span[0]].rstrip()
            if kept and kept[-1][2] == len(before) and not _practice(kept[-1][0], taxonomy):
                continue  # annotation of the tool just before the parenthesis
            if _practice(f[0], taxonomy):
                continue
        kept.append(f)
    found = kept
    # Blank out parentheses that hold no kept skill, so "Swift (iOS) or Kotlin" stays one list.
    clean = _PAREN.sub(
        lambda mm: mm.group(0) if any(mm.start() < f[1] < mm.end() for f in found) else " " * len(mm.group(0)),
        sentence,
    )
    groups = _group_mentions(clean, found)
    by_id = {f[0]: f for f in found}
    tool = [not _practice(f[0], taxonomy) for f in found]
    out: list[list[str]] = []
    for ids in groups:
        first = min((by_id[s] for s in ids), key=lambda f: f[1])
        last = max((by_id[s] for s in ids), key=lambda f: f[2])
        if all(_practice(s, taxonomy) for s in ids):
            later_tools = [f for f, t in zip(found, tool) if t and f[1] >= last[2]]
            if later_tools and _TOOLS_FOLLOW.search(sentence[last[2] : later_tools[0][1]]):
                continue  # "Distributed training with Horovod ...": the tools are the requirement
            earlier_tools = [f for f, t in zip(found, tool) if t and f[2] <= first[1]]
            if earlier_tools and not sentence[earlier_tools[-1][2] : first[1]].strip():
                continue  # "PyTorch distributed training": qualifies the tool
        if all(_practice(s, taxonomy) for s in ids):
            # "Linux administration": the practice, or the tool it strongly implies, satisfies it.
            ids = ids + [a for s in ids for a, w in _implied(s, taxonomy).items()
                         if w >= 0.8 and not is_practice(taxonomy[a]) and a not in ids]
        if out:
            prev = out[-1]
            # the previous group's own mentions (a practice group also holds implied tools, never mentioned)
            prev_last = max((by_id[s] for s in prev if s in by_id), key=lambda f: f[2])
            gap = sentence[prev_last[2] : first[1]]
            if _EXAMPLE_CUE.search(gap) and (
                all(_practice(s, taxonomy) for s in ids)
                or all(any(a in _implied(s, taxonomy) for a in prev) for s in ids)
            ):
                continue  # "A/B testing, including power analysis", "Kubernetes: EKS, GKE": examples
            if _TOOLS_FOLLOW.search(gap) and all(any(a in _implied(s, taxonomy) for a in prev) for s in ids):
                out.pop()  # "CAD experience with SolidWorks or AutoCAD": the tools are the requirement
        out.append(ids)
    return out


def _heading_kind(heading: str) -> str | None:
    """required / preferred / noise / None for a heading's text ("Skills: Python" reads its head)."""
    return cue_kind(heading.split(":", 1)[0] if ":" in heading.rstrip(":") else heading.rstrip(":"))


def _fallback_items(lines: Sequence[MarkedLine]) -> list[tuple[str, bool]]:
    """With no requirement section: every bullet that is not under a noise heading (duties,
    benefits, about us), as required."""
    mode: str | None = None
    out = []
    for ln in lines:
        if ln.heading:
            kind = _heading_kind(ln.text)
            if not (kind is None and mode == "noise" and is_lead_in(ln.text)):
                mode = kind
        elif ln.bullet and ln.text and mode != "noise":
            out.append((ln.text, True))
    return out


def _items(lines: Sequence[MarkedLine]) -> list[tuple[str, bool]]:
    """The requirement items: (text, required) for each bullet or paragraph under a requirements
    or nice-to-have heading; wrapped lines are joined."""
    mode: str | None = None
    items: list[list] = []
    open_item = False
    for ln in lines:
        if ln.heading:
            kind = _heading_kind(ln.text)
            if kind is None and mode in ("required", "preferred") and is_lead_in(ln.text):
                open_item = False
                continue
            mode = kind
            open_item = False
            # "Skills: Python, SQL": an inline heading; the rest of the line is an item.
            if ":" in ln.text and mode in ("required", "preferred") and ln.text.split(":", 1)[1].strip():
                items.append([ln.text.split(":", 1)[1].strip(), mode == "required"])
            continue
        if mode not in ("required", "preferred"):
            continue
        if not ln.text:
            open_item = False
            continue
        if ln.bullet or not open_item:
            items.append([ln.text, mode == "required"])
            open_item = True
        else:
            items[-1][0] += " " + ln.text
    return [(t, r) for t, r in items]


def _sections(lines: Sequence[MarkedLine], title: str = "") -> list[str]:
    """The headings of a job text and how each was read, for a recruiter's hint (not the title)."""
    out = []
    for ln in lines:
        if ln.heading and ln.text.strip().strip("#").strip() != title.strip():
            h = ln.text.rstrip(":").strip()[:80]
            kind = {"required": "required", "preferred": "preferred"}.get(_heading_kind(h) or "", "not requirements")
            out.append(f"{h} ({kind})")
    return out[:30]


_TERM = re.compile(r"(?<![\w.+#-])[A-Za-z][\w.+#/-]*[\w+#]|(?<![\w.+#-])[A-Z](?![\w])")
_TERM_SHAPE = re.compile(r"[A-Z].*[A-Z]|[a-z][A-Z]|\d|[.+#/]")
_MONTHS = frozenset("january february march april may june july august september october november december".split())


def unknown_terms(text: str, sm: SkillMatcher, limit: int = 20) -> list[str]:
    """Skill-like words of ``text`` that the taxonomy doesn't know, most frequent first: words with a
    tech shape (an inner capital, a digit, ".", "+", "#", "/": "ServiceNow", "S3", "C#", ".NET",
    "PL/SQL") or capitalised mid-sentence, that are neither English stop words nor taxonomy names."""
    from spacy.lang.en.stop_words import STOP_WORDS

    counts: dict[str, int] = {}
    known = {t.lower() for sid, *_ in match_skills(text, sm, list_context=True, relax_case=True)
             for t in (sid, sm.taxonomy[sid].name)}
    for m in _TERM.finditer(text):
        w = m.group(0).strip("./-")
        lw = w.lower()
        if len(w) < 2 or lw in STOP_WORDS or lw in _MONTHS or lw in known or sm.taxonomy.resolve(w) is not None:
            continue
        before = text[: m.start()].rstrip(" \t")
        sentence_start = not before or before[-1] in ".!?:;-•*#(\n"
        if cue_kind(w) is not None:
            continue  # a section name ("Requirements"), not a skill
        if _TERM_SHAPE.search(w[1:] if w[:1].isupper() else w) or (w[:1].isupper() and not sentence_start and len(w) > 2):
            counts[w] = counts.get(w, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))][:limit]


#: Runs of blanks (and tabs, no-break and other odd spaces) between words: one space, so a
#: multi-word skill matches whatever the spacing ("Argo  CD", "distributed\u00a0systems");
#: indentation at the start of a line is kept (it marks list items).
_INNER_BLANKS = re.compile(r"(?<=\S)(?:[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000])(?=\S)")


def role_from_job_text(text: str, sm: SkillMatcher) -> tuple[RoleSpec, list[str]]:
    """Derive a role spec from a job description; returns (spec, warnings). Raises RoleError.

    Text with little line structure (one paragraph, flattened HTML) is given lines first
    (``job_structure.restructure``). When nothing is found, the RoleError's ``details`` name the
    sections found and the skill-like words the taxonomy doesn't know."""
    text = restructure(_INNER_BLANKS.sub(" ", text))
    lines = marked_lines(text, cue_kind)
    raw_title = _raw_title(lines)
    title = _tidy_title(raw_title) if raw_title else "Untitled role"
    warnings: list[str] = []
    items = _items(lines)
    if not items:
        warnings.append("no requirements section found: every bullet line outside duties, benefits and "
                        "company sections was used")
        items = _fallback_items(lines)

    taxonomy = sm.taxonomy
    min_years: float | None = None
    reqs: list[RequirementSpec] = []
    seen: set[frozenset[str]] = set()
    for item_text, required in items:
        for sentence in _SENTENCE_SPLIT.split(item_text):
            pm = _PREFERRED_CLAUSE.search(sentence)
            parts = [(sentence[: pm.start()], True), (sentence[pm.start() :], False)] if pm else [(sentence, True)]
            for part, part_required in parts:
                is_required = required and part_required and not _PREFERRED_LINE.search(part)
                found = match_skills(part, sm, list_context=True, relax_case=False)
                found = sorted(found + free_text_terms(part, found, taxonomy), key=lambda f: f[1])
                ym = _YEARS.search(part)
                years_for: str | None = None
                if ym:
                    after = [f for f in found if f[1] >= ym.end()]
                    first = after[0] if after else None
                    gap = part[ym.end() : first[1]] if first else ""
                    if first is not None and len(gap) <= 30 and not _practice(first[0], taxonomy) and not _ROLE_YEARS_CUE.search(gap):
                        years_for = first[0]
                    else:
                        if min_years is None:
                            min_years = _years_value(ym)
                        continue  # an overall-experience sentence names fields, not tools
                for ids in _requirement_groups(part, found, taxonomy):
                    key = frozenset(ids)
                    if key in seen:
                        continue
                    seen.add(key)
                    free = [f[3] for s in ids for f in found if f[0] == s and s.startswith(UNRESOLVED_PREFIX)]
                    reqs.append(
                        RequirementSpec(
                            any_of=[taxonomy[s].name for s in ids if not s.startswith(UNRESOLVED_PREFIX)],
                            free_text=list(dict.fromkeys(free)) or None,
                            required=is_required,
                            min_years=_years_value(ym) if ym and years_for in ids else None,
                            source_text=sentence.strip()[:300],
                        )
                    )
    if not reqs:
        sections = _sections(lines, raw_title)
        terms = unknown_terms(text, sm)
        hint = []
        if sections:
            hint.append("sections found: " + "; ".join(sections))
        if terms:
            hint.append("skill-like terms not in the taxonomy: " + ", ".join(terms))
        raise RoleError("no skill requirements found in the job description" + (" (" + "; ".join(hint) + ")" if hint else ""),
                        {"sections": sections, "unknown_terms": terms, "role_title": title})
    ty = _YEARS.search(raw_title)  # "Junior Developer (1-4 years experience)"
    if min_years is None and ty:
        min_years = _years_value(ty)
    level = _level(_TITLE_NOISE.sub("", _TITLE_SPLIT.split(raw_title, maxsplit=1)[0]))
    if len(reqs) > MAX_REQUIREMENTS:
        warnings.append(f"{len(reqs)} requirement groups found; only the first {MAX_REQUIREMENTS} are kept")
        reqs = reqs[:MAX_REQUIREMENTS]
    try:
        return RoleSpec(title=title, level=level, min_years=min_years, requirements=reqs), warnings
    except ValidationError as exc:
        raise RoleError(f"job description gave an invalid role: {_format_validation(exc)}") from None


def load_role_text(text: str, sm: SkillMatcher) -> tuple[Role, RoleSpec, list[str]]:
    """A role from either a YAML/JSON spec or a job description's text."""
    data = parse_spec_text(text)
    if data is not None:
        spec = load_role_spec(data)
        warnings: list[str] = []
    else:
        spec, warnings = role_from_job_text(text, sm)
    return resolve_spec(spec, sm.taxonomy), spec, warnings
