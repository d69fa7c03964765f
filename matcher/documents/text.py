"""Plain-text and Markdown bytes -> Document.

Decoding: a BOM wins (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a BOM is recognised by its
NUL pattern; otherwise strict UTF-8, then cp1252, then latin-1 (which never fails). Newlines are
normalized to ``\\n``. Markdown (recognised by ATX headings, links or ``**bold**``) loses its
syntax but keeps its lines: ``# Heading`` -> ``Heading``, ``**x**``/``__x__``/``*x*`` -> ``x``,
``[text](url)`` -> ``text``, fences/rules/table rules -> blank lines, table rows -> cells joined
by tabs. List markers (``-``, ``*``, ``+``) stay: they are bullets. JSON and nested YAML are
never treated as Markdown. Indentation and inner spacing are kept (the author typed them: aligned
columns, nested lists); odd Unicode spaces, zero-width and control characters are normalized
and trailing whitespace is dropped.
"""

from __future__ import annotations

import codecs
import re

from ..errors import EmptyDocument
from ..types import Document, HiddenText
from .detect import utf16_without_bom
from .limits import ReadLimits
from .normalize import tidy_text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings)."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(enc), enc, warnings
            except UnicodeDecodeError:
                warnings.append(f"invalid {enc} byte sequences replaced")
                return body.decode(enc, errors="replace"), enc, warnings
    enc16 = utf16_without_bom(data[:4096])
    if enc16 is not None:
        return data.decode(enc16, errors="replace"), enc16, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        warnings.append("not valid UTF-8: decoded as Windows-1252")
        return text, "cp1252", warnings
    except UnicodeDecodeError:
        warnings.append("not valid UTF-8: decoded as Latin-1")
        return data.decode("latin-1"), "latin-1", warnings


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s+\S+.*$")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
# An emphasis span never contains its own marker: a line of unmatched openers ("**a **a ...")
# then costs linear time, not quadratic (each opener scans only to the next marker).
_BOLD = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)((?:(?!~~).)+?)(?<=\S)~~")
_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)


_YAML_KEY = re.compile(r"^\s*[A-Za-z_][\w.-]*:(?:\s|$)")


def looks_like_structured_data(text: str) -> bool:
    """JSON, or YAML with nested keys: not prose, so no Markdown clean-up (``#`` is a comment)."""
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return True
    lines = [x for x in text.split("\n", 2000)[:2000] if x.strip() and not x.lstrip().startswith("#")]
    if not lines:
        return False
    keys = [x for x in lines if _YAML_KEY.match(x)]
    nested = any(x[:1] in (" ", "\t") for x in keys)
    return nested and len(keys) >= 0.5 * len(lines)


def looks_like_markdown(text: str) -> bool:
    if looks_like_structured_data(text):
        return False
    lines = text.split("\n", 2000)[:2000]
    if any(_ATX.match(x) and x.lstrip().startswith("#") and len(x.strip()) > 1 for x in lines):
        return True
    sample = "\n".join(lines)
    return bool(_LINK.search(sample) or _BOLD.search(sample) or _TABLE_RULE.search(sample))


def strip_markdown(text: str) -> str:
    """Markdown -> plain text, one output line per input line."""
    out: list[str] = []
    in_fence = False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.append(line)
            continue
        if _RULE.match(line) or _TABLE_RULE.match(line) or _REF_DEF.match(line):
            out.append("")
            continue
        if _SETEXT.match(line) and i > 0 and lines[i - 1].strip():
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        m = _ATX.match(line)
        if m and line.lstrip().startswith("#"):
            line = m.group(1)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 2:
            line = "\t".join(c.strip() for c in stripped[1:-1].split("|"))
        line = _HTML_BREAK.sub(" ", line)
        line = _LINK.sub(r"\1", line)
        line = _REF_LINK.sub(r"\1", line)
        line = _AUTOLINK.sub(r"\1", line)
        line = _CODE.sub(r"\1", line)
        line = _BOLD.sub(r"\2", line)
        line = _BOLD.sub(r"\2", line)  # nested ***x*** / **__x__**
        line = _STRIKE.sub(r"\1", line)
        line = _ITALIC.sub(r"\1", line)
        line = _ESCAPE.sub(r"\1", line)
        out.append(line)
    return "\n".join(out)


_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _pull_comments(text: str) -> tuple[str, list[HiddenText]]:
    """HTML comments (``<!-- ... -->``) never show when Markdown/HTML is rendered: they go to
    ``Document.hidden``; the text keeps one line break per line the comment spanned."""
    hidden: list[HiddenText] = []

    def cut(m: re.Match[str]) -> str:
        body = m.group(0)[4:].removesuffix("-->").strip()
        if body:
            hidden.append(HiddenText(text=body, reason="html_comment"))
        return "\n" * m.group(0).count("\n")

    return _HTML_COMMENT.sub(cut, text), hidden


def read_text(data: bytes, limits: ReadLimits) -> Document:
    text, _enc, warnings = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, hidden = _pull_comments(text)
    if hidden:
        warnings.append(f"{len(hidden)} HTML comment(s) hidden from readers: not counted")
    if looks_like_markdown(text):
        text = strip_markdown(text)
        warnings.append("Markdown syntax removed")
    text = tidy_text(text, keep_spacing=True)
    if not text.strip():
        raise EmptyDocument("the text file holds no text")
    return Document(text=text, format="text", hidden=tuple(hidden), warnings=tuple(warnings))
