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

import json
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Literal

from .documents import ReadLimits, detect_format, read_document
from .documents.text import decode_text
from .errors import DocumentTooLarge, EmptyDocument, RoleError
from .job_html import html_to_text, looks_like_escaped_html, looks_like_html, unescaped_markup
from .job_objects import ACCEPTED_KEYS_MESSAGE, classify, job_text_from_object, one_line, usajobs_parts

__all__ = [
    "front_matter_to_text",
    "html_to_text",
    "job_text",
    "job_text_from_bytes",
    "job_text_from_object",
    "looks_like_escaped_html",
    "looks_like_html",
]

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_JSON_SUFFIXES = frozenset({".json"})
#: Front matter: the keys kept (the rest of the header is dropped).
FRONT_MATTER_TITLE_KEY = "title"
FRONT_MATTER_PARAGRAPH_KEYS = ("description",)
#: Header keys holding a Markdown-ish list: (key, heading, the Liquid include that renders it in the body).
FRONT_MATTER_LIST_KEYS = (("key objectives", "Key objectives", "job/key_objectives.html"),)
#: A header is at most this many lines (the TTS template with its comments has ~120).
FRONT_MATTER_MAX_LINES = 400
#: Keys that make a header a YAML role spec, never front matter.
FRONT_MATTER_SPEC_KEYS = frozenset({"requirements", "requirement", "groups", "any_of", "min_years", "years_knockout"})


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
    if isinstance(data, Mapping) and usajobs_parts(data) is None:
        kind = classify(data)
        if kind in ("spec", "partial_spec"):
            return text  # a role spec: roles.py validates it and names a bad field
    return job_text_from_object(data)



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
    return one_line(text)


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
    if looks_like_html(text) or unescaped_markup(text) is not None:
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
    if declared == "html" or looks_like_html(text) or unescaped_markup(text) is not None:
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

