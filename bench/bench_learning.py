"""Learning speed: fit on 10,000 decisions (≤ 5 s), score 100,000 candidates (≤ 1 s), each beside a baseline.

    python bench/bench_learning.py [--train 10000] [--score 100000] [--repeat 5]

Features are sampled from the real fit reports of the graded ranking set (tests/data/ranking,
3 roles, 67 résumés) with Gaussian noise (sd 0.05 on every share, clipped to 0-1); decisions come
from the simulated recruiter of bench/quality_learning.py (advance with a probability set by the
sampled résumé's hand grade).

What each line times, and its baseline (run in the same process, best of ``--repeat``):
- fit: ``matcher.fit_model`` on the training decisions (scaler, logistic regression, 5-fold
  cross-validated sigmoid calibration, refit) vs one scikit-learn ``StandardScaler`` +
  ``LogisticRegression`` fit with default settings on the same matrix (no calibration);
- score: ``LearnedModel.predict`` on a prebuilt 100,000-row feature matrix vs the bare numpy
  matrix-vector product ``X @ w`` on the same matrix;
- features: ``features_from_report`` + ``feature_matrix`` per real report vs ``match_profile``
  (rule scoring and report building) for the same report, which any candidate needs first.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.quality_learning import ADVANCE_P, load_graded  # noqa: E402
from bench.quality_rank import RANKING  # noqa: E402
from matcher import FEATURE_NAMES, FitReport, LearnedModel, ReportFeatures, default_engine, feature_matrix  # noqa: E402
from matcher import features_from_report, fit_model, load_role, match_profile, parse_bytes  # noqa: E402

NOISE_SD = 0.05
COUNTS = ("n_required", "n_groups", "experience_years")


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def real_reports() -> tuple[list[tuple[FitReport, int]], float]:
    """(report, grade) of every graded résumé, and the best per-report time of ``match_profile``."""
    engine = default_engine()
    as_of, roles = load_graded()
    out, per = [], []
    for entry in roles:
        role, _spec, _w = load_role((REPO / entry["job_file"]).read_bytes(), engine)
        for r in entry["resumes"]:
            profile = parse_bytes((RANKING / r["file"]).read_bytes(), engine, as_of)
            t, report = best_of(lambda p=profile: match_profile(p, role, engine), 3)
            per.append(t)
            out.append((report, int(r["grade"])))
    return out, float(np.median(per))


def sample(base: np.ndarray, grades: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, list[str]]:
    """``n`` rows drawn from the real feature rows, shares jittered, and the recruiter's decisions."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(base), n)
    x = base[idx].copy()
    shares = [j for j, name in enumerate(FEATURE_NAMES) if name not in COUNTS]
    x[:, shares] = np.clip(x[:, shares] + rng.normal(0.0, NOISE_SD, (n, len(shares))), 0.0, 1.0)
    p = np.array([ADVANCE_P[g] for g in grades[idx]])
    decisions = np.where(rng.random(n) < p, "advance", "reject").tolist()
    return x, decisions


def bench_fit(x: np.ndarray, decisions: list[str], repeat: int) -> tuple[float, float, LearnedModel]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    examples = [(ReportFeatures(*row), d) for row, d in zip(x.tolist(), decisions)]
    y = np.array([d == "advance" for d in decisions], dtype=np.int64)
    t_fit, model = best_of(lambda: fit_model(examples, seed=0), repeat)
    t_base, _ = best_of(lambda: make_pipeline(StandardScaler(), LogisticRegression()).fit(x, y), repeat)
    return t_fit, t_base, model


def bench_features(reports: list[FitReport], repeat: int) -> float:
    """Best per-report time of features_from_report + feature_matrix over all reports."""
    t, _ = best_of(lambda: feature_matrix([features_from_report(r) for r in reports]), repeat)
    return t / len(reports)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=int, default=10_000)
    ap.add_argument("--score", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if min(args.train, args.score, args.repeat) < 1 or args.train < 50:
        ap.error("--train must be at least 50, --score and --repeat at least 1")
    graded, t_report = real_reports()
    base = feature_matrix([features_from_report(r) for r, _g in graded])
    grades = np.array([g for _r, g in graded])
    x_train, decisions = sample(base, grades, args.train, seed=0)
    t_fit, t_fit_base, model = bench_fit(x_train, decisions, args.repeat)
    x_score, _ = sample(base, grades, args.score, seed=1)
    t_score, p = best_of(lambda: model.predict(x_score), args.repeat)
    w = model.coef / model.scale
    t_dot, _ = best_of(lambda: x_score @ w, args.repeat)
    t_feat = bench_features([r for r, _g in graded], args.repeat)
    res = {
        "train": args.train, "fit_s": t_fit, "fit_baseline_s": t_fit_base, "calibration": model.calibration,
        "score": args.score, "score_s": t_score, "score_baseline_s": t_dot, "p_mean": float(np.mean(p)),
        "features_us": t_feat * 1e6, "report_us": t_report * 1e6,
    }
    print(f"fit {args.train:,} decisions ({model.calibration}): {t_fit:.3f} s  (target ≤ 5 s); one "
          f"scaler + LogisticRegression fit {t_fit_base:.3f} s; ratio {t_fit / t_fit_base:.1f}×")
    print(f"score {args.score:,} candidates, prebuilt matrix: {t_score * 1e3:.1f} ms  (target ≤ 1 s); numpy X @ w "
          f"{t_dot * 1e3:.1f} ms; ratio {t_score / t_dot:.1f}×")
    print(f"features per report: {t_feat * 1e6:.1f} µs (×{args.score:,} = {t_feat * args.score:.2f} s); "
          f"match_profile per report {t_report * 1e6:.0f} µs; ratio {t_feat / t_report:.3f}×")
    return res


if __name__ == "__main__":
    main()
