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

from .job_header import ORG_WORD_RE, TITLE_WORD_RE, org_suffix

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


def person_name(text: str) -> str | None:
    """The candidate's name to store and show, from the résumé's first line: like
    :func:`name_line`, but never a line that names a job or an organization ("Senior ML Engineer",
    "Acme Corp"), which blind review hides anyway but a list must not show as a person."""
    name = name_line(text)
    if not name or TITLE_WORD_RE.search(name.lower()) or ORG_WORD_RE.search(name.lower()) or org_suffix(name):
        return None
    return name[:300]


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
