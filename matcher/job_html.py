"""HTML job postings -> line-structured text (a step of ``job_input``): detection of HTML and
entity-escaped HTML, and the conversion, by libxml2 (``lxml``) with ``huge_tree`` off and one
``iterwalk`` pass with an explicit stack (no recursion, linear in the input). See
:mod:`matcher.job_input` for what each element becomes."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from .documents.normalize import normalize_chars
from .errors import RoleError

__all__ = ["html_to_text", "looks_like_escaped_html", "looks_like_html", "unescaped_markup"]

#: Element names that make a text HTML when they appear as tags (unknown names never count).
HTML_TAGS = frozenset(
    """
    a abbr address article aside b big blockquote body br caption center cite code col colgroup dd
    del details dfn div dl dt em figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr
    html i img ins kbd li main mark meta nav noscript ol p pre q s samp script section small span
    strike strong style sub summary sup table tbody td tfoot th thead title tr tt u ul
    """.split()
)
#: Elements whose content never shows as text.
DROP_TAGS = frozenset(
    """
    script style noscript template head title iframe frame frameset object embed applet svg math
    canvas audio video map select option button input textarea dialog
    """.split()
)
#: Site chrome, dropped on a whole page that has no <main>/<article> to read from.
PAGE_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
#: Elements that start a new block (a paragraph when they hold text directly).
BLOCK_TAGS = frozenset(
    """
    html body main article section div p blockquote address figure figcaption center details
    summary dl dt dd header footer aside hr caption table thead tbody tfoot fieldset legend
    """.split()
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
BOLD_TAGS = frozenset({"b", "strong"})
CELL_TAGS = frozenset({"td", "th"})
#: More elements than any job posting has (a 10 KB posting has ~300; a whole career page a few
#: thousand): past this the HTML is refused, which bounds the time spent on hostile input.
MAX_ELEMENTS = 100_000
#: A bold-only line is a heading when it is at most this long (roles.py's heading bounds).
BOLD_HEADING_MAX_CHARS = 80
BOLD_HEADING_MAX_WORDS = 12

_PAGE_MARKERS = ("<!doctype html", "<html", "<head", "<body")
#: Line starts that make a text Markdown (its lines carry the structure, whatever tags it holds).
_MARKDOWN_LINE_STARTS = ("# ", "## ", "### ", "#### ", "- ", "* ", "+ ", "• ")
_LINE_BREAKING_TAGS = ("<br", "<p", "</p", "<div", "</div", "<li", "</li")  # such a line is HTML's
_MAX_UNESCAPE_ROUNDS = 3
_ESCAPED_LT = ("lt;", "&#60;", "&#x3c;")  # "&lt;", "&amp;lt;", numeric forms

# Sniffing only (never used to convert): a known element's tag that is closed with ">".
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,9})(?:\s[^<>]*+)?/?>")


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    """True when ``text`` is HTML markup (a page or a fragment), not text with a stray ``<``."""
    if "<" not in text:
        return False
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:14].lower().startswith(("<!doctype html", "<html")):
        return True
    lines = markdown = 0
    for line in stripped.splitlines():
        line = line.strip()
        lines += bool(line)
        if line.startswith(_MARKDOWN_LINE_STARTS):
            low = line.lower()
            markdown += not any(tag in low for tag in _LINE_BREAKING_TAGS)
    tags = closing = breaks = 0
    for m in _TAG.finditer(stripped):
        name = m.group(2).lower()
        if name not in HTML_TAGS:
            continue
        if m.start() == 0:
            return True
        if markdown >= 2:
            return False  # Markdown (headings, bullets) with some inline tags keeps its lines
        tags += 1
        closing += bool(m.group(1))
        breaks += name == "br"
        if tags >= 2 and (closing or breaks >= 2) and tags * 2 >= lines:
            return True
    return False


def unescaped_markup(text: str) -> str | None:
    """The HTML inside entity-escaped markup, or None when ``text`` is not escaped HTML."""
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        low = text.lower()
        if "&" not in text or not any(m in low for m in _ESCAPED_LT):
            return None
        text = html_lib.unescape(text)
        if looks_like_html(text):
            return text
    return None


def looks_like_escaped_html(text: str) -> bool:
    """True when ``text`` is HTML whose tags are entity-escaped (``&lt;p&gt;Hello&lt;/p&gt;``)."""
    return not looks_like_html(text) and unescaped_markup(text) is not None



# --------------------------------------------------------------------------------------------
# HTML -> lines
# --------------------------------------------------------------------------------------------

BlockKind = Literal["title", "heading", "para", "item", "row"]
_TIGHT: frozenset[str] = frozenset({"item", "row"})


@dataclass(frozen=True)
class _Block:
    kind: BlockKind
    text: str  # as written out
    plain: str  # the words only (for folding a data-table row into one line)
    bold: bool = False  # a heading made from bold text (reads as a plain cell inside a table row)
    gap: bool = False  # starts a new list/table: a blank line before it even after an item/row


def _is_bold_heading(line: str) -> bool:
    body = line.rstrip(":").strip()
    return (
        bool(body)
        and len(body) <= BOLD_HEADING_MAX_CHARS
        and len(body.split()) <= BOLD_HEADING_MAX_WORDS
        and not body.endswith((".", ",", ";", "!", "?"))
    )


class _Writer:
    """Collects inline text into the current run (lines split by <br>) and turns runs into blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self._lines: list[list[str]] = [[]]
        self._plain: list[bool] = [False]  # does the line hold any non-bold text?
        self._gap = False

    def gap(self) -> None:
        """The list or table ended: the next item or row starts a new one."""
        self._gap = True

    def _add(self, block: _Block) -> None:
        if self._gap:
            block = _Block(block.kind, block.text, block.plain, block.bold, gap=True)
            self._gap = False
        self.blocks.append(block)

    def text(self, s: str | None, *, bold: bool, pre: bool) -> None:
        if not s:
            return
        s = normalize_chars(s)
        parts = s.split("\n") if pre else [s]
        for i, part in enumerate(parts):
            if i:
                self.newline()
            self._lines[-1].append(part)
            if not bold and part.strip().strip(":").strip():
                self._plain[-1] = True  # a colon after the bold text still makes a bold heading

    def space(self) -> None:
        self._lines[-1].append(" ")

    def newline(self) -> None:
        self._lines.append([])
        self._plain.append(False)

    def _take(self) -> list[tuple[str, bool]]:
        lines = [(" ".join("".join(parts).split()), plain) for parts, plain in zip(self._lines, self._plain)]
        self._lines, self._plain = [[]], [False]
        return lines

    def flush(self, kind: BlockKind, *, depth: int = 0) -> None:
        if len(self._lines) == 1 and not self._lines[0]:
            return  # nothing since the last block (the common case: one flush per element)
        lines = self._take()
        words = [t for t, _ in lines if t]
        if not words:
            return
        if kind != "para":
            one = " ".join(words)
            if kind == "item":
                text = f"{'  ' * max(depth - 1, 0)}- {one}"
            elif kind == "heading":
                one = one.rstrip(":").rstrip()
                text = f"## {one}"
            elif kind == "title":
                text = f"# {one}"
            else:
                text = one
            self._add(_Block(kind, text, " ".join(words)))
            return
        out: list[str] = []
        headings = 0
        for t, plain in lines:
            if not t:
                if out and out[-1]:
                    out.append("")  # a run of <br> is one blank line
                continue
            if not plain and _is_bold_heading(t):
                headings += 1
                out.append(f"## {t.rstrip(':').rstrip()}")
            else:
                out.append(t)
        while out and not out[-1]:
            out.pop()
        if len(out) == 1 and headings == 1:
            self._add(_Block("heading", out[0], " ".join(words), bold=True))
        else:
            self._add(_Block("para", "\n".join(out), " ".join(words)))

    def fold_row(self, start: int, cells: list[int]) -> None:
        """Blocks since ``start`` came from one <tr>; ``cells`` are the block indexes where each
        cell began. A data row (each cell at most one short paragraph) becomes one line."""
        if not cells:
            return
        ends = [*cells[1:], len(self.blocks)]
        texts: list[str] = []
        gap = bool(self.blocks[start:]) and self.blocks[start].gap
        for begin, end in zip(cells, ends):
            chunk = self.blocks[begin:end]
            if len(chunk) > 1 or any(b.kind not in ("para", "heading") or (b.kind == "heading" and not b.bold)
                                     or "\n" in b.text for b in chunk):
                return  # a layout table: its cells read as blocks
            texts.extend(b.plain for b in chunk)
        del self.blocks[start:]
        if texts:
            line = " | ".join(texts)
            self.blocks.append(_Block("row", line, line, gap=gap))

    def render(self) -> str:
        out: list[str] = []
        prev: _Block | None = None
        for b in self.blocks:
            if prev is not None:
                out.append("\n" if prev.kind == b.kind and b.kind in _TIGHT and not b.gap else "\n\n")
            out.append(b.text)
            prev = b
        return "".join(out) + ("\n" if out else "")


def _html_parser() -> Any:
    """A hardened HTML parser; one per call (lxml parsers shouldn't be shared between threads)."""
    return etree.HTMLParser(
        encoding="utf-8", recover=True, no_network=True, huge_tree=False, remove_comments=True,
        remove_pis=True, remove_blank_text=False, default_doctype=False,
    )  # fmt: skip


def _parse_html(markup: str) -> Any:
    if markup.count("<") > 4 * MAX_ELEMENTS:  # refused before libxml2 spends a second on it
        raise RoleError(f"HTML with over {MAX_ELEMENTS:,} elements: not a job posting we can read")
    parser = _html_parser()
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise RoleError(f"unreadable HTML: {exc}"[:300]) from None
    for err in parser.error_log:
        if err.level_name == "FATAL":
            if "depth" in err.message.lower():
                raise RoleError("HTML nested too deeply (over 256 levels): not a job posting we can read")
            raise RoleError(f"unreadable HTML (line {err.line}): {err.message.strip()}"[:300])
    return root


def _tag(el: Any) -> str | None:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = el.get("style")
    if style:
        style = "".join(style.lower().split())
        return "display:none" in style or "visibility:hidden" in style
    return False


def _first(root: Any, tag: str) -> Any:
    return next(root.iter(tag), None)


def _content_root(root: Any) -> Any | None:
    """The element a page marks as its content (<main>, role="main", a single <article>)."""
    main = _first(root, "main")
    if main is not None:
        return main
    for el in root.iter():
        if (el.get("role") or "").lower() == "main":
            return el
    articles = list(root.iter("article"))
    return articles[0] if len(articles) == 1 else None


def _text_of(el: Any) -> str:
    return " ".join(normalize_chars("".join(el.itertext())).split())


def _is_page(markup: str, root: Any) -> bool:
    if root.find("head") is not None:
        return True
    head = markup[:4096].lower()
    return any(marker in head for marker in _PAGE_MARKERS)


def html_to_text(html: str) -> str:
    """An HTML fragment or page (raw or entity-escaped) -> Markdown-like lines (see the module
    docstring for the rules). Raises RoleError for HTML that can't be read (too deeply nested)."""
    if not looks_like_html(html):
        html = unescaped_markup(html) or html
    if not html.strip():
        return ""
    root = _parse_html(html)
    if root is None:
        return ""
    page = _is_page(html, root)
    content = _content_root(root)
    start = content if content is not None else root
    drop_chrome = page and content is None
    writer = _Writer()
    title_el = None
    if page:
        title_el = _first(start, "h1")
        title = _text_of(title_el) if title_el is not None else ""
        if not title:
            t = _first(root, "title")
            title = _text_of(t) if t is not None else ""
            title_el = None
        if title:
            writer.blocks.append(_Block("title", f"# {title}", title))
    _walk(start, writer, drop_chrome=drop_chrome, skip=title_el)
    return writer.render()


@dataclass
class _Frame:
    role: str  # drop | title | heading | item | list | row | cell | pre | bold | block | inline | br
    depth: int = 0  # list depth for items
    row_start: int = 0
    cells: list[int] | None = None


class _Walk:
    """One pass over the tree with ``iterwalk``; ``stack`` mirrors the open elements (no recursion)."""

    def __init__(self, w: _Writer, *, drop_chrome: bool, skip: Any) -> None:
        self.w, self.drop_chrome, self.skip = w, drop_chrome, skip
        self.stack: list[_Frame] = []
        self.list_depth = self.bold = self.pre = self.elements = 0

    def context(self) -> tuple[BlockKind, int]:
        for f in reversed(self.stack):
            if f.role in ("title", "heading"):
                return "heading", 0
            if f.role == "item":
                return "item", f.depth
            if f.role in ("block", "cell", "pre", "row"):
                return "para", 0
        return "para", 0

    def flush(self) -> None:
        kind, depth = self.context()
        self.w.flush(kind, depth=depth)

    def frame_for(self, tag: str) -> _Frame:
        """The frame an opening element starts (flushing the block before it where it opens one)."""
        w = self.w
        if tag in HEADING_TAGS:
            self.flush()
            # the first <h1>, before any other text, is the title (a page's is hoisted already)
            return _Frame("title" if tag == "h1" and not w.blocks else "heading")
        if tag == "li":
            self.flush()
            return _Frame("item", depth=max(self.list_depth, 1))
        if tag in LIST_TAGS:
            self.flush()
            self.list_depth += 1
            return _Frame("list")
        if tag == "tr":
            self.flush()
            return _Frame("row", row_start=len(w.blocks), cells=[])
        if tag in CELL_TAGS:
            self.flush()
            row = next((f for f in reversed(self.stack) if f.role == "row"), None)
            if row is not None and row.cells is not None:
                row.cells.append(len(w.blocks))
            return _Frame("cell")
        if tag == "br":
            w.newline()
            return _Frame("br")
        if tag == "pre":
            self.flush()
            self.pre += 1
            return _Frame("pre")
        if tag in BLOCK_TAGS:
            self.flush()
            return _Frame("block")
        if tag in BOLD_TAGS:
            self.bold += 1
            return _Frame("bold")
        if tag == "img":
            w.space()
        return _Frame("inline")

    def open(self, el: Any, tag: str | None) -> bool:
        """Handle an opening element; False when its whole subtree is to be skipped."""
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise RoleError(f"HTML with over {MAX_ELEMENTS:,} elements: not a job posting we can read")
        if (tag is None or el is self.skip or tag in DROP_TAGS or (self.drop_chrome and tag in PAGE_CHROME_TAGS)
                or _hidden(el)):
            self.stack.append(_Frame("drop"))
            return False
        self.stack.append(self.frame_for(tag))
        self.w.text(el.text, bold=self.bold > 0, pre=self.pre > 0)
        return True

    def close(self, el: Any, tag: str | None, start: Any) -> None:
        frame = self.stack.pop()
        role, w = frame.role, self.w
        if role in ("title", "heading", "item", "block", "cell", "pre"):
            kind: BlockKind = role if role in ("title", "heading", "item") else "para"  # type: ignore[assignment]
            w.flush(kind, depth=frame.depth)
            if role == "pre":
                self.pre -= 1
            elif tag == "table":
                w.gap()
        elif role == "list":
            self.flush()
            self.list_depth -= 1
            if not self.list_depth:
                w.gap()
        elif role == "row":
            self.flush()
            w.fold_row(frame.row_start, frame.cells or [])
        elif role == "bold":
            self.bold -= 1
        if el is not start:
            w.text(el.tail, bold=self.bold > 0, pre=self.pre > 0)


def _walk(start: Any, w: _Writer, *, drop_chrome: bool, skip: Any) -> None:
    """Write the text of the tree under ``start`` into ``w``."""
    walk = _Walk(w, drop_chrome=drop_chrome, skip=skip)
    walker = etree.iterwalk(start, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if not walk.open(el, tag):
                walker.skip_subtree()
            continue
        walk.close(el, tag, start)
    w.flush("para")

