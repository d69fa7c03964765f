"""DOCX bytes -> Document, reading the WordprocessingML parts directly with lxml.

Order of the text: header parts (deduplicated), the body in document order (paragraphs, tables
with nested tables, content controls, text boxes), footnotes and endnotes, footer parts.

* One paragraph -> one line (``w:br``/``w:cr`` start a new line; ``w:tab`` and runs of three or
  more spaces become one tab, the same "far-apart fragments" separator as in PDFs). List
  paragraphs get a ``•`` (bullet formats) or ``1.``-style prefix, as Word draws them.
* Tables: a row whose cells hold one line each becomes one line, cells joined by tabs. A row
  with one multi-line cell keeps its one-line cells (a date, a label) on that cell's first
  line. Rows with several multi-line cells (layout tables: sidebar + main column) give each
  cell as its own block, left to right.
* Text boxes (``w:txbxContent``) come as blocks after the paragraph that anchors them; of an
  ``mc:AlternateContent`` only the first ``mc:Choice`` is read (the ``mc:Fallback`` repeats it).
* Tracked deletions, moved-from text, field instructions and comments are not text.

Hidden text (never in ``Document.text``; reported in ``Document.hidden`` / ``warnings``), with run
properties resolved through document defaults, paragraph and character styles (``basedOn``
chains) and direct formatting:

* ``hidden_property``: ``w:vanish`` (Word's "Hidden" font effect), or a drawing whose
  ``wp:docPr`` is ``hidden``.
* ``white_text`` / ``background_color``: the run colour equals what's behind it: run shading or
  highlight, else paragraph shading, else table-cell shading, else the text box fill, else the
  page background (``w:background``), else white. ``auto`` colour is always visible.
* ``tiny_font``: ``w:sz`` under 4 half-points (2 pt), as in the PDF reader.

Zip-bomb guard: the uncompressed sizes declared in the zip directory are summed and checked
against ``max_decompressed_bytes`` before any part is read (``zipfile`` never returns more than
the declared size of an entry).
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..errors import DocumentError, DocumentTooLarge, EmptyDocument, EncryptedDocument, UnreadableDocument
from ..types import Document, HiddenText
from ..text import SYMBOL_FONT_BULLETS
from .limits import ReadLimits
from .normalize import join_blocks, normalize_chars

log = logging.getLogger(__name__)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"

MAX_ENTRIES = 5000
_SPACE_RUN = re.compile(r" {3,}")
TINY_HALF_POINTS = 4
COLOR_TOLERANCE = 18  # per channel, 0..255 (same ~7 % as the PDF reader)

def _xml_parser() -> Any:
    """A hardened parser (no entity expansion, no DTD or network access, size limits on);
    one per document, since lxml parser objects shouldn't be shared between threads."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )  # fmt: skip

_HIGHLIGHT = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
    "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080",
    "darkCyan": "008080", "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000",
    "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip

#: w:sym codes (hex) of the Symbol / Wingdings bullets -> the glyph they show.
_SYMBOL_BULLETS = {f"{ord(k):04X}": v for k, v in SYMBOL_FONT_BULLETS.items()}


class _Ns:
    """Clark-notation tag names for the transitional or the strict WordprocessingML namespace."""

    def __init__(self, w: str) -> None:
        self.w = w
        for name in (
            "body", "p", "r", "t", "tab", "br", "cr", "tbl", "tr", "tc", "sdt", "sdtContent",
            "customXml", "smartTag", "hyperlink", "ins", "del", "moveFrom", "moveTo", "fldSimple",
            "rPr", "pPr", "vanish", "color", "sz", "shd", "highlight", "rStyle", "pStyle",
            "numPr", "numId", "ilvl", "style", "basedOn", "docDefaults", "rPrDefault",
            "txbxContent", "noBreakHyphen", "softHyphen", "sym", "tcPr", "background",
            "abstractNum", "abstractNumId", "lvl", "numFmt", "num", "footnote", "endnote",
            "headerReference", "footerReference", "sectPr", "altChunk", "bdo", "dir", "drawing",
            "pict", "object", "specVanish", "delText", "instrText", "ptab", "lastRenderedPageBreak",
            "tblPr", "tblStyle", "lvlText", "start",
        ):  # fmt: skip
            setattr(self, name, f"{{{w}}}{name}")
        self.val = f"{{{w}}}val"
        self.fill = f"{{{w}}}fill"
        self.type = f"{{{w}}}type"
        self.id = f"{{{w}}}id"
        self.char = f"{{{w}}}char"
        self.styleId = f"{{{w}}}styleId"


_MC_ALT = f"{{{MC_NS}}}AlternateContent"
_MC_CHOICE = f"{{{MC_NS}}}Choice"
_MC_FALLBACK = f"{{{MC_NS}}}Fallback"
_WP_DOCPR = f"{{{WP_NS}}}docPr"


# ---------------------------------------------------------------------------------------------
# run properties
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Props:
    vanish: bool | None = None
    color: str | None = None  # "RRGGBB" or "auto"
    sz: int | None = None
    shade: str | None = None  # run background "RRGGBB"

    def over(self, base: _Props) -> _Props:
        return _Props(
            vanish=self.vanish if self.vanish is not None else base.vanish,
            color=self.color if self.color is not None else base.color,
            sz=self.sz if self.sz is not None else base.sz,
            shade=self.shade if self.shade is not None else base.shade,
        )


_EMPTY = _Props()


def _on(el: Any, ns: _Ns) -> bool:
    v = el.get(ns.val)
    return v is None or v.lower() not in ("0", "false", "off")


def _hex(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip()
    if v.lower() == "auto":
        return "auto"
    if len(v) == 6:
        try:
            int(v, 16)
            return v.upper()
        except ValueError:
            return None
    return None


def _rpr_props(rpr: Any, ns: _Ns) -> _Props:
    if rpr is None:
        return _EMPTY
    vanish = color = sz = shade = None
    for child in rpr:
        tag = child.tag
        if tag == ns.vanish or tag == ns.specVanish:
            vanish = _on(child, ns)
        elif tag == ns.color:
            color = _hex(child.get(ns.val))
        elif tag == ns.sz:
            try:
                sz = int(float(child.get(ns.val, "")))
            except ValueError:
                pass
        elif tag == ns.shd:
            fill = _hex(child.get(ns.fill))
            if fill and fill != "auto":
                shade = fill
        elif tag == ns.highlight:
            val = child.get(ns.val, "")
            if val in _HIGHLIGHT:
                shade = _HIGHLIGHT[val]
    return _Props(vanish, color, sz, shade)


def _rgb(h: str) -> tuple[int, int, int]:
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _same_color(a: str, b: str) -> bool:
    ra, rb = _rgb(a), _rgb(b)
    return all(abs(x - y) <= COLOR_TOLERANCE for x, y in zip(ra, rb, strict=True))


@dataclass
class _Styles:
    default: _Props = _EMPTY
    props: dict[str, _Props] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    para_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # style -> (numId, ilvl)
    para_shade: dict[str, str] = field(default_factory=dict)  # paragraph style -> shading fill
    default_para: str | None = None

    def _chain(self, style_id: str | None) -> Iterator[str]:
        """The style and the ones it is based on, nearest first (a cycle or a chain past 50 ends it)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < 50:
            seen.add(style_id)
            yield style_id
            style_id = self.based_on.get(style_id)

    def resolve(self, style_id: str | None) -> _Props:
        out = _EMPTY
        for sid in self._chain(style_id):
            out = out.over(self.props.get(sid, _EMPTY))
        return out

    def shading(self, style_id: str | None) -> str | None:
        return next((self.para_shade[sid] for sid in self._chain(style_id) if sid in self.para_shade), None)

    def numbering(self, style_id: str | None) -> tuple[str, int] | None:
        return next((self.para_num[sid] for sid in self._chain(style_id) if sid in self.para_num), None)


def _parse_styles(root: Any, ns: _Ns) -> _Styles:
    st = _Styles()
    if root is None:
        return st
    dd = root.find(ns.docDefaults)
    if dd is not None:
        rd = dd.find(ns.rPrDefault)
        if rd is not None:
            st.default = _rpr_props(rd.find(ns.rPr), ns)
    for s in root.iter(ns.style):
        sid = s.get(ns.styleId)
        if not sid:
            continue
        st.props[sid] = _rpr_props(s.find(ns.rPr), ns)
        b = s.find(ns.basedOn)
        if b is not None and b.get(ns.val):
            st.based_on[sid] = b.get(ns.val)
        ppr = s.find(ns.pPr)
        if ppr is not None:
            num = ppr.find(ns.numPr)
            if num is not None:
                nid = num.find(ns.numId)
                lvl = num.find(ns.ilvl)
                if nid is not None and nid.get(ns.val):
                    st.para_num[sid] = (nid.get(ns.val), _int(lvl.get(ns.val) if lvl is not None else "0"))
            shd = ppr.find(ns.shd)
            if shd is not None:
                fill = _hex(shd.get(ns.fill))
                if fill and fill != "auto":
                    st.para_shade[sid] = fill
        if s.get(ns.type) == "paragraph" and s.get(f"{{{ns.w}}}default") in ("1", "true"):
            st.default_para = sid
    return st


def _int(v: str | None, default: int = 0) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


@dataclass
class _Numbering:
    formats: dict[tuple[str, int], str] = field(default_factory=dict)  # (numId, ilvl) -> numFmt
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def prefix(self, num_id: str, ilvl: int) -> str:
        if num_id == "0":
            return ""
        fmt = self.formats.get((num_id, ilvl), "bullet")
        if fmt in ("bullet", "none", ""):
            return "• " if fmt == "bullet" else ""
        key = (num_id, ilvl)
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        for k in list(self.counters):  # a new item resets deeper levels
            if k[0] == num_id and k[1] > ilvl:
                del self.counters[k]
        if fmt in ("lowerLetter", "upperLetter"):
            s = chr(ord("a") + (n - 1) % 26)
            return f"{s.upper() if fmt == 'upperLetter' else s}. "
        return f"{n}. "


def _parse_numbering(root: Any, ns: _Ns) -> _Numbering:
    nb = _Numbering()
    if root is None:
        return nb
    abstract: dict[str, dict[int, str]] = {}
    for a in root.iter(ns.abstractNum):
        aid = a.get(f"{{{ns.w}}}abstractNumId")
        levels: dict[int, str] = {}
        for lvl in a.iter(ns.lvl):
            fmt = lvl.find(ns.numFmt)
            levels[_int(lvl.get(f"{{{ns.w}}}ilvl"))] = fmt.get(ns.val, "") if fmt is not None else "decimal"
        if aid is not None:
            abstract[aid] = levels
    for n in root.iter(ns.num):
        nid = n.get(f"{{{ns.w}}}numId")
        ref = n.find(ns.abstractNumId)
        if nid is None or ref is None:
            continue
        for ilvl, fmt in abstract.get(ref.get(ns.val, ""), {}).items():
            nb.formats[(nid, ilvl)] = fmt
    return nb


# ---------------------------------------------------------------------------------------------
# the walker
# ---------------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    """Inherited state while walking: background colour behind the text, hidden drawing."""

    background: str | None = None  # "RRGGBB"; None = unknown non-white (never compare)
    hidden: bool = False


@dataclass
class _Out:
    """What a paragraph's runs give while walking: the visible text, the (reason, text) pieces a
    reader can't see, and the blocks of the text boxes anchored in it."""

    parts: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)
    boxes: list[list[str]] = field(default_factory=list)


class _Reader:
    def __init__(self, ns: _Ns, styles: _Styles, numbering: _Numbering, page_bg: str) -> None:
        self.ns = ns
        self.styles = styles
        self.numbering = numbering
        self.page_bg = page_bg
        self.hidden: list[HiddenText] = []
        self.alt_chunks = 0

    # -- blocks -------------------------------------------------------------------------------
    def blocks(self, container: Any, ctx: _Ctx) -> list[list[str]]:
        """Block-level content -> list of blocks (each a list of lines)."""
        out: list[list[str]] = [[]]
        for el in self._block_children(container):
            tag = el.tag
            if tag == self.ns.p:
                lines, extra = self.paragraph(el, ctx)
                out[-1].extend(lines)
                if extra:
                    out.extend(extra)
                    out.append([])
            elif tag == self.ns.tbl:
                out.extend(self.table(el, ctx))
                out.append([])
            elif tag == self.ns.altChunk:
                self.alt_chunks += 1
        return [b for b in out if any(x.strip() for x in b)]

    def _block_children(self, container: Any) -> Iterator[Any]:
        ns = self.ns
        for el in container:
            tag = el.tag
            if tag in (ns.p, ns.tbl, ns.altChunk):
                yield el
            elif tag == ns.sdt:
                content = el.find(ns.sdtContent)
                if content is not None:
                    yield from self._block_children(content)
            elif tag in (ns.customXml, ns.ins, ns.moveTo):
                yield from self._block_children(el)
            elif tag == _MC_ALT:
                branch = _choose_branch(el)
                if branch is not None:
                    yield from self._block_children(branch)

    # -- tables -------------------------------------------------------------------------------
    def table(self, tbl: Any, ctx: _Ctx) -> list[list[str]]:
        ns = self.ns
        blocks: list[list[str]] = [[]]
        # A table style can shade cells (and colour their text) without any direct formatting:
        # behind the text of a styled table the background is unknown, so colour isn't judged.
        tblpr = tbl.find(ns.tblPr)
        tstyle = tblpr.find(ns.tblStyle) if tblpr is not None else None
        if tstyle is not None and tstyle.get(ns.val) not in (None, "TableNormal", "TableGrid", "NormalTable"):
            ctx = _Ctx(background=None, hidden=ctx.hidden)
        for tr in self._rows(tbl):
            cells: list[list[list[str]]] = []
            for tc in self._cells(tr):
                cctx = ctx
                tcpr = tc.find(ns.tcPr)
                if tcpr is not None:
                    shd = tcpr.find(ns.shd)
                    if shd is not None:
                        fill = _hex(shd.get(ns.fill))
                        if fill and fill != "auto":
                            cctx = _Ctx(background=fill, hidden=ctx.hidden)
                cells.append(self.blocks(tc, cctx))
            flat = [[ln for b in c for ln in b] for c in cells]
            flat = [c for c in flat if any(x.strip() for x in c)]
            if not flat:
                continue
            multi = [c for c in flat if len(c) > 1]
            if not multi:
                blocks[-1].append("\t".join(c[0] for c in flat))
            elif len(multi) == 1:
                big = multi[0]
                i = flat.index(big)
                first = "\t".join([c[0] for c in flat[:i]] + [big[0]] + [c[0] for c in flat[i + 1 :]])
                blocks[-1].append(first)
                blocks[-1].extend(big[1:])
            else:
                for c in cells:
                    blocks.append([])
                    for b in c:
                        blocks.append(list(b))
                blocks.append([])
        return [b for b in blocks if b]

    def _unwrapped(self, parent: Any, tag: str) -> Iterator[Any]:
        """Children of ``parent`` with ``tag``, looking through content controls / custom XML."""
        ns = self.ns
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag in (ns.sdt, ns.customXml):
                inner = el.find(ns.sdtContent) if el.tag == ns.sdt else el
                if inner is not None:
                    yield from self._unwrapped(inner, tag)

    def _rows(self, tbl: Any) -> Iterator[Any]:
        return self._unwrapped(tbl, self.ns.tr)

    def _cells(self, tr: Any) -> Iterator[Any]:
        return self._unwrapped(tr, self.ns.tc)

    # -- paragraphs ---------------------------------------------------------------------------
    def paragraph(self, p: Any, ctx: _Ctx) -> tuple[list[str], list[list[str]]]:
        ns = self.ns
        ppr = p.find(ns.pPr)
        pstyle = None
        bg = ctx.background
        num: tuple[str, int] | None = None
        if ppr is not None:
            ps = ppr.find(ns.pStyle)
            if ps is not None:
                pstyle = ps.get(ns.val)
            shd = ppr.find(ns.shd)
            if shd is not None:
                fill = _hex(shd.get(ns.fill))
                if fill and fill != "auto":
                    bg = fill
            np_ = ppr.find(ns.numPr)
            if np_ is not None:
                nid = np_.find(ns.numId)
                lvl = np_.find(ns.ilvl)
                if nid is not None and nid.get(ns.val) is not None:
                    num = (nid.get(ns.val), _int(lvl.get(ns.val) if lvl is not None else "0"))
        if pstyle is None:
            pstyle = self.styles.default_para
        if ppr is None or ppr.find(ns.shd) is None:
            style_fill = self.styles.shading(pstyle)
            if style_fill:
                bg = style_fill
        if num is None:
            num = self.styles.numbering(pstyle)
        base = self.styles.resolve(pstyle).over(self.styles.default)
        pctx = _Ctx(background=bg, hidden=ctx.hidden)

        out = _Out()
        self._inline(p, base, pctx, out)
        # spaces typed to push a date to the right margin are a gap, like a tab
        text = _SPACE_RUN.sub("\t", normalize_chars("".join(out.parts)))
        lines = text.split("\n")
        if num is not None and any(x.strip() for x in lines):
            prefix = self.numbering.prefix(*num)
            if prefix:
                lines[0] = prefix + lines[0].lstrip()
        self._flush_hidden(out.hidden)
        return lines, out.boxes

    def _flush_hidden(self, parts: list[tuple[str, str]]) -> None:
        reason: str | None = None
        buf: list[str] = []
        for r, t in parts + [("", "")]:
            if r != reason:
                text = " ".join(normalize_chars("".join(buf)).split())
                if text and reason:
                    self.hidden.append(HiddenText(text=text, reason=reason, page=None))
                reason, buf = r, []
            buf.append(t)

    def _inline(self, el: Any, base: _Props, ctx: _Ctx, out: _Out) -> None:
        ns = self.ns
        for child in el:
            tag = child.tag
            if tag == ns.r:
                self._run(child, base, ctx, out)
            elif tag in (ns.hyperlink, ns.ins, ns.moveTo, ns.smartTag, ns.customXml, ns.fldSimple,
                         ns.bdo, ns.dir):  # fmt: skip
                self._inline(child, base, ctx, out)
            elif tag == ns.sdt:
                content = child.find(ns.sdtContent)
                if content is not None:
                    self._inline(content, base, ctx, out)
            elif tag == _MC_ALT:
                branch = _choose_branch(child)
                if branch is not None:
                    self._inline(branch, base, ctx, out)
            # w:del, w:moveFrom, w:pPr, bookmarks, proofing marks: no visible text

    def _run(self, r: Any, base: _Props, ctx: _Ctx, out: _Out) -> None:
        ns = self.ns
        rpr = r.find(ns.rPr)
        props = base
        if rpr is not None:
            rs = rpr.find(ns.rStyle)
            if rs is not None:
                props = self.styles.resolve(rs.get(ns.val)).over(props)
            props = _rpr_props(rpr, ns).over(props)
        reason = self._hidden_reason(props, ctx)
        buf: list[str] = []
        for child in r:
            tag = child.tag
            if tag == ns.t:
                buf.append(child.text or "")
            elif tag == ns.tab or tag == ns.ptab:
                buf.append("\t")
            elif tag == ns.br or tag == ns.cr:
                buf.append("\n")
            elif tag == ns.noBreakHyphen:
                buf.append("-")
            elif tag == ns.sym:
                code = (child.get(ns.char) or "").upper()
                if code in _SYMBOL_BULLETS:
                    buf.append(_SYMBOL_BULLETS[code])
            elif tag in (ns.drawing, ns.pict, ns.object, _MC_ALT):
                self._drawing(child, ctx, out.boxes)
        text = "".join(buf)
        if not text:
            return
        if reason is None:
            out.parts.append(text)
        else:
            out.hidden.append((reason, text))
            # keep the line structure of the visible text
            out.parts.append("\n" * text.count("\n"))

    def _hidden_reason(self, props: _Props, ctx: _Ctx) -> str | None:
        if ctx.hidden or props.vanish:
            return "hidden_property"
        if props.sz is not None and props.sz < TINY_HALF_POINTS:
            return "tiny_font"
        color = props.color
        if color and color != "auto":
            bg = props.shade or ctx.background
            if bg is None:
                return None
            if _same_color(color, bg):
                return "white_text" if _same_color(bg, "FFFFFF") else "background_color"
        return None

    # -- text boxes -----------------------------------------------------------------------------
    def _drawing(self, el: Any, ctx: _Ctx, boxes: list[list[str]]) -> None:
        if el.tag == _MC_ALT:
            el = _choose_branch(el)
            if el is None:
                return
        hidden = ctx.hidden
        for docpr in el.iter(_WP_DOCPR):
            if docpr.get("hidden", "").lower() in ("1", "true"):
                hidden = True
        for box, fill in _text_boxes(el, self.ns):
            bg = ctx.background if fill == "" else fill
            for b in self.blocks(box, _Ctx(background=bg, hidden=hidden)):
                boxes.append(b)


def _choose_branch(alt: Any) -> Any:
    """The first ``mc:Choice`` of an ``mc:AlternateContent`` (else its ``mc:Fallback``)."""
    for child in alt:
        if child.tag == _MC_CHOICE:
            return child
    for child in alt:
        if child.tag == _MC_FALLBACK:
            return child
    return None


def _text_boxes(el: Any, ns: _Ns) -> Iterator[tuple[Any, str | None]]:
    """Outermost ``w:txbxContent`` under ``el`` (nested ones are read with their box), with the
    shape's fill: "" = none / unknown-transparent, None = a fill we can't compare, or RRGGBB."""

    def walk(node: Any, fill: str) -> Iterator[tuple[Any, str | None]]:
        for child in node:  # a DrawingML shape's fill sits beside its text box, in spPr
            if isinstance(child.tag, str) and child.tag.endswith("}spPr"):
                fill = _drawingml_fill(child) or fill
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == ns.txbxContent:
                yield child, fill
                continue
            if tag == _MC_ALT:
                branch = _choose_branch(child)
                if branch is not None:
                    yield from walk(branch, fill)
                continue
            f = fill
            if tag.startswith(f"{{{V_NS}}}"):
                f = _vml_fill(child) or fill
            yield from walk(child, f)

    for node, fill in walk(el, ""):
        yield node, (None if fill == "?" else fill)


_SCHEME = {"lt1": "FFFFFF", "bg1": "FFFFFF", "dk1": "000000", "tx1": "000000"}


def _drawingml_fill(sppr: Any) -> str:
    """"" = no fill (see-through), "?" = a fill we can't compare, else RRGGBB."""
    for child in sppr:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{A_NS}}}noFill":
            return ""
        if tag == f"{{{A_NS}}}solidFill":
            clr = child.find(f"{{{A_NS}}}srgbClr")
            if clr is not None:
                return _hex(clr.get("val")) or "?"
            scheme = child.find(f"{{{A_NS}}}schemeClr")
            if scheme is not None:
                return _SCHEME.get(scheme.get("val", ""), "?")
            return "?"
        if tag in (f"{{{A_NS}}}gradFill", f"{{{A_NS}}}blipFill", f"{{{A_NS}}}pattFill"):
            return "?"
    return ""


def _vml_fill(shape: Any) -> str:
    if shape.get("filled", "t").lower() in ("f", "false"):
        return ""
    color = shape.get("fillcolor")
    if not color:
        return ""
    color = color.split()[0].lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    named = {"white": "FFFFFF", "black": "000000"}
    color = named.get(color.lower(), color)
    return _hex(color) or "?"


# ---------------------------------------------------------------------------------------------
# package access
# ---------------------------------------------------------------------------------------------


class _Package:
    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise UnreadableDocument(f"corrupt DOCX (ZIP) file ({type(exc).__name__}: {exc})"[:300]) from exc
        if len(infos) > MAX_ENTRIES:
            raise DocumentTooLarge(f"DOCX has {len(infos)} parts; the limit is {MAX_ENTRIES}")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_decompressed_bytes:
            raise DocumentTooLarge(
                f"DOCX declares {declared} bytes uncompressed; the limit is {limits.max_decompressed_bytes}"
                " (possible zip bomb)"
            )
        if any(i.flag_bits & 0x1 for i in infos):
            raise EncryptedDocument("password-protected (encrypted ZIP) document: remove the password and upload again")
        self.names = {i.filename for i in infos}
        self.budget = limits.max_decompressed_bytes
        self.parser = _xml_parser()

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        with self.zf.open(name) as fh:
            data = fh.read(self.budget + 1)
        self.budget -= len(data)
        if self.budget < 0:
            raise DocumentTooLarge("DOCX parts inflate past the decompressed-size limit")
        return data

    def xml(self, name: str) -> Any:
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as exc:
            if "Resource limit exceeded" in str(exc):  # libxml2: a text node over 10 MB
                raise DocumentTooLarge(f"DOCX part {name} is past the XML parser's limits ({exc})"[:300]) from exc
            raise UnreadableDocument(f"malformed XML in DOCX part {name} ({exc})"[:300]) from exc

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (relationship type, target part name) for ``part``."""
        d, base = posixpath.split(part)
        root = self.xml(posixpath.join(d, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(d, target))
            out[rel.get("Id") or ""] = (rel.get("Type") or "", name)
        return out


def _main_part(pkg: _Package) -> str:
    root = pkg.xml("_rels/.rels")
    if root is not None:
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                target = (rel.get("Target") or "").lstrip("/")
                if target in pkg.names:
                    return target
    return "word/document.xml"


def read_docx(data: bytes, limits: ReadLimits) -> Document:
    try:
        return _read_docx(data, limits)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError,
            KeyError, etree.LxmlError) as exc:  # fmt: skip
        log.info("unreadable DOCX", exc_info=True)
        raise UnreadableDocument(f"corrupt DOCX file ({type(exc).__name__}: {exc})"[:300]) from exc
    except RecursionError as exc:
        raise UnreadableDocument("DOCX structure nested too deeply") from exc


def _read_docx(data: bytes, limits: ReadLimits) -> Document:
    pkg = _Package(data, limits)
    main = _main_part(pkg)
    root = pkg.xml(main)
    if root is None:
        raise UnreadableDocument("damaged DOCX: the main document part is missing")
    w = W_STRICT_NS if root.tag.startswith(f"{{{W_STRICT_NS}}}") else W_NS
    ns = _Ns(w)
    body = root.find(ns.body)
    if body is None:
        raise UnreadableDocument("damaged DOCX: the document has no body")
    rels = pkg.rels(main)

    def part_of(kind: str) -> Any:
        for rtype, name in rels.values():
            if rtype.endswith("/" + kind):
                return pkg.xml(name)
        return None

    styles = _parse_styles(part_of("styles"), ns)
    numbering = _parse_numbering(part_of("numbering"), ns)
    page_bg = "FFFFFF"
    bg_el = root.find(ns.background)
    if bg_el is not None:
        c = _hex(bg_el.get(f"{{{w}}}color"))
        if c and c != "auto":
            page_bg = c
    reader = _Reader(ns, styles, numbering, page_bg)
    ctx = _Ctx(background=page_bg)

    headers, footers = _header_footer_parts(root, ns, rels)
    header_blocks = _parts_blocks(pkg, _unique(headers), reader, ctx)
    body_blocks = reader.blocks(body, ctx)
    notes: list[list[str]] = []
    for kind, tag in (("footnotes", ns.footnote), ("endnotes", ns.endnote)):
        notes_root = part_of(kind)
        if notes_root is None:
            continue
        for note in notes_root.iter(tag):
            if note.get(ns.type) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            notes.extend(reader.blocks(note, ctx))
    footer_blocks = _parts_blocks(pkg, _unique(footers), reader, ctx)

    seen_hf: set[str] = set()
    blocks: list[list[str]] = []
    for group in (header_blocks, body_blocks, notes, footer_blocks):
        for b in group:
            key = "\n".join(b).strip()
            if group is header_blocks or group is footer_blocks:
                if key in seen_hf:
                    continue
                seen_hf.add(key)
            blocks.append(b)
    text = join_blocks(blocks)
    if len(text) > limits.max_chars:
        raise DocumentTooLarge(f"DOCX text is over {limits.max_chars} characters")

    by_reason: dict[str, int] = {}
    for h in reader.hidden:
        by_reason[h.reason] = by_reason.get(h.reason, 0) + 1
    if not text.strip():
        if reader.hidden:
            raise EmptyDocument(f"no visible text: all text in this DOCX is hidden ({', '.join(sorted(by_reason))})")
        raise EmptyDocument("the DOCX holds no text")
    warnings = _hidden_warnings(by_reason, reader.alt_chunks)
    return Document(text=text, format="docx", hidden=tuple(reader.hidden), warnings=tuple(warnings))


def _header_footer_parts(root: Any, ns: _Ns, rels: dict) -> tuple[list[str], list[str]]:
    """The header and footer parts the section properties reference, in order."""
    headers: list[str] = []
    footers: list[str] = []
    r_id = f"{{{R_STRICT_NS if ns.w == W_STRICT_NS else R_NS}}}id"
    for sect in root.iter(ns.sectPr):
        for ref in sect:
            if ref.tag not in (ns.headerReference, ns.footerReference):
                continue
            target = rels.get(ref.get(r_id) or "")
            if target is None:
                continue
            (headers if ref.tag == ns.headerReference else footers).append(target[1])
    return headers, footers


_HIDDEN_REASONS = {
    "hidden_property": "Word's hidden-text property",
    "white_text": "white text",
    "background_color": "text in its background's colour",
    "tiny_font": "text under 2 pt",
}


def _hidden_warnings(by_reason: dict[str, int], alt_chunks: int) -> list[str]:
    """What the reader left out and says so: hidden text by reason, embedded chunks."""
    warnings = [
        f"ignored {n} hidden text fragment(s) ({_HIDDEN_REASONS.get(reason, reason)})"
        for reason, n in by_reason.items()
    ]
    if alt_chunks:
        warnings.append(f"{alt_chunks} embedded document chunk(s) (altChunk) not read")
    return warnings


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def _parts_blocks(pkg: _Package, names: list[str], reader: _Reader, ctx: _Ctx) -> list[list[str]]:
    blocks: list[list[str]] = []
    for name in names:
        part = pkg.xml(name)
        if part is None:
            continue
        blocks.extend(reader.blocks(part, ctx))
    return blocks
