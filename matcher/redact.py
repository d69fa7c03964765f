"""Résumé text -> the spans that identify the person, for blind review.

Blind review hides who a candidate is while keeping what they can do: the name (the stored name
wherever it appears, and a name-shaped first line), e-mail addresses, phone numbers, web links and
profile handles, and street addresses. Skill evidence is never inside these spans (name and contact
lines are not evidence, see ``extraction``), so hiding them leaves every evidence line readable.

Photos are not part of the text the engine keeps, so there is nothing to hide there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .headings import heading_kind
from .taxonomy import default_taxonomy
from .job_header import ORG_WORD_RE, TITLE_WORD_RE, org_suffix
from .vocab.resume import ADDRESS_WORDS, DOCUMENT_TITLES

Span = tuple[int, int]

_PATTERNS = [
    # Each pattern may start only where a run starts (the lookbehinds): on a long run of word
    # characters an unanchored pattern retries from every position, which is quadratic.
    re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),  # links
    re.compile(r"\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com)/\S*", re.IGNORECASE),
    re.compile(r"(?<![\w/().+-])\+?\(?\d[\d ().-]{7,}\d(?![\w/-])"),  # phone numbers
    re.compile(
        r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,4}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|blvd|boulevard|way|court|ct)\b\.?",
        re.IGNORECASE,
    ),  # street addresses
]
_DATE_RANGE = re.compile(r"^\s*(?:19|20)\d\d\s*[-–—]\s*(?:(?:19|20)\d\d|present)\s*$", re.IGNORECASE)


def _name_line(text: str) -> Span | None:
    """The first non-empty line when it is shaped like a name ("Ray Kotlin", "DAVID A. KESSLER")."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].strip()
    name, _, credentials = line.partition(",")  # "RACHEL BERNSTEIN, PhD", "LATOYA HENDRICKS, RN, BSN"
    if credentials and not all(w[:1].isupper() for w in credentials.replace(",", " ").split()) or len(credentials) > 30:
        return None
    words = name.split()
    if 1 < len(words) <= 5 and all(w[:1].isupper() for w in words) and not any(c in name for c in ":;|@") \
            and not line.endswith(".") and not any(ch.isdigit() for ch in line):
        return start, start + len(line)
    return None


def name_line(text: str) -> str | None:
    """The name on a résumé's name-shaped first line, without credentials ("RACHEL BERNSTEIN")."""
    span = _name_line(text)
    return text[span[0]:span[1]].partition(",")[0].strip() if span else None


_NAME_LABEL = re.compile(r"^(?:full\s+|first\s+|candidate\s+)?name\s*[:\-–]\s*", re.IGNORECASE)
_NAME_CUT = re.compile(r"\t|\s[|—–]\s|\s-\s|\s{3,}")  # "ROHIT VERMA<tab>e-mail", "Lina — Analyst"
_NAME_LINES = 6  # how many non-empty lines from the top a name is looked for in


def _fold_title(line: str) -> str:
    return " ".join(re.sub(r"[.\-–—_:]+", " ", line.lower()).split())


def _name_candidate(line: str) -> str | None:
    """The name a top line holds, or None: its first cell, without a "Name:" label, quotes,
    a trailing "(MR)" or credentials; dotted initials ("MAGESH.E", "A.HEMALATHA") read as words."""
    cell = _NAME_CUT.split(_NAME_LABEL.sub("", line.strip()), 1)[0].strip(" \"'“”*")
    cell = re.sub(r"\s*\((?:mr|mrs|ms|miss|dr)\.?\)\.?$", "", cell, flags=re.IGNORECASE).rstrip(" .")
    if not cell:
        return None
    shaped = name_line(re.sub(r"(?<=\w)\.(?=\w)", ". ", cell))
    if shaped is None:
        return None
    low = shaped.lower()
    words = set(re.findall(r"[\w.]+", low)) | {w.strip(".") for w in low.split()}
    if (TITLE_WORD_RE.search(low) or ORG_WORD_RE.search(low) or org_suffix(shaped)
            or words & ADDRESS_WORDS or "name" in words or _fold_title(shaped) in DOCUMENT_TITLES
            or heading_kind(shaped) is not None or default_taxonomy().resolve(shaped) is not None):
        return None
    return cell if "." in cell and " " not in cell else shaped


def person_name(text: str) -> str | None:
    """The candidate's name to store and show, from the résumé's first lines.

    The first of the top lines (skipping a document title such as "CURRICULUM VITAE" or "Bio
    Data") that is shaped like a name, cut at a tab or " | " (contact details beside the name):
    never a line that names a job or an organization ("Senior ML Engineer", "Acme Corp"), a
    section heading ("Technical Skills"), an address or a sentence. Blind review hides the name
    wherever it appears (``personal_spans`` with this name)."""
    seen = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > _NAME_LINES:
            return None
        if _fold_title(line) in DOCUMENT_TITLES:
            continue
        name = _name_candidate(line)
        if name:
            return name[:300]
        if _fold_title(_NAME_CUT.split(line, 1)[0]) not in DOCUMENT_TITLES and seen > 2:
            return None  # past the top block: body text, not a name
    return None


def _name_tokens(text: str, name: str) -> Iterable[Span]:
    parts = [p for p in re.split(r"[\s,]+", name) if len(p.strip(".")) >= 2]
    for p in parts:
        for m in re.finditer(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.IGNORECASE):
            yield m.start(), m.end()


def personal_spans(text: str, name: str | None = None) -> list[Span]:
    """Sorted, non-overlapping spans of ``text`` that identify the person."""
    spans: list[Span] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if pat is _PATTERNS[3] and (sum(c.isdigit() for c in m.group()) < 9 or _DATE_RANGE.match(m.group())):
                continue  # a phone number has 9+ digits; "2019 - 2021" is a date range
            spans.append((m.start(), m.end()))
    first = _name_line(text)
    if first:
        spans.append(first)
    if name:
        spans.extend(_name_tokens(text, name))
    spans.sort()
    merged: list[Span] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
