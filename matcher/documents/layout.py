"""Reading order for one PDF page, from the boxes of its text lines.

pdfminer's layout analysis gives us text *lines* (chars grouped by proximity with ``LAParams``);
this module decides the order they are read in. Coordinates here are top-down: ``top`` grows
downwards, so sorting by ``top`` reads the page from the top.

Algorithm (see :func:`order_lines`):

1. **Runs.** Walk the lines top to bottom, keeping the set of x-intervals that no line of the
   current run covers. A line that leaves no free interval (a full-width heading, a paragraph
   line across the page) closes the run. A run whose free intervals include one with text on
   both sides has a candidate *gutter*.
2. **Columns.** A run is read as columns, left one whole then the right one, when the gutter
   separates two real text flows: each side has at least ``MIN_COLUMN_LINES`` lines, each side
   has a stack of at least three consecutive lines (normal leading), and the sides are not a
   row-aligned table (fewer than 80 % of the smaller side's lines share a baseline with a line
   on the other side). Each column is laid out again recursively (a column can hold columns).
   Right-aligned dates beside a title, label/value tables and "dates on the left" CVs fail
   these tests and stay row by row, so a date stays on its position's line.
3. **Rows.** Everything else is read row by row: lines that overlap vertically form one visual
   line, fragments ordered left to right and joined by a space, or by a tab when far apart.
   A vertical gap clearly larger than the region's usual leading starts a new block (blank
   line in the output).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from statistics import median

#: A free vertical strip narrower than this (points) is not a column gutter.
MIN_GUTTER = 6.0
#: Lines may poke this far (points) into a gutter and still not "cross" it.
GUTTER_TOLERANCE = 1.0
#: Each side of a column split needs at least this many lines.
MIN_COLUMN_LINES = 3
#: ...and a stack of this many lines at normal leading (a text flow, not scattered labels).
MIN_FLOW_LINES = 3
#: Smaller side of a split with at least this share of lines on a shared baseline -> table.
TABLE_PAIRING = 0.8
#: Gap between fragments of one row (in line heights) above which they are joined by a tab.
TAB_GAP = 2.0
#: Recursion limit for columns inside columns.
MAX_DEPTH = 4


@dataclass(slots=True)
class Line:
    """One pdfminer text line, in top-down coordinates."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class _Row:
    lines: list[Line] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0

    def add(self, line: Line) -> None:
        if not self.lines:
            self.top, self.bottom = line.top, line.bottom
        else:
            self.top = min(self.top, line.top)
            self.bottom = max(self.bottom, line.bottom)
        self.lines.append(line)


Block = list[str]


def order_lines(lines: list[Line]) -> list[Block]:
    """The page's lines in reading order, as blocks of text lines."""
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return []
    return _layout(lines, 0)


# ---------------------------------------------------------------------------------------------


def _layout(lines: list[Line], depth: int) -> list[Block]:
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    blocks: list[Block] = []
    pending: list[Line] = []
    for run, gutter in _runs(lines):
        columns = _columns(run, gutter) if gutter is not None and depth < MAX_DEPTH else None
        if columns is None:
            pending.extend(run)
            continue
        # Lines just above the run that stay clear of its gutter are the top of a column that
        # started before the other one did (a sidebar beginning above the main column).
        g0, g1 = gutter  # type: ignore[misc]
        cut = (g0 + g1) / 2
        while pending and (pending[-1].x1 <= g0 + GUTTER_TOLERANCE or pending[-1].x0 >= g1 - GUTTER_TOLERANCE):
            ln = pending.pop()
            columns[0 if ln.x1 <= cut else 1].append(ln)
        if pending:
            blocks.extend(_rows(pending))
            pending = []
        for col in columns:
            blocks.extend(_layout(col, depth + 1))
    if pending:
        blocks.extend(_rows(pending))
    return blocks


def _subtract(free: list[tuple[float, float]], a: float, b: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for g0, g1 in free:
        if b <= g0 or a >= g1:
            out.append((g0, g1))
            continue
        if a - g0 >= MIN_GUTTER:
            out.append((g0, a))
        if g1 - b >= MIN_GUTTER:
            out.append((b, g1))
    return out


def _runs(lines: list[Line]) -> list[tuple[list[Line], tuple[float, float] | None]]:
    """Split top-to-bottom lines into runs that share a gutter; find each run's gutter.

    A run grows while some free strip has text of the run on both sides (a gutter). A line
    that covers every gutter closes the run; a line that arrives while the run has no gutter
    yet (and doesn't make one) starts a fresh run, so full-width headers stay out of the
    column run below them.
    """
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    full = [(left, right)]
    tol = GUTTER_TOLERANCE

    def gutters(free: list[tuple[float, float]], min_x1: float, max_x0: float) -> list[tuple[float, float]]:
        return [(g0, g1) for g0, g1 in free if min_x1 <= g0 + tol and max_x0 >= g1 - tol]

    runs: list[tuple[list[Line], tuple[float, float] | None]] = []
    cur: list[Line] = []
    free: list[tuple[float, float]] = full
    min_x1 = max_x0 = 0.0
    has_gutter = False

    def close() -> None:
        gutter = None
        if has_gutter and len(cur) >= 2 * MIN_COLUMN_LINES:
            cands = gutters(free, min_x1, max_x0)
            if cands:
                gutter = max(cands, key=lambda g: g[1] - g[0])
        runs.append((cur, gutter))

    for ln in lines:
        if cur:
            nf = _subtract(free, ln.x0 + tol, ln.x1 - tol)
            n_min_x1 = min(min_x1, ln.x1)
            n_max_x0 = max(max_x0, ln.x0)
            cands = gutters(nf, n_min_x1, n_max_x0)
            if cands and (has_gutter or _side_by_side(ln, cur, cands)):
                cur.append(ln)
                free, min_x1, max_x0, has_gutter = nf, n_min_x1, n_max_x0, True
                continue
            close()
        cur = [ln]
        free = _subtract(full, ln.x0 + tol, ln.x1 - tol)
        min_x1, max_x0, has_gutter = ln.x1, ln.x0, False
    if cur:
        close()
    return runs


def _side_by_side(ln: Line, run: list[Line], cands: list[tuple[float, float]]) -> bool:
    """Does ``ln`` open a gutter next to a line of the run at about the same height?

    A gutter only exists where text stands on both sides of it at once; a heading below a
    centred line has free space "between" them that is no gutter.
    """
    for g0, g1 in cands:
        left_of = ln.x1 <= g0 + GUTTER_TOLERANCE
        for m in run:
            other_side = m.x0 >= g1 - GUTTER_TOLERANCE if left_of else m.x1 <= g0 + GUTTER_TOLERANCE
            if not other_side:
                continue
            gap = max(m.top - ln.bottom, ln.top - m.bottom)
            if gap <= 0.5 * max(m.height, ln.height):
                return True
    return False


def _flow(side: list[Line]) -> int:
    """Longest stack of lines at normal leading (each within ~one line height of the last)."""
    best = cur = 1
    ordered = sorted(side, key=lambda ln: ln.top)
    for a, b in zip(ordered, ordered[1:], strict=False):
        gap = b.top - a.bottom
        if -0.5 * a.height < gap <= 1.0 * max(a.height, b.height):
            cur += 1
            best = max(best, cur)
        elif gap > -0.5 * a.height:
            cur = 1
    return best


def _paired_count(small: list[Line], big: list[Line]) -> int:
    """How many lines of ``small`` share a baseline (bottom within 1/4 line) with one of ``big``."""
    bottoms = sorted(o.bottom for o in big)
    n = 0
    for a in small:
        tol = 0.25 * a.height
        i = bisect_left(bottoms, a.bottom - tol)
        if i < len(bottoms) and bottoms[i] <= a.bottom + tol:
            n += 1
    return n


def _columns(run: list[Line], gutter: tuple[float, float]) -> list[list[Line]] | None:
    cut = (gutter[0] + gutter[1]) / 2
    left = [ln for ln in run if ln.x1 <= cut]
    right = [ln for ln in run if ln.x1 > cut]
    if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
        return None
    if _flow(left) < MIN_FLOW_LINES or _flow(right) < MIN_FLOW_LINES:
        return None
    small, big = (left, right) if len(left) <= len(right) else (right, left)
    paired = _paired_count(small, big)
    if paired >= TABLE_PAIRING * len(small):
        return None
    return [left, right]


def _rows(lines: list[Line]) -> list[Block]:
    """Group lines into visual rows, then rows into blocks split at large vertical gaps."""
    rows: list[_Row] = []
    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if rows:
            row = rows[-1]
            overlap = min(row.bottom, ln.bottom) - max(row.top, ln.top)
            if row.top <= ln.mid <= row.bottom or overlap >= 0.5 * min(ln.height, row.bottom - row.top):
                row.add(ln)
                continue
        row = _Row()
        row.add(ln)
        rows.append(row)

    heights = [r.bottom - r.top for r in rows]
    gaps = [b.top - a.bottom for a, b in zip(rows, rows[1:], strict=False)]
    h = median(heights) if heights else 0.0
    # usual leading: the median of the gaps that look like line gaps (not section breaks)
    small_gaps = [g for g in gaps if g < 0.8 * h]
    lead = median(small_gaps) if small_gaps else 0.0
    para = max(lead + 0.75 * h, 0.75 * h)

    # A gap starts a new block when it is clearly larger than the usual leading *and* than at
    # least one neighbouring gap: evenly spaced rows (a list of skill chips) stay together.
    blocks: list[Block] = [[_row_text(rows[0])]]
    for i, row in enumerate(rows[1:]):
        g = gaps[i]
        if g > para:
            near = [x for x in (gaps[i - 1] if i > 0 else None, gaps[i + 1] if i + 1 < len(gaps) else None)
                    if x is not None]
            if not near or g > 1.4 * min(near):
                blocks.append([])
        blocks[-1].append(_row_text(row))
    return blocks


def _row_text(row: _Row) -> str:
    parts = sorted(row.lines, key=lambda ln: ln.x0)
    out = parts[0].text.strip()
    gaps = [b.x0 - a.x1 for a, b in zip(parts, parts[1:], strict=False)]
    # three or more fragments with even gaps: justified text stretched apart, not cells
    h_row = max(min(ln.height for ln in parts), 1.0)
    justified = (
        len(parts) >= 3 and min(gaps) > 0 and max(gaps) <= 1.08 * min(gaps) + 0.5 and max(gaps) < 4 * h_row
    )
    prev = parts[0]
    for ln in parts[1:]:
        gap = ln.x0 - prev.x1
        h = max(min(prev.height, ln.height), 1.0)
        piece = ln.text.strip()
        if gap > TAB_GAP * h and not _is_bullet(out) and not justified:
            out += "\t" + piece
        elif gap > 0.12 * h or _is_bullet(out):
            out += " " + piece
        else:
            out += piece
        if ln.x1 > prev.x1:
            prev = ln
    return out


def _is_bullet(s: str) -> bool:
    return len(s) == 1 and not s.isalnum()
