"""Dated positions and years of experience on the 44 labelled résumés (tests/data/labelled).

The labels (``labels.yaml``) list, for each résumé, its dated professional positions in document
order and its ``experience_years`` as of 2026-11-01; see ``tests/data/labelled/README.md`` for the
rubric. These tests run the real reader (``read_document``) and the real section / position parser.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from matcher.documents import read_document
from matcher.sections import experience_years, find_positions, find_sections

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled"
AS_OF = date(2026, 11, 1)

_LABELS = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))
_RESUMES = {r["file"]: r for r in _LABELS["resumes"]}
FILES = sorted(_RESUMES)


def _ym(s: str) -> date:
    y, m = s.split("-")
    return date(int(y), int(m), 1)


def _parse(name: str):
    doc = read_document((LABELLED / name).read_bytes())
    sections = find_sections(doc)
    positions = find_positions(doc, sections)
    return doc, sections, positions


def _expected(entry: dict) -> list[tuple[date, date | None]]:
    out = []
    for p in entry.get("positions") or []:
        end = None if p["end"] == "present" else _ym(str(p["end"]))
        out.append((_ym(str(p["start"])), end))
    return out


def test_all_labelled_files_are_covered():
    assert len(FILES) == 44
    for name in FILES:
        assert (LABELLED / name).is_file(), name


@pytest.mark.parametrize("name", FILES, ids=FILES)
def test_positions_match_labels(name):
    entry = _RESUMES[name]
    _doc, _sections, positions = _parse(name)
    got = [
        (p.start, None if p.current else p.end)
        for p in positions
        if p.section == "experience"
    ]
    want = _expected(entry)
    assert got == want, "\n".join(f"{p.date_text!r} {p.title!r} @ {p.organization!r}"
                                  for p in positions)

    years = experience_years(positions, AS_OF)
    if entry["experience_years"] is None:
        assert years is None
    else:
        assert years is not None
        assert abs(years - float(entry["experience_years"])) <= 0.25


@pytest.mark.parametrize("name", FILES, ids=FILES)
def test_position_spans_are_disjoint_and_inside_their_section(name):
    doc, sections, positions = _parse(name)
    spans = sorted(p.span for p in positions)
    for (a0, a1), (b0, b1) in pairwise(spans):
        assert a1 <= b0, f"overlapping spans {(a0, a1)} and {(b0, b1)}"
    for p in positions:
        s0, s1 = p.span
        assert s0 <= s1
        assert any(
            sec.kind == p.section and sec.start <= s0 and s1 <= sec.end for sec in sections
        ), f"{p.date_text!r} span {p.span} is not inside one {p.section} section"
        # The position's own date lies inside its span.
        if p.date_text:
            assert p.date_text in doc.text[s0:s1]
