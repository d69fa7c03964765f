"""Document -> sections (headings), dated positions, and the experience timeline.

Sections
    A heading is a short line that *is* a known heading phrase ("WORK EXPERIENCE", "Professional
    Experience", "Skills:", "## Experience", "— Experience —", "EXPERIENCIA / EXPERIENCE"), or a
    line that *starts* with one followed by a colon ("Skills: Python, SQL"), in which case the body
    starts after the colon on the same line. Sentences that merely contain "experience" are never
    headings. Sub-headings that live inside jobs ("Technologies:", "Achievements", "Project:",
    "Tools:") do not end an experience section. Unknown short ALL-CAPS lines become ``other``
    headings only when the document's own headings are ALL CAPS and the line can't be a company,
    a job title or a name. A sub-heading word styled exactly like the experience heading ("Skills"
    under "Experience", both standalone after a blank line) does start a new section when no dated
    job follows it. Sections cover the text in order; the part before the first heading is
    ``header``.

    Text flattened onto one very long line (runs of spaces where the line breaks were, as in some
    exported résumés) is read as if each run of 2+ spaces were a line break.

Positions
    Only ``experience`` and ``volunteering`` sections hold positions (``Position.section`` says
    which); education, projects and the rest never do. A position is anchored on a date range
    standing on a short, non-bullet line; its title and organization come from that line and the
    short lines stacked above it (or below it, when the section puts dates first). Header lines
    take the usual forms: "Title, Org, City, ST    dates", "Title — Org, City  dates", "Title |
    Org | dates", "Title at Org", labelled "Company : X" / "Role : Y" lines, and one-line jobs
    followed by a description ("Analyst, Acme (Dubai), Apr 2022 – Present — SQL, dbt ...", only
    the part before the date names the job). A trailing place ("Boston, MA", "Tokyo", "remote")
    and a department ("UC Davis, Department of ...") are never the organization. In a text table
    whose header row names its columns ("| Period | Company | Role | ..."), each dated row is a
    job named by its cells and its span is the row alone.
    A position's span runs from its first header line to the next position's, so spans never
    overlap and stay inside their section. A lone year or month ("2021", "June 2019") on a
    position line is a position of that one month (start == end); not when it dates an aside
    ("(2012: one-year sabbatical ...)"), an award, a certificate or an expected graduation.

Experience timeline
    ``experience_years`` merges overlapping ``experience`` positions (volunteering is evidence for
    skills but not years of experience), ends current positions at ``as_of``, clamps anything after
    ``as_of`` and ignores positions starting after it. See ``matcher.dates`` for the month
    conventions (inclusive months; a year-only range "2019 – 2022" is Jan 2019 .. Dec 2022, a
    lone year is July).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from matcher.dates import (
    DateRange,
    date_has_day,
    find_dates,
    merge_intervals,
    month_floor,
    months_between,
    years_of_months,
)
from matcher.text import (
    DECOR,
    HARD_BULLETS,
    ITEM_MARKS,
    LETTER_SPACED_RE,
    Line,
    clean_heading,
    doc_lines,
    fold,
    has_digit,
    section_lines,
)
from matcher.types import Document, Position, Section
from matcher.vocab.resume import (
    ABBREVIATIONS,
    CITIES,
    HEAD_NOUNS,
    HEADER_FILLER,
    HEADING_MODIFIERS,
    HEADING_TRAILERS,
    LABEL_DATE,
    LABEL_ORG,
    LABEL_TITLE,
    LOWERCASE_HEADINGS,
    MERGE_KINDS,
    NOT_HEAD_PREFIX,
    NOT_VERBS,
    ORG_WORDS,
    REGIONS,
    SECTION_PHRASES,
    SPOKEN_LANGUAGES,
    TITLE_WORDS,
    WEAK_IN_EXPERIENCE,
    WEAK_KINDS,
    WORK_MODES,
)

__all__ = [
    "find_sections",
    "find_positions",
    "experience_years",
    "section_at",
    "position_at",
    "heading_kind",
    "POSITION_SECTION_KINDS",
]

#: Section kinds whose dated entries are positions.
POSITION_SECTION_KINDS: frozenset[str] = frozenset({"experience", "volunteering"})
#: Section kinds whose positions count towards ``experience_years``.
_YEARS_KINDS = frozenset({"experience"})

# --------------------------------------------------------------------------------------------
# Heading vocabulary (normalized: lower case, no accents, "&" -> "and", single spaces)
# --------------------------------------------------------------------------------------------


_PHRASE_KIND: dict[str, str] = {}
for _kind, _phrases in SECTION_PHRASES.items():
    for _p in _phrases:
        _PHRASE_KIND.setdefault(_p, _kind)

_CONNECTORS_RE = re.compile(r"\s*(?:/|\||,|\band\b|\bund\b|\by\b|\bet\b|\be\b)\s*")

#: First words of every heading phrase (and modifiers): a line starting otherwise isn't one.
_FIRST_WORDS = frozenset(
    [p.split(" ")[0] for p in _PHRASE_KIND] + list(HEADING_MODIFIERS)
)
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------

_SPOKEN_RE = re.compile(rf"\b(?:{SPOKEN_LANGUAGES})\b", re.IGNORECASE)
_INLINE_RE = re.compile(r"(?P<h>[^\W\d_][^:：\n]{0,40}?)[ \t]*[:：][ \t]*(?=\S)")
_YEARS_OF_RE = re.compile(r"\d+\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)


def _lookup(norm: str) -> str | None:
    kind = _PHRASE_KIND.get(norm)
    if kind is not None:
        return kind
    words = norm.split(" ")
    # Strip modifiers from the left and filler from the right.
    i, j = 0, len(words)
    while j - i > 1 and words[j - 1] in HEADING_TRAILERS:
        j -= 1
    while j - i >= 1:
        kind = _PHRASE_KIND.get(" ".join(words[i:j]))
        if kind is not None:
            return kind
        if words[i] in HEADING_MODIFIERS and j - i > 1:
            i += 1
            continue
        break
    return None


def _head_noun_kind(s: str) -> str | None:
    """"ICT Related Experience", "Teaching Skills", "Research Interests": the last word decides,
    for a short capitalized phrase that isn't a sentence ("Describe your experiences")."""
    if "(" in s or ")" in s:
        return None
    words = s.replace("/", " ").split()
    if not 2 <= len(words) <= 4:
        return None
    last = words[-1].lower()
    if last not in HEAD_NOUNS:
        return None
    first = words[0].lower()
    if first in NOT_HEAD_PREFIX or first.endswith("ed"):
        return None
    for w in words:
        if not (w[0].isupper() or w.lower() in ("of", "and", "&", "in", "for")):
            return None
    return HEAD_NOUNS[last]


@lru_cache(maxsize=4096)
def _phrase_kind(norm: str) -> str | None:
    """Kind of a normalized heading phrase, or None. Handles "A / B", "A & B", "A, B"."""
    if not norm:
        return None
    kind = _lookup(norm)
    if kind is not None:
        return kind
    parts = [p for p in _CONNECTORS_RE.split(norm) if p]
    if len(parts) < 2:
        return None
    kinds = [_lookup(p) for p in parts]
    if all(kinds):
        return kinds[0]
    return None



def heading_kind(line: str) -> str | None:
    """The section kind of a standalone heading line ("WORK EXPERIENCE", "Skills:"), or None.

    Only looks at the line itself: no context rules (see ``find_sections`` for those).
    """
    got = _standalone(line)
    return got[0] if got else None


def _standalone(line: str) -> tuple[str, str, bool, bool] | None:
    """(kind, heading text, had colon, is all caps) for a standalone heading line, else None."""
    if len(line) > 70:
        return None
    w = _FIRST_WORD_RE.search(line)
    if w is None:
        return None
    first = w.group().lower()
    if first not in _FIRST_WORDS and (len(first) > 1 or not LETTER_SPACED_RE.match(line.strip(DECOR))):
        if first.isascii() or fold(first) not in _FIRST_WORDS:
            tail = line.strip(DECOR + "：").rsplit(None, 1)
            if not tail or tail[-1].lower() not in HEAD_NOUNS:
                return None
    cleaned = clean_heading(line)
    if cleaned is None:
        return None
    s, colon = cleaned
    if len(s) > 60 or not s[0].isalpha() or has_digit(s):
        return None
    caps = s.isupper()
    if not caps and line.rstrip(" \t\"'”’»").endswith("."):
        return None  # "... to gain experience." ends a sentence
    norm = fold(s)
    n_words = norm.count(" ") + 1
    if n_words > (9 if ("/" in norm or "|" in norm) else 6):
        return None
    if s[0].islower():
        # Lower-case headings are real ("experience", "education") but so are sentence tails
        # ("... and related tools"): only the plain core phrases count.
        kind = _PHRASE_KIND.get(norm) if norm in LOWERCASE_HEADINGS else None
    else:
        kind = _phrase_kind(norm) or _head_noun_kind(s)
    if kind is None:
        return None
    return kind, s, colon, caps


def _inline(text: str, s: int, e: int) -> tuple[str, str, int] | None:
    """(kind, heading text, body offset) for "Skills: Python, SQL", else None."""
    colon = text.find(":", s, min(e, s + 44))
    if colon < 0 and text.find("：", s, min(e, s + 44)) < 0:
        return None
    m = _INLINE_RE.match(text, s, e)
    if m is None:
        return None
    h = m.group("h").strip()
    if not h:
        return None
    if has_digit(h):
        return None
    norm = fold(h)
    if norm.count(" ") > 4:
        return None
    kind = _phrase_kind(norm) if h[0].isupper() else (
        _PHRASE_KIND.get(norm) if norm in LOWERCASE_HEADINGS else None)
    if kind is None:
        return None
    if kind == "experience" and _YEARS_OF_RE.search(text, m.end(), min(e, m.end() + 40)):
        return None  # "Experience: 5+ years of Python" is a sentence, not a section
    return kind, h, m.end()


# Unknown ALL-CAPS headings: a short caps line, letters only, in a document whose headings are caps.
_CAPS_HEADING_RE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ &/'-]{2,40}(?<![ -])$")


def _could_be_unknown_heading(s: str) -> bool:
    if not _CAPS_HEADING_RE.match(s):
        return False
    words = s.split()
    if not 1 <= len(words) <= 4 or (len(words) == 1 and len(s) < 6):
        return False
    low = s.lower()
    return not (_TITLE_WORD_RE.search(low) or _ORG_WORD_RE.search(low) or _org_suffix(s))


def find_sections(doc: Document) -> tuple[Section, ...]:
    """Split ``doc.text`` into sections, in order, covering the text.

    The text before the first heading is a ``header`` section (omitted when blank). Each other
    section's ``heading_start`` is where its heading starts and ``start``/``end`` span its body,
    which runs to the next heading (or the end of the text).
    """
    text = doc.text
    lines = doc_lines(text)[0]
    # Pass 1: every line that could be a heading, with what it would be.
    cands: list[tuple[int, str, str, int, int, bool, bool, bool]] = []
    # (line index, kind, heading, heading_start, body_start, colon, caps, inline)
    caps_known = 0
    for idx, (s, e, _blank) in enumerate(lines):
        st = _standalone(text[s:e]) if e - s <= 70 else None
        if st is not None:
            kind, heading, colon, caps = st
            cands.append((idx, kind, heading, s, e, colon, caps, False))
            caps_known += caps
            continue
        if text[s].isalpha():
            il = _inline(text, s, e)
            if il is not None:
                kind, heading, body = il
                cands.append((idx, kind, heading, s, body, True, heading.isupper(), True))
    caps_style = caps_known >= 2

    # Pass 2: walk the lines in order, applying context rules.
    heads: list[tuple[str, str, int, int]] = []  # kind, heading, heading_start, body_start
    current = "header"
    cur_style: tuple[bool, bool, bool] | None = None  # (colon, caps, blank before) of its heading
    ci = 0
    n_c = len(cands)
    for idx, (s, e, blank) in enumerate(lines):
        if ci < n_c and cands[ci][0] == idx:
            _, kind, heading, hs, body, colon, caps, inline = cands[ci]
            ci += 1
            spoken = kind == "languages" and bool(_SPOKEN_RE.search(text, body, e))
            if _accept(kind, heading, colon, caps, inline, current, spoken) or (
                not inline and cur_style == (colon, caps, blank) and blank and not colon
                and current in POSITION_SECTION_KINDS and kind in WEAK_KINDS
                and _no_job_after(text, e, cands, ci)
            ):
                heads.append((kind, heading, hs, body))
                current = kind
                cur_style = None if inline else (colon, caps, blank or idx == 0)
            continue
        if (caps_style and blank and current not in ("header", "experience", "volunteering",
                                                     "education", "skills", "languages")
                and e - s <= 40 and _could_be_unknown_heading(text[s:e])):
            heads.append(("other", text[s:e], s, e))
            current = "other"

    n = len(text)
    out: list[Section] = []
    first = heads[0][2] if heads else n
    if text[:first].strip():
        out.append(Section("header", "", 0, first, None))
    for i, (kind, heading, hs, body) in enumerate(heads):
        end = heads[i + 1][2] if i + 1 < len(heads) else n
        start = body
        while start < end and text[start] in " \t\r\n\u00a0":
            start += 1
        out.append(Section(kind, heading, start, end, hs))
    if not out:
        out.append(Section("header", "", 0, n, None))
    return tuple(out)


def _no_job_after(text: str, pos: int, cands: list, ci: int) -> bool:
    """Whether no date range follows ``pos`` before the next heading of a non-weak kind.

    A "Skills" line styled like the "Experience" heading above it, after the last dated job, is
    the next section ("Experience / job / job / Skills / SQL · Python"); with jobs still to come
    it is a sub-heading inside a job.
    """
    end = len(text)
    for c in cands[ci:]:
        if c[1] not in WEAK_KINDS:
            end = c[3]
            break
    return not any(not d.is_single for d in find_dates(text[pos:end]))



def _accept(kind: str, heading: str, colon: bool, caps: bool, inline: bool, current: str,
            spoken: bool = False) -> bool:
    """Context rules: may this candidate heading start a new section while in ``current``?"""
    in_jobs = current in POSITION_SECTION_KINDS or current == "projects"
    if inline:
        if kind == current:
            return False
        if in_jobs and kind in WEAK_KINDS:
            return False  # "Technologies: Java, SQL" inside a job
        if current == "skills" and kind == "skills":
            return False  # "Tools: Docker" inside a skills list
        if current == "skills" and kind == "languages" and not spoken:
            return False  # "Languages: Java, C++" inside a skills list
        return True
    if in_jobs and kind in WEAK_KINDS and not caps:
        norm = fold(heading)
        if colon or norm in WEAK_IN_EXPERIENCE:
            return False
    if kind == current and kind in MERGE_KINDS and not caps:
        return False  # "Frameworks", "Tools", "Databases" under "Skills": one list
    return True


# --------------------------------------------------------------------------------------------
# Positions
# --------------------------------------------------------------------------------------------

_TITLE_WORD_RE = re.compile(rf"(?<![\w-])(?:{TITLE_WORDS})(?![\w-])")
_TITLE_LAST_RE = re.compile(rf"(?<![\w-])(?:{TITLE_WORDS})\W*$")
_TITLE_FIRST_RE = re.compile(rf"^\W*(?:{TITLE_WORDS})(?![\w-])")
_ORG_SUFFIX_LONG_RE = re.compile(
    r"(?<![\w-])(?:inc|llc|l\.l\.c|ltd|limited|corp|corporation|company|gmbh|plc|pvt|pty|llp|"
    r"sarl|s\.a\.r\.l|s\.a|s\.r\.l|s\.p\.a|b\.v|e\.v|bhd|sdn|pte)\.?(?![\w-])",
    re.IGNORECASE,
)
# Short suffixes are words too ("as", "co", "se"): only their usual spelling counts.
_ORG_SUFFIX_SHORT_RE = re.compile(
    r"(?<![\w-])(?:Co\.|CO\.|Co(?=\s*$)|AG|SA|SAS|S\.A\.|BV|NV|KG|SRL|SpA|SPA|Oy|AB|AS|A/S|KK|"
    r"SL|SE|UG|LP)(?![\w-])"
)


def _org_suffix(s: str) -> bool:
    """Whether ``s`` (original case) carries a company suffix: Inc, LLC, Ltd, GmbH, S.A. ..."""
    return bool(_ORG_SUFFIX_LONG_RE.search(s) or _ORG_SUFFIX_SHORT_RE.search(s))


_ORG_WORD_RE = re.compile(rf"(?<![\w-])(?:{ORG_WORDS})(?![\w-])")
_PLACES = REGIONS | CITIES
#: Cities that are not also a state or country: "Sakura Pay, Tokyo" is an employer and its city.
_CITY_ONLY = CITIES - REGIONS
#: Places that never follow a city ("Vela Robotics, remote"): cities and work modes.
_NOT_AFTER_CITY = _CITY_ONLY | WORK_MODES
_LOCATION_PART_RE = re.compile(r"^[A-Z][\w.'’-]*\.?(?:\s+(?:[A-Z][\w.'’-]*\.?|of|de|do|da))"
                               r"{0,3}$")
_SEGMENT_SPLIT_RE = re.compile(
    r"\s*[|•·▪◦\u2022]\s*|\s*[-–—−]+\s+|\s+[-–—−]+\s*|[–—]|\t+|\s{2,}|\s*[()\[\]]\s*|\s*;\s*"
    r"|\s+/\s+(?=\S+\s+(?:Inc|LLC|Ltd|Corp)\b)"
)
_AT_RE = re.compile(
    r"^(?P<t>.+?)\s+(?:at|@|chez|bei|en|na|no|em)\s+(?P<o>\S.*)$|^(?P<t2>.+?)\s*@\s*(?P<o2>\S.*)$"
)
_ORG_THEN_TITLE_RE = re.compile(
    r"^(.+?\b(?:Inc|LLC|Ltd|LTD|Limited|LIMITED|Corp|Corporation|GmbH|PLC|Pvt\.? Ltd|LLP)\.?)"
    r"\s+(\S.*)$"
)
_COMMA_SUFFIX_RE = re.compile(r",\s*(?=(?:inc|llc|ltd|limited|corp|co|gmbh|plc|pvt|llp|s\.a|sa|ag)\b\.?)",
                              re.IGNORECASE)
_STRIP = " \t,;:-–—|/\\.·•*()[]\"'"

_NUMBERED_RE = re.compile(r"^(?:\d{1,2}[.)]|\(?[a-z][.)])\s")
_LABEL_RE = re.compile(r"^(?P<k>[A-Za-z][A-Za-z &/.'-]{1,28}?)\s*[:：]\s*(?P<v>.*)$")
#: Lines inside jobs that are sub-headings, never a title or an organization.
_SUBHEAD_RE = re.compile(
    r"^(?:key\s+|main\s+|major\s+|roles?\s+(?:and|&)\s+|job\s+)?(?:responsibilities|responsibility|"
    r"duties|achievements|accomplishments|technologies|technology|tools|environment|projects?|"
    r"description|roles?|summary|highlights|tasks|skills|tech stack|stack|team size|client|"
    r"contributions|deliverables|results|impact|overview|activities|functions|profile|"
    r"project details|project description|job description|work done)\b\s*:?\s*$",
    re.IGNORECASE,
)
_HEAD, _BULLET, _PROSE, _LABEL, _SKIP = 0, 1, 2, 3, 4
#: Lines that neither name a job nor end its header: links, e-mails, page furniture, lone dashes.
_SKIP_RE = re.compile(
    r"^(?:(?:https?://|www\.)\S+|\S+@\S+\.\w+|[\W_]+|\d{1,3}|page\s+\d+(?:\s+of\s+\d+)?"
    r"|\|)$",
    re.IGNORECASE,
)


def _classify(line: str, blank_before: bool = True, has_date: bool = False,
              prev_open: bool = False, has_range: bool = False) -> int:
    """How a line (with its date text already removed) reads inside an experience section.

    ``has_range``: the line held a date range ("2019 – Present"), which makes a longer line with
    commas ("Staff Engineer, Acme Inc., Boston, MA  2019 – Present") still a job's header.
    """
    s = line.strip(" \t\u00a0")
    if has_date and not s.strip(" |()[],;:-–—"):
        if s[0] == "(" and prev_open and not blank_before:
            return _PROSE  # "• Winner of the Best Team Award ...\n(2014 – 2015)": the bullet's end
        return _HEAD  # a date-only line
    if _SKIP_RE.match(s):
        return _SKIP
    c = s[0]
    if (c in ITEM_MARKS or s.startswith(("\\x", "o "))
            or ((c.isdigit() or c == "(" or s[1:2] in (".", ")")) and _NUMBERED_RE.match(s))):
        return _BULLET
    if len(s) < 48 and _SUBHEAD_RE.match(s):
        return _LABEL
    lm = _LABEL_RE.match(s) if ":" in s[:32] or "：" in s[:32] else None
    if lm:
        key = lm.group("k").strip().lower()
        if key in LABEL_TITLE or key in LABEL_ORG or key in LABEL_DATE:
            return _HEAD
        if not has_range or _SUBHEAD_RE.match(key):
            return _LABEL
        # "Director/Producer: Atlantis Documentary, Chicago, IL, January 2012-Present",
        # "Ole Lounge: Bartender, Chicago, IL, August 2008-January 2009": a job, not a label
    tokens = s.split()
    if has_date:
        # Count words only: the date's place ("|") and lone dashes or brackets are not words.
        words = [w for w in tokens if any(ch.isalpha() for ch in w)]
        if not words:
            return _HEAD
        first = next(w for w in tokens if w != "|")
        if first[0].isalpha():
            c = first[0]  # "since May 2017 as a consultant ...": the sentence goes on after it
    else:
        words = tokens
    n = len(words)
    if (c.islower() and words[0].islower()
            and (not blank_before or prev_open or n > 6 or s.endswith("."))):
        return _PROSE  # a wrapped sentence's continuation ("iOS Engineer" is not one)
    if has_date and s[0] == "(" and n >= 4 and s.endswith(")"):
        return _PROSE  # "(2012: one-year sabbatical, sailing the Atlantic.)": an aside
    w0 = words[0].lower()
    if n >= 4 and len(w0) >= 5 and w0.endswith("ed") and w0 not in NOT_VERBS:
        return _PROSE  # "Assisted the marketing team with ..."
    if n > 12:
        return _PROSE
    if (s.endswith((".", ",", ";")) and not _org_suffix(s[-8:])
            and (len(tokens) >= 6
                 or (prev_open and not blank_before and not has_range and s.endswith(".")))):
        return _PROSE  # a sentence, or the end of one wrapped from the line above
    if s.count(",") >= 3 and n >= 5 and not has_range and not _names_a_job(s):
        return _PROSE  # "Python, Java, SQL, Docker, AWS": a list, not a job's header
    return _HEAD


def _names_a_job(s: str) -> bool:
    """Whether a line reads as a job's header ("Data Engineer II, Desert Sun Utilities, Phoenix,
    AZ"): a title or an organization, and a place or the other one of the two."""
    if _LIST_TAIL_RE.search(s):
        return False  # "GearBox, Cylinder Head, and Intake": a list
    kinds = {kind for _, kind, strength in _segments(s) if strength >= 0}
    return ("title" in kinds or "org" in kinds) and len(kinds & {"title", "org", "location"}) >= 2


_LIST_TAIL_RE = re.compile(r",\s+(?:and|or|&|etc)\b", re.IGNORECASE)


_TRAILING_AT_RE = re.compile(r"\s+(?:at|@|in|for|with)$", re.IGNORECASE)
_PARENS_RE = re.compile(r"\([^()]*\)")
_AT_SPACED_RE = re.compile(r"\s+(?:at|@)\s{2,}|\s{2,}(?:at|@)\s+")
_DURATION_RE = re.compile(
    r"^(?:\d+(?:\.\d+)?\s*\+?\s*(?:years?|yrs?|months?|mos?)\b.*|less than (?:a|one) (?:year|month)"
    r"|(?:about|over|almost|nearly)\s+\d+.*|\d+\s+recommendations?\b.*)$",
    re.IGNORECASE,
)
@lru_cache(maxsize=8192)
def _segments(line: str) -> tuple[tuple[str, str, int], ...]:
    """Split a header line into (text, class, strength) with class title|org|location|unknown."""
    return tuple(_segments_uncached(line))


def _segments_uncached(line: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    line = line.replace("\u00ad", "-")
    if "(" in line:
        line = _PARENS_RE.sub(" | ", line)  # "(KarrotPay)", "(Arabic language)": asides
    line = _AT_SPACED_RE.sub(" @ ", line)  # "Consultant  at   IBM" (LinkedIn export)
    lm = _LABEL_RE.match(line.strip())
    if lm:
        key = lm.group("k").strip().lower()
        val = lm.group("v").strip(_STRIP)
        if not val:
            return out
        if key in LABEL_TITLE:
            return [(val, "title", 9)]
        if key in LABEL_ORG:
            # "Company : Vyom Infotech, Pune": the employer without its city.
            if "," in val:
                segs = _classify_piece(val)
                if segs and segs[-1][1] == "location" and segs[0][1] != "location":
                    val = segs[0][0]
            return [(val, "org", 9)]
        if key in LABEL_DATE:
            return out
        raw_key = lm.group("k").strip(_STRIP)
        if not _SUBHEAD_RE.match(raw_key) and raw_key[:1].isupper():
            kk, ks = _score(raw_key)
            if kk == "title":
                out.append((raw_key, "title", 5))  # "Director/Producer: Atlantis Documentary"
            elif kk == "org" or (raw_key.count(" ") < 4 and _TITLE_WORD_RE.search(val.lower())):
                out.append((raw_key, "org", max(ks, 1)))  # "Ole Lounge: Bartender, Chicago"
        line = val
    for piece in _SEGMENT_SPLIT_RE.split(line):
        piece = _clean(_TRAILING_AT_RE.sub("", piece.strip(" \t")))
        if (not piece or not any(ch.isalpha() for ch in piece) or piece.lower() in LABEL_DATE
                or piece.lower() in HEADER_FILLER or _DURATION_RE.match(piece)):
            continue
        if piece[0] == "@" or piece[:3].lower() == "at ":
            org_text = piece.lstrip("@").strip(_STRIP)
            if piece[0] != "@":
                org_text = piece[3:].strip(_STRIP)
            if org_text:
                out.append((org_text, "org", 6))
            continue
        m = _AT_RE.match(piece)
        if m:
            t = (m.group("t") or m.group("t2")).strip(_STRIP)
            o = (m.group("o") or m.group("o2")).strip(_STRIP)
            if t and o and t.count(" ") < 8 and o[0].isalnum() and _score(t)[0] != "org":
                out.append((t, "title", 5))
                org_main, _, _rest = o.partition(",")
                out.append((org_main.strip(_STRIP) or o, "org", 6))
                continue
        out.extend(_classify_piece(piece))
    # "Acme - San Jose, CA" / "Acme, Glasgow" / "Acme -": a name followed by a place (or by the
    # dangling dash job boards leave) is the employer.
    n = len(out)
    for k in range(n):
        s, kind, _ = out[k]
        if kind == "unknown" and (
            (k + 1 < n and out[k + 1][1] == "location")
            or (n == 1 and line.rstrip().endswith("-"))
        ):
            out[k] = (s, "org", 1)
    return out


def _clean(piece: str) -> str:
    """Strip separators and punctuation around a fragment, keeping "Inc." and "S.A."'s dot."""
    core = piece.strip(_STRIP)
    if core and piece.rstrip(" \t,;:|").endswith(core + "."):
        last = core.rsplit(" ", 1)[-1]
        if "." in last or last.lower() in ABBREVIATIONS:
            return core + "."
    return core



def _is_location(s: str) -> bool:
    """"San Jose, CA", "Bengaluru, Karnataka", "Remote", "London" (and not "Pizza Hut, Glasgow")."""
    low = s.lower().strip()
    if low in _PLACES:
        return True
    parts = [p.strip() for p in s.split(",")]
    if len(parts) < 2 or not all(parts) or len(parts) > 4:
        return False
    lows = [p.lower() for p in parts]
    if lows[0] not in _PLACES and (len(parts) > 2 or lows[-1] not in _PLACES
                                   or lows[-1] in _NOT_AFTER_CITY):
        return False  # "San Jose, CA" is a place, "Sakura Pay, Tokyo" an employer and its city
    for p, lp in zip(parts, lows):
        if lp in _PLACES:
            continue  # "Reno, NV": NV is Nevada here, not a Dutch company suffix
        if (_ORG_WORD_RE.search(lp) or _TITLE_WORD_RE.search(lp) or _org_suffix(p)
                or not _LOCATION_PART_RE.match(p)):
            return False
    return True


def _score(p: str) -> tuple[str, int]:
    """Class and strength of one header fragment: title, org or unknown."""
    low = p.lower()
    t = 0
    if _TITLE_WORD_RE.search(low):
        t = 1 + (2 if (_TITLE_LAST_RE.search(low) or _TITLE_FIRST_RE.search(low)) else 0)
    o = 0
    if _org_suffix(p):
        o = 4
    elif _ORG_WORD_RE.search(low):
        o = 2
    if t > o:
        return "title", t - o
    if o > t:
        return "org", o - t
    return "unknown", 0


def _classify_piece(piece: str) -> list[tuple[str, str, int]]:
    if _is_location(piece):
        return [(piece, "location", 0)]
    if piece.count(" ") > 12:
        return []
    # "Infosys Limited Senior Systems Engineer": an organization then a title, run together.
    m = _ORG_THEN_TITLE_RE.match(piece)
    if m and _TITLE_WORD_RE.search(m.group(2).lower()):
        return [(_clean(m.group(1)), "org", 4), *(_classify_piece(m.group(2)))]
    if "," not in piece:
        kind, strength = _score(piece)
        return [(piece, kind, strength)]
    fixed = _COMMA_SUFFIX_RE.sub(" ", piece)  # "Acme, Inc." stays one organization
    parts = [c for c in (_clean(x) for x in fixed.split(",")) if any(ch.isalpha() for ch in c)]
    # Peel the place off the end: "Staff Engineer, Tessellate Data Inc., Boston, MA".
    loc: str | None = None
    for k in range(1, len(parts)):
        tail = ", ".join(parts[k:])
        if _is_location(tail):
            loc, parts = tail, parts[:k]
            break
    out: list[tuple[str, str, int]] = []
    hk = "unknown"
    for k, part in enumerate(parts):
        kind, strength = _score(part)
        if _UNIT_RE.match(part) and k and out[k - 1][1] in ("unknown", "org"):
            # "UC Davis, Department of Molecular Biology": the employer, then its department.
            out[k - 1] = (out[k - 1][0], "org", max(out[k - 1][2], 2))
            kind, strength = "unit", 0
        elif k == 0:
            hk = kind
        elif kind == "unknown" and loc is None and (hk != "title" or k >= 2):
            words = part.split()
            if k >= 2 and len(words) >= 2 and words[-1].lower() in REGIONS:
                # "Intern, Market Research, Ipsos Nigeria": a company named with its country.
                kind, strength = "org", 1
                if out[k - 1][1] == "unknown":
                    out[k - 1] = (out[k - 1][0], "unit", 0)
            else:
                # "Pizza Hut, Glasgow": what follows a name is where it is; so is a third part
                # ("Engineer, Google, Zurich"). A guess, so weaker than a known place.
                kind, strength = "location", -1
        out.append((part, kind, strength))
    if loc is not None:
        out.append((loc, "location", 0))
    return out


#: A part of an organization ("Department of Chemistry", "Dept. of Medical Epidemiology").
_UNIT_RE = re.compile(
    r"^(?:dept\.?|department|division|faculty|school|chair|group|lab|laboratory|unit|team)"
    r"\s+(?:of|for)\s", re.IGNORECASE
)


def _strip_dates(text: str, s: int, e: int, dates: list[DateRange]) -> str:
    """Line text with the given dates (absolute spans) cut out, replaced by a separator."""
    if not dates:
        return text[s:e]
    parts = []
    pos = s
    for d in dates:
        a, b = max(d.span[0], s), min(d.span[1], e)
        if a > pos:
            parts.append(text[pos:a])
        parts.append(" | ")
        pos = max(pos, b)
    if pos < e:
        parts.append(text[pos:e])
    return "".join(parts)


_PROSE_ROLE_RE = re.compile(
    r"\b(?:as|as an?)\s+(?:an?\s+)?(?P<t>[A-Z][\w./&+-]*(?:\s+[\w./&+-]+){0,5}?)\s+"
    r"(?:in|at|with|for)\s+(?!(?:the|a|an|various|multiple|several|different|my|our|this)\b)"
    r"(?P<o>[A-Za-z0-9][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})"
)


def find_positions(doc: Document, sections: Sequence[Section]) -> tuple[Position, ...]:
    """Dated positions inside ``experience`` and ``volunteering`` sections, indexed in text order."""
    text = doc.text
    found: list[Position] = []
    for sec in sections:
        if sec.kind in POSITION_SECTION_KINDS and sec.end > sec.start:
            found.extend(_section_positions(text, sec))
    if not found and not any(sec.kind in POSITION_SECTION_KINDS for sec in sections):
        # No experience heading at all (a prose résumé): jobs sit in the header part or an
        # unnamed section, so look there, as if it were the experience section.
        for sec in sections:
            if sec.kind in ("header", "other", "summary") and sec.end > sec.start:
                found.extend(
                    replace(p, section="experience")
                    for p in _section_positions(text, replace(sec, kind="experience"))
                    if p.start is not None  # without a heading, only dated jobs are trusted
                )
    return tuple(
        Position(i, p.title, p.organization, p.start, p.end, p.current, p.span, p.date_text,
                 p.section)
        for i, p in enumerate(found)
    )


def _section_positions(text: str, sec: Section) -> list[Position]:
    lines = section_lines(text, sec.start, sec.end)
    if not lines:
        return []
    n = len(lines)
    starts = [ln[0] for ln in lines]
    dates = find_dates(text[sec.start:sec.end])
    base = sec.start
    by_line: list[list[DateRange]] = [[] for _ in range(n)]  # dates starting on each line
    cut: list[list[DateRange]] = [[] for _ in range(n)]  # dates overlapping each line
    date_last: dict[int, int] = {}  # id(date) -> last line it reaches
    for d in dates:
        a = d.span[0] + base
        b = d.span[1] + base
        d = DateRange(d.start, d.end, d.current, d.text, (a, b))
        li = bisect.bisect_right(starts, a) - 1
        if li < 0:
            continue
        lj = bisect.bisect_left(starts, b) - 1
        by_line[li].append(d)
        for j in range(li, max(li, lj) + 1):
            cut[j].append(d)
        date_last[id(d)] = max(li, lj)
    stripped = [_strip_dates(text, s, e, cut[i]) for i, (s, e, _b) in enumerate(lines)]
    for i, (s, e, _b) in enumerate(lines):
        if by_line[i]:
            head = _one_line_head(text, s, e, by_line[i])
            if head is not None:
                stripped[i] = head
    cls = []
    prev_open = False  # the previous line is a sentence still running on
    for i, (t, (_s, _e, b)) in enumerate(zip(stripped, lines)):
        c = _classify(t, b, bool(cut[i]), prev_open,
                      any(not d.is_single for d in cut[i]))
        cls.append(c)
        if c != _SKIP:
            prev_open = c in (_BULLET, _PROSE) and not t.rstrip().endswith((".", "!", "?", ":", ";"))
    if _SKIP in cls:
        # Drop links, page numbers and lone dashes: they must not cut a job's header apart.
        keep = [i for i, c in enumerate(cls) if c != _SKIP or cut[i]]
        lines = [lines[i] for i in keep]
        stripped = [stripped[i] for i in keep]
        cls = [cls[i] if cls[i] != _SKIP else _HEAD for i in keep]
        by_line = [by_line[i] for i in keep]
        cut = [cut[i] for i in keep]
        remap = {old: new for new, old in enumerate(keep)}
        date_last = {k: remap[v] for k, v in date_last.items()}
        n = len(lines)
        starts = [ln[0] for ln in lines]
        if not n:
            return []

    # A text table ("| Period | Company | Role | Main stack |"): its header row names no job, and
    # each dated row is one job, named by the row's own cells.
    table = None
    if text.find("|", sec.start, sec.end) >= 0 or text.find("\t", sec.start, sec.end) >= 0:
        table = _table_header(text, lines)
    if table is not None:
        cls[table[0]] = _LABEL

    # Anchors: the first date on a header-like line.
    anchors: list[tuple[int, DateRange]] = []
    for i in range(n):
        ds = by_line[i]
        if not ds or cls[i] != _HEAD:
            continue
        if anchors and i <= date_last[id(anchors[-1][1])]:
            continue  # on the last line of the previous anchor's wrapped date
        d = next((x for x in ds if not x.is_single), ds[0])
        if _EXPECTED_RE.search(text, max(lines[i][0], d.span[0] - 24), d.span[0]):
            continue  # "Expected May 2014", "Class of 2019": a graduation, not a job
        if d.is_single:
            rest = stripped[i].replace("|", " ").split()
            if len(rest) > 8 or date_has_day(d.text) or _NOT_A_JOB_RE.search(stripped[i]):
                continue
            if not rest and (_date_only(i - 1, stripped, cut) or _date_only(i + 1, stripped, cut)):
                continue  # a column of years ("2012 / 2011 / 2010"), not a job's date
        anchors.append((i, d))
    if len(anchors) > 1:
        anchors = _drop_repeated_dates(anchors, stripped, cls, date_last)
    inline_mode = False
    if not anchors:
        for i in range(n):
            if anchors and i <= date_last[id(anchors[-1][1])]:
                continue
            for d in by_line[i]:
                if not d.is_single:
                    anchors.append((i, d))
                    break
        inline_mode = True
    if not anchors:
        return _undated_position(text, sec, lines, stripped, cls)
    n_a = len(anchors)
    anchor_lines = {i for i, _ in anchors}
    ends = [date_last[id(d)] for _, d in anchors]  # last line of each anchor's date
    for k in range(n_a):
        for j in range(anchors[k][0] + 1, ends[k] + 1):
            cls[j] = _HEAD  # the rest of a wrapped date's line belongs to the anchor

    # Header lines stacked right above and right below each anchor.
    ups: list[list[int]] = []
    downs: list[list[int]] = []
    for k, (i, _d) in enumerate(anchors):
        floor = ends[k - 1] if k else -1
        above: list[int] = []
        j = i - 1
        while j > floor and cls[j] == _HEAD and j not in anchor_lines and len(above) < 4:
            above.append(j)
            j -= 1
        ups.append(above)
        ceil = anchors[k + 1][0] if k + 1 < n_a else n
        below: list[int] = []
        j = ends[k] + 1
        while j < ceil and cls[j] == _HEAD and len(below) < 3:
            below.append(j)
            j += 1
        downs.append(below)

    def identity(k: int) -> bool:
        return any(_has_identity(stripped[j]) for j in range(anchors[k][0], ends[k] + 1))

    # Layout: do the header lines sit above the dates ("up") or below them ("down")?
    up = bool(ups[0]) or (identity(0) and not downs[0])

    blocks: list[tuple[int, list[int], list[int]]] = []  # (first line, candidates, fallbacks)
    prev_last = -1
    for k, (i, _d) in enumerate(anchors):
        own = list(range(i, ends[k] + 1))
        first = i
        extra: list[int] = []
        if inline_mode:
            cand: list[int] = []
            if k == 0:
                # The section's leading header lines name the job; the date's own line is prose.
                j = 0
                while j < i and cls[j] == _HEAD and j < 4:
                    cand.append(j)
                    j += 1
                first = 0
            last = ends[k]
        elif up:
            above = [j for j in ups[k] if j > prev_last]
            if not identity(k) and not any(_has_identity(stripped[j]) for j in above):
                # A date that drifted below its job's bullets (two-column PDFs): use the nearest
                # undated header block above it.
                above = _floating_header(i, prev_last, cls, stripped, anchor_lines) or above
            cand = own + above
            if above:
                first = min(above)
            # Lines below the date name the job only when they aren't the next job's header.
            nxt = (min(ups[k + 1]) if ups[k + 1] else anchors[k + 1][0]) if k + 1 < n_a else n
            extra = [j for j in downs[k] if j < nxt]
            last = max([ends[k]] + extra)
        else:
            cand = own + downs[k]
            last = max([ends[k]] + downs[k])
            extra = [j for j in ups[k] if j > prev_last]
            if extra and not identity(k) and not downs[k]:
                first = min(extra)
        first = max(first, prev_last + 1)
        blocks.append((first, cand, extra))
        prev_last = max(last, first)

    out: list[Position] = []
    prev_org: str | None = None
    for k, ((i, d), (first, cand, extra)) in enumerate(zip(anchors, blocks)):
        title, org = _title_org(stripped, cand, text, lines, inline_mode, i)
        if (title is None or org is None) and extra:
            t2, o2 = _title_org(stripped, cand + extra, text, lines, False, i)
            title = title or t2
            org = org or o2
        if org is None and k > 0 and prev_org is not None:
            # Promotions listed under one employer: nothing but header lines in between.
            pi = anchors[k - 1][0]
            if all(cls[j] == _HEAD for j in range(pi + 1, first)):
                org = prev_org
        s0 = lines[first][0]
        s1 = lines[blocks[k + 1][0]][0] if k + 1 < n_a else sec.end
        row = _table_row(text, lines[i], table) if table is not None else None
        if row is not None:
            # A table row is the whole job: it ends with the row (or its wrapped continuation),
            # not at the next row, and never swallows the notes under the table.
            t_col, o_col = table[1].get("title"), table[1].get("org")
            title = _cell(row, t_col) or title
            org = _cell(row, o_col) or org
            j = i + 1
            nxt = blocks[k + 1][0] if k + 1 < n_a else n
            while j < nxt and _table_row(text, lines[j], table) is not None:
                j += 1
            s1 = min(s1, lines[j - 1][1])
        else:
            # A dated aside after the job, set apart by a blank line ("(2012: one-year
            # sabbatical ...)"), is not part of it.
            j = (blocks[k + 1][0] if k + 1 < n_a else n) - 1
            last = j
            while j > ends[k] and lines[j][2] and _is_aside(stripped[j], cut[j], cls[j]):
                j -= 1
            if j < last:
                s1 = min(s1, lines[j][1])
        prev_org = org
        while s1 > s0 and text[s1 - 1] in " \t\r\n\u00a0":
            s1 -= 1
        out.append(Position(k, title, org, d.start, d.end, d.current, (s0, s1), d.text, sec.kind))
    return out


_CELL_SPLIT_RE = re.compile(r"[ \t\u00a0]*\|[ \t\u00a0]*|\t+")
_COLUMN_KINDS = {
    **{w: "title" for w in LABEL_TITLE}, **{w: "org" for w in LABEL_ORG},
    **{w: "date" for w in LABEL_DATE},
    "client": "org", "company / employer": "org", "years": "date", "when": "date",
    "from to": "date", "start end": "date", "role title": "title", "job": "title",
}
_Table = tuple[int, dict[str, int], int]  # header line, kind -> column, number of columns


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT_RE.split(line.strip().strip("|"))]


def _table_header(text: str, lines: list[Line]) -> _Table | None:
    """(line, {"title"/"org"/"date": column}, columns) of a table's header row, or None."""
    for idx, (s, e, _b) in enumerate(lines):
        if text.count("|", s, e) < 2 and "\t" not in text[s:e]:
            continue
        cells = _cells(text[s:e])
        if len(cells) < 3:
            continue
        cols: dict[str, int] = {}
        for c, cell in enumerate(cells):
            kind = _COLUMN_KINDS.get(fold(cell))
            if kind is not None:
                cols.setdefault(kind, c)
        if len(cols) >= 2 and ("title" in cols or "org" in cols):
            return idx, cols, len(cells)
    return None


def _table_row(text: str, line: Line, table: _Table) -> list[str] | None:
    """The cells of a table row shaped like the header, else None."""
    s, e, _b = line
    if text.count("|", s, e) < 2 and "\t" not in text[s:e]:
        return None
    cells = _cells(text[s:e])
    return cells if len(cells) == table[2] else None


def _cell(row: list[str], col: int | None) -> str | None:
    if col is None or col >= len(row):
        return None
    v = _clean(row[col])
    return v if v and any(ch.isalpha() for ch in v) else None


#: A lone year next to these names an award, a certificate or a talk, not a job.
_NOT_A_JOB_RE = re.compile(
    r"\b(?:awards?|prizes?|honou?rs?|scholarships?|certificat\w*|certified|patents?|conference"
    r"|summit|sabbatical)\b",
    re.IGNORECASE,
)
_EXPECTED_RE = re.compile(
    r"\b(?:expected|anticipated|graduat\w*|class\s+of|prévu|voraussichtlich)\W*$", re.IGNORECASE
)
_DESC_SEP = "—–-:;|"


def _one_line_head(text: str, s: int, e: int, dates: list[DateRange]) -> str | None:
    """The header part of a one-line position followed by its description, else None.

    "Growth Analyst, Souq Basket (Dubai), Apr 2022 – Present — SQL in BigQuery, dbt models ...":
    the job is named before the date; what follows it is what the job was about.
    """
    d = next((x for x in dates if not x.is_single), None)
    if d is None or d.span[1] >= e:
        return None
    before = text[s:d.span[0]]
    after = text[d.span[1]:e].strip(" \t\u00a0)]")
    if not after:
        return None
    n_after = after.count(" ") + 1
    if not any(ch.isalpha() for ch in before):
        # "Aug 2012 - present. Editor-in-chief of the yearbook ...": a date, then sentences.
        return " | " if after[0] == "." and n_after > 5 else None
    if not ((after[0] in _DESC_SEP and n_after > 5) or n_after > 9):
        return None
    return before.rstrip(" \t\u00a0,;:(|-–—") + " | "


def _is_aside(stripped_line: str, cut: list[DateRange], cls: int) -> bool:
    """A dated note in parentheses on a line of its own: "(2012: one-year sabbatical ...)"."""
    t = stripped_line.strip()
    return bool(cut) and cls == _PROSE and t.startswith("(") and t.endswith(")")


def _date_only(i: int, stripped: list[str], cut: list[list[DateRange]]) -> bool:
    return 0 <= i < len(stripped) and bool(cut[i]) and not stripped[i].strip(" |()[],;:-–—")


def _within(inner: DateRange, outer: DateRange) -> bool:
    if inner.start is None or outer.start is None or inner.start < outer.start:
        return False
    if outer.current:
        return True
    if inner.current or outer.end is None:
        return False
    return (inner.end or inner.start) <= outer.end


def _drop_repeated_dates(anchors: list[tuple[int, DateRange]], stripped: list[str],
                         cls: list[int], date_last: dict[int, int]) -> list[tuple[int, DateRange]]:
    """Drop a date line that only repeats (or narrows) the job above it.

    ("Microsoft India - / June 2016 to Present / June 2016 - Till date", or a "Duration:" line
    under the job's own dates): no new title or employer between the two, and the second range
    lies within the first.
    """
    kept = [anchors[0]]
    for i, d in anchors[1:]:
        _pi, pd = kept[-1]
        if _within(d, pd):
            new_job = False
            for j in range(date_last[id(pd)] + 1, date_last[id(d)] + 1):
                if (cls[j] == _HEAD or j >= i) and _has_identity(stripped[j]):
                    new_job = True
                    break
            if not new_job:
                continue
        kept.append((i, d))
    return kept


def _undated_position(text: str, sec: Section, lines: list[Line], stripped: list[str],
                      cls: list[int]) -> list[Position]:
    """A section without any date that opens with a job title: one undated position.

    ("Technical Support Engineer / Microsoft / • bullets..." with no dates, as job boards export.)
    """
    lead: list[int] = []
    j = 0
    while j < len(lines) and cls[j] == _HEAD and j < 3:
        lead.append(j)
        j += 1
    if not lead:
        return []
    if not any(kind == "title" for j in lead for _, kind, _ in _segments(stripped[j])):
        return []
    title, org = _title_org(stripped, lead, text, lines, False, lead[0])
    s0 = lines[0][0]
    s1 = sec.end
    while s1 > s0 and text[s1 - 1] in " \t\r\n\u00a0":
        s1 -= 1
    return [Position(0, title, org, None, None, False, (s0, s1), "", sec.kind)]


def _has_identity(stripped_line: str) -> bool:
    """Whether a (date-stripped) line still carries words beyond a location."""
    for seg, kind, _ in _segments(stripped_line):
        if kind != "location":
            return True
    return False


def _floating_header(i: int, prev_last: int, cls: list[int], stripped: list[str],
                     anchor_lines: set[int]) -> list[int]:
    """Nearest block of header lines above line ``i`` (within 12 lines) that names a job."""
    j = i - 1
    lo = max(prev_last, i - 13)
    while j > lo:
        if cls[j] == _HEAD and j not in anchor_lines:
            block = []
            while j > lo and cls[j] == _HEAD and j not in anchor_lines and len(block) < 4:
                block.append(j)
                j -= 1
            if any(
                kind in ("title", "org")
                for b in block for _, kind, _ in _segments(stripped[b])
            ):
                return block
            continue
        j -= 1
    return []


def _title_org(stripped: list[str], cand: list[int], text: str, lines: list[Line],
               inline_mode: bool, anchor_line: int) -> tuple[str | None, str | None]:
    """Title and organization from a position's header lines (``cand``: nearest first)."""
    per_line = [(j, _segments(stripped[j])) for j in cand]
    title: str | None = None
    org: str | None = None
    title_label = org_label = False
    for _j, segs in per_line:
        for s, kind, strength in segs:
            if kind == "title" and (title is None or (strength >= 9 and not title_label)):
                title, title_label = s, strength >= 9
            elif kind == "org" and (org is None or (strength >= 9 and not org_label)):
                org, org_label = s, strength >= 9
    if inline_mode and (title is None or org is None):
        s, e, _ = lines[anchor_line]
        m = _PROSE_ROLE_RE.search(text, s, e)
        if m:
            title = title or m.group("t").strip(_STRIP)
            org = org or m.group("o").strip(_STRIP)
    if title is not None and org is not None:
        return title, org
    unknowns = [
        (j, k, s)
        for j, segs in per_line
        for k, (s, kind, _) in enumerate(segs)
        if kind == "unknown" and s not in (title, org)
    ]
    if not unknowns:
        return title, org
    if title is not None:
        org = unknowns[0][2]  # "Associate Software Engineer / oracle"
    elif org is not None:
        title = unknowns[0][2]  # "SMTS / Oracle India - Bengaluru"
    elif len(unknowns) >= 2:
        # Nothing recognizable: in reading order a title comes before its organization.
        first, second = sorted(unknowns[:2])
        title, org = first[2], second[2]
    return title, org


# --------------------------------------------------------------------------------------------
# Timeline and lookups
# --------------------------------------------------------------------------------------------


def experience_years(positions: Sequence[Position], as_of: date) -> float | None:
    """Years of experience on ``as_of``: overlaps merged, inclusive months / 12, rounded half-up
    to 0.1.

    Counts ``experience`` positions only (not ``volunteering``). Current positions run to
    ``as_of``; ends after ``as_of`` are clamped to it; positions starting after ``as_of`` or
    without a start date are ignored. None when no position is left to count.
    """
    now = month_floor(as_of)
    spans: list[tuple[date, date]] = []
    for p in positions:
        if p.start is None or p.section not in _YEARS_KINDS:
            continue
        start = month_floor(p.start)
        if start > now:
            continue
        if p.current or p.end is None:
            end = now if p.current else start
        else:
            end = min(month_floor(p.end), now)
        if end < start:
            end = start
        spans.append((start, end))
    if not spans:
        return None
    months = sum(months_between(s, e) for s, e in merge_intervals(spans))
    return years_of_months(months)


def _section_key(s: Section) -> int:
    return s.heading_start if s.heading_start is not None else s.start


def _span_start(p: Position) -> int:
    return p.span[0]


def section_at(sections: Sequence[Section], offset: int) -> Section | None:
    """The section whose heading or body holds character ``offset``, or None."""
    i = bisect.bisect_right(sections, offset, key=_section_key) - 1
    if i < 0:
        return None
    sec = sections[i]
    return sec if offset < sec.end else None


def position_at(positions: Sequence[Position], offset: int) -> Position | None:
    """The position whose span holds character ``offset``, or None."""
    i = bisect.bisect_right(positions, offset, key=_span_start) - 1
    if i < 0:
        return None
    p = positions[i]
    return p if offset < p.span[1] else None
