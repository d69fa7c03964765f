"""Job text with little line structure -> line-structured text (the step before ``roles.py``).

Scraped job boards and many ATS exports give a whole posting on one line; HTML flattened by a
careless exporter does the same. ``roles.py`` reads postings by their lines (headings, bullets), so
this step gives such text lines again:

1. A line is **run-on** when it is long (over :data:`RUN_ON_CHARS`) or carries an inline cue with a
   colon after its start ("... UNIX. Skills required for the position: PYTHON, Java"). Other lines
   pass through unchanged, so a posting that already has structure is read exactly as before.
2. In a run-on line, **section cues** (``vocab/jobs.py``: required, preferred, noise) are found
   where a heading would stand: capitalised, at the start, after a sentence end or a colon, or after
   a flattened list item; single-word cues ("Requirements", "Skills") only after a sentence end or
   before a colon, and never after an article or preposition ("the requirements of"). Each cue
   becomes a ``## heading`` line.
3. The text of each part is cut into **sentences and clauses**: at sentence ends and semicolons,
   at inline bullets (" • ", " - ", " * "), and before the words that start a requirement when a
   list lost its punctuation ("MSSQL 2012 or above Proficient with MVC"). Under a cue each piece is
   a bullet; before the first cue it stays prose.
4. With **no cue at all**, pieces that read like requirements (a starter word, "required", "must",
   "experience", "knowledge of", years) become bullets and the rest stays prose, so ``roles.py``'s
   "no requirements section" fallback reads the requirements and not the company blurb.

The first run-on line also yields a title line: its words up to the first sentence end, cue or
separator, at most :data:`TITLE_WORDS` words.
"""

from __future__ import annotations

import re

from .documents.normalize import BULLETS
from .vocab.jobs import (
    ABBREVIATIONS,
    BARE_CUES,
    NOISE_CUES,
    NOISE_HEADINGS_ONLY,
    PREFERRED_CUES,
    PROSE_BEFORE,
    REQUIRED_CUES,
    REQUIREMENT_STARTERS,
    TOOL_MODIFIERS,
)

__all__ = ["NOT_ABBREVIATION", "RUN_ON_CHARS", "cue_kind", "restructure"]

#: A line longer than this is read as run-on text.
RUN_ON_CHARS = 240
#: At most this many words of a run-on first line make the title.
TITLE_WORDS = 10


def _alternation(phrases) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


_CUE = re.compile(
    rf"(?<![\w'’-])(?:(?P<pref>{_alternation(PREFERRED_CUES)})|(?P<noise>{_alternation(NOISE_CUES)})"
    rf"|(?P<req>{_alternation(REQUIRED_CUES)}))(?![\w'’-])(?P<colon>\s*:)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:)\]#*]\s*$")  # "#"/"*": Markdown marks left in flattened text
#: Lookbehinds that keep an abbreviation's full stop from ending a sentence.
NOT_ABBREVIATION = "".join(rf"(?<!\b{re.escape(a)})" if a[0].isalpha() else rf"(?<!{re.escape(a)})" for a in ABBREVIATIONS)
_NOT_ABBREVIATION = NOT_ABBREVIATION

#: Bullet glyphs that start an item wherever they stand (the readers' bullet set, without the dash,
#: en dash and star, which only count with spaces around them).
_GLYPHS = re.escape("".join(c for c in BULLETS if c not in "-–*"))
_SPLIT = re.compile(
    rf"{_NOT_ABBREVIATION}(?<=[.!?;])\s+(?=[\"'“(\[]?[A-Z0-9•])"  # sentence ends (not "e.g.")
    r"|\s+[-–*](?=\s)\s+"  # inline bullets written with a dash or star
    rf"|\s*[{_GLYPHS}]\s*"  # bullet glyphs, spaced or not ("✓PyTorch and JAX ✓Distributed training")
    rf"|(?<=[\w+#)\]%])\s+(?=(?:{_alternation(REQUIREMENT_STARTERS)})\b)"  # a requirement starter after a word
    r"|(?<=[\w+#)\]%])\s+(?=\d{1,2}\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b)"  # "... 3+ years"
)
_REQUIREMENT_SIGNAL = re.compile(
    rf"^(?:{_alternation(REQUIREMENT_STARTERS)})\b|\b(?:required|requires?|must|experience|knowledge of|proficien\w*|"
    r"familiar\w*|expert\w*|skills? in|\d{1,2}\s*\+?\s*(?:years?|yrs?))\b",
    re.IGNORECASE,
)
_HAS_COLON_CUE = re.compile(r"\S.*?:\s*\S")
_TITLE_STOP = re.compile(r"[.!?:;|]\s|\s[-–—|]\s|\s\(|\n")


_KIND = {"req": "required", "pref": "preferred", "noise": "noise"}


_HEADING_ONLY = re.compile(rf"^\W*(?:{_alternation(NOISE_HEADINGS_ONLY)})\W*$", re.IGNORECASE)


def cue_kind(heading: str) -> str | None:
    """How a heading reads: ``required``, ``preferred``, ``noise`` (responsibilities, benefits...) or
    None (no cue). The longest cue in it decides; on a tie preferred beats noise beats required
    ("Preferred qualifications", "You'll need to accomplish the following" is duties)."""
    best: tuple[int, int, str] | None = None
    for m in _CUE.finditer(heading):
        kind = "pref" if m.group("pref") else "noise" if m.group("noise") else "req"
        rank = (m.end() - m.start(), {"pref": 2, "noise": 1, "req": 0}[kind])
        if best is None or rank > best[:2]:
            best = (*rank, kind)
    if best is None and _HEADING_ONLY.match(heading):
        return "noise"
    return _KIND[best[2]] if best else None


def _is_heading(line: str, m: re.Match[str]) -> bool:
    """A cue match stands where a heading would: capitalised, at a boundary, not inside prose."""
    word = m.group(0)
    if not word[:1].isupper():
        return False
    before = line[: m.start()].rstrip()
    if not before:
        return True
    prev = re.findall(r"[\w'’]+", before[-40:])
    prev_word = prev[-1].lower() if prev else ""
    at_boundary = bool(_SENTENCE_END.search(before)) or before.endswith(("•", "·", " -", "–", "*"))
    if before.endswith(","):
        return False
    bare = re.sub(r"\s+", " ", (m.group("pref") or m.group("noise") or m.group("req") or "").lower()) in BARE_CUES
    if bare:
        # after a sentence end or before a colon; or, where a list lost its line breaks, between a
        # word that isn't prose glue and a capitalised word ("... Kubernetes Benefits Health ...")
        nxt = line[m.end():].lstrip()
        flattened = prev_word not in PROSE_BEFORE and nxt[:1].isupper()
        return at_boundary or bool(m.group("colon")) or flattened
    if at_boundary:
        return True
    return prev_word not in PROSE_BEFORE


#: A clause that opens a sentence and ends in a colon: a heading when a cue is in it ("The
#: requirements for this role are to have:", "The primary responsibilities of this role are to:").
_COLON_CLAUSE = re.compile(r"(?:^|(?<=[.!?;#*]\s)|(?<=[#*]))([A-Z][^.!?;:#*\n]{0,90}):")


def _cues(line: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, heading text) of each cue that stands as a heading in ``line``."""
    clauses = []
    for m in _COLON_CLAUSE.finditer(line):
        kind = cue_kind(m.group(1))
        if kind is not None:
            clauses.append((m.start(1), m.end(), {"required": "req", "preferred": "pref"}.get(kind, kind), m.group(1)))
    out = list(clauses)
    for m in _CUE.finditer(line):
        if any(c[0] <= m.start() < c[1] for c in clauses):
            continue
        if _is_heading(line, m):
            kind = "pref" if m.group("pref") else "noise" if m.group("noise") else "req"
            out.append((m.start(), m.end(), kind, m.group(0).rstrip(": \t")))
    return sorted(out)


_CAP_AFTER_WORD = re.compile(r"(?<=[a-z)%])\s+(?=[A-Z][a-z])")


def _cut_flattened(text: str) -> list[str]:
    """Cut where a list lost its line breaks: a lowercase word followed by a capitalised word ("...
    engineering experience Production experience with ...", "... batch workloads Workflow
    orchestration with ..."), unless the lowercase word is prose glue ("with Apache Spark")."""
    out, last = [], 0
    for m in _CAP_AFTER_WORD.finditer(text):
        prev = re.findall(r"[\w'’]+", text[max(0, m.start() - 30) : m.start()])
        word = prev[-1].lower() if prev else ""
        if not prev or not prev[-1][:1].islower() or word in PROSE_BEFORE or word in TOOL_MODIFIERS or word.endswith("ing"):
            continue  # "with Apache Spark", "writing Go": the capitalised word belongs to the clause
        out.append(text[last : m.start()])
        last = m.end()
    out.append(text[last:])
    return out


def _pieces(text: str) -> list[str]:
    """Sentences, clauses and flattened list items of a run-on text."""
    return [p.strip(" \t-–*•·") for part in _SPLIT.split(text) for p in _cut_flattened(part) if p.strip(" \t-–*•·")]


_TITLE_GLUE = frozenset({"of", "and", "for", "in", "&", "to", "with", "the", "a", "an", "/", "-", "–", "—", "|", "@", "at"})


def _title_words(line: str) -> list[str]:
    """The title at the start of a run-on line: its leading capitalised words (with the glue words
    between them), up to a sentence end, a cue or :data:`TITLE_WORDS` words."""
    cues = _cues(line)
    head = line[: cues[0][0]] if cues else line
    stop = _TITLE_STOP.search(head)
    words: list[str] = []
    for w in (head[: stop.start() + 1] if stop else head).split()[:TITLE_WORDS]:
        if not (w[:1].isupper() or w[:1].isdigit() or w[:1] in ".(#+" or w.lower() in _TITLE_GLUE):
            break
        words.append(w)
    while words and words[-1].lower() in _TITLE_GLUE:
        words.pop()
    return words


def _run_on(line: str) -> bool:
    if len(line) > RUN_ON_CHARS:
        return True
    if not _HAS_COLON_CUE.match(line):
        return False
    return any(c[0] > 0 for c in _cues(line))


def _structure_line(line: str) -> list[str]:
    cues = _cues(line)
    out: list[str] = []
    if not cues:
        for piece in _pieces(line):
            out.append(f"- {piece}" if _REQUIREMENT_SIGNAL.search(piece) else piece)
            out.append("")
        return out
    pre = line[: cues[0][0]].strip()
    for piece in _pieces(pre):  # before the first cue: what reads like a requirement is an item
        out.extend([f"- {piece}" if _REQUIREMENT_SIGNAL.search(piece) else piece, ""])
    for i, (_start, end, _kind, heading) in enumerate(cues):
        stop = cues[i + 1][0] if i + 1 < len(cues) else len(line)
        out.extend(["", f"## {heading}", ""])
        out.extend(f"- {p}" for p in _pieces(line[end:stop]))
    out.append("")
    return out


def restructure(text: str) -> str:
    """``text`` with line structure given to its run-on lines (see the module docstring); text that
    has structure already comes back unchanged."""
    lines = text.splitlines()
    if not any(_run_on(ln) for ln in lines):
        return text
    out: list[str] = []
    titled = any(ln.strip() for ln in lines[:1]) and not _run_on(lines[0])
    for ln in lines:
        if not _run_on(ln):
            out.append(ln)
            continue
        if not titled and not any(o.strip() for o in out):
            words = _title_words(ln)
            if words:
                out.extend([f"# {' '.join(words)}", ""])
            titled = True
        out.extend(_structure_line(ln))
    return "\n".join(out)
