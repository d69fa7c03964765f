"""Blind review: what identifies the person is found; skills and dates are left alone."""

from __future__ import annotations

import pytest

from matcher.redact import personal_spans

RESUME = """Priya Ramaswamy
priya.r@example.com | +1 (415) 555-0199 | linkedin.com/in/priyar | https://github.com/priyar
12 Market Street, San Francisco

Experience
Senior ML Engineer, Acme — 2019 - 2023
- Trained PyTorch models on 64 GPUs; Priya led the JAX port.
"""


def _hidden(text, name=None):
    return [text[s:e] for s, e in personal_spans(text, name)]


@pytest.mark.parametrize(
    ("piece", "hidden"),
    [
        ("Priya Ramaswamy", True),
        ("priya.r@example.com", True),
        ("+1 (415) 555-0199", True),
        ("linkedin.com/in/priyar", True),
        ("https://github.com/priyar", True),
        ("12 Market Street", True),
        ("PyTorch", False),
        ("JAX", False),
        ("2019 - 2023", False),
        ("64 GPUs", False),
    ],
    ids=lambda v: str(v),
)
def test_personal_details_are_found_and_skills_are_not(piece, hidden):
    spans = personal_spans(RESUME, "Priya Ramaswamy")
    start = RESUME.index(piece)
    covered = any(s <= start and start + len(piece) <= e for s, e in spans)
    assert covered is hidden


def test_the_stored_name_is_hidden_wherever_it_appears():
    assert _hidden(RESUME, "Priya Ramaswamy").count("Priya") >= 1
    body = RESUME[RESUME.index("Experience"):]
    assert any("Priya" in h for h in _hidden(body, "Priya Ramaswamy"))
    assert not any("Priya" in h for h in _hidden(body, None))


@pytest.mark.parametrize(
    "text",
    ["Senior engineer with Python.\nMore text", "2015-2018 Engineer at X", "Revenue 10,000,000 users", ""],
    ids=["sentence-first-line", "date-range", "big-number", "empty"],
)
def test_no_false_alarms_on_ordinary_lines(text):
    assert personal_spans(text) == []


def test_spans_are_sorted_and_disjoint():
    spans = personal_spans(RESUME, "Priya Ramaswamy")
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    ("first_line", "name"),
    [("RACHEL BERNSTEIN, PhD", "RACHEL BERNSTEIN"), ("LATOYA HENDRICKS, RN, BSN", "LATOYA HENDRICKS"),
     ("Tomás Echeverría", "Tomás Echeverría"), ("Senior engineer, Python and Go since 2015", None),
     ("Machine learning engineer with PyTorch", None)],
    ids=["phd", "rn-bsn", "accents", "sentence-with-comma", "sentence"],
)
def test_name_line(first_line, name):
    from matcher.redact import name_line

    assert name_line(first_line + "\nSKILLS\nPython") == name


@pytest.mark.parametrize(
    "text",
    ["a" * 400_000, "1 " * 200_000 + "-", "1-" * 200_000 + "a", "a@" * 200_000, "12 Ab " * 60_000],
    ids=["word-run", "digit-space-run", "digit-dash-run", "at-run", "address-like"],
)
def test_long_hostile_runs_are_linear(text):
    """A quadratic pattern would need minutes here (each run is retried from every position)."""
    import time

    t0 = time.perf_counter()
    personal_spans(text)
    assert time.perf_counter() - t0 < 10
