"""One job posting in every shape an ATS or a job board sends it: the test and bench helper.

A posting (line-structured Markdown, or plain text with CAPS headings / "Requirements:" lines /
indented bullets) is read into a neutral list of ``Block``s, independently of ``matcher`` (a
Markdown posting through markdown-it, a plain-text one through the small line reader below), and
the blocks are rendered into each shape:

    markdown         the posting's own bytes, unchanged
    paragraph        a job-board scrape: every block's visible text joined by single spaces, one line
    paragraph-punct  the same, each block ending in ". " when it had no final punctuation
    html             an HTML fragment (h1 title, h2/h3 headings, p, ul/ol, table)
    escaped-html     the fragment HTML-escaped (as Greenhouse's ``content`` carries it)
    html-page        a whole page: head, script, nav and footer decoys around <main>
    pdf              reportlab: title and headings bold, bullets as "• ", paragraphs wrapped
    docx             python-docx: Heading 1/2, "List Bullet"/"List Number", tables
    greenhouse-json  a Greenhouse job object (escaped HTML content)
    lever-json       a Lever posting (description, lists of <li>, additional)
    generic-json     {"job_title", "body"}: the blocks as line text

``render(shape, text, filename)`` -> ``(bytes, filename)``; ``SHAPES`` lists the names. Hypothesis
strategies (``styles()``) vary whitespace, bullet glyphs, heading markup and <br>-lines for the
``html`` and ``text`` renderers. The bench imports this module (``from tests.jobshapes import ...``).

The real corpus has Jekyll postings (YAML front matter, Liquid ``{% comment %}`` blocks);
``posting_markdown`` turns one into the Markdown a reader sees (title, description, key
objectives, body without template instructions), the text the derived shapes are rendered from.
"""

from __future__ import annotations

import html as _html
import io
import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Literal

import yaml
from markdown_it import MarkdownIt

BlockKind = Literal["title", "heading", "para", "item", "row"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # visible plain text, whitespace collapsed
    html: str = ""  # inline HTML of the same text (escaped plain text when the source has no markup)
    depth: int = 0  # list nesting (items)
    ordered: bool = False  # item of a numbered list
    level: int = 2  # heading level (title = 1)
    cells: tuple[str, ...] = ()  # table row cells
    header: bool = False  # table header row

    @property
    def inline(self) -> str:
        return self.html or _html.escape(self.text, quote=False)


_WS = re.compile(r"\s+")


def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


# --------------------------------------------------------------------------------------------
# Markdown -> blocks (markdown-it)
# --------------------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable("table")
_TAG = re.compile(r"<[^>]*>")


def _inline_plain(tok) -> str:
    out: list[str] = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content or "")
    return _squash("".join(out))


def _inline_html(tok) -> str:
    return _MD.renderer.renderInline(tok.children or [], _MD.options, {}).strip()


def blocks_from_markdown(md: str) -> list[Block]:
    tokens = _MD.parse(md)
    blocks: list[Block] = []
    list_stack: list[bool] = []  # ordered?
    item_open: list[int | None] = []  # index in blocks of the open item's block (None before its text)
    row: list[tuple[str, str]] = []
    row_header = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if t == "heading_open":
            inline = tokens[i + 1]
            level = int(tok.tag[1])
            text = _inline_plain(inline)
            if text:
                kind: BlockKind = "title" if (level == 1 and not blocks) else "heading"
                blocks.append(Block(kind, text, _inline_html(inline), level=1 if kind == "title" else max(level, 2)))
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(t == "ordered_list_open")
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif t == "list_item_open":
            item_open.append(None)
        elif t == "list_item_close":
            item_open.pop()
        elif t == "inline" and tokens[i - 1].type == "paragraph_open":
            text, markup = _inline_plain(tok), _inline_html(tok)
            if text:
                if item_open:
                    idx = item_open[-1]
                    if idx is None:
                        blocks.append(Block("item", text, markup, depth=len(list_stack) - 1, ordered=list_stack[-1]))
                        item_open[-1] = len(blocks) - 1
                    else:  # a second paragraph of the same item
                        b = blocks[idx]
                        blocks[idx] = replace(b, text=f"{b.text} {text}", html=f"{b.html} {markup}")
                else:
                    blocks.append(Block("para", text, markup))
        elif t == "tr_open":
            row, row_header = [], False
        elif t in ("th_open", "td_open"):
            row_header = row_header or t == "th_open"
            inline = tokens[i + 1]
            row.append((_inline_plain(inline), _inline_html(inline)))
        elif t == "tr_close":
            if any(c for c, _ in row):
                blocks.append(Block("row", " ".join(c for c, _ in row if c), cells=tuple(c for c, _ in row),
                                    header=row_header))
        elif t in ("fence", "code_block"):
            for line in tok.content.splitlines():
                if line.strip():
                    blocks.append(Block("para", _squash(line)))
        elif t == "html_block":
            text = _squash(_html.unescape(_TAG.sub(" ", re.sub(r"<!--.*?-->", " ", tok.content, flags=re.S))))
            if text:
                blocks.append(Block("para", text))
        i += 1
    return blocks


# --------------------------------------------------------------------------------------------
# Plain text -> blocks (a small line reader of its own; roles.py's helpers are not used)
# --------------------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[-*•·>▪◦‣]|\d{1,2}[.)])[ \t]+(?P<text>\S.*)$")


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _words(line: str) -> int:
    return len(line.split())


def _text_heading(line: str, prev: str | None, nxt: str | None) -> bool:
    s = line.strip()
    if not s or _BULLET.match(line) or s.startswith("|"):
        return False
    if nxt is None or not nxt.strip():
        return False  # a heading introduces something
    if _is_caps(s) and _words(s) <= 8:
        return True
    if s.endswith(":") and _words(s) <= 8:
        return True
    if _words(s) <= 10 and s[-1] not in ".;,!" and (prev is None or not prev.strip() or _BULLET.match(prev)
                                                    or prev.rstrip()[-1] in ".!?:"):
        return True
    return False


def blocks_from_text(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    para: list[str] = []
    item: tuple[int, list[str], int, bool] | None = None  # (indent of its text, words, depth, ordered)
    indents: list[int] = []  # bullet indents of the open list levels

    def flush() -> None:
        nonlocal item
        if para:
            blocks.append(Block("para", _squash(" ".join(para))))
            para.clear()
        if item is not None:
            blocks.append(Block("item", _squash(" ".join(item[1])), depth=item[2], ordered=item[3]))
            item = None

    started = False
    header_zone = False  # the lines between the title and the first blank line: one paragraph each
    for n, line in enumerate(lines):
        s = line.strip()
        if not s:
            flush()
            header_zone = False
            continue
        if not started:
            blocks.append(Block("title", _squash(s), level=1))
            started, header_zone = True, True
            continue
        prev = lines[n - 1] if n else None
        nxt = lines[n + 1] if n + 1 < len(lines) else None
        m = _BULLET.match(line)
        if header_zone and not m and len(s) < 100:
            blocks.append(Block("para", _squash(s)))
            continue
        header_zone = False
        if m:
            flush()
            ind = len(m.group("indent").expandtabs(4))
            while indents and indents[-1] > ind:
                indents.pop()
            if not indents or indents[-1] < ind:
                indents.append(ind)
            text_col = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) + len(m.group("mark")) + 1
            item = (text_col, [m.group("text")], len(indents) - 1, m.group("mark")[0].isdigit())
            continue
        lead = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if item is not None and lead >= item[0] - 1 and lead > 0:
            item[1].append(s)  # a wrapped bullet
            continue
        if s.startswith("|"):
            flush()
            cells = tuple(_squash(c) for c in s.strip("|").split("|"))
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells):
                continue
            header = nxt is not None and bool(re.fullmatch(r"\|?[\s:|-]+\|?", nxt.strip())) and "-" in nxt
            blocks.append(Block("row", " ".join(c for c in cells if c), cells=cells, header=header))
            continue
        if _text_heading(line, prev, nxt):
            flush()
            indents.clear()
            blocks.append(Block("heading", _squash(s), level=2))
            continue
        if item is not None:
            flush()
            indents.clear()
        para.append(s)
        if s[-1] in ".!?" and (nxt is None or not nxt.strip() or len(s) < 60):
            flush()  # a short sentence line or the end of a paragraph block
    flush()
    return blocks


# --------------------------------------------------------------------------------------------
# Jekyll postings (front matter, Liquid) -> the Markdown a reader sees
# --------------------------------------------------------------------------------------------

_LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\b.*?%\}.*?\{%-?\s*endcomment\b.*?%\}", re.S)
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter, body). Front matter is ``---``-fenced, or (as in the TTS files) starts on the
    first line with ``key:`` and ends at the first ``---`` line. Unparseable YAML gives {} (the
    fenced text is still dropped) unless a ``title:`` line can be read."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        start = 1
    elif lines and re.match(r"^[A-Za-z][\w ]*:", lines[0]):
        start = 0
    else:
        return {}, text
    try:
        end = next(i for i in range(start, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return {}, text
    raw = "\n".join(lines[start:end])
    try:
        meta = yaml.safe_load(raw)
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict):
        m = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", raw, re.M)
        meta = {"title": m.group(1)} if m else {}
    return meta, "\n".join(lines[end + 1:])


def posting_markdown(text: str) -> str:
    """A Jekyll posting as its reader sees it: ``# title``, the description, ``## Key objectives``
    as bullets, then the body with Liquid comments and tags removed. Text without front matter or
    Liquid comes back unchanged."""
    meta, body = split_front_matter(text)
    body = _LIQUID.sub("", _LIQUID_COMMENT.sub("", body))
    if not meta and body == text:
        return text
    parts: list[str] = []
    if isinstance(meta.get("title"), str):
        parts.append(f"# {_squash(meta['title'])}")
    if isinstance(meta.get("description"), str):
        parts.append(_squash(meta["description"]))
    objectives = meta.get("key objectives") or meta.get("Key Objectives")
    if isinstance(objectives, list) and objectives:
        items = []
        for o in objectives:
            if isinstance(o, dict):
                for k, v in o.items():
                    items.append(f"- {_squash(str(k))}")
                    for sub in v if isinstance(v, list) else [v] if v else []:
                        items.append(f"  - {_squash(str(sub))}")
            elif o:
                items.append(f"- {_squash(str(o))}")
        parts.append("## Key objectives\n\n" + "\n".join(items))
    parts.append(re.sub(r"\n{3,}", "\n\n", body).strip())
    return "\n\n".join(p for p in parts if p) + "\n"


def posting_blocks(text: str, filename: str | None = None) -> list[Block]:
    """Blocks of a posting: Markdown (``.md``, or front matter/Markdown headings) through markdown-it,
    anything else through the line reader."""
    is_md = (filename or "").lower().endswith((".md", ".markdown")) or bool(re.search(r"^#{1,6} \S", text, re.M))
    if is_md:
        return blocks_from_markdown(posting_markdown(text))
    return blocks_from_text(text)


# --------------------------------------------------------------------------------------------
# Styles (what hypothesis varies)
# --------------------------------------------------------------------------------------------

HeadingStyle = Literal["h", "h2", "h3", "strong-p", "b-colon-p"]
ListStyle = Literal["li", "br"]


@dataclass(frozen=True)
class Style:
    heading: HeadingStyle = "h"  # "h": the block's own level
    lists: ListStyle = "li"
    bullet: str = "-"  # for text renderings and <br>-lines: "-", "*", "•", "1."
    pad: str = ""  # extra whitespace between HTML tags / at text line ends (" ", "\t", "\n  ")
    inner: str = " "  # the space inside text (" ", "  ", "\t", " \u00a0")
    newline: str = "\n"  # "\n" or "\r\n"


DEFAULT = Style()


def _ws(s: str, style: Style) -> str:
    return s.replace(" ", style.inner) if style.inner != " " else s


def _glyph(style: Style, n: int) -> str:
    return f"{n}." if style.bullet == "1." else style.bullet


# --------------------------------------------------------------------------------------------
# Renderers
# --------------------------------------------------------------------------------------------


def _visible(b: Block) -> str:
    return " ".join(c for c in b.cells if c) if b.kind == "row" else b.text


def render_paragraph(blocks: list[Block], *, punct: bool = False) -> str:
    """One line: each block's visible text, single spaces between, no line breaks."""
    out = []
    for b in blocks:
        t = _squash(_visible(b))
        if not t:
            continue
        if punct and t[-1] not in ".!?:;":
            t += "."
        out.append(t)
    return " ".join(out)


def render_text(blocks: list[Block], style: Style = DEFAULT) -> str:
    """Line text (Markdown-ish): ``# title``, ``## heading``, bullets, paragraphs, ``a | b`` rows."""
    lines: list[str] = []
    n = 0
    prev: Block | None = None
    for b in blocks:
        if b.kind == "item":
            n = n + 1 if prev is not None and prev.kind == "item" else 1
            lines.append("  " * b.depth + f"{_glyph(style, n)} {_ws(b.text, style)}{style.pad}")
        else:
            if prev is not None:
                lines.append("")
            if b.kind == "title":
                lines.append(f"# {b.text}")
            elif b.kind == "heading":
                lines.append(f"{'#' * b.level} {b.text}")
            elif b.kind == "row":
                lines.append(" | ".join(b.cells))
            else:
                lines.append(f"{_ws(b.text, style)}{style.pad}")
            if b.kind in ("title", "heading"):
                lines.append("")
        prev = b
    return style.newline.join(lines) + style.newline


def _heading_html(b: Block, style: Style) -> str:
    text = b.inline
    if style.heading == "h":
        return f"<h{b.level}>{text}</h{b.level}>"
    if style.heading in ("h2", "h3"):
        return f"<{style.heading}>{text}</{style.heading}>"
    if style.heading == "strong-p":
        return f"<p><strong>{text}</strong></p>"
    return f"<p><b>{text.rstrip(':')}:</b></p>"


def render_html(blocks: list[Block], style: Style = DEFAULT, *, title: bool = True) -> str:
    """An HTML fragment. ``title=False`` leaves the title block out (ATS objects carry it apart)."""
    out: list[str] = []
    i = 0
    pad = style.pad
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "title":
            if title:
                out.append(f"<h1>{b.inline}</h1>")
        elif b.kind == "heading":
            out.append(_heading_html(b, style))
        elif b.kind == "para":
            out.append(f"<p>{_ws(b.inline, style)}</p>")
        elif b.kind == "row":
            rows = []
            while i < len(blocks) and blocks[i].kind == "row":
                r = blocks[i]
                tag = "th" if r.header else "td"
                rows.append("<tr>" + "".join(f"<{tag}>{_html.escape(c, quote=False)}</{tag}>" for c in r.cells)
                            + "</tr>")
                i += 1
            out.append("<table>" + pad.join(rows) + "</table>")
            continue
        else:  # a run of items
            run = []
            while i < len(blocks) and blocks[i].kind == "item":
                run.append(blocks[i])
                i += 1
            out.append(_list_html(run, style) if style.lists == "li" else _br_html(run, style))
            continue
        i += 1
    return pad.join(out) + ("\n" if not pad else "")


def _list_html(run: list[Block], style: Style) -> str:
    out: list[str] = []
    stack: list[str] = []  # open list tags
    for b in run:
        tag = "ol" if b.ordered else "ul"
        if len(stack) > b.depth + 1 or not stack:
            while len(stack) > b.depth + 1:
                out.append(f"</li></{stack.pop()}>")
            if not stack:
                stack.append(tag)
                out.append(f"<{tag}>")
            else:
                out.append("</li>")
        elif len(stack) == b.depth + 1:
            out.append("</li>")
        while len(stack) < b.depth + 1:
            stack.append(tag)
            out.append(f"<{tag}>")
        out.append(f"{style.pad}<li>{_ws(b.inline, style)}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


def _br_html(run: list[Block], style: Style) -> str:
    lines = [f"{'&nbsp;' * 2 * b.depth}{_glyph(style, n)} {_ws(b.inline, style)}" for n, b in enumerate(run, 1)]
    return "<p>" + f"<br>{style.pad}".join(lines) + "</p>"


def render_page(blocks: list[Block], style: Style = DEFAULT) -> str:
    title = next((b.text for b in blocks if b.kind == "title"), "Job")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)} | Careers at Ledgerline</title>"
        "<script>var related = '<ul><li>Rust</li><li>Scala</li></ul>';</script>"
        "<style>li{margin:0}</style></head><body>"
        "<header><a href='/'>Ledgerline</a><nav><ul><li><a href='/k8s'>Kubernetes jobs</a></li>"
        "<li><a href='/ml'>PyTorch jobs</a></li></ul></nav></header>"
        f"<main>{render_html(blocks, style)}</main>"
        "<aside><h2>Similar jobs</h2><ul><li>Senior Java Developer</li><li>Haskell Engineer</li></ul></aside>"
        "<footer><ul><li>Terraform meetups</li><li>© Ledgerline</li></ul></footer>"
        "<script>track('view')</script></body></html>"
    )


def _title_and_body(blocks: list[Block]) -> tuple[str, list[Block]]:
    if blocks and blocks[0].kind == "title":
        return blocks[0].text, blocks[1:]
    if blocks and blocks[0].kind == "heading":  # "## Staff Engineer" on the first line
        return blocks[0].text, blocks[1:]
    return "Job posting", blocks


def greenhouse_object(blocks: list[Block], style: Style = DEFAULT) -> dict:
    title, body = _title_and_body(blocks)
    return {
        "id": 4012345,
        "internal_job_id": 98765,
        "title": title,
        "updated_at": "2026-10-01T12:00:00-04:00",
        "location": {"name": "Remote"},
        "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
        "content": _html.escape(render_html(body, style)),
        "departments": [{"id": 1, "name": "Engineering"}],
        "offices": [{"id": 2, "name": "Remote"}],
    }


def lever_object(blocks: list[Block], style: Style = DEFAULT) -> dict:
    """Sections made only of items become Lever ``lists`` (from the first such section on, while they
    last); what comes before is ``description``, the rest ``additional``."""
    title, body = _title_and_body(blocks)
    sections: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for b in body:
        if b.kind == "heading":
            sections.append((b, []))
        else:
            sections[-1][1].append(b)
    description: list[Block] = []
    lists: list[dict] = []
    additional: list[Block] = []
    for heading, content in sections:
        all_items = bool(content) and all(b.kind == "item" for b in content)
        if heading is not None and all_items and not additional:
            lists.append({"text": heading.text, "content": _list_html(content, style)[4:-5]
                          if all(b.depth == 0 for b in content) else _list_html(content, style)})
        elif not lists:
            description += ([heading] if heading else []) + content
        else:
            additional += ([heading] if heading else []) + content
    return {
        "id": "5ac21346-8e0c-4494-8e7a-3eb92ff77902",
        "text": title,
        "categories": {"location": "Remote", "team": "Engineering", "commitment": "Full-time"},
        "description": render_html(description, style),
        "lists": lists,
        "additional": render_html(additional, style),
        "hostedUrl": "https://jobs.lever.co/acme/5ac21346",
    }


def generic_object(blocks: list[Block], style: Style = DEFAULT) -> dict:
    title, body = _title_and_body(blocks)
    return {"job_title": title, "body": render_text(body, style)}


# --------------------------------------------------------------------------------------------
# PDF and DOCX
# --------------------------------------------------------------------------------------------

_FONTS = Path("/usr/share/fonts/truetype/dejavu")


@lru_cache(maxsize=1)
def _pdf_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _FONTS / "DejaVuSans.ttf", _FONTS / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):  # reportlab's own Vera (fewer glyphs)
        import reportlab

        fonts = Path(reportlab.__file__).parent / "fonts"
        regular, bold = fonts / "Vera.ttf", fonts / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("JobSans", str(regular)))
    pdfmetrics.registerFont(TTFont("JobSans-Bold", str(bold)))
    return "JobSans", "JobSans-Bold"


def render_pdf(blocks: list[Block]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    regular, bold = _pdf_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    left, right, top, bottom = 56, 56, 64, 56
    y = height - top

    def line(text: str, x: float, font: str, size: float) -> None:
        nonlocal y
        if y < bottom:
            c.showPage()
            y = height - top
        c.setFont(font, size)
        c.drawString(x, y, text)
        y -= size * 1.35

    prev: Block | None = None
    for b in blocks:
        if prev is not None and (b.kind != prev.kind or b.kind in ("para", "heading")):
            y -= 6
        if b.kind == "title":
            for part in simpleSplit(b.text, bold, 16, width - left - right):
                line(part, left, bold, 16)
        elif b.kind == "heading":
            y -= 4
            for part in simpleSplit(b.text, bold, 12, width - left - right):
                line(part, left, bold, 12)
        elif b.kind == "item":
            x = left + 14 * b.depth
            parts = simpleSplit(b.text, regular, 10, width - right - x - 12)
            for k, part in enumerate(parts):
                if k == 0:
                    c.setFont(regular, 10)
                    c.drawString(x, y, "•")
                line(part, x + 12, regular, 10)
        elif b.kind == "row":
            line("    ".join(b.cells), left, bold if b.header else regular, 10)
        else:
            for part in simpleSplit(b.text, regular, 10, width - left - right):
                line(part, left, regular, 10)
        prev = b
    c.save()
    return buf.getvalue()


def render_docx(blocks: list[Block]) -> bytes:
    import docx

    d = docx.Document()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "title":
            d.add_heading(b.text, level=1)
        elif b.kind == "heading":
            d.add_heading(b.text, level=2)
        elif b.kind == "item":
            base = "List Number" if b.ordered else "List Bullet"
            d.add_paragraph(b.text, style=base if b.depth == 0 else f"{base} {min(b.depth + 1, 3)}")
        elif b.kind == "row":
            rows = []
            while i < len(blocks) and blocks[i].kind == "row":
                rows.append(blocks[i].cells)
                i += 1
            ncols = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=ncols)
            for r, cells in enumerate(rows):
                for k, cell in enumerate(cells):
                    table.cell(r, k).text = cell
            continue
        else:
            d.add_paragraph(b.text)
        i += 1
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """A posting's text and name, and its blocks (computed once)."""

    text: str
    filename: str = "job.md"
    blocks: list[Block] = field(default_factory=list, compare=False)

    @classmethod
    def of(cls, text: str, filename: str = "job.md") -> "Posting":
        return cls(text, filename, posting_blocks(text, filename))


def _json(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


ShapeFn = Callable[[Posting, Style], tuple[bytes, str]]

SHAPE_FNS: dict[str, ShapeFn] = {
    "markdown": lambda p, s: (p.text.encode("utf-8"), p.filename),
    "paragraph": lambda p, s: (render_paragraph(p.blocks).encode("utf-8"), "job.txt"),
    "paragraph-punct": lambda p, s: (render_paragraph(p.blocks, punct=True).encode("utf-8"), "job.txt"),
    "html": lambda p, s: (render_html(p.blocks, s).encode("utf-8"), "job.html"),
    "escaped-html": lambda p, s: (_html.escape(render_html(p.blocks, s)).encode("utf-8"), "job.txt"),
    "html-page": lambda p, s: (render_page(p.blocks, s).encode("utf-8"), "job.txt"),
    "pdf": lambda p, s: (render_pdf(p.blocks), "job.pdf"),
    "docx": lambda p, s: (render_docx(p.blocks), "job.docx"),
    "greenhouse-json": lambda p, s: (_json(greenhouse_object(p.blocks, s)), "job.json"),
    "lever-json": lambda p, s: (_json(lever_object(p.blocks, s)), "posting.json"),
    "generic-json": lambda p, s: (_json(generic_object(p.blocks, s)), "job.json"),
}
SHAPES: tuple[str, ...] = tuple(SHAPE_FNS)


def render(shape: str, posting: Posting | str, filename: str = "job.md", style: Style = DEFAULT) -> tuple[bytes, str]:
    """(bytes, filename) of ``posting`` in ``shape``."""
    if isinstance(posting, str):
        posting = Posting.of(posting, filename)
    return SHAPE_FNS[shape](posting, style)


def render_text_shape(posting: Posting, style: Style = DEFAULT) -> tuple[bytes, str]:
    """The posting as line text in ``style`` (bullets, whitespace, CRLF) — the text variant hypothesis
    varies."""
    return render_text(posting.blocks, style).encode("utf-8"), "job.txt"


# --------------------------------------------------------------------------------------------
# Hypothesis strategies
# --------------------------------------------------------------------------------------------


def styles(**fixed):
    """A hypothesis strategy of ``Style``s (imported lazily: the bench does not need hypothesis).
    Keyword arguments pin a field (``styles(inner=" ")``)."""
    from hypothesis import strategies as st

    choices = {
        "heading": ["h", "h2", "h3", "strong-p", "b-colon-p"],
        "lists": ["li", "br"],
        "bullet": ["-", "*", "•", "1."],
        "pad": ["", " ", "\t", "\n", "\n  ", " \r\n"],
        "inner": [" ", "  ", "\t", " \u00a0"],
        "newline": ["\n", "\r\n"],
    }
    return st.builds(Style, **{k: st.just(fixed[k]) if k in fixed else st.sampled_from(v) for k, v in choices.items()})
