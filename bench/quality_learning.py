"""Learned order vs rule order as a simulated recruiter's decisions accumulate (NDCG@5, held out).

    python bench/quality_learning.py [--seeds 20] [--variants 4] [--plot docs/learning-curve.png]
                                     [--table docs/learning-table.md]

Candidates: the graded set of bench/quality_rank.py (tests/data/ranking: 3 roles, hand grades 0-3)
plus ``--variants`` perturbed copies of each résumé (every year shifted back 0-2 years, each bullet
line dropped with probability 0.15); a copy keeps its original's grade, which is label noise the
recruiter also has to live with.

The simulated recruiter is a written policy, not the scoring rule: it reads the hand grade (a
person's judgement of the whole résumé, see tests/data/ranking/RUBRIC.md) and advances with
probability ``ADVANCE_P[grade]`` (3: 0.95, 2: 0.8, 1: 0.2, 0: 0.02), a fresh coin per decision.

Per seed: the original résumés of each role are split in two halves, stratified by grade. The
recruiter decides on k candidates drawn from the training halves (originals and their copies,
all three roles: one tenant model); a model is fitted on them (``matcher.fit_model``; below
``MIN_DECISIONS`` the rule stands, so the learned order is the rule order). Both orders are scored
by NDCG@5 on each role's held-out originals with gains 2^grade - 1; the figure is the mean over
roles, then mean and spread over seeds.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from bench.quality_rank import AS_OF, RANKING, ndcg_at_k  # noqa: E402
from matcher import (  # noqa: E402
    LearnedModel,
    ReportFeatures,
    default_engine,
    features_from_report,
    feature_matrix,
    fit_model,
    load_role,
    match_profile,
    parse_bytes,
)

ADVANCE_P = {3: 0.95, 2: 0.8, 1: 0.2, 0: 0.02}
DECISION_COUNTS = (10, 25, 50, 100)
DROP_BULLET_P = 0.15
BULLET = re.compile(r"^\s*[-•*–]\s")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


@dataclass(frozen=True)
class Candidate:
    """One scored résumé (an original or a perturbed copy) for one role."""

    role: str
    parent: str  # the original's file name
    original: bool
    grade: int
    rule: float
    features: ReportFeatures


def perturb(text: str, rng: random.Random) -> str:
    """Every year shifted back 0-2 years; each bullet line dropped with ``DROP_BULLET_P``."""
    shift = rng.randint(0, 2)
    text = YEAR.sub(lambda m: str(int(m.group(0)) - shift), text)
    lines = [ln for ln in text.splitlines() if not (BULLET.match(ln) and rng.random() < DROP_BULLET_P)]
    return "\n".join(lines) + "\n"


def load_graded() -> tuple[date, list[dict]]:
    """grades.yaml of the ranking set: its as-of date and role entries."""
    spec = yaml.safe_load((RANKING / "grades.yaml").read_text(encoding="utf-8"))
    as_of = spec.get("as_of", AS_OF)
    return (as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))), spec["roles"]


def build_pool(variants: int, seed: int = 0) -> list[Candidate]:
    """Every graded résumé and ``variants`` perturbed copies of it, scored against its role."""
    engine = default_engine()
    as_of, roles = load_graded()
    rng = random.Random(seed)
    pool = []
    for entry in roles:
        role, _spec, _w = load_role((REPO / entry["job_file"]).read_bytes(), engine)
        for r in entry["resumes"]:
            text = (RANKING / r["file"]).read_text(encoding="utf-8")
            for v in range(variants + 1):
                body = text if v == 0 else perturb(text, rng)
                report = match_profile(parse_bytes(body.encode("utf-8"), engine, as_of), role, engine)
                pool.append(Candidate(entry["role"], Path(r["file"]).name, v == 0, int(r["grade"]), report.score,
                                      features_from_report(report)))
    return pool


def split(pool: list[Candidate], rng: random.Random) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Originals of each role in two halves, stratified by grade: (train parents, test parents)."""
    train, test = set(), set()
    by_stratum: dict[tuple[str, int], list[str]] = {}
    for c in pool:
        if c.original:
            by_stratum.setdefault((c.role, c.grade), []).append(c.parent)
    for (role, _g), parents in sorted(by_stratum.items()):
        parents = sorted(parents)
        rng.shuffle(parents)
        half = (len(parents) + rng.randint(0, 1)) // 2
        train |= {(role, p) for p in parents[:half]}
        test |= {(role, p) for p in parents[half:]}
    return train, test


def decide(grade: int, rng: random.Random) -> str:
    return "advance" if rng.random() < ADVANCE_P[grade] else "reject"


def held_out_ndcg(model: LearnedModel | None, test: list[Candidate], k: int = 5) -> tuple[float, float]:
    """(rule, learned) NDCG@k on the held-out originals, mean over roles."""
    rule, learned = [], []
    for role in sorted({c.role for c in test}):
        cs = [c for c in test if c.role == role]
        grades, names = [c.grade for c in cs], [c.parent for c in cs]
        r = [c.rule for c in cs]
        p = model.predict(feature_matrix([c.features for c in cs])).tolist() if model else r
        rule.append(ndcg_at_k(r, grades, names, k))
        learned.append(ndcg_at_k(p, grades, names, k))
    return float(np.mean(rule)), float(np.mean(learned))


def held_out_auc(model: LearnedModel | None, held: list[Candidate], decisions: list[str]) -> tuple[float, float]:
    """(rule, learned) ROC AUC against the recruiter's decisions on held-out candidates (all roles)."""
    from sklearn.metrics import roc_auc_score

    y = [d == "advance" for d in decisions]
    r = [c.rule for c in held]
    p = model.predict(feature_matrix([c.features for c in held])) if model else r
    return float(roc_auc_score(y, r)), float(roc_auc_score(y, p))


def run(pool: list[Candidate], seeds: int, counts=DECISION_COUNTS) -> dict[int, dict[str, list[float]]]:
    """Per decision count and seed: the rule's and the learned order's NDCG@5 (hand grades) and AUC
    (the recruiter's decisions on every held-out candidate, copies included), and whether a model was fitted."""
    out = {k: {key: [] for key in ("rule", "learned", "rule_auc", "learned_auc", "fitted")} for k in counts}
    for seed in range(seeds):
        rng = random.Random(1000 + seed)
        train_parents, test_parents = split(pool, rng)
        train = [c for c in pool if (c.role, c.parent) in train_parents]
        held = [c for c in pool if (c.role, c.parent) in test_parents]
        order = rng.sample(range(len(train)), len(train))
        decisions = [decide(train[i].grade, rng) for i in order]
        held_decisions = [decide(c.grade, rng) for c in held]
        for k in counts:
            seen = [(train[i].features, d) for i, d in zip(order[:k], decisions[:k])]
            model = fit_model(seen, seed=seed)
            model = model if isinstance(model, LearnedModel) else None
            values = (*held_out_ndcg(model, [c for c in held if c.original]),
                      *held_out_auc(model, held, held_decisions), float(model is not None))
            for key, v in zip(("rule", "learned", "rule_auc", "learned_auc", "fitted"), values):
                out[k][key].append(v)
    return out


def summarize(res: dict[int, dict[str, list[float]]]) -> list[dict]:
    rows = []
    for k, r in res.items():
        diff = np.array(r["learned"]) - np.array(r["rule"])
        half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
        rows.append({
            "k": k, "rule": statistics.fmean(r["rule"]), "rule_sd": statistics.pstdev(r["rule"]),
            "learned": statistics.fmean(r["learned"]), "learned_sd": statistics.pstdev(r["learned"]),
            "diff": float(diff.mean()), "diff_ci": float(half), "wins": float(np.mean(diff > 0)),
            "ties": float(np.mean(diff == 0)), "fitted": statistics.fmean(r["fitted"]),
            "rule_auc": statistics.fmean(r["rule_auc"]), "learned_auc": statistics.fmean(r["learned_auc"]),
            "auc_wins": float(np.mean(np.array(r["learned_auc"]) > np.array(r["rule_auc"]))),
        })
    return rows


def markdown(rows: list[dict], seeds: int) -> str:
    head = ("| decisions | rule NDCG@5 | learned NDCG@5 | learned − rule (95 % CI) | seeds learned > rule "
            "| = rule | model fitted | AUC on held-out decisions: rule / learned (seeds learned >) |\n"
            "|---|---|---|---|---|---|---|---|\n")
    body = "".join(
        f"| {r['k']} | {r['rule']:.3f} ± {r['rule_sd']:.3f} | {r['learned']:.3f} ± {r['learned_sd']:.3f} "
        f"| {r['diff']:+.3f} (± {r['diff_ci']:.3f}) | {r['wins']:.0%} | {r['ties']:.0%} | {r['fitted']:.0%} "
        f"| {r['rule_auc']:.3f} / {r['learned_auc']:.3f} ({r['auc_wins']:.0%}) |\n"
        for r in rows
    )
    return head + body + f"\n{seeds} seeds; ± after a mean is the standard deviation over seeds.\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = [r["k"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    ax.errorbar([k * 0.97 for k in ks], [r["rule"] for r in rows], yerr=[r["rule_sd"] for r in rows], marker="o", capsize=3,
                label="rule score order")
    ax.errorbar([k * 1.03 for k in ks], [r["learned"] for r in rows], yerr=[r["learned_sd"] for r in rows], marker="s", capsize=3,
                label="learned order (P(advance))")
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_xlabel("recruiter decisions the model learned from")
    ax.set_ylabel("NDCG@5 on held-out candidates")
    ax.set_title("Learned vs rule order, simulated recruiter (mean ± sd over seeds)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


SWEEP_C = (0.03, 0.1, 0.3, 1.0)
SWEEP_PRIOR = (1.0, 3.0, 10.0)


def sweep(pool: list[Candidate], seeds: int) -> str:
    """learned − rule NDCG@5 for each regularization strength and rule prior weight (the model's two
    settings; ``learning``'s constants are swapped for each run and put back)."""
    from matcher import learning

    saved = learning.REGULARIZATION_C, learning.PRIOR_WEIGHTS
    counts = DECISION_COUNTS[1:]
    lines = ["| C | rule prior weight | " + " | ".join(f"{k} decisions" for k in counts) + " |",
             "|---|---|" + "---|" * len(counts)]
    try:
        for c in SWEEP_C:
            for w in SWEEP_PRIOR:
                learning.REGULARIZATION_C = c
                learning.PRIOR_WEIGHTS = np.where(np.array(learning.FEATURE_NAMES) == "rule_score", w, 1.0)
                rows = summarize(run(pool, seeds, counts))
                lines.append(f"| {c:g} | {w:g} | " + " | ".join(f"{r['diff']:+.3f} ({r['wins']:.0%})" for r in rows) + " |")
    finally:
        learning.REGULARIZATION_C, learning.PRIOR_WEIGHTS = saved
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--variants", type=int, default=4, help="perturbed copies of each résumé")
    ap.add_argument("--plot", type=Path, help="write the learning curve PNG here")
    ap.add_argument("--table", type=Path, help="write the markdown table here")
    ap.add_argument("--sweep", action="store_true", help="also compare the model's settings (C x rule prior weight)")
    args = ap.parse_args(argv)
    if args.seeds < 2 or args.variants < 0:
        ap.error("--seeds must be at least 2 and --variants at least 0")
    pool = build_pool(args.variants)
    print(f"{len(pool)} candidates ({sum(c.original for c in pool)} graded originals)")
    rows = summarize(run(pool, args.seeds))
    table = markdown(rows, args.seeds)
    print(table)
    if args.table:
        args.table.write_text(table, encoding="utf-8")
    if args.plot:
        plot(rows, args.plot)
    if args.sweep:
        print("learned − rule NDCG@5 (seeds where learned > rule)\n" + sweep(pool, args.seeds))
    return rows


if __name__ == "__main__":
    main()
