"""Character- and line-level clean-up shared by every reader.

``Document.text`` has one visual line per line, fragments of one visual line that sit far
apart (a right-aligned date, table cells) joined by a single tab, and blocks (paragraphs,
columns, tables, pages) separated by exactly one blank line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..text import GLUED_BULLETS, LINE_BULLETS, PUA_BULLETS

#: Bullet glyphs kept at line starts (and recognised by the hyphenation / layout code); the
#: private-use bullets readers map to glyphs. Both are defined in the text layer.
BULLETS = LINE_BULLETS

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def _table(soft_hyphen: str) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for c in range(0x20):
        if c not in (0x09, 0x0A):
            table[c] = None
    table[0x0B] = "\n"  # vertical tab (Word's manual line break in some exports)
    table[0x0C] = "\n"  # form feed
    table[0x0D] = "\n"
    table[0x7F] = None
    for c in range(0x80, 0xA0):
        table[c] = None
    table[0x85] = "\n"
    for ch in ("\u00a0", "\u1680", "\u202f", "\u205f", "\u3000", "\u2007", "\u2008"):
        table[ord(ch)] = " "
    for c in range(0x2000, 0x200B):
        table[c] = " "
    for ch in (
        "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e",  # zero-width
        "\u200e", "\u200f", "\u061c",  # direction marks
        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings / overrides
        "\u2066", "\u2067", "\u2068", "\u2069",  # bidi isolates
    ):
        table[ord(ch)] = None
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    table[0x00AD] = soft_hyphen or None
    table[0x2010] = "-"  # hyphen
    table[0x2011] = "-"  # non-breaking hyphen
    for k, v in _LIGATURES.items():
        table[ord(k)] = v
    for k, v in PUA_BULLETS.items():
        table[ord(k)] = v
    return table


_TABLE_DROP_SOFT = _table("")
# Some PDF producers (LuaTeX, Word) map the visible hyphen glyph to U+00AD: keep it as "-".
_TABLE_KEEP_SOFT = _table("-")

_MULTI_SPACE = re.compile(r" {2,}")
# starts only where a run of blanks starts: a long run without a tab stays linear
_TAB_RUN = re.compile(r"(?<![ \t])[ \t]*\t[ \t]*")
_BLANKS = re.compile(r"\n{3,}")
_BULLET_GLUED = re.compile(rf"^([{GLUED_BULLETS}])(?=[^\s{GLUED_BULLETS}])")


#: "(cid:72)": a glyph id a PDF converter wrote out as text when an icon font's glyph had no
#: Unicode mapping (bullets, phone and mail icons), left in Word files made from PDFs.
_CID_JUNK = re.compile(r"[ \t]?\(cid:\d{1,5}\)")


def normalize_chars(text: str, *, soft_hyphen_is_hyphen: bool = False) -> str:
    """Map ligatures, odd spaces, private-use bullets; drop control and zero-width characters and
    "(cid:N)" glyph junk."""
    if "(cid:" in text:
        text = _CID_JUNK.sub("", text)
    return text.translate(_TABLE_KEEP_SOFT if soft_hyphen_is_hyphen else _TABLE_DROP_SOFT)


def clean_label(value: str, *, max_len: int | None = None) -> str:
    """A one-line piece of user text as stored and shown (a name, a file name, a label, a title):
    control characters (Cc) and format characters (Cf: bidi overrides and isolates such as U+202E,
    zero-width joiners, BOMs) dropped, line and paragraph separators and odd spaces made plain
    spaces, runs of spaces collapsed and the ends stripped; cut to ``max_len`` when given.

    ``"Ann \u202efdp.exe"`` (which a browser shows as "Ann exe.pdf") becomes ``"Ann fdp.exe"``."""
    if not value.isascii() or not value.isprintable():
        value = "".join(
            " " if (cat := unicodedata.category(c)) in ("Zs", "Zl", "Zp") or c in "\t\n\r\x0b\x0c\x85"
            else "" if cat in ("Cc", "Cf") else c
            for c in value
        )
    if "  " in value:
        value = _MULTI_SPACE.sub(" ", value)
    value = value.strip()
    return value[:max_len].rstrip() if max_len is not None and len(value) > max_len else value


def clean_line(line: str) -> str:
    """Collapse runs of spaces, keep one tab between far-apart fragments, strip both ends."""
    if "\t" in line:
        line = _TAB_RUN.sub("\t", line)
    if "  " in line:
        line = _MULTI_SPACE.sub(" ", line)
    line = line.strip(" \t")
    if line and line[0] in GLUED_BULLETS:
        line = _BULLET_GLUED.sub(r"\1 ", line)
    return line


def join_blocks(blocks: Iterable[Iterable[str]]) -> str:
    """Blocks of lines -> text: lines cleaned, one blank line between non-empty blocks."""
    out: list[str] = []
    for block in blocks:
        lines = [clean_line(x) for x in block]
        # an empty line inside a block is a paragraph break: keep one
        text = "\n".join(lines).strip("\n")
        if text:
            out.append(_BLANKS.sub("\n\n", text))
    return "\n\n".join(out)


def tidy_text(text: str, *, soft_hyphen_is_hyphen: bool = False, keep_spacing: bool = False) -> str:
    """Full clean-up of a text: characters, each line, and blank-line runs.

    With ``keep_spacing`` (plain-text uploads) a line keeps its indentation and inner spacing,
    which the author typed on purpose (aligned columns, nested lists, YAML); only trailing
    whitespace goes. Otherwise lines are cleaned with :func:`clean_line`.
    """
    text = normalize_chars(text.replace("\r\n", "\n"), soft_hyphen_is_hyphen=soft_hyphen_is_hyphen)
    if keep_spacing:
        lines = [_glue_bullet(x.rstrip()) for x in text.split("\n")]
    else:
        lines = [clean_line(x) for x in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")


def _glue_bullet(line: str) -> str:
    stripped = line.lstrip(" \t")
    if stripped and stripped[0] in GLUED_BULLETS:
        return line[: len(line) - len(stripped)] + _BULLET_GLUED.sub(r"\1 ", stripped)
    return line


# ---------------------------------------------------------------------------------------------
# Hyphenated line breaks
# ---------------------------------------------------------------------------------------------

#: First halves that usually start a real compound ("open-source", "cross-functional"): keep "-".
COMPOUND_PREFIXES = frozenset(
    """
    anti back based big co cloud cost cross data day de deep e end event fast front full half
    hand high in large long low machine mid multi near next non off on one open out over part
    peer post pre real record re self semi server single small state sub super test third time
    top two under up user web well wide world zero
    """.split()
)

#: Second halves that are usually a suffix or the tail of a closed compound ("frame-/work"),
#: so the hyphen was inserted by hyphenation.
HYPHENATION_SUFFIXES = frozenset(
    """
    tion tions sion sions ment ments ing ings ity ities ness able ible ably ibly ance ence ant
    ent ized ised izing ising ization isation ational ally ical ically ive ively ous ously ure
    ures ology ologies ist ists ism ture tures ager agers neer neers
    work works ware base bases book books board boards flow flows place line lines
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_HYPHEN_END = re.compile(r"(?:(?<=\s)|^)([^\W\d_][^\W\d_'’]*(?:-[^\W\d_]+)*)-$", re.UNICODE)
_LOWER_START = re.compile(r"^([a-zà-öø-ÿ][^\s]*)(\s*)(.*)$", re.UNICODE)


def vocabulary(blocks: Iterable[list[str]]) -> tuple[Counter[str], Counter[str]]:
    """Lower-cased words (hyphen-split parts included) and whole hyphenated compounds.

    The two halves of a word broken at a line end ("oper-" / "ation") are left out, so they
    can't vouch for themselves.
    """
    words: Counter[str] = Counter()
    compounds: Counter[str] = Counter()
    for lines in blocks:
        for i, line in enumerate(lines):
            if line.endswith("-"):
                line = line.rsplit(None, 1)[0] if " " in line.strip() else ""
            if i > 0 and lines[i - 1].endswith("-"):
                parts = line.split(None, 1)
                line = parts[1] if len(parts) > 1 else ""
            for m in _WORD.finditer(line):
                w = m.group(0).lower()
                if "-" in w:
                    compounds[w] += 1
                    words.update(w.split("-"))
                else:
                    words[w] += 1
    return words, compounds


def join_hyphenated(
    lines: list[str], words: Counter[str], compounds: Counter[str]
) -> list[str]:
    """Repair words broken across two consecutive lines with a trailing hyphen.

    The rest of the word moves up to the first line, so the line count never grows. The hyphen
    is dropped when the whole word is known from elsewhere in the document or the second half
    looks like a suffix ("develop-/ment"); it is kept when the compound is known, the first
    half is a common compound-former ("open-/source", "cloud-/native") or the second half is a
    word seen elsewhere ("community-/driven"); otherwise it is dropped ("opti-/mization"). A
    break is only touched when the next line starts with a lower-case letter.
    """
    out = list(lines)
    for i in range(len(out) - 1):
        cur = out[i]
        if not cur.endswith("-") or cur.endswith("--"):
            continue
        m = _HYPHEN_END.search(cur)
        if not m:
            continue
        nxt = out[i + 1]
        n = _LOWER_START.match(nxt)
        if not n:
            continue
        head = m.group(1)
        tail_word = n.group(1)
        # split trailing punctuation off the continuation ("mization," -> "mization" + ",")
        core = re.match(r"[^\W\d_]+", tail_word)
        if not core:
            continue
        tail = core.group(0)
        last_part = head.rsplit("-", 1)[-1].lower()
        joined = (head.replace("-", "") + tail).lower() if "-" not in head else None
        compound = f"{head}-{tail}".lower()
        if joined and words.get(joined, 0) > 0 and compounds.get(compound, 0) == 0:
            glue = ""
        elif compounds.get(compound, 0) > 0:
            glue = "-"
        elif tail.lower() in HYPHENATION_SUFFIXES and last_part not in COMPOUND_PREFIXES:
            glue = ""
        elif last_part in COMPOUND_PREFIXES or (len(tail) > 2 and words.get(tail.lower(), 0) > 0):
            glue = "-"
        else:
            glue = ""
        out[i] = cur[:-1] + glue + tail_word
        rest = n.group(3)
        out[i + 1] = rest
    return [x for j, x in enumerate(out) if x or lines[j] == ""]


# ---------------------------------------------------------------------------------------------
# Look-alike letters
# ---------------------------------------------------------------------------------------------

_CONFUSABLE = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")  # Greek, Cyrillic (+ supplement)
_LATIN = re.compile(r"[A-Za-z]")
_WORD_RUN = re.compile(r"\w+")


def mixed_script_words(text: str, limit: int = 5) -> list[str]:
    """Distinct words mixing Latin letters with Cyrillic or Greek ones (``Руthon``: look-alike
    letters that keep a skill name from matching, on purpose or by a keyboard slip), at most
    ``limit``, in order. Zero-width and format characters are gone already (:func:`normalize_chars`);
    look-alikes are not folded: they are reported, and don't match."""
    if not _CONFUSABLE.search(text):
        return []
    out: list[str] = []
    for m in _WORD_RUN.finditer(text):
        w = m.group(0)
        if w not in out and _LATIN.search(w) and _CONFUSABLE.search(w):
            out.append(w)
            if len(out) >= limit:
                break
    return out
