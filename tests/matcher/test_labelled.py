"""Extraction quality on the labelled résumé set (tests/data/labelled): floors that must hold.

The figures themselves are reported in docs/quality.md (``python bench/quality_parse.py``); these
tests fail when a change makes them worse than the floors below, and check every trap one by one.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from quality_parse import LABELLED, evaluate_labelled  # noqa: E402

from matcher.pipeline import parse_bytes  # noqa: E402

LABELS = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def quality(engine):
    return evaluate_labelled(engine)


def test_precision_and_recall_floors(quality):
    assert quality.recall >= 0.95
    assert quality.precision >= 0.84


def test_years_are_right_for_most_skills(quality):
    assert quality.years_ok / quality.years_total >= 0.9
    assert quality.exp_ok / quality.exp_total >= 0.95


def test_labels_resolve_in_the_taxonomy(quality):
    assert len(quality.unresolved) <= 10


@pytest.mark.parametrize("entry", [e for e in LABELS["resumes"] if e.get("not_skills")], ids=lambda e: e["file"])
def test_traps_are_not_extracted(engine, entry):
    profile = parse_bytes((LABELLED / entry["file"]).read_bytes(), engine, AS_OF)
    got = {s.id for s in profile.skills}
    wrong = []
    for name in entry["not_skills"]:
        skill = engine.taxonomy.resolve(name)
        if skill is not None and skill.id in got:
            wrong.append(name)
    assert wrong == []


def test_skills_only_in_a_skills_section_have_no_years(engine):
    entry = next(e for e in LABELS["resumes"] if e["file"].startswith("01-"))
    profile = parse_bytes((LABELLED / entry["file"]).read_bytes(), engine, AS_OF)
    for item in entry["skills"]:
        skill = engine.taxonomy.resolve(item["name"])
        got = profile.skill(skill.id)
        assert got is not None, item["name"]
        if item["years"] is None:
            assert got.years is None, item["name"]
            assert "position" not in got.sources
        else:
            assert got.years == pytest.approx(item["years"], abs=0.25), item["name"]
