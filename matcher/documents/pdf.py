"""PDF bytes -> Document, with pdfminer.six.

One pass per page: pdfminer's interpreter feeds our device (:class:`_Device`), which builds each
``LTChar`` exactly as pdfminer's own aggregator does, but sorts it on the spot into *visible* or
*hidden* (see below), records filled shapes and images as backgrounds, and skips what text
extraction doesn't need (``LTCurve`` objects, ``LTImage`` objects). At the end of the page the
visible chars are grouped into lines by pdfminer's own line grouping
(``LTLayoutContainer.group_objects`` with :data:`LAPARAMS`), and :mod:`.layout` orders the lines
(columns, rows, blocks). pdfminer's text-box grouping and its box ordering (``boxes_flow``) are
not used: the reading order is ours.

Hidden text (never in ``Document.text``; reported in ``Document.hidden`` and ``warnings``):

* ``off_page``: the glyph's box doesn't intersect the page's visible area (CropBox ∩ MediaBox).
* ``clipped``: the glyph lies entirely outside the current clipping path's bounding box
  (pdfminer ignores ``W``; the interpreter below tracks the clip's bbox through ``q``/``Q``).
* ``tiny_font``: glyph height below :data:`TINY_FONT_PT` points (2 pt: nobody reads 2-pt type
  on a printed page; real footnotes and superscripts are 5 pt and up), or glyphs squeezed
  flat: horizontal scaling (``Tz``) or a text matrix x-scale under 10 % (:data:`SQUEEZED`).
* ``invisible_render_mode``: text rendering mode 3 (neither fill nor stroke) or 7 (clip only).
  Exception: invisible text lying over an image is an OCR text layer (a scanned page made
  searchable); that text *is* what the reader sees, so it is kept, with a warning.
* ``transparent``: fill opacity 0 (``/ca 0`` in an ExtGState).
* ``white_text`` / ``background_color``: the fill colour (DeviceGray, RGB, CMYK, ICC, or a
  Separation tint of 0) is within :data:`COLOR_TOLERANCE` of what's behind the glyph: the
  topmost filled shape painted before it that contains the glyph's centre, else white paper.
  White text on a dark banner or sidebar is therefore visible; white text on paper isn't.

Not detected: text covered by an opaque shape painted *after* it, and text inside a Form
XObject clipped by its parent's clip (pdfminer resets the graphics state for forms).

Limits: before pdfminer runs, every Flate stream is inflated once with a bounded inflater
(:func:`check_flate_budget`, ``max_decompressed_bytes``); the page count (the catalog's
``/Count``, then a lazy walk of the page tree stopping at ``max_pages + 1``) is checked before
any page is interpreted; visible characters are counted page by page against ``max_chars``.
Every pdfminer / Python exception raised on bad input becomes an :class:`UnreadableDocument`
(or :class:`EncryptedDocument`) chained to the original, and is logged at INFO.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LAParams, LTChar, LTLayoutContainer, LTTextLineHorizontal
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import apply_matrix_rect

from ..errors import DocumentError, DocumentTooLarge, EmptyDocument, EncryptedDocument, NoTextLayer, UnreadableDocument
from ..types import Document, HiddenText, Page
from .layout import Line, order_lines
from .limits import ReadLimits
from .normalize import clean_line, join_hyphenated, normalize_chars, vocabulary

log = logging.getLogger(__name__)

#: pdfminer's default layout parameters. ``boxes_flow=None``: pdfminer's box ordering is skipped
#: because :mod:`.layout` orders lines itself (the char -> line grouping is pdfminer's).
LAPARAMS = LAParams(line_overlap=0.5, char_margin=2.0, word_margin=0.1, line_margin=0.5, boxes_flow=None)

TINY_FONT_PT = 2.0
#: Horizontal scaling (``Tz``, or a flattened matrix) under this ratio squeezes glyphs to lines.
SQUEEZED = 0.1
COLOR_TOLERANCE = 0.07  # per RGB channel, 0..1 (about 18/255)
#: A filled shape must be at least this big (points, both ways) to count as a text background
#: (thin rules are filled rectangles too).
MIN_BACKGROUND = 3.0
#: Per page: the most recent filled shapes kept as backgrounds, and distinct fill colours tracked.
MAX_BACKGROUNDS = 2000
MAX_BG_COLORS = 64

ENCRYPTED_MESSAGE = "password-protected PDF: remove the password and upload again"
NO_TEXT_MESSAGE = "scanned PDF: no text layer; export a text PDF or upload DOCX"
NO_UNICODE_MESSAGE = (
    "the PDF's fonts have no Unicode mapping (only glyph ids, '(cid:NN)'): export it again with "
    "standard fonts, or upload DOCX"
)

_WHITE = (1.0, 1.0, 1.0)
_WINANSI_BULLETS = frozenset((0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D))
_IMAGE = "image"  # a background we can't see through: anything may be drawn on it


# ---------------------------------------------------------------------------------------------
# colours
# ---------------------------------------------------------------------------------------------


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    return None


def to_rgb(ncs: PDFColorSpace | None, color: Any) -> tuple[float, float, float] | None:
    """A paint colour as RGB in 0..1, or None when unknown (pattern, indexed, Lab...)."""
    name = getattr(ncs, "name", "DeviceGray")
    n = getattr(ncs, "ncomponents", 1)
    if isinstance(color, (list, tuple)):
        comps = [_num(c) for c in color]
    else:
        comps = [_num(color)]
    if any(c is None for c in comps) or not comps:
        return None
    vals: list[float] = [min(max(c, 0.0), 1.0) for c in comps]  # type: ignore[type-var]
    if name in ("Pattern", "Indexed", "Lab"):
        return None
    if name == "Separation":
        return _WHITE if len(vals) == 1 and vals[0] == 0.0 else None
    if name == "DeviceN":
        return _WHITE if all(v == 0.0 for v in vals) else None
    if len(vals) == 1 and n in (1, 3, 4):
        g = vals[0]
        return (g, g, g)
    if len(vals) == 3:
        return (vals[0], vals[1], vals[2])
    if len(vals) == 4:
        c, m, y, k = vals
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _same(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    return (
        abs(a[0] - b[0]) <= COLOR_TOLERANCE
        and abs(a[1] - b[1]) <= COLOR_TOLERANCE
        and abs(a[2] - b[2]) <= COLOR_TOLERANCE
    )


# ---------------------------------------------------------------------------------------------
# interpreter: ExtGState fill alpha (pdfminer leaves ``gs`` as a TODO)
# ---------------------------------------------------------------------------------------------


class _GState(PDFGraphicState):
    def __init__(self) -> None:
        super().__init__()
        self.fill_alpha: float = 1.0
        self.clip: tuple[float, float, float, float] | None = None  # bbox, device space

    def copy(self) -> _GState:
        obj = _GState.__new__(_GState)  # called per text-showing operator: skip __init__
        obj.__dict__.update(self.__dict__)
        return obj


class _Interpreter(PDFPageInterpreter):
    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self.graphicstate = _GState()

    def do_W(self) -> None:
        self._clip()

    def do_W_a(self) -> None:
        self._clip()

    def _clip(self) -> None:
        """Track the clipping path's bounding box (pdfminer ignores clipping)."""
        gs = self.graphicstate
        if not isinstance(gs, _GState) or not self.curpath:
            return
        a, b, c, d, e, f = self.ctm
        xs: list[float] = []
        ys: list[float] = []
        for seg in self.curpath:
            coords = seg[1:]
            for i in range(0, len(coords) - 1, 2):
                x, y = coords[i], coords[i + 1]
                if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                    xs.append(a * x + c * y + e)
                    ys.append(b * x + d * y + f)
        if not xs:
            return
        box = (min(xs), min(ys), max(xs), max(ys))
        if gs.clip is not None:
            c0 = gs.clip
            box = (max(box[0], c0[0]), max(box[1], c0[1]), min(box[2], c0[2]), min(box[3], c0[3]))
        gs.clip = box

    def do_gs(self, name: Any) -> None:
        try:
            states = resolve1((self.resources or {}).get("ExtGState"))
            spec = resolve1(states.get(getattr(name, "name", name))) if isinstance(states, dict) else None
            if isinstance(spec, dict) and "ca" in spec:
                alpha = _num(resolve1(spec["ca"]))
                if alpha is not None and isinstance(self.graphicstate, _GState):
                    self.graphicstate.fill_alpha = alpha
        except Exception:  # a broken ExtGState only loses the alpha check
            log.debug("unreadable ExtGState %r", name, exc_info=True)


# ---------------------------------------------------------------------------------------------
# device
# ---------------------------------------------------------------------------------------------


@dataclass
class _PageResult:
    number: int
    lines: list[Line]
    hidden: list[tuple[str, str]]  # (reason, text)
    visible_chars: int
    hidden_chars: int
    images: int
    ocr_chars: int
    rotated: list[str] = field(default_factory=list)
    undefined: int = 0


class _Device(PDFLayoutAnalyzer):
    """pdfminer device that classifies every glyph as it is painted."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr, pageno=1, laparams=LAPARAMS)
        self.render_mode = 0
        self._clip: tuple[float, float, float, float] | None = None
        self._string_reason = None
        self._slow = True
        self._verdict_rgb = None
        self._reset()
        self.result: _PageResult | None = None

    def _reset(self) -> None:
        self.chars: list[LTChar] = []
        self.rotated: list[LTChar] = []
        self.hidden: list[tuple[str, LTChar]] = []
        # bounded, so a page of countless shapes can't make the per-glyph lookups quadratic
        self.backgrounds: deque[tuple[float, float, float, float, Any]] = deque(maxlen=MAX_BACKGROUNDS)
        self.bg_colors: list[tuple[float, float, float]] = []
        self.images = 0
        self.ocr_chars = 0
        self.undefined = 0
        self._verdicts: dict[Any, tuple[float, float, float] | None] = {}

    # -- page ---------------------------------------------------------------------------------
    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        super().begin_page(page, ctm)
        self._reset()
        vx0, vy0, vx1, vy1 = apply_matrix_rect(ctm, page.mediabox)
        try:
            cx0, cy0, cx1, cy1 = apply_matrix_rect(ctm, page.cropbox)
            vx0, vy0, vx1, vy1 = max(vx0, cx0), max(vy0, cy0), min(vx1, cx1), min(vy1, cy1)
        except Exception:  # malformed CropBox: the MediaBox alone
            pass
        self.visible = (vx0, vy0, vx1, vy1)
        self.page_height = self.cur_item.height

    def end_page(self, page: PDFPage) -> None:
        container: LTLayoutContainer = self.cur_item  # the LTPage; we don't run analyze()
        lines: list[Line] = []
        top = self.page_height
        for tl in container.group_objects(LAPARAMS, self.chars) if self.chars else ():
            if not isinstance(tl, LTTextLineHorizontal):
                continue
            text = tl.get_text()
            if not text.strip():
                continue
            lines.append(Line(tl.x0, tl.x1, top - tl.y1, top - tl.y0, text))
        self.result = _PageResult(
            number=self.pageno,
            lines=lines,
            hidden=_group_hidden(self.hidden),
            visible_chars=len(self.chars) + len(self.rotated),
            hidden_chars=len(self.hidden),
            images=self.images,
            ocr_chars=self.ocr_chars,
            rotated=_rotated_lines(self.rotated),
            undefined=self.undefined,
        )
        self.pageno += 1

    # -- backgrounds ----------------------------------------------------------------------------
    def paint_path(self, gstate: PDFGraphicState, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        if not fill or not path:
            return
        a, b, c, d, e, f = self.ctm
        xs: list[float] = []
        ys: list[float] = []
        for seg in path:
            coords = seg[1:]
            for i in range(0, len(coords) - 1, 2):
                x, y = coords[i], coords[i + 1]
                if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
                    continue
                xs.append(a * x + c * y + e)
                ys.append(b * x + d * y + f)
        if not xs:
            return
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        clip = getattr(gstate, "clip", None)
        if clip is not None:  # only the part inside the clipping path is painted
            x0, y0, x1, y1 = max(x0, clip[0]), max(y0, clip[1]), min(x1, clip[2]), min(y1, clip[3])
        if x1 - x0 < MIN_BACKGROUND or y1 - y0 < MIN_BACKGROUND:
            return
        rgb = to_rgb(gstate.ncs, gstate.ncolor)
        alpha = getattr(gstate, "fill_alpha", 1.0)
        if alpha < 0.5:
            return
        self.backgrounds.append((x0, y0, x1, y1, rgb if rgb is not None else _IMAGE))
        if rgb is not None and rgb not in self.bg_colors and len(self.bg_colors) < MAX_BG_COLORS:
            self.bg_colors.append(rgb)
            self._verdicts.clear()

    def render_image(self, name: str, stream: Any) -> None:
        fig = self.cur_item
        self.images += 1
        self.backgrounds.append((fig.x0, fig.y0, fig.x1, fig.y1, _IMAGE))

    def _background(self, x: float, y: float) -> Any:
        for x0, y0, x1, y1, color in reversed(self.backgrounds):
            if x0 <= x <= x1 and y0 <= y <= y1:
                return color
        return _WHITE

    # -- text -----------------------------------------------------------------------------------
    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        # Everything but the glyph's position is constant over one string: decide it once.
        mode = self.render_mode = textstate.render
        self._clip = getattr(graphicstate, "clip", None)
        self._string_reason: str | None = None
        self._slow = False
        self._verdict_rgb: tuple[float, float, float] | None = None
        (ta, tb, tc, td, _, _), (ca, cb, cc, cd, _, _) = textstate.matrix, self.ctm
        a, b, c, d = ta * ca + tb * cc, ta * cb + tb * cd, tc * ca + td * cc, tc * cb + td * cd
        squeezed = not b and not c and abs(a) < SQUEEZED * abs(d)  # glyphs flattened by the matrix
        if squeezed or abs(textstate.scaling) < SQUEEZED * 100:
            self._string_reason = "tiny_font"
        elif mode == 0 and getattr(graphicstate, "fill_alpha", 1.0) >= 1.0:
            color = graphicstate.ncolor
            key = (ncs.name, ncs.ncomponents, color)
            try:
                self._verdict_rgb = self._verdicts[key]
            except KeyError:
                self._verdict_rgb = self._verdicts[key] = self._verdict(to_rgb(ncs, color))
            except TypeError:  # unhashable colour value
                self._verdict_rgb = self._verdict(to_rgb(ncs, color))
        else:
            self._slow = True
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(
        self,
        matrix: Any,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            # WinAnsiEncoding draws a bullet for its unused codes (PDF 32000 Annex D); reportlab
            # and others write "•" as 0x7F. pdfminer leaves them undefined.
            if cid in _WINANSI_BULLETS and not font.is_multibyte():
                text = "•"
            else:
                text = ""
                self.undefined += 1
        item = LTChar(
            matrix, font, fontsize, scaling, rise, text,
            font.char_width(cid), font.char_disp(cid), ncs, graphicstate,
        )  # fmt: skip
        if not text:
            return item.adv
        # per glyph: only its position and size; the rest was decided per string
        vx0, vy0, vx1, vy1 = self.visible
        clip = self._clip
        reason: str | None
        if item.x1 < vx0 or item.x0 > vx1 or item.y1 < vy0 or item.y0 > vy1:
            reason = "off_page"
        elif clip is not None and (
            item.x1 < clip[0] - 1 or item.x0 > clip[2] + 1 or item.y1 < clip[1] - 1 or item.y0 > clip[3] + 1
        ):
            reason = "clipped"
        elif item.size < TINY_FONT_PT:
            reason = "tiny_font"
        elif self._string_reason is not None:
            reason = self._string_reason
        elif self._slow:
            reason = self._slow_reason(item, ncs, graphicstate)
        elif self._verdict_rgb is None:
            reason = None
        else:
            reason = self._color_reason(item, self._verdict_rgb)
        if reason is not None:
            self.hidden.append((reason, item))
        elif item.upright:
            self.chars.append(item)
        else:
            self.rotated.append(item)
        return item.adv

    def _verdict(self, rgb: tuple[float, float, float] | None) -> tuple[float, float, float] | None:
        """None: visible whatever is behind it; else the colour to compare with the background."""
        if rgb is None:
            return None
        if _same(rgb, _WHITE) or any(_same(rgb, c) for c in self.bg_colors):
            return rgb
        return None

    def _color_reason(self, item: LTChar, rgb: tuple[float, float, float]) -> str | None:
        bg = self._background((item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2)
        if bg == _IMAGE or not _same(rgb, bg):
            return None
        return "white_text" if _same(bg, _WHITE) else "background_color"

    def _slow_reason(self, item: LTChar, ncs: Any, gs: Any) -> str | None:
        mode = self.render_mode
        if mode == 3 or mode == 7:
            if self._background((item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2) == _IMAGE:
                self.ocr_chars += 1
                return None
            return "invisible_render_mode"
        stroke_only = mode in (1, 5)
        if getattr(gs, "fill_alpha", 1.0) <= 0.0 and not stroke_only:
            return "transparent"
        if stroke_only:
            rgb = to_rgb(gs.scs, gs.scolor)
        else:
            rgb = to_rgb(ncs, gs.ncolor)
        verdict = self._verdict(rgb)
        if verdict is None:
            return None
        reason = self._color_reason(item, verdict)
        if reason is not None and mode in (2, 6):  # fill + stroke: the stroke may still show
            if self._verdict(to_rgb(gs.scs, gs.scolor)) is None:
                return None
        return reason


def _group_hidden(hidden: list[tuple[str, LTChar]]) -> list[tuple[str, str]]:
    """Consecutive hidden glyphs (content order) with one reason -> one text fragment."""
    out: list[tuple[str, str]] = []
    reason: str | None = None
    buf: list[str] = []
    prev: LTChar | None = None
    for r, ch in hidden:
        same_line = prev is not None and abs(ch.y0 - prev.y0) < 0.5 * max(prev.height, 0.1)
        if r != reason or not same_line:  # one fragment per reason and visual line
            if buf:
                out.append((reason or "", "".join(buf)))
            reason, buf, prev = r, [], None
        if prev is not None:
            gap = ch.x0 - prev.x1
            if gap > 0.15 * max(ch.size, 0.1) or gap < -max(ch.size, 0.1):
                buf.append(" ")
        buf.append(ch.get_text())
        prev = ch
    if buf:
        out.append((reason or "", "".join(buf)))
    cleaned = []
    for r, t in out:
        t = " ".join(normalize_chars(t, soft_hyphen_is_hyphen=True).split())
        if t:
            cleaned.append((r, t))
    return cleaned


def _rotated_lines(chars: list[LTChar]) -> list[str]:
    """Rotated glyphs (vertical labels, diagonal stamps) in content order, split at jumps."""
    out: list[str] = []
    buf: list[str] = []
    prev: LTChar | None = None
    for ch in chars:
        if prev is not None:
            dx = abs((ch.x0 + ch.x1) - (prev.x0 + prev.x1)) / 2
            dy = abs((ch.y0 + ch.y1) - (prev.y0 + prev.y1)) / 2
            if dx + dy > 3 * max(prev.size, ch.size, 1.0):
                out.append("".join(buf))
                buf = []
        buf.append(ch.get_text())
        prev = ch
    if buf:
        out.append("".join(buf))
    return [" ".join(s.split()) for s in out if s.strip()]


# ---------------------------------------------------------------------------------------------
# decompression bomb guard
# ---------------------------------------------------------------------------------------------


_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FLATE = {b"FlateDecode", b"Fl"}
_A85 = {b"ASCII85Decode", b"A85"}
_AHX = {b"ASCIIHexDecode", b"AHx"}


def check_flate_budget(data: bytes, budget: int) -> tuple[int, int]:
    """Inflate every Flate stream once with a bounded inflater; raise past ``budget`` bytes.

    pdfminer inflates streams with an unbounded ``zlib.decompress``: a 20 MB upload can hold
    gigabytes. Each stream's ``/Filter`` chain is followed through ASCII85 / ASCIIHex (which
    can't grow data much) to its Flate layers; anything else (images, encrypted data, LZW) is
    skipped. Returns the total inflated size and how many streams failed to inflate (corrupt).
    """
    total = 0
    corrupt = 0
    pos = 0
    find = data.find
    while True:
        i = find(b"stream", pos)
        if i < 0:
            break
        pos = i + 6
        if data[i - 3 : i] == b"end":
            continue
        j = pos
        if data[j : j + 2] == b"\r\n":
            j += 2
        elif data[j : j + 1] in (b"\n", b"\r"):
            j += 1
        else:
            continue
        head = data[max(0, i - 2048) : i]
        k = max(head.rfind(b" obj"), head.rfind(b"\nobj"), head.rfind(b"\robj"))
        if k >= 0:
            head = head[k:]
        m = _FILTER.search(head)
        if not m:
            continue
        filters = re.findall(rb"/([A-Za-z0-9]+)", m.group(1))
        if not any(f in _FLATE for f in filters):
            continue
        end = -1
        lm = _LENGTH.search(head)
        if lm:
            n = int(lm.group(1))
            if data[j + n : j + n + 12].lstrip().startswith(b"endstream"):
                end = j + n
        if end < 0:
            end = find(b"endstream", j)
            if end < 0:
                end = len(data)
        size, ok = _decoded_size(data[j:end], filters, budget - total)
        total += size
        corrupt += not ok
        pos = end
    return total, corrupt


def _decoded_size(chunk: bytes, filters: list[bytes], remaining: int) -> tuple[int, bool]:
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    size = len(chunk)
    try:
        for f in filters:
            if f in _A85:
                chunk = ascii85decode(chunk)
            elif f in _AHX:
                chunk = asciihexdecode(chunk)
            elif f in _FLATE:
                chunk = _inflate(chunk, remaining)
            else:
                break  # not a text-bearing chain we can measure cheaply
            size = len(chunk)
    except (ValueError, TypeError, zlib.error):
        return size, False
    return size, True


def _inflate(chunk: bytes, remaining: int) -> bytes:
    """Inflate at most ``remaining`` bytes (else DocumentTooLarge); raises zlib.error when the
    data is corrupt before anything could be inflated."""
    d = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    buf: Any = chunk
    step = 8 << 20
    try:
        while True:
            out = d.decompress(buf, step)
            size += len(out)
            if size > remaining:
                raise DocumentTooLarge(
                    "PDF streams decompress past the decompressed-size limit (possible decompression bomb)"
                )
            parts.append(out)
            if not d.unconsumed_tail or d.eof:
                break
            buf = d.unconsumed_tail
    except zlib.error:
        if not size:
            raise
    return b"".join(parts)


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


def _page_count_hint(doc: PDFDocument) -> int | None:
    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        return count if isinstance(count, int) and not isinstance(count, bool) else None
    except Exception:
        return None


def _iter_pages(doc: PDFDocument, limits: ReadLimits) -> list[PDFPage]:
    hint = _page_count_hint(doc)
    if hint is not None and hint > limits.max_pages:
        raise DocumentTooLarge(f"PDF has {hint} pages; the limit is {limits.max_pages}")
    pages = list(islice(PDFPage.create_pages(doc), limits.max_pages + 1))
    if len(pages) > limits.max_pages:
        raise DocumentTooLarge(f"PDF has more than {limits.max_pages} pages (the limit)")
    return pages


def _read_pages(data: bytes, limits: ReadLimits) -> Iterator[_PageResult]:
    parser = PDFParser(io.BytesIO(data))
    doc = PDFDocument(parser, password="")
    pages = _iter_pages(doc, limits)
    rsrcmgr = PDFResourceManager(caching=True)
    device = _Device(rsrcmgr)
    interpreter = _Interpreter(rsrcmgr, device)
    for page in pages:
        interpreter.process_page(page)
        assert device.result is not None
        yield device.result
        device.result = None


def read_pdf(data: bytes, limits: ReadLimits) -> Document:
    """Read PDF bytes (leading junk before ``%PDF-`` allowed) into a Document."""
    start = data.find(b"%PDF-", 0, 1024 + 5)
    if start > 0:
        data = data[start:]
    _, corrupt = check_flate_budget(data, limits.max_decompressed_bytes)
    results: list[_PageResult] = []
    chars = 0
    try:
        for res in _read_pages(data, limits):
            results.append(res)
            chars += res.visible_chars
            if chars > limits.max_chars:
                raise DocumentTooLarge(f"PDF text is over {limits.max_chars} characters")
    except DocumentError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(ENCRYPTED_MESSAGE) from exc
    except (PSException, RecursionError) as exc:
        log.info("unreadable PDF", exc_info=True)
        raise UnreadableDocument(f"corrupt or truncated PDF ({type(exc).__name__}: {exc})"[:300]) from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises plain Python errors on bad input too
        log.info("unreadable PDF", exc_info=True)
        raise UnreadableDocument(f"unreadable PDF ({type(exc).__name__}: {exc})"[:300]) from exc
    if not results:
        raise UnreadableDocument("PDF has no pages")
    return _assemble(results, limits, corrupt_streams=corrupt)


_REASON_TEXT = {
    "white_text": "white text",
    "background_color": "text in its background's colour",
    "tiny_font": f"text under {TINY_FONT_PT:g} pt",
    "off_page": "text outside the page",
    "invisible_render_mode": "invisible text (rendering mode 3)",
    "transparent": "fully transparent text",
    "clipped": "text clipped away",
}


def _assemble(results: list[_PageResult], limits: ReadLimits, *, corrupt_streams: int = 0) -> Document:
    total_visible = sum(r.visible_chars for r in results)
    total_hidden = sum(r.hidden_chars for r in results)
    if total_visible == 0 and total_hidden == 0:
        if any(r.undefined for r in results):
            raise NoTextLayer(NO_UNICODE_MESSAGE)
        if corrupt_streams and not any(r.images for r in results):
            raise UnreadableDocument(f"corrupt PDF: {corrupt_streams} compressed stream(s) can't be inflated")
        raise NoTextLayer(NO_TEXT_MESSAGE)

    warnings: list[str] = []
    hidden: list[HiddenText] = []
    by_reason: dict[str, list[int]] = {}
    for r in results:
        for reason, text in r.hidden:
            hidden.append(HiddenText(text=text, reason=reason, page=r.number))
            pages = by_reason.setdefault(reason, [])
            if r.number not in pages:
                pages.append(r.number)
    for reason, pages in by_reason.items():
        n = sum(1 for h in hidden if h.reason == reason)
        warnings.append(
            f"ignored {n} hidden text fragment(s) ({_REASON_TEXT.get(reason, reason)}) "
            f"on page(s) {', '.join(map(str, pages))}"
        )
    if total_visible == 0:
        raise EmptyDocument(
            f"no visible text: all text in this PDF is hidden ({', '.join(sorted(by_reason))})"
        )

    # page blocks -> normalized lines
    page_blocks: list[list[list[str]]] = []
    for r in results:
        blocks = order_lines(r.lines)
        if r.rotated:
            blocks.append(r.rotated)
        page_blocks.append(
            [[normalize_chars(x, soft_hyphen_is_hyphen=True) for x in b] for b in blocks]
        )
    words, compounds = vocabulary(b for blocks in page_blocks for b in blocks)

    parts: list[str] = []
    pages: list[Page] = []
    pos = 0
    for r, blocks in zip(results, page_blocks, strict=True):
        out_blocks = []
        for b in blocks:
            lines = [clean_line(x) for x in b]
            lines = join_hyphenated(lines, words, compounds)
            lines = [x for x in lines if x]
            if lines:
                out_blocks.append("\n".join(lines))
        text = "\n\n".join(out_blocks)
        if parts and text:
            pos += 2  # the blank line between pages
        pages.append(Page(number=r.number, start=pos, end=pos + len(text)))
        if text:
            parts.append(text)
            pos += len(text)
    full = "\n\n".join(parts)
    if len(full) > limits.max_chars:
        raise DocumentTooLarge(f"PDF text is over {limits.max_chars} characters")

    ocr = sum(r.ocr_chars for r in results)
    if ocr:
        warnings.append(f"text read from an OCR layer (invisible text over a scanned image, {ocr} chars)")
    rotated = [r.number for r in results if r.rotated]
    if rotated:
        warnings.append(f"rotated text placed at the end of page(s) {', '.join(map(str, rotated))}")
    undefined = sum(r.undefined for r in results)
    if undefined:
        warnings.append(f"dropped {undefined} glyph(s) with no Unicode mapping")
    empty = [r.number for r, p in zip(results, pages, strict=True) if p.start == p.end]
    if empty and len(empty) < len(results):
        warnings.append(f"no visible text on page(s) {', '.join(map(str, empty))}")
    if not full.strip():
        raise EmptyDocument("no visible text in this PDF")
    return Document(
        text=full, format="pdf", pages=tuple(pages), hidden=tuple(hidden), warnings=tuple(warnings)
    )
