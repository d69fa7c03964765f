"""The text layer: bullet characters, lines and heading shapes, shared by every reader of text.

Bullets
    One table of glyphs. ``LIST_GLYPHS`` mark a list item wherever they start a line;
    ``ORNAMENT_GLYPHS`` mark list items too but also frame headings ("★ SKILLS ★"), so a heading
    reader must not take them for bullets; ``RARE_GLYPHS`` are check boxes, arrows and crosses;
    ``PUNCT_BULLETS`` (hyphen, dash, asterisk, middle dot) mark list items but are punctuation as
    well. Word's Symbol and Wingdings fonts draw bullets from private-use code points
    (``SYMBOL_FONT_BULLETS``, more in ``PUA_BULLETS``); readers map them to the glyph they show.
    Every set a rule needs is derived from these:

    - ``HARD_BULLETS``: a line starting with one is a list item, never a heading (sections,
      extraction's clause boundaries, job texts);
    - ``LINE_BULLETS``: glyphs kept at line starts by the readers (``documents.normalize.BULLETS``);
    - ``GLUED_BULLETS``: glyphs a reader separates from a word glued to them ("•Python");
    - ``ITEM_MARKS``: what starts a list item inside a résumé's experience section;
    - ``TOKEN_PREFIX_BULLETS``: what the tokenizer splits off the front of a token.

Lines
    ``lines(text)`` gives the non-blank lines of a text as ``(start, end, blank_before)`` offsets,
    stripped of outer blanks. A very long physical line with runs of 2+ spaces (text flattened onto
    one line by an export) is cut at those runs, as if each were a line break; a run of 4+ spaces
    counts as a blank line.

Heading shapes
    ``fold`` folds a would-be heading for lookup in a phrase table (lower case, no accents, "&"
    and "+" -> "and", hyphens -> spaces, single spaces); ``clean_heading`` strips the decoration
    around a standalone heading ("## Experience", "— SKILLS —", "1. Education:", "S K I L L S")
    and rejects bullet items.

Marked lines
    ``marked_lines(text, cue)`` reads a Markdown-like text (what job descriptions are, and what
    ``matcher.job_input`` writes) line by line as headings, list items and prose: Markdown and
    Setext headings, bold or all-caps or Title Case short lines, lines ending in ":", a bare
    section name that ``cue`` knows, a short isolated line; a hard-wrapped line is never a heading.
    ``NOT_ABBREVIATION`` keeps "e.g." and "Inc." from ending a sentence.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .vocab.jobs import ABBREVIATIONS

__all__ = [
    "LIST_GLYPHS",
    "ORNAMENT_GLYPHS",
    "RARE_GLYPHS",
    "PUNCT_BULLETS",
    "SYMBOL_FONT_BULLETS",
    "PUA_BULLETS",
    "HARD_BULLETS",
    "LINE_BULLETS",
    "GLUED_BULLETS",
    "ITEM_MARKS",
    "TOKEN_PREFIX_BULLETS",
    "BLANKS",
    "Line",
    "lines",
    "doc_lines",
    "section_lines",
    "skip_blanks",
    "trim_blanks",
    "DECOR",
    "fold",
    "clean_heading",
    "has_digit",
    "NOT_ABBREVIATION",
    "CueKind",
    "MarkedLine",
    "clean_markdown",
    "is_lead_in",
    "marked_lines",
]

# --------------------------------------------------------------------------------------------
# Bullets: the one table
# --------------------------------------------------------------------------------------------

#: Glyphs that mark a list item wherever they start a line.
LIST_GLYPHS = "•●▪■◦○‣∙⁃➢►▶✓✔❖"
#: Glyphs that mark list items but also frame headings ("★ SKILLS ★", "◆ Experience ◆").
ORNAMENT_GLYPHS = "▸◆◇★"
#: Check boxes, arrows and crosses some résumés use as bullets.
RARE_GLYPHS = "□➤✗"
#: Hyphen, en dash, asterisk and middle dot: list markers that are punctuation too.
PUNCT_BULLETS = "–-*·"
#: Private-use code points Word's Symbol and Wingdings fonts draw bullets with -> the glyph shown.
SYMBOL_FONT_BULLETS: dict[str, str] = {
    "\uf0b7": "•",  # Symbol bullet (Word's default)
    "\uf0a7": "▪",  # Wingdings square
    "\uf0d8": "➢",
    "\uf0fc": "✓",
    "\uf076": "❖",
    "\uf06e": "▪",
}
#: Every private-use code point PDFs and Word files use for list bullets -> the glyph shown.
PUA_BULLETS: dict[str, str] = {
    **SYMBOL_FONT_BULLETS,
    "\uf0a8": "▪",
    "\uf0e0": "➢",
    "\uf0d5": "•",
    "\uf02d": "-",
    "\uf0be": "•",
    "\uf095": "•",
}

#: A line starting with one of these is a list item, never a heading.
HARD_BULLETS = LIST_GLYPHS + RARE_GLYPHS + "".join(SYMBOL_FONT_BULLETS)
#: Glyphs the readers keep at line starts (the hyphenation and layout code knows them).
LINE_BULLETS = LIST_GLYPHS + ORNAMENT_GLYPHS + PUNCT_BULLETS
#: Glyphs a reader separates from a word glued to them ("•Python" -> "• Python").
GLUED_BULLETS = LIST_GLYPHS + ORNAMENT_GLYPHS
#: What starts a list item inside a résumé's experience section: every bullet, the punctuation
#: bullets, an em dash, a quote mark and a section sign.
ITEM_MARKS = frozenset(HARD_BULLETS + PUNCT_BULLETS + "—>§")
#: What the tokenizer splits off the front of a token ("•Kubernetes", "→Docker", "»Go").
TOKEN_PREFIX_BULLETS: tuple[str, ...] = tuple(
    dict.fromkeys(LIST_GLYPHS + ORNAMENT_GLYPHS + RARE_GLYPHS + "·→»")
)

# --------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------

#: Blanks inside a line (a line's ends are stripped of these).
_WS_CHARS = " \t\r\u00a0\f\v"
#: Blanks between a heading and its body, or at the end of a span.
BLANKS = " \t\r\n\u00a0"
_MULTISPACE_RE = re.compile(r"[ \t\u00a0]{2,}")
_LONG_LINE = 300
Line = tuple[int, int, bool]  # start, end (exclusive, no newline), blank line before


def _flattened(text: str, pos: int, n: int, s: int, e: int) -> bool:
    """Whether the physical line ``text[pos:pos+n]`` (content ``s:e``) is text flattened onto one
    line: over ``_LONG_LINE`` characters with 5+ runs of two spaces. Decided on the whole physical
    line, so a slice cuts at the same places as the full text."""
    if e - s <= 80:
        return False
    end = pos + n
    ps = pos if pos == 0 or text[pos - 1] == "\n" else text.rfind("\n", 0, pos) + 1
    pe = end if end == len(text) or text[end] == "\n" else text.find("\n", end)
    if pe < 0:
        pe = len(text)
    return pe - ps > _LONG_LINE and text.count("  ", ps, pe) >= 5


def lines(text: str, lo: int = 0, hi: int | None = None) -> list[Line]:
    """Non-blank lines of ``text[lo:hi]`` as (start, end, blank_before), stripped of outer blanks.

    A flattened physical line (see the module docstring) is cut at its runs of 2+ spaces; a run
    of 4+ spaces counts as a blank line.
    """
    if hi is None:
        hi = len(text)
    out: list[Line] = []
    append = out.append
    pos = lo
    blank = True
    ws = _WS_CHARS
    for raw in text[lo:hi].split("\n"):
        n = len(raw)
        left = raw.lstrip(ws)
        if not left:
            blank = True
            pos += n + 1
            continue
        s = pos + n - len(left)
        e = s + len(left.rstrip(ws))
        if _flattened(text, pos, n, s, e):
            seg = s
            for m in _MULTISPACE_RE.finditer(text, s, e):
                if m.start() > seg:
                    append((seg, m.start(), blank))
                blank = m.end() - m.start() >= 4
                seg = m.end()
            if seg < e:
                append((seg, e, blank))
        else:
            append((s, e, blank))
        blank = False
        pos += n + 1
    return out


@lru_cache(maxsize=8)
def doc_lines(text: str) -> tuple[list[Line], list[int]]:
    """``lines(text)`` and their starts, kept for the few most recent texts (str hashes are cached,
    so looking the same document up again costs next to nothing)."""
    found = lines(text)
    return found, [ln[0] for ln in found]


def section_lines(text: str, lo: int, hi: int) -> list[Line]:
    """The lines of ``text[lo:hi]``, taken from the whole document's lines."""
    all_lines, starts = doc_lines(text)
    i = bisect.bisect_right(starts, lo) - 1
    out: list[Line] = []
    if i >= 0:
        s, e, b = all_lines[i]
        if e > lo and s < lo:  # the body of an inline heading starts mid-line
            s2 = lo
            while s2 < e and text[s2] in _WS_CHARS:
                s2 += 1
            if s2 < min(e, hi):
                out.append((s2, min(e, hi), b))
    j = bisect.bisect_left(starts, lo)
    while j < len(all_lines) and all_lines[j][0] < hi:
        s, e, b = all_lines[j]
        out.append((s, min(e, hi), b))
        j += 1
    return out


def skip_blanks(text: str, start: int, end: int) -> int:
    """The first offset in ``start..end`` that is not a blank (``end`` if there is none)."""
    while start < end and text[start] in BLANKS:
        start += 1
    return start


def trim_blanks(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing blanks, never before ``start``."""
    while end > start and text[end - 1] in BLANKS:
        end -= 1
    return end


# --------------------------------------------------------------------------------------------
# Heading shapes
# --------------------------------------------------------------------------------------------

#: Characters that decorate a heading ("## Experience", "— SKILLS —", "[ Education ]", "★ Skills ★").
DECOR = (
    "#*=_~-—–‒―|<>[](){}:.»«/\\" + LIST_GLYPHS + ORNAMENT_GLYPHS + RARE_GLYPHS + "·☆✦✧◉⬛⬜"
    + " \t\u00a0"
)
_NUMBERING_RE = re.compile(r"^(?:\d{1,2}|[IVXivx]{1,4}|[A-Ha-h])[.)]\s+")
#: "S K I L L S", "W O R K  E X P E R I E N C E": one letter and a space, words apart by 2+.
LETTER_SPACED_RE = re.compile(r"^(?:[^\W\d_] ){2,}[^\W\d_](?:\s{2,}(?:[^\W\d_] )*[^\W\d_])*$")
_NON_WORD_RE = re.compile(r"[^a-z/|,' ]+")
_SPACES_RE = re.compile(r"\s+")
_DIGIT_RE = re.compile(r"\d")


@lru_cache(maxsize=4096)
def fold(s: str) -> str:
    """A phrase as heading tables spell it: "Skills & Tools" -> "skills and tools", "Éducation"
    -> "education", "E-Mail" -> "e mail"; only letters, "/", "|", "," and "'" are kept."""
    s = s.lower().replace("&", " and ").replace("+", " and ").replace("’", "'")
    if not s.isascii():
        s = "".join(
            c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
        )
    s = _NON_WORD_RE.sub(" ", s.replace("-", " "))
    return _SPACES_RE.sub(" ", s).strip(" ,'")


def clean_heading(raw: str) -> tuple[str, bool] | None:
    """Strip decoration from a would-be standalone heading: (clean text, had a trailing colon).

    None for a bullet item ("• Experience in Python", "- Experience in Python"); "— Experience —"
    is decoration, not a dash bullet.
    """
    s = raw.strip()
    if not s:
        return None
    first, last = s[0], s[-1]
    if first in HARD_BULLETS or s.startswith(("o ", "\\x")):
        return None  # a bullet item, never a heading
    if first in "-–—*" and last not in DECOR:
        return None  # "- Experience in Python": a dash bullet; "— Experience —" is decoration
    colon = s.rstrip(" \t_-—–=*#~").endswith((":", "："))
    s = _NUMBERING_RE.sub("", s)
    s = s.strip(DECOR + "：")
    if not s:
        return None
    if LETTER_SPACED_RE.match(s):
        s = " ".join(w.replace(" ", "") for w in re.split(r"\s{2,}", s))
    return s, colon


# --------------------------------------------------------------------------------------------
# Markdown-like line shapes (job descriptions, and what matcher.job_input writes)
# --------------------------------------------------------------------------------------------

#: The start of a list item in a Markdown-like line: a bullet glyph, "-" / "·" / "*" (not "**"), a
#: number or a letter with "." or ")", then perhaps a check mark ("- ✓ PyTorch").
MARKDOWN_ITEM_RE = re.compile(rf"^\s*(?:[-·{HARD_BULLETS}]|\*(?!\*)|\d{{1,2}}[.)]|[a-z][.)])\s*(?:[✓✔]\s*)?")
#: Markdown decoration a line's text is read without: "## " heading marks, "**" / "__" emphasis, "> ".
MARKDOWN_DECOR_RE = re.compile(r"^\s*#{1,6}\s*|\*\*|__|^\s*>\s?")
#: A Setext underline ("=====" or "-----") that makes the line above it a heading.
SETEXT_RULE_RE = re.compile(r"^\s*(?:=+|-+)\s*$")


def has_digit(s: str) -> bool:
    """Whether ``s`` holds a digit (headings never do)."""
    return _DIGIT_RE.search(s) is not None


# --------------------------------------------------------------------------------------------
# Marked lines: the heading / item reading of a Markdown-like text (job descriptions)
# --------------------------------------------------------------------------------------------

#: Lookbehinds that keep an abbreviation's full stop ("e.g.", "Inc.") from ending a sentence.
NOT_ABBREVIATION = "".join(
    rf"(?<!\b{re.escape(a)})" if a[0].isalpha() else rf"(?<!{re.escape(a)})" for a in ABBREVIATIONS
)

#: What tells a heading's kind from its text ("Requirements" -> "required"); None: not a cue.
CueKind = Callable[[str], "str | None"]


@dataclass(frozen=True)
class MarkedLine:
    """One physical line of a Markdown-like text, read as a heading, a list item or prose."""

    text: str  #: the line without Markdown decoration and without its bullet
    raw: str
    bullet: bool
    heading: bool


def clean_markdown(line: str) -> str:
    """A line's text without "## ", "**", "__" and "> " decoration."""
    return MARKDOWN_DECOR_RE.sub("", line).replace("**", "").strip()


#: A line that is only a section name, perhaps with a short lead ("Our requirements", "Bonus points").
_CUE_LINE = re.compile(r"^(?:(?:our|your|the|key|some|other|additional|a few)\s+)?[\w'’ &/-]+$", re.IGNORECASE)
_MID_SENTENCE_END = re.compile(NOT_ABBREVIATION + r"[.!?]\s+[A-Z]")  # "... (or equivalent). Specialized ..."
_LEAD_IN = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’(),/-]+){3,}:$")
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL_WORDS = frozenset(
    "a an the of for and in to on with we you our at by or is are".split()
)
_OPEN_END = re.compile(r"(?:,|\b(?:and|or|of|the|a|an|with|to|for|in|on|as|at|by|from|between|into|including|"
                       r"such as|like|than|per|via|using|across|through|e\.g\.|i\.e\.))\s*$", re.IGNORECASE)


def is_lead_in(text: str) -> bool:
    """A sentence-case line that introduces a list ("Specialized experience is defined as
    follows:"): it names no section, so the section it stands in goes on."""
    body = text.strip()
    words = body.rstrip(":").split()
    return bool(_LEAD_IN.match(body)) and sum(w[:1].islower() for w in words[1:]) >= 2


def _heading_shape(raw: str, next_raw: str | None, cue: CueKind) -> bool:
    """Whether ``raw`` is shaped like a heading: a Markdown or Setext heading, a short line ending
    in ":", bold, all capitals or Title Case, or a bare section name that ``cue`` knows."""
    s = raw.strip()
    if not s or (MARKDOWN_ITEM_RE.match(s) and not s.startswith(("#", "**"))):
        return False
    if s.startswith("#") or (next_raw is not None and next_raw.strip() and SETEXT_RULE_RE.match(next_raw)):
        return True
    body = clean_markdown(s).rstrip(":").strip()
    if not body or _MID_SENTENCE_END.search(body):
        return False
    if s.endswith(":") and len(body) <= 160 and cue(body) is not None:
        return True  # "Strong candidates will have experience with, or a desire to learn, some of the following:"
    if len(body) > 80 or len(body.split()) > 12:
        return False
    if (s.startswith("**") and s.rstrip(":").endswith("**")) or s.endswith(":"):
        return True
    if body.endswith((".", ",", ";", "?", "!")) or "|" in body:
        return False
    letters = [c for c in body if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    if len(body.split()) <= 6 and cue(body) is not None and _CUE_LINE.match(body):
        return True  # a bare section name on its own line ("Bonus points", "Nice to have", "What you'll do")
    words = _TITLE_WORD.findall(body)
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _isolated_heading(raw: str, prev_raw: str | None, next_raw: str | None) -> bool:
    """A short line with no closing punctuation, after a blank line and before a blank line or a
    bullet: a heading even in sentence case ("What you'll do", "Preferred qualifications")."""
    s = clean_markdown(raw).rstrip(":").strip()
    if not s or len(s) > 60 or len(s.split()) > 7 or s.endswith((".", ",", ";", "!", "?")):
        return False
    if prev_raw is not None and prev_raw.strip():
        return False
    return next_raw is None or not next_raw.strip() or bool(MARKDOWN_ITEM_RE.match(next_raw)) or next_raw[:1] in (" ", "\t")


def _continues(raw: str, prv: str | None) -> bool:
    """``raw`` carries on the line before it (a hard-wrapped line): that line leaves a bracket open
    or ends on a comma or a joining word, and ``raw`` has no heading mark of its own."""
    s = raw.strip()
    if prv is None or not prv.strip() or s.startswith(("#", "**")) or s.endswith(":") or MARKDOWN_ITEM_RE.match(raw):
        return False
    p = prv.rstrip()
    return p.count("(") > p.count(")") or bool(_OPEN_END.search(p))


def marked_lines(text: str, cue: CueKind) -> list[MarkedLine]:
    """Each line of a Markdown-like text, marked heading, list item or prose (Setext underlines
    dropped); ``cue`` names the section words a sentence-case heading may be."""
    raw_lines = text.splitlines()
    out = []
    for i, raw in enumerate(raw_lines):
        if i > 0 and raw.strip() and SETEXT_RULE_RE.match(raw):
            continue
        nxt = raw_lines[i + 1] if i + 1 < len(raw_lines) else None
        prv = raw_lines[i - 1] if i > 0 else None
        item = bool(MARKDOWN_ITEM_RE.match(raw))
        heading = _heading_shape(raw, nxt, cue) or (not item and _isolated_heading(raw, prv, nxt))
        if heading and _continues(raw, prv):
            heading = False  # a wrapped line ("Compute Engine, RackSpace/OpenStack)") is no heading
        bullet = item and not heading
        out.append(MarkedLine(
            text=clean_markdown(MARKDOWN_ITEM_RE.sub("", raw, count=1) if bullet else raw),
            raw=raw, bullet=bullet, heading=heading,
        ))
    return out
