"""One job's header lines -> its title and organization.

A line inside an experience section is read as a header line (it names the job), a bullet, prose,
a label ("Achievements:") or page furniture to skip (``classify_line``). A header line splits into
fragments, each classed ``title``, ``org``, ``location`` or ``unknown`` with a strength
(``segments``): "Title, Org, City, ST", "Title — Org", "Title | Org", "Title at Org", labelled
"Company : X" / "Role : Y" lines. A trailing place ("Boston, MA", "Tokyo", "remote") and a
department ("UC Davis, Department of ...") are never the organization. ``title_org`` picks the
title and the organization from a job's header lines, nearest first. The word lists are data
(``matcher.vocab.resume``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import ITEM_MARKS, Line
from .vocab.resume import (
    ABBREVIATIONS,
    CITIES,
    HEADER_FILLER,
    LABEL_DATE,
    LABEL_ORG,
    LABEL_TITLE,
    NOT_VERBS,
    ORG_WORDS,
    ORG_SUFFIXES,
    ORG_SUFFIXES_CASED,
    REGIONS,
    TITLE_WORDS,
    WORK_MODES,
)

TITLE_WORD_RE = re.compile(rf"(?<![\w-])(?:{TITLE_WORDS})(?![\w-])")
_TITLE_LAST_RE = re.compile(rf"(?<![\w-])(?:{TITLE_WORDS})\W*$")
_TITLE_FIRST_RE = re.compile(rf"^\W*(?:{TITLE_WORDS})(?![\w-])")
_ORG_SUFFIX_LONG_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, ORG_SUFFIXES))})\.?(?![\w-])", re.IGNORECASE)
# Short suffixes are words too ("as", "co", "se"): only their usual spelling counts.
_ORG_SUFFIX_SHORT_RE = re.compile(rf"(?<![\w-])(?:Co(?=\s*$)|{'|'.join(map(re.escape, ORG_SUFFIXES_CASED))})(?![\w-])")


def org_suffix(s: str) -> bool:
    """Whether ``s`` (original case) carries a company suffix: Inc, LLC, Ltd, GmbH, S.A. ..."""
    return bool(_ORG_SUFFIX_LONG_RE.search(s) or _ORG_SUFFIX_SHORT_RE.search(s))


ORG_WORD_RE = re.compile(rf"(?<![\w-])(?:{ORG_WORDS})(?![\w-])")
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
HEAD_LINE, BULLET_LINE, PROSE_LINE, LABEL_LINE, SKIP_LINE = 0, 1, 2, 3, 4
#: Lines that neither name a job nor end its header: links, e-mails, page furniture, lone dashes.
_SKIP_RE = re.compile(
    r"^(?:(?:https?://|www\.)\S+|\S+@\S+\.\w+|[\W_]+|\d{1,3}|page\s+\d+(?:\s+of\s+\d+)?"
    r"|\|)$",
    re.IGNORECASE,
)


def classify_line(line: str, blank_before: bool = True, has_date: bool = False,
              prev_open: bool = False, has_range: bool = False) -> int:
    """How a line (with its date text already removed) reads inside an experience section.

    ``has_range``: the line held a date range ("2019 – Present"), which makes a longer line with
    commas ("Staff Engineer, Acme Inc., Boston, MA  2019 – Present") still a job's header.
    """
    s = line.strip(" \t\u00a0")
    if has_date and not s.strip(" |()[],;:-–—"):
        if s[0] == "(" and prev_open and not blank_before:
            return PROSE_LINE  # "• Winner of the Best Team Award ...\n(2014 – 2015)": the bullet's end
        return HEAD_LINE  # a date-only line
    if _SKIP_RE.match(s):
        return SKIP_LINE
    c = s[0]
    if (c in ITEM_MARKS or s.startswith(("\\x", "o "))
            or ((c.isdigit() or c == "(" or s[1:2] in (".", ")")) and _NUMBERED_RE.match(s))):
        return BULLET_LINE
    if len(s) < 48 and _SUBHEAD_RE.match(s):
        return LABEL_LINE
    lm = _LABEL_RE.match(s) if ":" in s[:32] or "：" in s[:32] else None
    if lm:
        key = lm.group("k").strip().lower()
        if key in LABEL_TITLE or key in LABEL_ORG or key in LABEL_DATE:
            return HEAD_LINE
        if not has_range or _SUBHEAD_RE.match(key):
            return LABEL_LINE
        # "Director/Producer: Atlantis Documentary, Chicago, IL, January 2012-Present",
        # "Ole Lounge: Bartender, Chicago, IL, August 2008-January 2009": a job, not a label
    tokens = s.split()
    if has_date:
        # Count words only: the date's place ("|") and lone dashes or brackets are not words.
        words = [w for w in tokens if any(ch.isalpha() for ch in w)]
        if not words:
            return HEAD_LINE
        first = next(w for w in tokens if w != "|")
        if first[0].isalpha():
            c = first[0]  # "since May 2017 as a consultant ...": the sentence goes on after it
    else:
        words = tokens
    n = len(words)
    if (c.islower() and words[0].islower()
            and (not blank_before or prev_open or n > 6 or s.endswith("."))):
        return PROSE_LINE  # a wrapped sentence's continuation ("iOS Engineer" is not one)
    if has_date and s[0] == "(" and n >= 4 and s.endswith(")"):
        return PROSE_LINE  # "(2012: one-year sabbatical, sailing the Atlantic.)": an aside
    w0 = words[0].lower()
    if n >= 4 and len(w0) >= 5 and w0.endswith("ed") and w0 not in NOT_VERBS:
        return PROSE_LINE  # "Assisted the marketing team with ..."
    if n > 12:
        return PROSE_LINE
    if (s.endswith((".", ",", ";")) and not org_suffix(s[-8:])
            and (len(tokens) >= 6
                 or (prev_open and not blank_before and not has_range and s.endswith(".")))):
        return PROSE_LINE  # a sentence, or the end of one wrapped from the line above
    if s.count(",") >= 3 and n >= 5 and not has_range and not _names_a_job(s):
        return PROSE_LINE  # "Python, Java, SQL, Docker, AWS": a list, not a job's header
    return HEAD_LINE


def _names_a_job(s: str) -> bool:
    """Whether a line reads as a job's header ("Data Engineer II, Desert Sun Utilities, Phoenix,
    AZ"): a title or an organization, and a place or the other one of the two."""
    if _LIST_TAIL_RE.search(s):
        return False  # "GearBox, Cylinder Head, and Intake": a list
    kinds = {kind for _, kind, strength in segments(s) if strength >= 0}
    return ("title" in kinds or "org" in kinds) and len(kinds & {"title", "org", "location"}) >= 2


_LIST_TAIL_RE = re.compile(r",\s+(?:and|or|&|etc)\b", re.IGNORECASE)


_TRAILING_AT_RE = re.compile(r"\s+(?:at|@|in|for|with)$", re.IGNORECASE)
_PARENS_RE = re.compile(r"\([^()]*\)")
_AT_SPACED_RE = re.compile(r"\s+(?:at|@)\s{2,}|\s{2,}(?:at|@)\s+")
#: A LinkedIn-export filler piece: "3 yrs 2 mos", "less than a year", "about 5 years", "12 recommendations".
_DURATION_RE = re.compile(r"^(?:\d+(?:\.\d+)?\s*\+?\s*(?:years?|yrs?|months?|mos?)\b.*|less than (?:a|one) (?:year|month)"
                          r"|(?:about|over|almost|nearly)\s+\d+.*|\d+\s+recommendations?\b.*)$", re.IGNORECASE)
@lru_cache(maxsize=8192)
def segments(line: str) -> tuple[tuple[str, str, int], ...]:
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
            elif kk == "org" or (raw_key.count(" ") < 4 and TITLE_WORD_RE.search(val.lower())):
                out.append((raw_key, "org", max(ks, 1)))  # "Ole Lounge: Bartender, Chicago"
        line = val
    for piece in _SEGMENT_SPLIT_RE.split(line):
        piece = clean_fragment(_TRAILING_AT_RE.sub("", piece.strip(" \t")))
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


def clean_fragment(piece: str) -> str:
    """Strip separators and punctuation around a fragment, keeping "Inc." and "S.A."'s dot."""
    core = piece.strip(_STRIP)
    if core and piece.rstrip(" \t,;:|").endswith(core + "."):
        last = core.rsplit(" ", 1)[-1]
        if "." in last or last.lower() in ABBREVIATIONS:
            return core + "."
    return core



_CITY_STATE_RE = re.compile(r"((?:[A-Z][a-z]+\.?\s){1,3})([A-Z]{2})")


def _is_location(s: str) -> bool:
    """"San Jose, CA", "Bengaluru, Karnataka", "Remote", "London" (and not "Pizza Hut, Glasgow")."""
    low = s.lower().strip()
    if low in _PLACES:
        return True
    m = _CITY_STATE_RE.fullmatch(s.strip())
    if m and m.group(2).lower() in REGIONS:
        return True  # "Austin TX", "San Francisco CA": a city and its state code, the comma dropped
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
        if (ORG_WORD_RE.search(lp) or TITLE_WORD_RE.search(lp) or org_suffix(p)
                or not _LOCATION_PART_RE.match(p)):
            return False
    return True


def _score(p: str) -> tuple[str, int]:
    """Class and strength of one header fragment: title, org or unknown."""
    low = p.lower()
    t = 0
    if TITLE_WORD_RE.search(low):
        t = 1 + (2 if (_TITLE_LAST_RE.search(low) or _TITLE_FIRST_RE.search(low)) else 0)
    o = 0
    if org_suffix(p):
        o = 4
    elif ORG_WORD_RE.search(low):
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
    if m and TITLE_WORD_RE.search(m.group(2).lower()):
        return [(clean_fragment(m.group(1)), "org", 4), *(_classify_piece(m.group(2)))]
    if "," not in piece:
        kind, strength = _score(piece)
        return [(piece, kind, strength)]
    fixed = _COMMA_SUFFIX_RE.sub(" ", piece)  # "Acme, Inc." stays one organization
    parts = [c for c in (clean_fragment(x) for x in fixed.split(",")) if any(ch.isalpha() for ch in c)]
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



_PROSE_ROLE_RE = re.compile(
    r"\b(?:as|as an?)\s+(?:an?\s+)?(?P<t>[A-Z][\w./&+-]*(?:\s+[\w./&+-]+){0,5}?)\s+"
    r"(?:in|at|with|for)\s+(?!(?:the|a|an|various|multiple|several|different|my|our|this)\b)"
    r"(?P<o>[A-Za-z0-9][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})"
)

__all__ = [
    "HEAD_LINE",
    "BULLET_LINE",
    "PROSE_LINE",
    "LABEL_LINE",
    "SKIP_LINE",
    "TITLE_WORD_RE",
    "ORG_WORD_RE",
    "org_suffix",
    "classify_line",
    "segments",
    "clean_fragment",
    "has_identity",
    "title_org",
]


def has_identity(stripped_line: str) -> bool:
    """Whether a (date-stripped) line still carries words beyond a location."""
    for seg, kind, _ in segments(stripped_line):
        if kind != "location":
            return True
    return False


def title_org(stripped: list[str], cand: list[int], text: str, lines: list[Line],
               inline_mode: bool, anchor_line: int) -> tuple[str | None, str | None]:
    """Title and organization from a position's header lines (``cand``: nearest first)."""
    per_line = [(j, segments(stripped[j])) for j in cand]
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
