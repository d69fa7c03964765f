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
from functools import lru_cache

from .documents.normalize import BULLETS
from .text import NOT_ABBREVIATION
from .vocab.jobs import (
    BARE_CUES,
    NOISE_CUES,
    NOISE_HEADINGS_ONLY,
    PREFERRED_CUES,
    PROSE_BEFORE,
    REQUIRED_CUES,
    REQUIREMENT_STARTERS,
    TOOL_MODIFIERS,
)

__all__ = ["RUN_ON_CHARS", "cue_kind", "restructure"]

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


#: What each named group of ``_CUE`` reads as, and which wins a tie of equal length.
_KIND = {"pref": "preferred", "noise": "noise", "req": "required"}
_TIE_RANK = {"pref": 2, "noise": 1, "req": 0}
_HEADING_ONLY = re.compile(rf"^\W*(?:{_alternation(NOISE_HEADINGS_ONLY)})\W*$", re.IGNORECASE)


def _group(m: re.Match[str]) -> str:
    return "pref" if m.group("pref") else "noise" if m.group("noise") else "req"


@lru_cache(maxsize=8192)
def cue_kind(heading: str) -> str | None:
    """How a heading reads: ``required``, ``preferred``, ``noise`` (responsibilities, benefits...) or
    None (no cue). The longest cue in it decides; on a tie preferred beats noise beats required
    ("Preferred qualifications", "You'll need to accomplish the following" is duties)."""
    best = max(((m.end() - m.start(), _TIE_RANK[_group(m)], _group(m)) for m in _CUE.finditer(heading)), default=None)
    if best is None:
        return "noise" if _HEADING_ONLY.match(heading) else None
    return _KIND[best[2]]


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


#: A cue standing as a heading in a run-on line: (start, end, the heading text).
Cue = tuple[int, int, str]


def _cues(line: str) -> list[Cue]:
    """Each cue that stands as a heading in ``line``: colon clauses that carry a cue, and the cue
    phrases themselves where a heading would stand (``_is_heading``)."""
    clauses = [(m.start(1), m.end(), m.group(1)) for m in _COLON_CLAUSE.finditer(line) if cue_kind(m.group(1))]
    out = list(clauses)
    for m in _CUE.finditer(line):
        if not any(c[0] <= m.start() < c[1] for c in clauses) and _is_heading(line, m):
            out.append((m.start(), m.end(), m.group(0).rstrip(": \t")))
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


def _title_words(line: str, cues: list[Cue]) -> list[str]:
    """The title at the start of a run-on line: its leading capitalised words (with the glue words
    between them), up to a sentence end, a cue or :data:`TITLE_WORDS` words."""
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


def _run_on_cues(line: str) -> list[Cue] | None:
    """The heading cues of a run-on line (long, or with a cue and a colon after its start); None
    for a line that has structure already and passes through unchanged."""
    long = len(line) > RUN_ON_CHARS
    if not long and not _HAS_COLON_CUE.match(line):
        return None
    cues = _cues(line)
    return cues if long or any(c[0] > 0 for c in cues) else None


def _items(text: str) -> list[str]:
    """What reads like a requirement is an item ("- ..."), the rest stays prose."""
    out: list[str] = []
    for piece in _pieces(text):
        out.extend([f"- {piece}" if _REQUIREMENT_SIGNAL.search(piece) else piece, ""])
    return out


def _structure_line(line: str, cues: list[Cue]) -> list[str]:
    if not cues:
        return _items(line)
    out = _items(line[: cues[0][0]].strip())  # before the first cue
    for i, (_start, end, heading) in enumerate(cues):
        stop = cues[i + 1][0] if i + 1 < len(cues) else len(line)
        out.extend(["", f"## {heading}", ""])
        out.extend(f"- {p}" for p in _pieces(line[end:stop]))
    out.append("")
    return out


def restructure(text: str) -> str:
    """``text`` with line structure given to its run-on lines (see the module docstring); text that
    has structure already comes back unchanged."""
    lines = text.splitlines()
    found = [_run_on_cues(ln) for ln in lines]
    if all(cues is None for cues in found):
        return text
    out: list[str] = []
    titled = bool(lines) and bool(lines[0].strip()) and found[0] is None
    for ln, cues in zip(lines, found, strict=True):
        if cues is None:
            out.append(ln)
            continue
        if not titled and not any(o.strip() for o in out):
            words = _title_words(ln, cues)
            if words:
                out.extend([f"# {' '.join(words)}", ""])
            titled = True
        out.extend(_structure_line(ln, cues))
    return "\n".join(out)
