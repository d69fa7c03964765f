"""The typed values that flow through the engine.

bytes -> Document -> (Section, Position) -> SkillMention -> Profile -> (Role) -> FitReport

Every value is a frozen dataclass: cheap to build, safe to share between threads and processes,
and compared by value in tests. Offsets (``start``/``end``) are always character offsets into
``Document.text``, half-open, so ``document.text[start:end]`` is the exact surface text.
Months are ``datetime.date`` values on the first day of the month.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

Format = Literal["pdf", "docx", "text"]

#: Canonical section kinds. ``header`` is whatever precedes the first heading (name, contact).
SECTION_KINDS: tuple[str, ...] = (
    "header",
    "summary",
    "experience",
    "education",
    "skills",
    "projects",
    "certifications",
    "publications",
    "awards",
    "languages",
    "interests",
    "volunteering",
    "references",
    "other",
)

#: Where a skill mention was found, which scoring uses to weigh it.
#: ``position``: inside a dated job; ``skills_list``: a skills/keyword section;
#: ``project``: a projects section; ``text``: anywhere else (summary, header, education ...).
MentionSource = Literal["position", "skills_list", "project", "text"]

#: Whether the sentence asserts the skill, denies it or only wishes for it.
#: ``other``: the skill describes other people ("hired Go engineers"), not the candidate.
Modality = Literal["asserted", "negated", "aspiration", "other"]


@dataclass(frozen=True)
class Page:
    """One page of the source: its 1-based number and its span in ``Document.text``."""

    number: int
    start: int
    end: int


def page_at(pages: tuple[Page, ...], offset: int) -> int | None:
    """The 1-based number of the page in ``pages`` holding character ``offset`` (None if no pages)."""
    if not pages:
        return None
    i = bisect.bisect_right([p.start for p in pages], offset) - 1
    return pages[max(i, 0)].number


@dataclass(frozen=True)
class HiddenText:
    """Text present in the file that a human reader can't see. Never evidence."""

    text: str
    reason: str  # "white_text" | "tiny_font" | "off_page" | "hidden_property" ...
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """A read document: visible text in reading order, with page spans and what was hidden.

    ``text`` has one line per visual line; blank lines separate blocks (paragraphs, columns).
    """

    text: str
    format: Format
    pages: tuple[Page, ...] = ()
    hidden: tuple[HiddenText, ...] = ()
    warnings: tuple[str, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page number holding character ``offset``, or None without pages."""
        return page_at(self.pages, offset)


@dataclass(frozen=True)
class Section:
    """A titled part of the résumé. ``start``/``end`` span the body, after the heading line."""

    kind: str
    heading: str
    start: int
    end: int
    heading_start: int | None = None


@dataclass(frozen=True)
class Position:
    """A dated job (or similar role) inside an experience-like section.

    ``end`` is None with ``current`` True for "Present"/"today"/"actual"... ``start``/``end``
    may be None when the date could not be read (the position then has no duration).
    ``span`` is the text region that belongs to this position (title line through its bullets).
    """

    index: int
    title: str | None
    organization: str | None
    start: date | None
    end: date | None
    current: bool
    span: tuple[int, int]
    date_text: str = ""
    section: str = "experience"


@dataclass(frozen=True)
class SkillMention:
    """One occurrence of a taxonomy skill in the text, with where it was and how it was meant.

    ``text`` is the surface form, ``Document.text[start:end]``; ``section`` is the kind of the
    section holding it, ``position`` the index of the dated position it lies in (None outside one).
    """

    skill_id: str
    text: str
    start: int
    end: int
    section: str
    position: int | None
    source: MentionSource
    modality: Modality = "asserted"
    version: str | None = None  # "Java 8", "TFS 2012": the version written right after the name


@dataclass(frozen=True)
class ProfileSkill:
    """A normalized skill of a candidate with its depth and every line that proves it.

    ``years`` is the time covered by the dated positions its evidence lies in (overlaps counted
    once) and ``last_used`` the latest end among them; both are None when none of the evidence is
    in a dated position. ``evidence`` holds asserted mentions only, in text order.
    """

    id: str
    name: str
    category: str
    years: float | None
    last_used: date | None
    evidence: tuple[SkillMention, ...]
    sources: tuple[str, ...]  # sorted distinct MentionSource values of the evidence


@dataclass(frozen=True)
class UnresolvedSkill:
    """A tool the learned detector found that the taxonomy does not know ("Wistia", "SAP FICO"):
    never scored against taxonomy requirements, shown to people as found but unresolved; it meets a
    requirement's free-text alternative (``FreeTextTerm``) with the same ``key``, the normalized
    name (``extraction.normalize_key``) that ties spellings together."""

    key: str
    name: str  # the surface form seen most often
    evidence: tuple[SkillMention, ...]  # skill_id is "~" + key


@dataclass(frozen=True)
class Profile:
    """What the engine understood of one résumé."""

    skills: tuple[ProfileSkill, ...]
    positions: tuple[Position, ...]
    sections: tuple[Section, ...]
    experience_years: float | None
    as_of: date
    taxonomy_version: str
    warnings: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()  # skill ids only wished for / denied: never evidence
    hidden_skills: tuple[str, ...] = ()  # skill ids found in invisible text: never evidence
    unresolved: tuple[UnresolvedSkill, ...] = ()  # tools outside the taxonomy (matcher.detector)
    text: str = field(default="", repr=False)
    pages: tuple[Page, ...] = field(default=(), repr=False)

    def skill(self, skill_id: str) -> ProfileSkill | None:
        for s in self.skills:
            if s.id == skill_id:
                return s
        return None


# --------------------------------------------------------------------------------------------
# Roles and fit reports
# --------------------------------------------------------------------------------------------

Level = Literal["intern", "junior", "mid", "senior", "staff", "principal"]
#: The seniority levels, most junior first: the one list (``Level`` spells it for type checkers).
LEVELS: tuple[Level, ...] = get_args(Level)
#: ``unresolved``: a free-text requirement met by an unresolved mention with the same key.
MatchKind = Literal["exact", "implied", "related", "unresolved"]
#: ``matched_unresolved``: met only by name, through a mention outside the taxonomy.
Status = Literal["met", "listed_only", "partial", "missing", "matched_unresolved"]

#: The prefix of an unresolved name's id ("~zorbix"), for mentions and free-text alternatives alike.
UNRESOLVED_PREFIX = "~"


@dataclass(frozen=True)
class FreeTextTerm:
    """A requirement alternative the taxonomy does not know ("Zorbix" in a job description or a
    spec's ``free_text``): met by the profile's unresolved mention with the same normalized ``key``
    (``extraction.normalize_key``, the rule unresolved mentions are grouped by)."""

    key: str
    name: str

    @property
    def id(self) -> str:
        """``"~" + key``: the id its matching unresolved mention is scored under."""
        return UNRESOLVED_PREFIX + self.key


@dataclass(frozen=True)
class RequirementGroup:
    """'Any of these skills': one requirement of a role.

    ``any_of`` holds taxonomy ids, ``free_text`` the alternatives outside the taxonomy (matched
    by name against unresolved mentions); a group has at least one of either. ``required`` groups
    are must-haves, the others nice-to-haves. ``weight`` scales the group's share of the points;
    ``min_years`` asks for depth.
    """

    any_of: tuple[str, ...]
    required: bool = True
    weight: float = 1.0
    min_years: float | None = None
    label: str = ""
    source_text: str = ""
    free_text: tuple[FreeTextTerm, ...] = ()

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Every alternative's id: the taxonomy ids, then ``"~" + key`` of each free-text term."""
        return self.any_of + tuple(t.id for t in self.free_text)


@dataclass(frozen=True)
class Role:
    """A role's requirements, resolved against a taxonomy (see ``matcher.roles`` for the spec)."""

    title: str
    groups: tuple[RequirementGroup, ...]
    level: Level | None = None
    min_years: float | None = None
    years_knockout: bool = False


@dataclass(frozen=True)
class SkillMatch:
    """How one candidate skill satisfies (part of) a requirement group."""

    skill_id: str  # the candidate's skill
    requirement_id: str  # the alternative of the group it stands for
    kind: MatchKind
    strength: float  # 0-1: 1 exact, less for implied / related
    depth: float  # 0-1: how well the evidence backs it (positions, years, recency)
    years: float | None
    last_used: date | None
    sources: tuple[str, ...]
    evidence: tuple[SkillMention, ...]
    reason: str
    name: str = ""  # the candidate skill's name (an unresolved one has no taxonomy entry)


@dataclass(frozen=True)
class GroupResult:
    group: RequirementGroup
    status: Status
    credit: float  # 0-1
    points: float
    max_points: float
    matched: tuple[SkillMatch, ...]
    advice: str


@dataclass(frozen=True)
class FitReport:
    """A candidate's fit to a role: an absolute 0-100 score and why."""

    score: float
    summary: str
    groups: tuple[GroupResult, ...]
    experience_years: float | None
    experience_points: float
    experience_max_points: float
    scoring_version: str
    taxonomy_version: str
    knocked_out: bool = False
