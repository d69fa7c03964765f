"""Learned mention detector: tool and technology names the taxonomy's phrase matcher does not know.

A small spaCy pipeline (hash-embedding ``tok2vec`` and a ``spancat`` span categorizer with one
label, ``TOOL``), trained in the repository from the Dotin résumés' ``Tech Tools`` labels and the
labelled set by ``python scripts/train_detector.py`` (fixed seeds, CPU, no downloads) and shipped
in ``matcher/models/detector/``. It runs on the same tokens as the phrase matcher (the project's
tokenizer, ``matcher.nlp.build_nlp``), so an ``extraction`` Doc can be passed in as it is.

API::

    detect_mentions(doc_or_text, detector=None, *, skill_matcher=None, sections=(), threshold=None,
                    require_context=True, text=None) -> tuple[DetectedMention, ...]

    DetectedMention(text, key, start, end, score, version=None, skill_id=None, modality="asserted")
        text      the surface form, Document.text[start:end] ("WinRunner 7.6")
        key       normalize_key(text): lower case, no version, no vendor prefix ("winrunner")
        start/end character span in the text
        score     the span categorizer's probability that the span names a tool (0..1)
        version   the version read off the surface form ("7.6"), or None
        skill_id  the taxonomy skill the name resolves to (only with ``skill_matcher``), else None
        modality  asserted / negated / aspiration, by the same clause rules as phrase-matcher mentions

    normalize_key(surface) -> str          (re-exported from matcher.extraction)
    default_detector() -> Detector         the shipped model, loaded once (about 0.1 s)
    load_detector(path) -> Detector        raises DetectorError when the folder holds no model
    Detector(nlp, threshold, meta, sure)   shipped: threshold 0.25, sure 0.95 (detector.json)
    tool_spans(doc) -> ndarray             the candidate spans (token start, end) the model scores

With ``skill_matcher``, the phrase matcher keeps its authority: a detected span that overlaps any
phrase-matcher hit, kept or rejected by the ambiguity rules ("Excel" as a verb, "Go" as a word),
is dropped, and so are spans on a name/contact line, in an acronym's definition, places and
spoken languages (``matcher.vocab.resume``) and a list line's label ("OS: Linux"); what is left
are the mentions only the detector finds. Without it every detected span is returned.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import IS_LOWER, IS_PUNCT, IS_SPACE, IS_STOP, ORTH
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ragged

from .detector_model import SpanScorer
from .errors import MatcherError
from .extraction import (
    PhraseHits,
    SkillMatcher,
    excluded_context,
    modality_at,
    normalize_key,
    phrase_hits,
    resolve_name,
    split_version,
    technical_context,
)
from .sections import section_at
from .types import Modality, Section
from .vocab.resume import CITIES, REGIONS, SPOKEN_LANGUAGES

__all__ = ["DetectedMention", "Detector", "DetectorError", "default_detector", "detect_mentions",
           "load_detector", "normalize_key", "MODEL_DIR", "LABEL", "SPANS_KEY"]

MODEL_DIR = Path(__file__).resolve().parent / "models" / "detector"
LABEL = "TOOL"
SPANS_KEY = "tools"
#: Characters trimmed off a detected span's edges.
_EDGE = " \t\n\r,;:.()[]{}\"'•*-–—|/"


#: Punctuation that may sit inside a name ("C/C++", "Node.js", "A&E", "Tensor-RT").
_INNER_PUNCT = frozenset({"/", ".", "-", "+", "#", "&"})
_INNER_HASHES = np.asarray(sorted(StringStore().add(p) for p in _INNER_PUNCT), dtype=np.uint64)
MAX_SPAN_TOKENS = 4


def _token_flags(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """Per token: whether a name may start or end on it (a word that is no lowercase stop word),
    and whether a name can't run past it (a space or line-break token, list punctuation)."""
    arr = doc.to_array([IS_PUNCT, IS_SPACE, IS_STOP, IS_LOWER, ORTH])
    punct, space, stop, lower = (arr[:, i].astype(bool) for i in range(4))
    inner = np.isin(arr[:, 4], _INNER_HASHES)
    edge = ~(punct | space) & ~(stop & lower)
    return edge, space | (punct & ~inner) | (stop & lower)


def tool_spans(doc: Doc, max_len: int = MAX_SPAN_TOKENS) -> np.ndarray:
    """Candidate spans (token start, end) for the span categorizer: 1..``max_len`` tokens that
    start and end on a word (no lowercase stop word, no punctuation) and cross no line break or
    list punctuation, so the categorizer scores far fewer spans than all n-grams."""
    n = len(doc)
    if n == 0:
        return np.zeros((0, 2), dtype="i")
    edge, stops = _token_flags(doc)
    cum = np.concatenate([[0], np.cumsum(stops)])  # stops among tokens [i, j) = cum[j] - cum[i]
    out = []
    for k in range(1, min(max_len, n) + 1):
        starts = np.arange(n - k + 1)
        ok = edge[: n - k + 1] & edge[k - 1 :] & (cum[starts + k - 1] - cum[starts] == 0)
        s = starts[ok]
        out.append(np.stack([s, s + k], axis=1))
    return np.concatenate(out).astype("i")


@registry.misc("skillmatch.tool_suggester.v1")
def build_tool_suggester(max_len: int = MAX_SPAN_TOKENS):
    """The spancat suggester of ``tool_spans``, by name in the model's config.cfg."""

    def suggest(docs, *, ops: Ops | None = None) -> Ragged:
        ops = ops or get_current_ops()
        spans = [tool_spans(doc, max_len) for doc in docs]
        lengths = ops.asarray1i([len(s) for s in spans])
        data = ops.asarray2i(np.concatenate(spans) if spans else np.zeros((0, 2), dtype="i"))
        return Ragged(data, lengths)

    return suggest


#: Names that are places or spoken languages, never tools ("Lisbon", "Portuguese"); two-letter
#: region codes are left out (they are also tool acronyms).
_NOT_TOOLS = frozenset(w for w in CITIES | REGIONS if len(w) > 3) | frozenset(SPOKEN_LANGUAGES.split("|"))
_LINE_LABEL = re.compile(r"[ \t]*[:：]")


def _not_a_tool(text: str, start: int, end: int) -> bool:
    """A place or language, or the label of a list ("OS: Linux", "• Tools: ...", "Bash | OS: Linux")."""
    if " ".join(text[start:end].lower().split()) in _NOT_TOOLS:
        return True
    item_start = max(text.rfind(sep, 0, start) for sep in ("\n", "|", ";", "•", "·")) + 1
    return not any(c.isalnum() for c in text[item_start:start]) and bool(_LINE_LABEL.match(text, end))


class DetectorError(MatcherError):
    """The detector's model folder is missing or unreadable."""

    code = "detector_error"


@dataclass(frozen=True)
class DetectedMention:
    """One tool mention the detector found (see the module docstring for the fields)."""

    text: str
    key: str
    start: int
    end: int
    score: float
    version: str | None = None
    skill_id: str | None = None
    modality: Modality = "asserted"


@dataclass(frozen=True)
class Detector:
    """A loaded detector: the spaCy pipeline, the decision threshold it was shipped with, and the
    score from which a mention needs no tool context (``sure``; above 1: always needs one)."""

    nlp: Language
    threshold: float
    meta: dict
    sure: float = 1.01
    scorer: SpanScorer | None = None  # the span categorizer as array operations (detector_model)


def load_detector(path: Path | str = MODEL_DIR) -> Detector:
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise DetectorError(f"no detector model in {path} (train one: python scripts/train_detector.py)")
    try:
        nlp = spacy.load(path)
        meta = json.loads((path / "detector.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:  # a broken folder, config or meta
        raise DetectorError(f"unreadable detector model in {path}: {exc}") from exc
    threshold = float(meta["threshold"])
    spancat = nlp.get_pipe("spancat")
    spancat.cfg["threshold"] = threshold  # spans below it are never made
    try:
        scorer = SpanScorer.from_spancat(spancat)
    except ValueError:  # a model of another shape: spaCy's own predict
        scorer = None
    return Detector(nlp=nlp, threshold=threshold, meta=meta, sure=float(meta.get("sure", 1.01)), scorer=scorer)


@functools.cache
def default_detector() -> Detector:
    """The shipped model, loaded on first use and then shared."""
    return load_detector(MODEL_DIR)


def _scored_spans(doc: Doc, detector: Detector, threshold: float) -> list[tuple[int, int, float]]:
    """(start char, end char, score) of the non-overlapping candidate spans scored at or above
    ``threshold``, best first while choosing, returned in text order.

    The spans are scored by ``detector.scorer`` (``matcher.detector_model``: the same numbers as
    spaCy's, at about half the cost) or else by the span categorizer's ``predict``, never through
    its ``set_annotations``, which builds a ``Span`` in Python for every span above the pipe's own
    threshold when only a few of the thousands of candidates per résumé are kept here."""
    if detector.scorer is not None:
        spans = tool_spans(doc)
        score = detector.scorer.scores(doc, spans)
    else:
        spancat = detector.nlp.get_pipe("spancat")
        indices, scores = spancat.predict([doc])
        if not len(scores):
            return []
        spans = np.asarray(spancat.model.ops.to_numpy(indices.dataXd))
        score = np.asarray(spancat.model.ops.to_numpy(scores))[:, 0]
    keep = np.flatnonzero(score >= threshold)
    order = sorted(keep.tolist(), key=lambda i: (-score[i], spans[i, 0]))
    taken = np.zeros(len(doc), dtype=bool)
    out = []
    for i in order:
        start, end = int(spans[i, 0]), int(spans[i, 1])
        if taken[start:end].any():
            continue
        taken[start:end] = True
        last = doc[end - 1]
        out.append((doc[start].idx, last.idx + len(last.text), float(score[i])))
    return sorted(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE and not (text[end - 1] == ")" and "(" in text[start:end]):
        end -= 1
    return start, end


def detect_mentions(
    doc_or_text: Doc | str,
    detector: Detector | None = None,
    *,
    skill_matcher: SkillMatcher | None = None,
    sections: Sequence[Section] = (),
    threshold: float | None = None,
    require_context: bool = True,
    text: str | None = None,
) -> tuple[DetectedMention, ...]:
    """Tool mentions in a text or a Doc of the project's tokenizer, in text order.

    Pass the Doc ``extraction`` made to tokenize once, and its ``text`` when at hand (a Doc
    rebuilds its text from the tokens on every ``doc.text``); the Doc is not modified. ``threshold`` overrides the shipped decision threshold. With ``skill_matcher``
    (see the module docstring) and ``require_context``, a mention scored below ``detector.sure``
    must also stand where tools are named: a skills section, a keyword line, a labelled list, or a
    line with a taxonomy skill on it.
    """
    detector = detector or default_detector()
    doc = detector.nlp.make_doc(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
    text = doc_or_text if isinstance(doc_or_text, str) else (text or doc.text)
    spans = _scored_spans(doc, detector, detector.threshold if threshold is None else threshold)
    hits = phrase_hits(doc, skill_matcher) if skill_matcher is not None and spans else None
    out = []
    for start, end, score in spans:
        start, end = _trim(text, start, end)
        if end - start < 2 or sum(c.isalpha() for c in text[start:end]) < 2:
            continue
        sec = section_at(sections, start) if sections else None
        kind = sec.kind if sec is not None else ""
        if hits is not None and _yields(text, start, end, kind, sections, hits, require_context and score < detector.sure):
            continue
        surface = text[start:end]
        skill_id = None
        if skill_matcher is not None:
            skill_id = next((s for s in resolve_name(surface, skill_matcher.taxonomy) if s is not None), None)
        out.append(DetectedMention(
            text=surface, key=normalize_key(surface), start=start, end=end, score=round(score, 4),
            version=split_version(surface)[1], skill_id=skill_id,
            modality=modality_at(text, start, end, kind),
        ))
    return tuple(out)


def _yields(text: str, start: int, end: int, kind: str, sections: Sequence[Section], hits: PhraseHits,
            require_context: bool) -> bool:
    """Whether a detected span gives way to the phrase matcher's rules or lacks a tool context."""
    if any(bs < end and be > start for bs, be in hits.spans) or _not_a_tool(text, start, end):
        return True
    if excluded_context(text, start, end, kind, sections):
        return True
    return require_context and not technical_context(text, start, end, kind, hits.anchors)
