"""The learned mention detector (matcher/detector.py) with the shipped model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.detector import (
    MAX_SPAN_TOKENS,
    MODEL_DIR,
    DetectorError,
    default_detector,
    detect_mentions,
    load_detector,
    tool_spans,
)
from matcher.extraction import normalize_key
from matcher.nlp import build_nlp
from matcher.pipeline import default_engine
from matcher.sections import find_sections
from matcher.types import Document

TOOLS_LINE = "Tools: Buzzstream, Wistia, Jenkins, Marketo, Hootsuite and Quora"


@pytest.fixture(scope="module")
def sm():
    return default_engine().skill_matcher


def test_model_is_small_and_complete():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert 0 < size <= 20 * 1024 * 1024
    assert default_detector().meta["seed"] == 0


@pytest.mark.parametrize("make", [lambda tmp: tmp / "missing", lambda tmp: tmp], ids=["no-folder", "empty-folder"])
def test_load_detector_without_model_fails_clearly(tmp_path, make):
    with pytest.raises(DetectorError, match="no detector model"):
        load_detector(make(tmp_path))


@pytest.mark.parametrize(
    "text",
    ["C++/CUDA, C#/.NET and Node.js", "•Kubernetes k8s, TFS 2012", "Oracle PL/SQL | MS Excel\nWinRunner 7.6"],
    ids=["slashes", "bullet-k8s", "pipes-lines"],
)
def test_shipped_tokenizer_is_the_projects(text):
    assert [t.text for t in default_detector().nlp.make_doc(text)] == [t.text for t in build_nlp().make_doc(text)]


def test_mentions_carry_surface_key_span_and_score():
    found = detect_mentions(TOOLS_LINE)
    assert found, "a list of tool names yields mentions"
    for m in found:
        assert TOOLS_LINE[m.start : m.end] == m.text
        assert m.key == normalize_key(m.text)
        assert default_detector().threshold <= m.score <= 1
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_a_doc_from_extraction_gives_the_same_mentions_as_the_text(sm):
    assert detect_mentions(sm.nlp.make_doc(TOOLS_LINE)) == detect_mentions(TOOLS_LINE)


def test_phrase_matcher_hits_are_not_repeated(sm):
    text = "Skills: Python, Kubernetes, Buzzstream, Wistia, Hootsuite"
    doc = sm.nlp.make_doc(text)
    found = detect_mentions(doc, skill_matcher=sm)
    assert all(m.text not in {"Python", "Kubernetes"} for m in found)
    assert all(m.text not in {"Python", "Kubernetes"} and m.skill_id is None for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "I will excel at whatever the team needs; I go where the work is.",
        "Reported to Ray Chen; we used beam search in PyTorch.",
        "Contact: Jonathan Spector, 12 Swift Street, jonathan@example.com",
        "Senior Engineer, Acme AI, Lisbon, Portugal, Wistia, Buzzstream",
        "OS: Linux (Ubuntu, RHEL), Buzzstream",
        "Languages: Go, Python, Bash | OS: Linux (Ubuntu, RHEL)",
    ],
    ids=["ordinary-words", "name-and-practice", "contact-line", "places", "list-label", "label-after-pipe"],
)
def test_ambiguity_and_personal_lines_stay_out(sm, text):
    document = Document(text=text, format="text")
    found = detect_mentions(sm.nlp.make_doc(text), skill_matcher=sm, sections=find_sections(document))
    assert {m.key for m in found} & {"excel", "go", "ray", "beam", "jonathanspector", "jonathan", "lisbon", "portugal",
                                     "os"} == set()


def test_negated_mention_is_recorded_as_negated(sm):
    text = "Skills: Python, Jenkins, Wistia, Buzzstream\nI have never used Buzzstream or Wistia in production."
    found = detect_mentions(sm.nlp.make_doc(text), skill_matcher=sm, require_context=False)
    first, second = text.index("\n"), [m for m in found if m.start > text.index("\n")]
    assert second and all(m.modality == "negated" for m in second)
    assert all(m.modality == "asserted" for m in found if m.start < first)


def test_threshold_only_removes_mentions():
    low = detect_mentions(TOOLS_LINE, threshold=0.25)
    high = detect_mentions(TOOLS_LINE, threshold=0.9)
    assert {(m.start, m.end) for m in high} <= {(m.start, m.end) for m in low}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(list("ab C+/.,:-\n|&#") + ["Java", "TFS", "2012", " and "]), max_size=40).map("".join))
def test_tool_spans_stay_inside_lines_and_bounds(text):
    doc = build_nlp().make_doc(text)
    for start, end in tool_spans(doc):
        assert 0 <= start < end <= len(doc) and end - start <= MAX_SPAN_TOKENS
        assert not any("\n" in t.whitespace_ or "\n" in t.text for t in doc[start : end - 1])
    assert all(m.text.strip() == m.text for m in detect_mentions(doc))
