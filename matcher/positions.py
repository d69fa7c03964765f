"""Sections -> dated positions (jobs), each with its title, organization, dates and text span.

Only ``experience`` and ``volunteering`` sections hold positions (``Position.section`` says which);
education, projects and the rest never do. A position is anchored on a date range standing on a
short, non-bullet line; its title and organization come from that line and the short lines stacked
above it (or below it, when the section puts dates first), read by ``matcher.job_header``.
One-line jobs followed by a description ("Analyst, Acme (Dubai), Apr 2022 – Present — SQL, dbt
...") are named by the part before the date. In a text table whose header row names its columns
("| Period | Company | Role | ..."), each dated row is a job named by its cells and its span is
the row alone. A position's span runs from its first header line to the next position's, so spans
never overlap and stay inside their section. A lone year or month ("2021", "June 2019") on a
position line is a position of that one month (start == end); not when it dates an aside ("(2012:
one-year sabbatical ...)"), an award, a certificate or an expected graduation.

A section is read in stages (``_section_positions``): its lines and the dates on each, the lines
classified, the anchors (the dates that start a job), each anchor's block of header lines, and
then one position per block.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .dates import DateRange, date_has_day, find_dates
from .headings import POSITION_SECTION_KINDS
from .job_header import (
    BULLET_LINE,
    HEAD_LINE,
    LABEL_LINE,
    PROSE_LINE,
    SKIP_LINE,
    classify_line,
    clean_fragment,
    has_identity,
    segments,
    title_org,
)
from .text import Line, fold, section_lines, trim_blanks
from .types import Document, Position, Section
from .vocab.resume import LABEL_DATE, LABEL_ORG, LABEL_TITLE

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



#: Sections searched for dated jobs when the experience sections hold none: never education,
#: projects, certificates, awards or interests (events), whose dates are not jobs.
_FALLBACK_KINDS = frozenset({"header", "other", "summary", "skills", "languages"})


def find_positions(doc: Document, sections: Sequence[Section]) -> tuple[Position, ...]:
    """Dated positions inside ``experience`` and ``volunteering`` sections, indexed in text order."""
    text = doc.text
    found: list[Position] = []
    for sec in sections:
        if sec.kind in POSITION_SECTION_KINDS and sec.end > sec.start:
            found.extend(_section_positions(text, sec))
    if not any(p.start is not None for p in found):
        # No experience heading at all (a prose résumé), or one whose jobs carry no dates while
        # the dated jobs sit elsewhere ("CAREER HIGHLIGHTS", a bullet "Organizational
        # Experience" under "IT Skills"): look in the sections that may hold jobs, as if each were
        # the experience section.
        for sec in sections:
            if sec.kind in _FALLBACK_KINDS and sec.end > sec.start:
                found.extend(
                    replace(p, section="experience")
                    for p in _section_positions(text, replace(sec, kind="experience"))
                    if p.start is not None  # without a heading, only dated jobs are trusted
                )
        found.sort(key=_span_start)
    return tuple(
        Position(i, p.title, p.organization, p.start, p.end, p.current, p.span, p.date_text,
                 p.section)
        for i, p in enumerate(found)
    )


@dataclass
class _Sheet:
    """A section's lines as the stages read them (line indices are shared by every list)."""

    text: str
    sec: Section
    lines: list[Line]
    by_line: list[list[DateRange]]  # dates starting on each line
    cut: list[list[DateRange]]  # dates overlapping each line
    date_last: dict[int, int]  # id(date) -> last line it reaches
    stripped: list[str] = field(default_factory=list)  # each line without its dates
    cls: list[int] = field(default_factory=list)  # each line's class (job_header.*_LINE)
    table: _Table | None = None

    @property
    def n(self) -> int:
        return len(self.lines)


_Anchor = tuple[int, DateRange]  # the line a job's date stands on, and the date
_Block = tuple[int, list[int], list[int]]  # a job's first line, header lines, fallback lines


def _section_positions(text: str, sec: Section) -> list[Position]:
    """The positions of one section, in stages: lines and their dates, line classes, anchors,
    header blocks, positions."""
    sheet = _read_lines(text, sec)
    if sheet is None:
        return []
    anchors, inline_mode = _find_anchors(sheet)
    if not anchors:
        return _undated_position(text, sec, sheet.lines, sheet.stripped, sheet.cls)
    ends = [sheet.date_last[id(d)] for _, d in anchors]  # last line of each anchor's date
    for (i, _d), end in zip(anchors, ends):
        for j in range(i + 1, end + 1):
            sheet.cls[j] = HEAD_LINE  # the rest of a wrapped date's line belongs to the anchor
    blocks = _header_blocks(sheet, anchors, ends, inline_mode)
    return _make_positions(sheet, anchors, ends, blocks, inline_mode)


def _read_lines(text: str, sec: Section) -> _Sheet | None:
    """Stage 1: the section's lines, the dates on each, each line without its dates and its class;
    links, page numbers and lone dashes dropped; a text table's header row found."""
    lines = section_lines(text, sec.start, sec.end)
    if not lines:
        return None
    sheet = _place_dates(text, sec, lines)
    sheet.stripped = [_strip_dates(text, s, e, sheet.cut[i]) for i, (s, e, _b) in enumerate(lines)]
    for i, (s, e, _b) in enumerate(lines):
        if sheet.by_line[i]:
            head = _one_line_head(text, s, e, sheet.by_line[i])
            if head is not None:
                sheet.stripped[i] = head
    sheet.cls = _classify_lines(sheet)
    if SKIP_LINE in sheet.cls:
        _drop_skipped(sheet)
        if not sheet.n:
            return None
    # A text table ("| Period | Company | Role | Main stack |"): its header row names no job, and
    # each dated row is one job, named by the row's own cells.
    if text.find("|", sec.start, sec.end) >= 0 or text.find("\t", sec.start, sec.end) >= 0:
        sheet.table = _table_header(text, sheet.lines)
    if sheet.table is not None:
        sheet.cls[sheet.table[0]] = LABEL_LINE
    return sheet


def _place_dates(text: str, sec: Section, lines: list[Line]) -> _Sheet:
    """The section's dates (offsets made absolute), by the line they start on and the lines
    they overlap."""
    n = len(lines)
    starts = [ln[0] for ln in lines]
    sheet = _Sheet(text, sec, lines, [[] for _ in range(n)], [[] for _ in range(n)], {})
    base = sec.start
    for d in find_dates(text[sec.start:sec.end]):
        a = d.span[0] + base
        b = d.span[1] + base
        d = DateRange(d.start, d.end, d.current, d.text, (a, b))
        li = bisect.bisect_right(starts, a) - 1
        if li < 0:
            continue
        lj = bisect.bisect_left(starts, b) - 1
        sheet.by_line[li].append(d)
        for j in range(li, max(li, lj) + 1):
            sheet.cut[j].append(d)
        sheet.date_last[id(d)] = max(li, lj)
    return sheet


def _classify_lines(sheet: _Sheet) -> list[int]:
    cls = []
    prev_open = False  # the previous line is a sentence still running on
    for i, (t, (_s, _e, b)) in enumerate(zip(sheet.stripped, sheet.lines)):
        cut = sheet.cut[i]
        c = classify_line(t, b, bool(cut), prev_open, any(not d.is_single for d in cut))
        cls.append(c)
        if c != SKIP_LINE:
            prev_open = c in (BULLET_LINE, PROSE_LINE) and not t.rstrip().endswith((".", "!", "?", ":", ";"))
    return cls


def _drop_skipped(sheet: _Sheet) -> None:
    """Drop links, page numbers and lone dashes: they must not cut a job's header apart."""
    keep = [i for i, c in enumerate(sheet.cls) if c != SKIP_LINE or sheet.cut[i]]
    sheet.lines = [sheet.lines[i] for i in keep]
    sheet.stripped = [sheet.stripped[i] for i in keep]
    sheet.cls = [sheet.cls[i] if sheet.cls[i] != SKIP_LINE else HEAD_LINE for i in keep]
    sheet.by_line = [sheet.by_line[i] for i in keep]
    sheet.cut = [sheet.cut[i] for i in keep]
    remap = {old: new for new, old in enumerate(keep)}
    sheet.date_last = {k: remap[v] for k, v in sheet.date_last.items()}


def _find_anchors(sheet: _Sheet) -> tuple[list[_Anchor], bool]:
    """Stage 2: the dates that start a job (the first date on a header-like line), and whether
    the section is prose with dates inside its sentences (then any range is an anchor)."""
    anchors: list[_Anchor] = []
    for i in range(sheet.n):
        d = _anchor_date(sheet, i, anchors)
        if d is not None:
            anchors.append((i, d))
    if len(anchors) > 1:
        anchors = _drop_repeated_dates(anchors, sheet.stripped, sheet.cls, sheet.date_last)
    if anchors:
        return anchors, False
    for i in range(sheet.n):
        if anchors and i <= sheet.date_last[id(anchors[-1][1])]:
            continue
        d = next((x for x in sheet.by_line[i] if not x.is_single), None)
        if d is not None:
            anchors.append((i, d))
    return anchors, True


def _anchor_date(sheet: _Sheet, i: int, anchors: list[_Anchor]) -> DateRange | None:
    """The date on line ``i`` that starts a job, or None."""
    ds = sheet.by_line[i]
    stripped = sheet.stripped
    if not ds or sheet.cls[i] != HEAD_LINE:
        return None
    if anchors and i <= sheet.date_last[id(anchors[-1][1])]:
        return None  # on the last line of the previous anchor's wrapped date
    d = next((x for x in ds if not x.is_single), ds[0])
    if _EXPECTED_RE.search(sheet.text, max(sheet.lines[i][0], d.span[0] - 24), d.span[0]):
        return None  # "Expected May 2014", "Class of 2019": a graduation, not a job
    if d.is_single:
        rest = stripped[i].replace("|", " ").split()
        if len(rest) > 8 or date_has_day(d.text) or _NOT_A_JOB_RE.search(stripped[i]):
            return None
        if not rest and (_date_only(i - 1, stripped, sheet.cut) or _date_only(i + 1, stripped, sheet.cut)):
            return None  # a column of years ("2012 / 2011 / 2010"), not a job's date
    return d


def _stacks(sheet: _Sheet, anchors: list[_Anchor], ends: list[int]) -> tuple[list[list[int]], list[list[int]]]:
    """Header lines stacked right above and right below each anchor."""
    cls = sheet.cls
    anchor_lines = {i for i, _ in anchors}
    ups: list[list[int]] = []
    downs: list[list[int]] = []
    for k, (i, _d) in enumerate(anchors):
        floor = ends[k - 1] if k else -1
        above: list[int] = []
        j = i - 1
        while j > floor and cls[j] == HEAD_LINE and j not in anchor_lines and len(above) < 4:
            above.append(j)
            j -= 1
        ups.append(above)
        ceil = anchors[k + 1][0] if k + 1 < len(anchors) else sheet.n
        below: list[int] = []
        j = ends[k] + 1
        while j < ceil and cls[j] == HEAD_LINE and len(below) < 3:
            below.append(j)
            j += 1
        downs.append(below)
    return ups, downs


def _header_blocks(sheet: _Sheet, anchors: list[_Anchor], ends: list[int],
                   inline_mode: bool) -> list[_Block]:
    """Stage 3: each job's first line, its header lines (nearest first) and fallback lines."""
    ups, downs = _stacks(sheet, anchors, ends)
    stripped, cls, n_a = sheet.stripped, sheet.cls, len(anchors)
    anchor_lines = {i for i, _ in anchors}

    def identity(k: int) -> bool:
        return any(has_identity(stripped[j]) for j in range(anchors[k][0], ends[k] + 1))

    # Layout: do the header lines sit above the dates ("up") or below them ("down")?
    up = bool(ups[0]) or (identity(0) and not downs[0])
    blocks: list[_Block] = []
    prev_last = -1
    for k, (i, _d) in enumerate(anchors):
        own = list(range(i, ends[k] + 1))
        first = i
        extra: list[int] = []
        if inline_mode:
            # The section's leading header lines name the first job; the date's own line is prose.
            cand = _leading_heads(cls, i) if k == 0 else []
            first = 0 if k == 0 else i
            last = ends[k]
        elif up:
            above = [j for j in ups[k] if j > prev_last]
            if not identity(k) and not any(has_identity(stripped[j]) for j in above):
                # A date that drifted below its job's bullets (two-column PDFs): use the nearest
                # undated header block above it.
                above = _floating_header(i, prev_last, cls, stripped, anchor_lines) or above
            cand = own + above
            if above:
                first = min(above)
            # Lines below the date name the job only when they aren't the next job's header.
            nxt = (min(ups[k + 1]) if ups[k + 1] else anchors[k + 1][0]) if k + 1 < n_a else sheet.n
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
    return blocks


def _leading_heads(cls: list[int], i: int) -> list[int]:
    """The header lines that open a section, before line ``i`` (at most 4)."""
    out: list[int] = []
    j = 0
    while j < i and cls[j] == HEAD_LINE and j < 4:
        out.append(j)
        j += 1
    return out


def _make_positions(sheet: _Sheet, anchors: list[_Anchor], ends: list[int], blocks: list[_Block],
                    inline_mode: bool) -> list[Position]:
    """Stage 4: one position per anchor, named by its block, spanning to the next block."""
    text, lines, stripped = sheet.text, sheet.lines, sheet.stripped
    out: list[Position] = []
    prev_org: str | None = None
    n_a = len(anchors)
    for k, ((i, d), (first, cand, extra)) in enumerate(zip(anchors, blocks)):
        title, org = title_org(stripped, cand, text, lines, inline_mode, i)
        if (title is None or org is None) and extra:
            t2, o2 = title_org(stripped, cand + extra, text, lines, False, i)
            title = title or t2
            org = org or o2
        if org is None and k > 0 and prev_org is not None:
            # Promotions listed under one employer: nothing but header lines in between.
            pi = anchors[k - 1][0]
            if all(sheet.cls[j] == HEAD_LINE for j in range(pi + 1, first)):
                org = prev_org
        nxt = blocks[k + 1][0] if k + 1 < n_a else sheet.n
        s0 = lines[first][0]
        s1 = lines[nxt][0] if k + 1 < n_a else sheet.sec.end
        row = _table_row(text, lines[i], sheet.table) if sheet.table is not None else None
        if row is not None:
            title, org, s1 = _table_job(sheet, row, i, nxt, title, org, s1)
        else:
            s1 = _before_aside(sheet, ends[k], nxt, s1)
        prev_org = org
        s1 = trim_blanks(text, s0, s1)
        out.append(Position(k, title, org, d.start, d.end, d.current, (s0, s1), d.text, sheet.sec.kind))
    return out


def _table_job(sheet: _Sheet, row: list[str], i: int, nxt: int, title: str | None,
               org: str | None, s1: int) -> tuple[str | None, str | None, int]:
    """A table row is the whole job: named by its cells, it ends with the row (or its wrapped
    continuation), not at the next row, and never swallows the notes under the table."""
    assert sheet.table is not None
    cols = sheet.table[1]
    title = _cell(row, cols.get("title")) or title
    org = _cell(row, cols.get("org")) or org
    j = i + 1
    while j < nxt and _table_row(sheet.text, sheet.lines[j], sheet.table) is not None:
        j += 1
    return title, org, min(s1, sheet.lines[j - 1][1])


def _before_aside(sheet: _Sheet, end_line: int, nxt: int, s1: int) -> int:
    """A dated aside after the job, set apart by a blank line ("(2012: one-year sabbatical
    ...)"), is not part of it: the job's span ends before it."""
    j = nxt - 1
    last = j
    while j > end_line and sheet.lines[j][2] and _is_aside(sheet.stripped[j], sheet.cut[j], sheet.cls[j]):
        j -= 1
    return min(s1, sheet.lines[j][1]) if j < last else s1


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
    v = clean_fragment(row[col])
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

__all__ = [
    "find_positions",
    "position_at",
]
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
    return bool(cut) and cls == PROSE_LINE and t.startswith("(") and t.endswith(")")


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
                if (cls[j] == HEAD_LINE or j >= i) and has_identity(stripped[j]):
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
    while j < len(lines) and cls[j] == HEAD_LINE and j < 3:
        lead.append(j)
        j += 1
    if not lead:
        return []
    if not any(kind == "title" for j in lead for _, kind, _ in segments(stripped[j])):
        return []
    title, org = title_org(stripped, lead, text, lines, False, lead[0])
    s0 = lines[0][0]
    s1 = sec.end
    s1 = trim_blanks(text, s0, s1)
    return [Position(0, title, org, None, None, False, (s0, s1), "", sec.kind)]



def _floating_header(i: int, prev_last: int, cls: list[int], stripped: list[str],
                     anchor_lines: set[int]) -> list[int]:
    """Nearest block of header lines above line ``i`` (within 12 lines) that names a job."""
    j = i - 1
    lo = max(prev_last, i - 13)
    while j > lo:
        if cls[j] == HEAD_LINE and j not in anchor_lines:
            block = []
            while j > lo and cls[j] == HEAD_LINE and j not in anchor_lines and len(block) < 4:
                block.append(j)
                j -= 1
            if any(
                kind in ("title", "org")
                for b in block for _, kind, _ in segments(stripped[b])
            ):
                return block
            continue
        j -= 1
    return []


def _span_start(p: Position) -> int:
    return p.span[0]


def position_at(positions: Sequence[Position], offset: int) -> Position | None:
    """The position whose span holds character ``offset``, or None."""
    i = bisect.bisect_right(positions, offset, key=_span_start) - 1
    if i < 0:
        return None
    p = positions[i]
    return p if offset < p.span[1] else None
