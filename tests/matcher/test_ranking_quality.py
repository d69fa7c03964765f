"""Ranking quality on the graded set: the matcher must beat both baselines (figures: docs/quality.md)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from quality_rank import evaluate, ndcg_at_k  # noqa: E402


def test_ndcg_helper_on_a_known_case():
    # Perfect order gives 1; the worst order of a 3/0 pair gives less.
    assert ndcg_at_k([2.0, 1.0], [3, 0], ["a", "b"], 5) == 1.0
    assert ndcg_at_k([1.0, 2.0], [3, 0], ["a", "b"], 5) < 1.0


def test_matcher_beats_tfidf_and_keyword_overlap(engine):
    res = evaluate(k=5)
    mean = res["mean"]
    assert mean["matcher"] >= mean["tfidf"] + 0.05
    assert mean["matcher"] >= mean["keyword_overlap"] + 0.1
    for role, row in res.items():
        assert row["matcher"] >= 0.8, role
        if role != "mean":  # every keyword stuffer below every résumé graded 2 or 3
            assert row["stuffer_gap"] > 0, role
