"""Document -> sections: which lines are headings, and the sections they open.

A heading is a short line that *is* a known heading phrase ("WORK EXPERIENCE", "Professional
Experience", "Skills:", "## Experience", "— Experience —", "EXPERIENCIA / EXPERIENCE"), or a line
that *starts* with one followed by a colon ("Skills: Python, SQL"), in which case the body starts
after the colon on the same line. Sentences that merely contain "experience" are never headings.
Sub-headings that live inside jobs ("Technologies:", "Achievements", "Project:", "Tools:") do not
end an experience section. Unknown short ALL-CAPS lines become ``other`` headings only when the
document's own headings are ALL CAPS and the line can't be a company, a job title or a name. A
sub-heading word styled exactly like the experience heading ("Skills" under "Experience", both
standalone after a blank line) does start a new section when no dated job follows it. Sections
cover the text in order; the part before the first heading is ``header``.

Text flattened onto one very long line is read as if each run of 2+ spaces were a line break
(``matcher.text.lines``). The heading phrases are data (``matcher.vocab.resume``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from .dates import find_dates
from .job_header import ORG_WORD_RE, TITLE_WORD_RE, org_suffix
from .text import DECOR, LETTER_SPACED_RE, clean_heading, doc_lines, fold, has_digit, skip_blanks
from .types import Document, Section
from .vocab.resume import (
    HEADING_MODIFIERS,
    HEADING_TRAILERS,
    HEAD_NOUNS,
    LOWERCASE_HEADINGS,
    MERGE_KINDS,
    NOT_HEAD_PREFIX,
    SECTION_PHRASES,
    SPOKEN_LANGUAGES,
    WEAK_IN_EXPERIENCE,
    WEAK_KINDS,
)

#: Section kinds whose dated entries are positions.
POSITION_SECTION_KINDS: frozenset[str] = frozenset({"experience", "volunteering"})

#: Folded heading phrase -> section kind (the first kind listing a phrase wins).
_PHRASE_KIND: dict[str, str] = {}
for _kind, _phrases in SECTION_PHRASES.items():
    for _p in _phrases:
        _PHRASE_KIND.setdefault(_p, _kind)

_CONNECTORS_RE = re.compile(r"\s*(?:/|\||,|\band\b|\bund\b|\by\b|\bet\b|\be\b)\s*")

#: First words of every heading phrase (and modifiers): a line starting otherwise isn't one.
_FIRST_WORDS = frozenset(
    [p.split(" ")[0] for p in _PHRASE_KIND] + list(HEADING_MODIFIERS)
)

__all__ = [
    "POSITION_SECTION_KINDS",
    "find_sections",
    "heading_kind",
    "section_at",
]
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")

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
    return not (TITLE_WORD_RE.search(low) or ORG_WORD_RE.search(low) or org_suffix(s))


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
        start = skip_blanks(text, body, end)
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


def _section_key(s: Section) -> int:
    return s.heading_start if s.heading_start is not None else s.start


def section_at(sections: Sequence[Section], offset: int) -> Section | None:
    """The section whose heading or body holds character ``offset``, or None."""
    i = bisect.bisect_right(sections, offset, key=_section_key) - 1
    if i < 0:
        return None
    sec = sections[i]
    return sec if offset < sec.end else None
