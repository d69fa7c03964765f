"""Dates in résumé text: date ranges ("Mar 2021 – Present"), month arithmetic, merged timelines.

Conventions (other modules rely on these):

* Every date is a ``datetime.date`` on the **first day of a month**; days are read but dropped.
* **Year-only** endpoints of a range cover the whole year: a year-only start is January, a year-only
  end is December, so "2019 – 2022" = Jan 2019 .. Dec 2022 (48 months) and "since 2020" starts in
  January 2020 (the convention of the labelled set, tests/data/labelled/README.md). A *lone* year
  ("Intern, Acme, 2021") and academic-year forms ("2019-20") resolve to July, the middle of the year.
  Seasons map to a month (spring 3, summer 6, fall/autumn 9, winter 1), quarters to their first month.
* Two-digit years ("Jan'19", "03/18") pivot at 50: ``'19`` -> 2019, ``'98`` -> 1998. An apostrophe
  may also precede a four-digit year ("Jan'2020 – Till Date").
* Ranges are **inclusive of both months**: ``months_spanned(Jan 2020, Dec 2020) == 12`` and a
  range within one month lasts 1 month.
* "Present", "current", "now", "today", "till date", "to date", "onwards", "since X" and their
  Spanish / French / German / Portuguese forms (actual, actualidad, présent, aujourd'hui, heute,
  atual ...) give ``end=None, current=True``; the caller decides where "now" is (``as_of``).
* A range written backwards ("2022 – 2019") is swapped.
* Only years 1940..2049 are read, so phone numbers, salaries, "5+ years", "Python 3.10" and GPAs are
  not dates.

``find_date_ranges`` returns only *ranges* (two endpoints, or an open "since X" / "X – present").
``find_dates`` also returns lone dates ("June 2019", "2021") as degenerate ranges ``start == end``;
section parsing uses those on position lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DateRange",
    "find_date_ranges",
    "find_dates",
    "parse_date_range",
    "date_has_day",
    "months_spanned",
    "months_elapsed",
    "add_months",
    "month_floor",
    "merge_intervals",
    "total_years",
    "years_of_months",
]

# --------------------------------------------------------------------------------------------
# Month vocabulary
# --------------------------------------------------------------------------------------------

_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janv", "janvier", "enero", "ene", "januar", "jänner", "janner", "jaen",
        "janeiro", "gennaio"),
    2: ("february", "feb", "febr", "février", "fevrier", "févr", "fevr", "fév", "fev", "febrero",
        "februar", "fevereiro", "febbraio"),
    3: ("march", "mar", "mars", "marzo", "märz", "marz", "maerz", "mär", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio"),
    6: ("june", "jun", "juin", "junio", "juni", "junho", "giugno"),
    7: ("july", "jul", "juillet", "juil", "julio", "juli", "julho", "luglio"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "setembro", "set",
        "settembre"),
    10: ("october", "oct", "octobre", "octubre", "oktober", "okt", "outubro", "out", "ottobre"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "décembre", "decembre", "déc", "diciembre", "dic", "dezember", "dez",
         "dezembro"),
}
_SEASON_WORDS: dict[str, int] = {
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 1,
    "primavera": 3, "verano": 6, "otoño": 9, "invierno": 1,
    "printemps": 3, "été": 6, "automne": 9, "hiver": 1,
    "frühling": 3, "sommer": 6, "herbst": 9,
}

_MONTH_OF: dict[str, int] = {}
for _m, _words in _MONTH_WORDS.items():
    for _w in _words:
        _MONTH_OF[_w] = _m
_MONTH_OF.update(_SEASON_WORDS)



def _trie_regex(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` factored as a trie (fast to fail), longest match first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return body + "?" if len(alts) == 1 and len(body) == 1 else "(?:" + body + ")?"
        return body

    return build(trie)


_MONTH_ALT = _trie_regex(_MONTH_OF)
#: English month names and abbreviations only: the year-first form ("2020, June") is read with
#: these, so a year followed by any word that happens to be a foreign month stays a year.
_MONTH_NAME = _trie_regex(w for m in range(1, 13) for w in _MONTH_WORDS[m][:3 if m == 9 else 2])

# --------------------------------------------------------------------------------------------
# The date grammar
# --------------------------------------------------------------------------------------------

_Y4 = r"(?:19[4-9]\d|20[0-4]\d)"  # 1940..2049
_MON = rf"(?:{_MONTH_ALT})(?![^\W\d_])\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_QTR = r"(?:Q[1-4])"

# A single date. Alternatives are ordered longest-form first.
# A single date with a month ("Mar 2021", "03/2018", "2020-04", "10 March 2019", "Jan'19").
_DATE_M = (
    r"(?:"
    # 10 March 2019 / 1er janvier 2019 / 10. März 2019 / 5 de marzo de 2019 / 01-july 2009
    rf"{_DAY}(?:st|nd|rd|th|er|º|\.)?(?:[ \t]+|-)(?:de[ \t]+)?{_MON}[ \t,/-]*(?:de[ \t]+|del[ \t]+)?{_Y4}"
    # June ’11th 2018 (a day after an apostrophe, in Indian résumés) / December(2012)
    rf"|{_MON}[ \t]*['’‘`´][ \t]?{_DAY}[ \t]*(?:st|nd|rd|th)[ \t,]*{_Y4}"
    rf"|{_MON}[ \t]*\([ \t]*{_Y4}[ \t]*\)"
    # 2020, June / 2021 August (year first, as some exports write it)
    rf"|{_Y4}(?:,[ \t]*|[ \t]+){_MONTH_NAME}(?![^\W\d_])\.?(?![ \t,/-]*{_Y4})"
    # March 10, 2019 / Mar 2021 / Sep. 2019 / Mar-2019 / marzo de 2019 / Jan'19 / Jan ’19
    rf"|{_MON}(?:[ \t]+{_DAY}(?:[ \t]?(?:st|nd|rd|th))?(?:,|(?=[ \t]+{_Y4})))?[ \t,/-]*(?:(?:de|del|of)[ \t]+)?"
    rf"(?:{_Y4}|['’‘`´][ \t]?(?:{_Y4}|\d\d)(?!\d|st|nd|rd|th|TH|Th))"
    # Q3 2019
    rf"|{_QTR}[ \t/-]*{_Y4}"
    # 2/1/2012, 01.03.2019, 2019-03-01
    rf"|{_DAY}[/.-]{_DAY}[/.-]{_Y4}"
    rf"|{_Y4}-(?:0[1-9]|1[0-2])-(?:[12]\d|3[01]|0[1-9])"
    # 03/2018, 3.2018, 10-2019, 05 / 2003
    rf"|(?:0?[1-9]|1[0-2])(?:[/.-]|[ \t]/[ \t]){_Y4}"
    # 2020/04, 2018-03, 2018.03
    rf"|{_Y4}[/.-](?:0[1-9]|1[0-2])"
    r")"
)
# Any single date: the above, a year, or MM/YY (kept only when both ends of a range use it).
_DATE = rf"(?:{_DATE_M}|{_Y4}|(?:0?[1-9]|1[0-2])/\d\d)"

_PRESENT_WORD = (
    r"(?:present|current(?:ly)?|now|today|to-?date|date|ongoing|tbd|continu(?:e|ing)"
    r"|actual(?:idad|mente)?|presente|pr[ée]sent|aujourd['’]hui|ce[ \t]+jour|maintenant"
    r"|en[ \t]+cours|heute|jetzt|dato|aktuell|gegenwart|atual(?:mente|idade)?|hoje|hoy"
    r"|(?:la[ \t]+)?fecha|o[ \t]+momento|oggi|in[ \t]+corso)"
)
_PRESENT = (
    r"(?:(?:till|til+|until|up[ \t]*to|upto|to|a|à|al|au|bis|até|ate|hasta|ad)[ \t]+)?"
    rf"{_PRESENT_WORD}(?![^\W\d_])"
)
# Present words accepted after nothing but spaces ("January 2015  Present", flattened text).
_BARE_PRESENT = (
    r"(?:present|current|pr[ée]sent|presente|actualidad|actual|heute|atual|till[ \t]+date"
    r"|to[ \t]+date)(?![^\W\d_])"
)

_WS = r"[ \t\u00a0]"
_DASH = r"(?:[-‐‑‒–—―−~\u00ad→⟶➔]|->)"
_WORD_SEP = r"(?:to|till|til|until|through|thru|a|al|à|au|bis|até|ate|hasta|al|-)"
# A separator may sit on either side of one line break ("Mar 2021 –\nPresent").
_SEP = (
    rf"(?:{_WS}*(?:\r?\n{_WS}*)?(?:{_DASH}+|{_WS}{_WORD_SEP}(?={_WS}|\r?\n))"
    rf"{_WS}*(?:\r?\n{_WS}*)?)"
)
_OPEN_SUFFIX = r"(?:on-?wards?|ongoing|and[ \t]+ongoing)(?![^\W\d_])"
_SINCE = r"(?:since|depuis(?:[ \t]+le)?|desde(?:[ \t]+el)?|seit|dal|dès|from)"

_RANGE_RE = re.compile(
    rf"(?<![\w$€£¥+#@&%/.\\-])(?<!\d[-/.,])"
    rf"(?:(?P<since>{_SINCE}){_WS}+)?"
    rf"(?P<a>{_DATE})"
    rf"(?:{_SEP}(?:(?P<b>{_DATE})|(?P<present>{_PRESENT}))"
    rf"|{_WS}*\(?(?P<open>{_OPEN_SUFFIX})"
    rf"|{_WS}*(?P<bare>{_BARE_PRESENT})"
    # "(1999  2004)": two years in parentheses with the dash lost
    rf"|{_WS}+(?P<by>{_Y4})(?={_WS}*\))"
    # "October 2010  May 2011": a dash lost in extraction, read only between two month dates
    rf"|{_WS}+(?P<bw>{_DATE_M})(?!{_SEP}(?:{_DATE}|{_PRESENT}))"
    rf"|(?<=\d)[-–/](?P<yy>\d\d)"
    r")?"
    r"(?![\w%+])(?![-/.]\d)",
    re.IGNORECASE,
)

# Parsers for one matched date token.
_TOK_DAY_MON_YEAR = re.compile(
    rf"^{_DAY}(?:st|nd|rd|th|er|º|\.)?(?:\s+|-)(?:de\s+)?(?P<mon>{_MONTH_ALT})", re.IGNORECASE
)
_TOK_YEAR_MON = re.compile(rf"^(?P<y>\d{{4}}),?\s*(?P<mon>{_MONTH_NAME})", re.IGNORECASE)
_TOK_MON = re.compile(rf"^(?P<mon>{_MONTH_ALT})", re.IGNORECASE)
_TOK_Q = re.compile(r"^Q(?P<q>[1-4])", re.IGNORECASE)
_TOK_Y4 = re.compile(r"(19[4-9]\d|20[0-4]\d)(?!\d)")
_TOK_YY = re.compile(r"['’‘`´]\s?(\d\d)$")
_TOK_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4})$")
_TOK_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TOK_MY = re.compile(r"^(\d{1,2})\s?[/.-]\s?(\d{4})$")
_TOK_YM = re.compile(r"^(\d{4})[/.-](\d{2})$")
_TOK_MYY = re.compile(r"^(\d{1,2})/(\d{2})$")
_TOK_Y = re.compile(r"^(\d{4})$")

# Words that make a following "2000 - 2003" a product version rather than a range.
_VERSION_BEFORE = re.compile(
    r"(?<![\w-])(?:windows|server|office|studio|excel|exchange|sharepoint|dynamics|autocad|visio|nt|xp"
    r"|sql|version|ver|release|v|iso|ieee|pci|rfc|revit)"
    r"[\s.:]*$",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(r"^\s*(?:k\b|usd|eur|gbp|inr|dollars|euros|€|\$|/\s*(?:yr|year|month|hr))",
                          re.IGNORECASE)

# Precision of a parsed token: "m" month (or finer), "y" year only, "yy" two-digit MM/YY.
_Precision = str


@dataclass(frozen=True)
class DateRange:
    """A date range read from text.

    ``start``/``end`` are first-of-month dates; ``end`` is None with ``current`` True for an open
    range ("– Present", "since 2020", "onwards"). ``text`` is the matched surface text and ``span``
    its half-open offsets in the string that was searched.
    """

    start: date | None
    end: date | None
    current: bool
    text: str
    span: tuple[int, int]

    @property
    def is_single(self) -> bool:
        """True for a lone date (``find_dates`` only): start == end and not current."""
        return not self.current and self.start is not None and self.start == self.end


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _month_word(word: str) -> int | None:
    w = word.lower().rstrip(".")
    m = _MONTH_OF.get(w)
    if m is None:
        m = _MONTH_OF.get(_strip_accents(w))
    return m


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 50 else 1900 + yy


def _parse_token(tok: str) -> tuple[date, _Precision] | None:
    """One date token (as matched by ``_DATE``) -> (first-of-month date, precision)."""
    t = tok.strip()
    try:
        if t[0].isalpha():
            m = _TOK_Q.match(t)
            if m:
                month = (int(m.group("q")) - 1) * 3 + 1
            else:
                m = _TOK_MON.match(t)
                if not m:
                    return None
                month = _month_word(m.group("mon"))  # type: ignore[assignment]
                if month is None:
                    return None
            ym = _TOK_Y4.search(t, m.end())
            if ym:
                return date(int(ym.group(1)), month, 1), "m"
            yy = _TOK_YY.search(t)
            if yy:
                return date(_two_digit_year(int(yy.group(1))), month, 1), "m"
            return None
        m = _TOK_YEAR_MON.match(t)
        if m:
            month = _month_word(m.group("mon"))
            return (date(int(m.group("y")), month, 1), "m") if month else None
        m = _TOK_DAY_MON_YEAR.match(t)
        if m:
            month = _month_word(m.group("mon"))
            ym = _TOK_Y4.search(t, m.end())
            if month is None or not ym:
                return None
            return date(int(ym.group(1)), month, 1), "m"
        m = _TOK_Y.match(t)
        if m:
            return date(int(t), 7, 1), "y"
        m = _TOK_YM.match(t)
        if m:
            return date(int(m.group(1)), int(m.group(2)), 1), "m"
        m = _TOK_MY.match(t)
        if m:
            return date(int(m.group(2)), int(m.group(1)), 1), "m"
        m = _TOK_DMY.match(t)
        if m:
            a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
            if sep != "/" or a > 12:  # European D.M.Y / D-M-Y, or an unambiguous day first
                month = b
            else:  # US M/D/Y
                month = a
            if not 1 <= month <= 12:
                return None
            return date(y, month, 1), "m"
        m = _TOK_YMD.match(t)
        if m:
            return date(int(m.group(1)), int(m.group(2)), 1), "m"
        m = _TOK_MYY.match(t)
        if m:
            return date(_two_digit_year(int(m.group(2))), int(m.group(1)), 1), "yy"
    except ValueError:
        return None
    return None


def _has_day(tok: str) -> bool:
    """Whether a token carries a day of month ("March 10, 2019", "2/1/2012")."""
    t = tok.strip()
    if _TOK_DMY.match(t) or _TOK_YMD.match(t):
        return True
    if t[0].isdigit() and _TOK_DAY_MON_YEAR.match(t):
        return True
    return bool(re.search(r"\d\s*(?:st|nd|rd|th)?,", t))


# Every date holds a four-digit year, a 'YY or a MM/YY: the scan jumps from one such anchor to the
# next instead of trying the full grammar at every character.
_ANCHOR_RE = re.compile(r"[0-9'’‘`´](?:[0-9]{3}|[0-9]?/[0-9]{2}|\s?[0-9]{2})(?![0-9])")
_MAX_BEFORE_ANCHOR = 48  # "desde el 10 de septiembre de " is 29 characters
_WORD_START_RE = re.compile(r"\b\w")


def _iter_matches(text: str) -> Iterable[re.Match[str]]:
    """Same matches as ``_RANGE_RE.finditer(text)``, trying only word starts near anchors.

    A match starts on a word character after a non-word one, at most ``_MAX_BEFORE_ANCHOR``
    characters before its first anchor, so those word starts are the only places to try.
    """
    cursor = 0
    match = _RANGE_RE.match
    word_starts = _WORD_START_RE.finditer
    for a in _ANCHOR_RE.finditer(text):
        p = a.start()
        if p < cursor or (p and text[p - 1].isdigit()):
            continue
        tok = a.group()
        if len(tok) == 4 and tok.isdigit() and not 1940 <= int(tok) <= 2049:
            continue
        for w in word_starts(text, max(cursor, p - _MAX_BEFORE_ANCHOR), p + 1):
            m = match(text, w.start())
            if m is not None:
                yield m
                cursor = m.end()
                break


def _scan(text: str, singles: bool) -> list[DateRange]:
    out: list[DateRange] = []
    for m in _iter_matches(text):
        a_tok = m.group("a")
        a = _parse_token(a_tok)
        if a is None:
            continue
        start, a_prec = a
        s0, s1 = m.span()
        since = m.group("since")
        if since and since.lower() == "from":
            s0 = m.start("a")  # "from" is not part of the date
            since = None
        end: date | None
        current = False
        b_tok = m.group("b")
        if m.group("by") is not None:
            if a_prec == "y" and text[:s0].rstrip(" \t").endswith("("):
                b_tok = m.group("by")
            else:
                if singles and a_prec == "y":
                    out.append(_first_alone(text, m, "by", start, s0))
                continue
        if b_tok is None and m.group("bw") is not None:
            if a_prec != "m":
                # Not a range after all: keep the first date alone, the second is lost.
                if singles and a_prec == "y":
                    out.append(_first_alone(text, m, "bw", start, s0))
                continue
            b_tok = m.group("bw")
        if b_tok is not None:
            b = _parse_token(b_tok)
            if b is None:
                continue
            end, b_prec = b
            if m.group("bw") is not None and end < start:
                continue
            if (a_prec == "yy") != (b_prec == "yy"):
                continue  # "03/18 - 2020": not a range we trust
            if a_prec == "y" and b_prec == "y" and _version_or_money(text, s0, s1):
                continue
        elif m.group("present") or m.group("bare") or m.group("open"):
            end, current = None, True  # "03/18 - Present" is fine too
        elif m.group("yy") is not None:
            # "2019-20" / "2015/16": an academic-year style range.
            yy = int(m.group("yy"))
            century = start.year - start.year % 100
            if yy <= start.year % 100:
                continue
            end = date(century + yy, 7, 1)
        elif since:
            end, current = None, True
        else:
            lone = _lone_date(text, a_tok, a_prec, start, (s0, s1), singles)
            if lone is not None:
                out.append(lone)
            continue
        start_y = a_prec == "y" and m.group("yy") is None
        end_y = b_tok is not None and end is not None and b_prec == "y"
        if end is not None and end < start:
            start, end = end, start
            start_y, end_y = end_y, start_y
        # Year-only endpoints of a range span the whole year: "2019 – 2022" = Jan 2019 .. Dec 2022.
        if start_y:
            start = date(start.year, 1, 1)
        if end_y and end is not None:
            end = date(end.year, 12, 1)
        if end is not None and end.year - start.year > 60:
            continue
        out.append(DateRange(start, end, current, text[s0:s1], (s0, s1)))
    fused = _fused_ranges(text, out)
    if fused:
        out = sorted(out + fused, key=lambda d: d.span)
    return _join_split_lines(text, out) if singles else out


# Two years glued together when a converter lost the dash ("20212021 BestDoctor", "20152019").
_FUSED_RE = re.compile(rf"(?<![\w+#$€£./-])({_Y4})({_Y4})(?![\w%+/]|[.,]\d)")
# Between a start date alone on its line and an end date alone on the next: a line break, and
# perhaps "From:" / "To:" labels ("From: Jan 2019 / To: Mar 2021").
_SPLIT_GAP_RE = re.compile(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*(?:(?:to|till|until)[ \t]*:?[ \t]*)?", re.IGNORECASE)
_LINE_LABEL_RE = re.compile(r"(?:^|\n)[ \t\u00a0]*(?:(?:from|since|start(?:ed)?)[ \t]*:?[ \t]*)?$", re.IGNORECASE)


def _fused_ranges(text: str, taken: list[DateRange]) -> list[DateRange]:
    """Year ranges whose dash was lost: "20212021" is 2021 – 2021, "20152019" 2015 – 2019."""
    out = []
    for m in _FUSED_RE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if not a <= b <= a + 50 or any(d.span[0] < m.end() and m.start() < d.span[1] for d in taken):
            continue
        out.append(DateRange(date(a, 1, 1), date(b, 12, 1), False, m.group(), m.span()))
    return out


def _join_split_lines(text: str, found: list[DateRange]) -> list[DateRange]:
    """A start date alone on its line and an end date alone on the next are one range
    ("Jan 2019" / "Mar 2021"), when the end is not before the start."""
    out: list[DateRange] = []
    for d in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.is_single and d.start is not None and prev.start is not None
                and (d.is_single or d.current) and d.start >= prev.start
                and _SPLIT_GAP_RE.fullmatch(text, prev.span[1], d.span[0])
                and _LINE_LABEL_RE.search(text, 0, prev.span[0])
                and _alone_after(text, d.span[1])):
            start = prev.start if _has_month(prev.text) else date(prev.start.year, 1, 1)
            end = d.end if d.current or _has_month(d.text) or d.end is None else date(d.end.year, 12, 1)
            out[-1] = DateRange(start, end, d.current, text[prev.span[0]:d.span[1]], (prev.span[0], d.span[1]))
            continue
        out.append(d)
    return out


def _has_month(token: str) -> bool:
    return not _TOK_Y.match(token.strip())


def _alone_after(text: str, end: int) -> bool:
    nl = text.find("\n", end)
    return not text[end:len(text) if nl < 0 else nl].strip(" \t\u00a0.,;:)")


def _first_alone(text: str, m: re.Match[str], group: str, start: date, s0: int) -> DateRange:
    """The first date of a match alone, when what follows it (``group``) is not its end."""
    s1 = m.start(group)
    while s1 > s0 and text[s1 - 1] in " \t\u00a0":
        s1 -= 1
    return DateRange(start, start, False, text[s0:s1], (s0, s1))


def _version_or_money(text: str, s0: int, s1: int) -> bool:
    """Whether the years at ``text[s0:s1]`` are a product version ("Windows Server 2008") or an
    amount ("2000 - 3000 USD") rather than dates."""
    return bool(_VERSION_BEFORE.search(text[max(0, s0 - 24):s0]) or _MONEY_AFTER.match(text[s1:s1 + 8]))


def _lone_date(text: str, a_tok: str, a_prec: _Precision, start: date, span: tuple[int, int],
               singles: bool) -> DateRange | None:
    """A match without a second date: an academic year ("2010-11"), or a lone date when
    ``singles`` asks for them, else None."""
    if a_prec == "yy":
        return None
    s0, s1 = span
    tok = a_tok.strip()
    ym = _TOK_YM.match(tok)
    if ym and a_prec == "m" and tok[4] in "-/":
        # "2010-11" / "2011/12": read as an academic year when the second part is year+1.
        y, mm = int(ym.group(1)), int(ym.group(2))
        if mm == (y + 1) % 100:
            return DateRange(date(y, 7, 1), date(y + 1, 7, 1), False, text[s0:s1], span)
    if not singles or (a_prec == "y" and _version_or_money(text, s0, s1)):
        return None
    return DateRange(start, start, False, text[s0:s1], span)


def find_date_ranges(text: str) -> list[DateRange]:
    """Every date range in ``text``, in order. Lone dates ("June 2019") are not ranges."""
    return _scan(text, singles=False)


def find_dates(text: str) -> list[DateRange]:
    """Every date range *and* lone date in ``text``, in order; a lone date has start == end."""
    return _scan(text, singles=True)


def parse_date_range(text: str) -> DateRange | None:
    """The first date range in ``text``, or None."""
    found = _scan(text, singles=False)
    return found[0] if found else None


def date_has_day(text: str) -> bool:
    """Whether a matched date text carries a day of month (used to skip footers like dates)."""
    return _has_day(text)


# --------------------------------------------------------------------------------------------
# Month arithmetic and timelines
# --------------------------------------------------------------------------------------------


def month_floor(d: date) -> date:
    """The first day of ``d``'s month."""
    return d if d.day == 1 else d.replace(day=1)


def _month_index(d: date) -> int:
    """Months since January of year 0: month arithmetic is arithmetic on these."""
    return d.year * 12 + (d.month - 1)


def add_months(d: date, n: int) -> date:
    """First of the month ``n`` months after (or before, for negative ``n``) ``d``'s month."""
    idx = _month_index(d) + n
    return date(idx // 12, idx % 12 + 1, 1)


def months_spanned(start: date, end: date) -> int:
    """How many months a range covers, both the start and the end month counted.

    ``months_spanned(Jan 2020, Dec 2020) == 12``, ``months_spanned(Mar 2021, Mar 2021) == 1``.
    Days are ignored. Returns 0 when ``end`` is before ``start``'s month.
    """
    return max(0, _month_index(end) - _month_index(start) + 1)


def months_elapsed(earlier: date, later: date) -> int:
    """Whole months from ``earlier``'s month to ``later``'s: ``months_elapsed(Jan 2020, Mar 2020)
    == 2``, 0 within one month or when ``later`` is earlier. Days are ignored."""
    return max(0, _month_index(later) - _month_index(earlier))


def merge_intervals(intervals: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merge month intervals (inclusive) that overlap or touch, sorted by start.

    Dates are floored to their month. Intervals given backwards are swapped. "Jan–Jun 2020" and
    "Jul–Dec 2020" touch and become one "Jan–Dec 2020".
    """
    norm = []
    for s, e in intervals:
        s, e = month_floor(s), month_floor(e)
        if e < s:
            s, e = e, s
        norm.append((s, e))
    norm.sort()
    merged: list[tuple[date, date]] = []
    for s, e in norm:
        if merged and s <= add_months(merged[-1][1], 1):
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def years_of_months(months: int) -> float:
    """``months / 12`` rounded half-up to one decimal: 111 months (9.25 years) -> 9.3.

    Computed on integers: ``round(9.25, 1)`` would give 9.2 (binary floats round half to even).
    """
    return (months * 20 + 12) // 24 / 10


def total_years(intervals: Iterable[tuple[date, date]]) -> float:
    """Years covered by ``intervals`` with overlaps counted once, inclusive months / 12, rounded
    half-up to 0.1."""
    months = sum(months_spanned(s, e) for s, e in merge_intervals(intervals))
    return years_of_months(months)
