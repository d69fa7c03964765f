"""Job input in any shape an ATS sends -> the line-structured text that ``roles.py`` reads best.

    job_text(text) -> str                  text already decoded (the API's ``job_text`` field)
    job_text_from_bytes(data, filename=, content_type=, limits=) -> str   a file's bytes
    job_text_from_object(obj) -> str       one ATS job object (Greenhouse, Lever, generic)
    html_to_text(html) -> str              an HTML fragment or page (raw or entity-escaped)
    front_matter_to_text(text) -> str | None   Markdown with a Jekyll/TTS header (None: no header)
    looks_like_html(text) / looks_like_escaped_html(text) -> bool

The output is Markdown-like: ``# Title``, ``## Heading``, ``- bullet`` (nested lists indented by
two spaces per level), table rows as ``cell | cell``, and a blank line between blocks. Plain text,
Markdown and YAML/JSON role specs pass through (bytes go through the résumé text reader, so a
text file reads exactly as it did before), and PDF/DOCX go through :mod:`matcher.documents`.

What counts as what:

* **HTML** — a text that starts with a doctype, ``<html>`` or a known element, or whose known
  tags (``<p>``, ``<li>``, ``<br>``...: :data:`HTML_TAGS`, closed or self-closing, never ``a <b``)
  are at least two, include a closing tag or two ``<br>``, and outnumber half its lines (in HTML
  the tags carry the structure), unless two of its lines start like Markdown (``# ``, ``- ``...)
  and hold no line-breaking tag: Markdown with some inline HTML keeps its lines. **Escaped HTML**
  (``&lt;p&gt;Hello&lt;/p&gt;``, up to three times escaped, as Greenhouse sends it) is text that
  is not HTML but becomes HTML once unescaped.
* **Front matter** — Markdown/text that starts with a Jekyll-style header of ``key: value`` lines
  (``---`` fences, as in the CDS and 18F postings; or the TTS shape: no opening fence, ``#``
  comment lines, a closing ``---``) with a ``title`` and none of a role spec's keys
  (``requirements``...): the title becomes ``# title``, a ``description`` a paragraph, a TTS
  ``key objectives`` list its bullets (where the body includes ``job/key_objectives.html``, else
  under ``## Key objectives``); the rest of the header is dropped. In the body, Liquid comments
  and tags (``{% comment %}...{% endcomment %}``, ``{% include %}``) are dropped,
  ``{{ page.title }}`` is filled in, and ``###Heading`` gets its space (kramdown reads it so).
* **A USAJOBS record** (JSON) — a search-API item (``{"MatchedObjectId", "MatchedObjectDescriptor"}``
  or the bare descriptor with ``PositionTitle``), a scraped record with ``content_sections``, or a
  flat record (``control_number``, ``title``, ``duties``, ``qualifications``): ``# PositionTitle``
  then the sections of :data:`USAJOBS_SECTIONS` -- ``## Summary``, ``## Duties`` (bullets when
  ``MajorDuties`` is a list), ``## Qualifications``, ``## Conditions of employment``
  (``KeyRequirements`` / ``Requirements``: citizenship, background checks -- a heading roles.py
  reads as noise), ``## Education``, ``## How you will be evaluated``.
* **A job object** (JSON) — a mapping with a title (``title``; else exactly one of ``job_title``
  / ``name``; a Lever posting's ``text``) and a description (``description``; else exactly one of
  ``body`` / ``text`` / ``content``; Lever's ``descriptionPlain``...), optionally wrapped once in
  ``job`` / ``posting`` / ``data``. A mapping with ``requirements`` is a role spec and passes
  through unchanged; a list of jobs is refused (one job at a time).

HTML is parsed by libxml2 (``lxml``) with ``huge_tree`` off: nesting deeper than 256 elements is
a :class:`~matcher.errors.RoleError`, never a crash, and the tree is walked with ``iterwalk`` and
an explicit stack (no recursion), so the cost is linear in the input. How elements map to lines:

* ``<h1>``-``<h6>`` -> ``## text``; an ``<h1>`` before any other text becomes ``# Title``, and on
  a whole page the first ``<h1>`` of the content (else the ``<title>``) is hoisted to the top.
* ``<li>`` -> ``- text``; a ``<p>``/``<div>``/``<br>``-line whose text is all ``<strong>``/``<b>``
  (short, no closing full stop; a trailing ``:`` dropped) -> ``## text``.
* ``<p>``, ``<div>`` and the other :data:`BLOCK_TAGS` -> paragraphs; ``<br>`` -> a line break, a
  run of them -> a blank line; ``<pre>`` keeps its lines.
* ``<tr>`` -> one line, cells joined by ``" | "`` (a row whose cells hold lists or headings is
  layout, not data: its cells read as blocks).
* :data:`DROP_TAGS` (scripts, styles, forms...) and hidden elements are dropped. A whole page
  with a ``<main>`` / ``role="main"`` / single ``<article>`` is read from there only; a whole page
  without one loses its :data:`PAGE_CHROME_TAGS` (``<nav>``, ``<header>``, ``<footer>``...).
* Whitespace collapses inside a line; odd spaces (``&nbsp;``) and zero-width characters are
  normalised like every other text (:func:`matcher.documents.normalize.normalize_chars`).

Errors are :class:`~matcher.errors.MatcherError` subclasses: ``RoleError`` for HTML/JSON that
can't be read as a job, and the document errors of :mod:`matcher.documents` for bytes (empty,
too large, binary, damaged PDF/DOCX). No lxml or json exception leaves this module.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from lxml import etree

from .documents import ReadLimits, detect_format, read_document
from .documents.normalize import normalize_chars
from .documents.text import decode_text
from .errors import DocumentTooLarge, EmptyDocument, RoleError

__all__ = [
    "front_matter_to_text",
    "html_to_text",
    "job_text",
    "job_text_from_bytes",
    "job_text_from_object",
    "looks_like_escaped_html",
    "looks_like_html",
]


# --------------------------------------------------------------------------------------------
# Vocabulary (data, defined once)
# --------------------------------------------------------------------------------------------

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

#: Mapping keys for one ATS job, in order of preference.
TITLE_KEY = "title"
TITLE_ALTERNATES = ("job_title", "name")
DESCRIPTION_KEY = "description"
DESCRIPTION_ALTERNATES = ("body", "text", "content")
#: A Lever posting: ``text`` is the title; these keys tell it apart from a generic object.
LEVER_MARKERS = frozenset(
    {"lists", "descriptionPlain", "descriptionBody", "descriptionBodyPlain", "additional", "additionalPlain",
     "hostedUrl", "categories", "opening", "openingPlain"}
)  # fmt: skip
#: Lever's description fields, first non-empty wins: (key, holds HTML?).
LEVER_DESCRIPTIONS = (("description", True), ("descriptionPlain", False), ("descriptionBody", True),
                      ("descriptionBodyPlain", False))  # fmt: skip
LEVER_ADDITIONAL = (("additional", True), ("additionalPlain", False))
#: Keys one job may be wrapped in ({"job": {...}}); keys that hold a list of jobs.
WRAPPER_KEYS = ("job", "posting", "data")
LIST_KEYS = ("jobs", "postings", "data", "results", "items")
#: Keys only a role spec has: such a mapping is passed on to roles.py unchanged.
SPEC_MARKER_KEYS = frozenset({"requirements", "requirement", "groups", "any_of"})
#: Keys a role spec shares with a job object; without a description such a mapping is a (broken) spec.
SPEC_KEYS = frozenset({"title", "level", "min_years", "years_knockout"})


#: Front matter: the keys kept (the rest of the header is dropped).
FRONT_MATTER_TITLE_KEY = "title"
FRONT_MATTER_PARAGRAPH_KEYS = ("description",)
#: Header keys holding a Markdown-ish list: (key, heading, the Liquid include that renders it in the body).
FRONT_MATTER_LIST_KEYS = (("key objectives", "Key objectives", "job/key_objectives.html"),)
#: A header is at most this many lines (the TTS template with its comments has ~120).
FRONT_MATTER_MAX_LINES = 400
#: Keys that make a header a YAML role spec, never front matter.
FRONT_MATTER_SPEC_KEYS = frozenset({"requirements", "requirement", "groups", "any_of", "min_years", "years_knockout"})

#: USAJOBS: the search API wraps one job as {"MatchedObjectId", "MatchedObjectDescriptor"}.
USAJOBS_DESCRIPTOR_KEY = "MatchedObjectDescriptor"
USAJOBS_TITLE_KEY = "PositionTitle"
#: Where a descriptor keeps more sections (``UserArea.Details``); a scraped record's sections.
USAJOBS_DETAILS_PATH = ("UserArea", "Details")
USAJOBS_SCRAPED_SECTIONS_KEY = "content_sections"
USAJOBS_SCRAPED_TITLE_KEY = "all_headers"  # its first entry is the title
#: A flat record (``usajobs_historical``-style): needs these keys besides a title.
USAJOBS_FLAT_MARKER = "control_number"
#: (keys, heading) in output order; the first key present wins, the same heading is written once.
#: Conditions of employment (citizenship, background check, selective service) are not skills:
#: their heading is one roles.py reads as noise.
USAJOBS_SECTIONS = (
    (("JobSummary", "Summary", "summary"), "Summary"),
    (("MajorDuties", "duties"), "Duties"),
    (("QualificationSummary", "qualifications"), "Qualifications"),
    (("KeyRequirements",), "Conditions of employment"),
    (("Requirements",), "Conditions of employment"),
    (("Education", "education"), "Education"),
    (("Evaluations",), "How you will be evaluated"),
)
#: Descriptor fields for the one-sentence details line: (label, key, sub-key of each list entry).
USAJOBS_META = (("Organization", "OrganizationName", None), ("Location", "PositionLocation", "LocationName"),
                ("Organization", "organization", None), ("Location", "location", None))  # fmt: skip
USAJOBS_MAX_LOCATIONS = 5


def _either(keys: tuple[str, ...]) -> str:
    quoted = [repr(k) for k in keys]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


ACCEPTED_KEYS_MESSAGE = (
    f"a job object needs a title ({_either((TITLE_KEY, *TITLE_ALTERNATES))}; Lever: 'text') and a description "
    f"({_either((DESCRIPTION_KEY, *DESCRIPTION_ALTERNATES))}; Lever: "
    f"{_either(tuple(k for k, _ in LEVER_DESCRIPTIONS))} and 'lists'), "
    "or it is a role spec with 'title' and 'requirements'"
)

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_JSON_SUFFIXES = frozenset({".json"})
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


def _unescaped_markup(text: str) -> str | None:
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
    return not looks_like_html(text) and _unescaped_markup(text) is not None


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
        html = _unescaped_markup(html) or html
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


def _walk(start: Any, w: _Writer, *, drop_chrome: bool, skip: Any) -> None:
    """One pass over the tree with iterwalk; ``stack`` mirrors the open elements (no recursion)."""
    stack: list[_Frame] = []
    list_depth = bold = pre = 0
    walker = etree.iterwalk(start, events=("start", "end"))

    def context() -> tuple[BlockKind, int]:
        for f in reversed(stack):
            if f.role in ("title", "heading"):
                return "heading", 0
            if f.role == "item":
                return "item", f.depth
            if f.role in ("block", "cell", "pre", "row"):
                return "para", 0
        return "para", 0

    def flush() -> None:
        kind, depth = context()
        w.flush(kind, depth=depth)

    elements = 0
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            elements += 1
            if elements > MAX_ELEMENTS:
                raise RoleError(f"HTML with over {MAX_ELEMENTS:,} elements: not a job posting we can read")
            if tag is None or el is skip or tag in DROP_TAGS or (drop_chrome and tag in PAGE_CHROME_TAGS) or _hidden(el):
                walker.skip_subtree()
                stack.append(_Frame("drop"))
                continue
            if tag in HEADING_TAGS:
                flush()
                # the first <h1>, before any other text, is the title (a page's is hoisted already)
                frame = _Frame("title" if tag == "h1" and not w.blocks else "heading")
            elif tag == "li":
                flush()
                frame = _Frame("item", depth=max(list_depth, 1))
            elif tag in LIST_TAGS:
                flush()
                list_depth += 1
                frame = _Frame("list")
            elif tag == "tr":
                flush()
                frame = _Frame("row", row_start=len(w.blocks), cells=[])
            elif tag in CELL_TAGS:
                flush()
                row = next((f for f in reversed(stack) if f.role == "row"), None)
                if row is not None and row.cells is not None:
                    row.cells.append(len(w.blocks))
                frame = _Frame("cell")
            elif tag == "br":
                w.newline()
                frame = _Frame("br")
            elif tag == "pre":
                flush()
                pre += 1
                frame = _Frame("pre")
            elif tag in BLOCK_TAGS:
                flush()
                frame = _Frame("block")
            elif tag in BOLD_TAGS:
                bold += 1
                frame = _Frame("bold")
            else:
                if tag == "img":
                    w.space()
                frame = _Frame("inline")
            stack.append(frame)
            w.text(el.text, bold=bold > 0, pre=pre > 0)
            continue
        frame = stack.pop()
        role = frame.role
        if role in ("title", "heading", "item", "block", "cell", "pre"):
            kind: BlockKind = role if role in ("title", "heading", "item") else "para"  # type: ignore[assignment]
            w.flush(kind, depth=frame.depth)
            if role == "pre":
                pre -= 1
            elif tag == "table":
                w.gap()
        elif role == "list":
            flush()
            list_depth -= 1
            if not list_depth:
                w.gap()
        elif role == "row":
            flush()
            w.fold_row(frame.row_start, frame.cells or [])
        elif role == "bold":
            bold -= 1
        if el is not start:
            w.text(el.tail, bold=bold > 0, pre=pre > 0)
    w.flush("para")


# --------------------------------------------------------------------------------------------
# ATS job objects
# --------------------------------------------------------------------------------------------


def _body_text(value: str) -> str:
    """A description field: HTML (raw or escaped) converted, plain text kept as written."""
    if looks_like_html(value) or _unescaped_markup(value) is not None:
        return html_to_text(value).strip()
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def _one_line(value: str) -> str:
    return " ".join(normalize_chars(html_lib.unescape(value)).split())


def _str_field(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RoleError(f"job field {key!r} must be text, not {type(value).__name__}")
    return value if value.strip() else None


def _pick(obj: Mapping[str, Any], key: str, alternates: tuple[str, ...], what: str) -> str | None:
    """``obj[key]`` if set, else the one value the alternates agree on (two different ones: error)."""
    value = _str_field(obj, key)
    if value is not None:
        return value
    found = {k: v for k in alternates if (v := _str_field(obj, k)) is not None}
    if len(set(found.values())) > 1:
        raise RoleError(f"ambiguous job {what}: both {' and '.join(repr(k) for k in found)} are set; "
                        f"send it as {key!r}")
    return next(iter(found.values()), None)


def _names(value: Any) -> list[str]:
    """'Remote', {'name': 'Remote'} or a list of either -> the names."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, Mapping) else item
        if isinstance(name, str) and name.strip():
            out.append(_one_line(name))
    return out


def _meta_line(obj: Mapping[str, Any]) -> str | None:
    """Location / department / commitment as one sentence (it ends with a full stop, so roles.py
    never takes it for a heading)."""
    cats = obj.get("categories") if isinstance(obj.get("categories"), Mapping) else {}
    fields = (
        ("Location", _names(obj.get("location")) or _names(cats.get("location"))),
        ("Department", _names(obj.get("departments")) or _names(obj.get("department"))
         or _names(cats.get("department")) or _names(cats.get("team"))),
        ("Employment type", _names(cats.get("commitment"))),
    )  # fmt: skip
    parts = [f"{label}: {', '.join(values)}." for label, values in fields if values]
    return " ".join(parts) or None


def _classify(obj: Mapping[str, Any]) -> Literal["spec", "lever", "job", "partial_spec"] | None:
    keys = {str(k) for k in obj}
    if keys & SPEC_MARKER_KEYS:
        return "spec"
    if "text" in keys and not ({TITLE_KEY, *TITLE_ALTERNATES} & keys) and keys & (LEVER_MARKERS | {"description"}):
        return "lever"
    has_title = bool({TITLE_KEY, *TITLE_ALTERNATES} & keys)
    has_body = bool({DESCRIPTION_KEY, *DESCRIPTION_ALTERNATES} & keys)
    if has_title and has_body:
        return "job"
    if keys & SPEC_KEYS:
        return "partial_spec"
    return None


def _unwrap(obj: Any) -> Any:
    """{"job": {...}} -> {...}; a list of jobs (bare or under "jobs"/"data"...) is an error."""
    if isinstance(obj, list):
        if obj and all(isinstance(x, Mapping) for x in obj):
            raise RoleError(f"a list of {len(obj)} jobs: send one job at a time")
        raise RoleError(f"a JSON array is not a job: {ACCEPTED_KEYS_MESSAGE}")
    if isinstance(obj, Mapping) and _classify(obj) is None:
        for key in LIST_KEYS:
            if isinstance(obj.get(key), list):
                raise RoleError(f"a list of {len(obj[key])} jobs under {key!r}: send one job at a time")
        for key in WRAPPER_KEYS:
            if isinstance(obj.get(key), Mapping):
                return obj[key]
    return obj


def _lever_parts(obj: Mapping[str, Any]) -> list[str]:
    parts: list[str] = []
    for key, is_html in LEVER_DESCRIPTIONS:
        value = _str_field(obj, key)
        if value is not None:
            parts.append(html_to_text(value).strip() if is_html else _body_text(value))
            break
    lists = obj.get("lists") or []
    if not isinstance(lists, list):
        raise RoleError("Lever 'lists' must be a list of {text, content} objects")
    for entry in lists:
        if not isinstance(entry, Mapping):
            raise RoleError("Lever 'lists' must be a list of {text, content} objects")
        heading = _str_field(entry, "text")
        content = _str_field(entry, "content")
        block = [f"## {_one_line(heading)}"] if heading else []
        if content:
            block.append(html_to_text(content).strip())
        if block:
            parts.append("\n\n".join(block))
    for key, is_html in LEVER_ADDITIONAL:
        value = _str_field(obj, key)
        if value is not None:
            parts.append(html_to_text(value).strip() if is_html else _body_text(value))
            break
    return parts


def job_text_from_object(obj: Any) -> str:
    """One ATS job object -> ``# Title`` + details + the converted description.

    Greenhouse (``title``, ``content`` as escaped HTML, ``location.name``, ``departments``), Lever
    (``text`` as the title, ``description``/``descriptionPlain``, ``lists`` of ``{text, content}``
    read as ``## text`` + bullets, ``additional``) and generic ``{title, description}`` objects
    (see the module docstring for the accepted keys). Raises RoleError for a list of jobs, a role
    spec, or a mapping that is not a job."""
    if isinstance(obj, Mapping) and (usajobs := _usajobs_parts(obj)) is not None:
        return _usajobs_text(usajobs)
    obj = _unwrap(obj)
    if not isinstance(obj, Mapping):
        raise RoleError(f"a job must be a JSON object, not {type(obj).__name__}: {ACCEPTED_KEYS_MESSAGE}")
    kind = _classify(obj)
    if kind in ("spec", "partial_spec"):
        raise RoleError("this object is a role spec (it has 'requirements'/'title'/'level'), not a job posting: "
                        "load it as a spec")
    if kind is None:
        keys = ", ".join(repr(str(k)) for k in list(obj)[:10]) or "none"
        raise RoleError(f"not a job object (keys: {keys}): {ACCEPTED_KEYS_MESSAGE}")
    if kind == "lever":
        title = _str_field(obj, "text")
        parts = _lever_parts(obj)
    else:
        title = _pick(obj, TITLE_KEY, TITLE_ALTERNATES, "title")
        body = _pick(obj, DESCRIPTION_KEY, DESCRIPTION_ALTERNATES, "description")
        parts = [_body_text(body)] if body else []
    if not title:
        raise RoleError(f"the job object has an empty title: {ACCEPTED_KEYS_MESSAGE}")
    meta = _meta_line(obj)
    body_parts = [p for p in parts if p]
    if not body_parts:
        raise RoleError("the job object has an empty description")
    return "\n\n".join([f"# {_one_line(title)}", *([meta] if meta else []), *body_parts]) + "\n"


def _from_json(text: str, *, declared: bool) -> str | None:
    """Job text for JSON ``text``; ``text`` itself for a role spec (roles.py reads it); None when
    it is not JSON and was not declared JSON (then it is read as text)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise RoleError("JSON nested too deeply: not a job object") from None
    except json.JSONDecodeError as exc:
        if not declared:
            return None
        raise RoleError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                        f"{ACCEPTED_KEYS_MESSAGE}") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise RoleError(f"not valid JSON: {exc}"[:300]) from None
    if isinstance(data, str):
        return job_text(data)
    if isinstance(data, Mapping) and _usajobs_parts(data) is None:
        kind = _classify(data)
        if kind in ("spec", "partial_spec"):
            return text  # a role spec: roles.py validates it and names a bad field
    return job_text_from_object(data)


# --------------------------------------------------------------------------------------------
# USAJOBS records
# --------------------------------------------------------------------------------------------


def _usajobs_parts(obj: Mapping[str, Any]) -> tuple[str | None, list[Mapping[str, Any]], Mapping[str, Any]] | None:
    """(title, mappings that hold sections, the mapping with the details) of a USAJOBS record, or None."""
    desc = obj.get(USAJOBS_DESCRIPTOR_KEY)
    if isinstance(desc, Mapping):
        obj = desc
    if USAJOBS_TITLE_KEY in obj:
        title = obj.get(USAJOBS_TITLE_KEY)
        holders: list[Mapping[str, Any]] = [obj]
        details: Any = obj
        for key in USAJOBS_DETAILS_PATH:
            details = details.get(key) if isinstance(details, Mapping) else None
        if isinstance(details, Mapping):
            holders.append(details)
        return (title if isinstance(title, str) else None), holders, obj
    sections = obj.get(USAJOBS_SCRAPED_SECTIONS_KEY)
    if isinstance(sections, Mapping) and USAJOBS_FLAT_MARKER in obj:
        headers = obj.get(USAJOBS_SCRAPED_TITLE_KEY)
        title = headers[0] if isinstance(headers, list) and headers and isinstance(headers[0], str) else None
        return title, [sections], obj
    if USAJOBS_FLAT_MARKER in obj and isinstance(obj.get(TITLE_KEY), str) and any(
            k in obj for keys, _ in USAJOBS_SECTIONS for k in keys if k.islower()):
        return obj[TITLE_KEY], [obj], obj
    return None


def _usajobs_section(value: Any) -> str | None:
    if isinstance(value, str):
        return _body_text(value) or None
    if isinstance(value, list):
        items = [_one_line(v) for v in value if isinstance(v, str) and v.strip()]
        return "\n".join(f"- {item}" for item in items) or None
    return None


def _usajobs_text(parts: tuple[str | None, list[Mapping[str, Any]], Mapping[str, Any]]) -> str:
    title, holders, record = parts
    if not title or not title.strip():
        raise RoleError("the USAJOBS record has no PositionTitle")
    blocks = [f"# {_one_line(title)}"]
    meta = []
    for label, key, sub in USAJOBS_META:
        value = record.get(key)
        if isinstance(value, str):
            value = value.split(";")  # a flat record's locations are one string
        names = [v.get(sub) if sub and isinstance(v, Mapping) else v
                 for v in (value if isinstance(value, list) else [value])][:USAJOBS_MAX_LOCATIONS]
        names = [_one_line(n) for n in names if isinstance(n, str) and n.strip()]
        if names and not any(m.startswith(f"{label}:") for m in meta):
            meta.append(f"{label}: {'; '.join(names)}.")
    if meta:
        blocks.append(" ".join(meta))
    sections: dict[str, list[str]] = {}
    for keys, heading in USAJOBS_SECTIONS:
        for holder in holders:
            body = next((b for k in keys if (b := _usajobs_section(holder.get(k)))), None)
            if body:
                sections.setdefault(heading, []).append(body)
                break
    if not sections:
        raise RoleError("the USAJOBS record has no duties, qualifications or requirements text")
    for heading, bodies in sections.items():
        blocks.append(f"## {heading}")
        blocks.extend(bodies)
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------------------------
# Front matter (Jekyll: CDS, 18F, TTS postings)
# --------------------------------------------------------------------------------------------

_FM_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_ -]{0,40}):(?:[ \t]+(.*))?$")
_FM_FENCES = ("---", "...")
_LIQUID_PAGE_VAR = re.compile(r"\{\{-?\s*page\.([A-Za-z0-9_ ]{1,40}?)\s*-?\}\}")
_LIQUID_OUTPUT = re.compile(r"\{\{[^{}\n]{0,200}\}\}")
_HEADING_NO_SPACE = re.compile(r"^(#{1,6})(?=[^\s#])", re.MULTILINE)


def _header_lines(lines: list[str]) -> tuple[list[str], int] | None:
    """(header lines, index of the first body line) when ``lines`` open with front matter."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return None
    fenced = lines[i].strip() == "---"
    start = i + 1 if fenced else i
    if not fenced and not _FM_KEY.match(lines[start]):
        return None
    for j in range(start, min(len(lines), start + FRONT_MATTER_MAX_LINES)):
        line = lines[j]
        if line.rstrip() in _FM_FENCES:
            return lines[start:j], j + 1
        if not fenced and line.strip() and not (line[0] in " \t#-" or _FM_KEY.match(line)):
            return None  # a line that is neither key, comment, list nor continuation: not a header
    return None


def _parse_header(lines: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Top-level ``key: value`` lines -> {key: (value, the indented lines under it)}; tolerant (the
    TTS headers are not all valid YAML), comments and unknown lines skipped."""
    out: dict[str, tuple[str, list[str]]] = {}
    key: str | None = None
    for line in lines:
        if line[:1] in (" ", "\t", "-") and key is not None:
            out[key][1].append(line)
            continue
        if line.startswith("#") or not line.strip():
            if not line.strip() and key is not None:
                out[key][1].append("")
            continue
        m = _FM_KEY.match(line.rstrip())
        if m:
            key = m.group(1).strip().lower()
            out.setdefault(key, ((m.group(2) or "").strip(), []))
        else:
            key = None
    return out


def _scalar(value: str, more: list[str]) -> str:
    """A header value: quoted, plain, folded over indented lines, or a ``>`` / ``|`` block."""
    if value in (">", "|", ">-", "|-", ">+", "|+"):
        value = ""
    text = " ".join([value, *(ln.strip() for ln in more)]).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return _one_line(text)


def _list_block(more: list[str]) -> str | None:
    """The indented lines of a header list, dedented: already Markdown bullets."""
    lines = [ln.rstrip() for ln in more if ln.strip()]
    if not lines:
        return None
    indent = min(len(ln) - len(ln.lstrip()) for ln in lines)
    return "\n".join(ln[indent:] for ln in lines)


def _strip_liquid(body: str, includes: Mapping[str, str]) -> str:
    """Liquid comments and tags dropped (an include in ``includes`` replaced by its text); linear."""
    out: list[str] = []
    i = 0
    while True:
        j = body.find("{%", i)
        if j < 0:
            out.append(body[i:])
            break
        out.append(body[i:j])
        k = body.find("%}", j + 2)
        if k < 0:
            out.append(body[j:])
            break
        words = body[j + 2 : k].strip("- \t\n").split()
        name = words[0] if words else ""
        if name == "comment":
            end = body.find("endcomment", k)
            close = body.find("%}", end) if end >= 0 else -1
            if close < 0:
                break  # an unclosed comment runs to the end
            i = close + 2
            continue
        if name == "include" and len(words) > 1 and words[1] in includes:
            out.append(includes[words[1]])
        i = k + 2
    return "".join(out)


def front_matter_to_text(text: str) -> str | None:
    """Markdown with a front-matter header -> ``# title`` + description + body (see the module
    docstring); None when ``text`` has no front matter (or its header is a YAML role spec)."""
    lines = text.split("\n")
    found = _header_lines(lines)
    if found is None:
        return None
    header_lines, body_start = found
    header = _parse_header(header_lines)
    if FRONT_MATTER_TITLE_KEY not in header or header.keys() & FRONT_MATTER_SPEC_KEYS:
        return None
    title = _scalar(*header[FRONT_MATTER_TITLE_KEY])
    blocks = [f"# {title}"] if title else []
    for key in FRONT_MATTER_PARAGRAPH_KEYS:
        if key in header and (para := _scalar(*header[key])):
            blocks.append(para)
    includes: dict[str, str] = {}
    tail: list[str] = []
    body = "\n".join(lines[body_start:])
    for key, heading, include in FRONT_MATTER_LIST_KEYS:
        block = _list_block(header[key][1]) if key in header else None
        if not block:
            continue
        if include in body:
            includes[include] = block
        else:
            tail.append(f"## {heading}\n\n{block}")
    body = _strip_liquid(body, includes)
    body = _LIQUID_PAGE_VAR.sub(lambda m: title if m.group(1).strip() == FRONT_MATTER_TITLE_KEY else "", body)
    body = _LIQUID_OUTPUT.sub("", body)
    body = _HEADING_NO_SPACE.sub(r"\1 ", body).strip()
    return "\n\n".join([*blocks, *([body] if body else []), *tail]) + "\n"


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def job_text(text: str) -> str:
    """Job text already decoded (e.g. the API's ``job_text`` field): HTML or escaped HTML is
    converted, a JSON job object (ATS or USAJOBS) is read as one, Markdown with front matter gets
    ``# title`` in place of its header, anything else (plain text, Markdown, a YAML or JSON role
    spec) is returned unchanged."""
    stripped = text.strip()
    if not stripped:
        return text
    if stripped[0] in "{[":
        converted = _from_json(stripped, declared=False)
        if converted is not None:
            return text if converted is stripped else converted
        return text
    if looks_like_html(text) or _unescaped_markup(text) is not None:
        return html_to_text(text)
    converted = front_matter_to_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return converted if converted is not None else text


def _declared(filename: str | None, content_type: str | None) -> Literal["html", "json"] | None:
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in _HTML_SUFFIXES or ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if suffix in _JSON_SUFFIXES or ctype == "application/json" or ctype.endswith("+json"):
        return "json"
    return None


def job_text_from_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    limits: ReadLimits | None = None,
) -> str:
    """A job file's bytes -> job text. PDF and DOCX (recognised by their bytes) go through the
    document readers; HTML (``.html``/``.htm``, ``text/html`` or sniffed, escaped or not) is
    converted; JSON (``.json`` or sniffed) is read as a job object, or passed on unchanged when it
    is a role spec; Markdown with front matter is converted (``front_matter_to_text``) and, like
    other text (plain, Markdown, YAML), read as the résumé text reader reads it.
    Raises DocumentError subclasses for bytes that are not a readable document, RoleError for
    HTML/JSON that is not a job."""
    limits = limits or ReadLimits()
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"job_text_from_bytes expects bytes, not {type(data).__name__}")
    if not data.strip():
        raise EmptyDocument("empty file")
    if len(data) > limits.max_bytes:
        raise DocumentTooLarge(f"file is {len(data)} bytes; the limit is {limits.max_bytes}")
    declared = _declared(filename, content_type)
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    markup = head.startswith(b"<") or head.startswith(b"&lt;")
    if not markup:
        fmt = detect_format(data)  # raises for images, archives, legacy Office, binary junk
        if fmt != "text":
            return read_document(data, limits=limits).text
    text, _encoding, _warnings = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.strip("\ufeff \t\n")
    if declared == "json" or stripped[:1] in ("{", "["):
        converted = _from_json(stripped, declared=declared == "json")
        if converted is stripped:
            return text  # a role spec: roles.py reads it
        if converted is not None:
            return _checked(converted, limits)
    if declared == "html" or looks_like_html(text) or _unescaped_markup(text) is not None:
        return _checked(html_to_text(text), limits)
    if markup:
        detect_format(data)  # markup that is not HTML (SVG, XML): the reader's verdict
    converted = front_matter_to_text(text)
    if converted is not None:  # read as the text reader reads any Markdown
        return read_document(converted.encode("utf-8"), limits=limits).text
    return read_document(data, limits=limits).text


def _checked(text: str, limits: ReadLimits) -> str:
    if len(text) > limits.max_chars:
        raise DocumentTooLarge(f"job text is over {limits.max_chars} characters")
    if not text.strip():
        raise EmptyDocument("no visible text in this job posting")
    return text
