"""The detector's span categorizer as array operations (matcher/detector_model.py): the same
probabilities as spaCy's own ``predict`` on real résumés, and a clear refusal of other models."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
import spacy

from matcher.detector import default_detector, tool_spans
from matcher.detector_model import SpanScorer
from matcher.pipeline import default_engine

REPO = Path(__file__).resolve().parents[2]
REAL = sorted((REPO / "taxonomies" / "sources" / "resumes-dotin").rglob("*.xml"))[:12]
LABELLED = sorted((REPO / "tests" / "data" / "labelled").glob("*.txt"))[:8]


@pytest.fixture(scope="module")
def spancat():
    return default_detector().nlp.get_pipe("spancat")


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(re.sub(r"<[^>]+>", "", raw)) if path.suffix == ".xml" else raw


def _texts():
    return [_text(p) for p in REAL + LABELLED]


def test_real_resumes_are_there():
    assert len(REAL) >= 10 and len(LABELLED) >= 5


@pytest.mark.parametrize("text", _texts(), ids=[p.name for p in REAL + LABELLED])
def test_scores_equal_spacys_predict(spancat, text):
    doc = default_engine().skill_matcher.nlp.make_doc(text)
    indices, expected = spancat.predict([doc])
    spans = np.asarray(indices.dataXd)
    assert np.array_equal(spans, tool_spans(doc))  # the same candidates, in the same order
    got = default_detector().scorer.scores(doc, spans)
    assert got.shape == (len(spans),)
    np.testing.assert_allclose(got, np.asarray(expected)[:, 0], atol=1e-5)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Python"], ids=["empty", "blank", "one-word"])
def test_short_and_empty_docs(spancat, text):
    doc = default_engine().skill_matcher.nlp.make_doc(text)
    spans = tool_spans(doc)
    got = default_detector().scorer.scores(doc, spans)
    assert len(got) == len(spans)
    if len(spans):
        np.testing.assert_allclose(got, np.asarray(spancat.predict([doc])[1])[:, 0], atol=1e-5)


def test_shipped_detector_uses_the_array_scorer():
    assert isinstance(default_detector().scorer, SpanScorer)


def test_an_untrained_spancat_of_spacys_default_shape_scores_the_same():
    """spaCy's default span categorizer (width 96, four encoder layers, reducer 128) is of the
    same family: the scorer reads any such model, not only the shipped sizes."""
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("spancat", config={"spans_key": "x"})
    pipe.add_label("TOOL")
    nlp.initialize()
    doc = nlp.make_doc(_texts()[0])
    indices, expected = pipe.predict([doc])
    got = SpanScorer.from_spancat(pipe).scores(doc, np.asarray(indices.dataXd))
    np.testing.assert_allclose(got, np.asarray(expected)[:, 0], atol=1e-5)


def test_a_model_of_another_shape_is_refused():
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("textcat")
    pipe.add_label("X")
    pipe.add_label("Y")
    nlp.initialize()
    with pytest.raises(ValueError, match="not a span categorizer of the shipped shape"):
        SpanScorer.from_spancat(pipe)
