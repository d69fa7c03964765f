"""Learned order vs rule order as a simulated recruiter's decisions accumulate (NDCG@5, held out).

    python bench/quality_learning.py [--seeds 20] [--variants 4] [--policy NAME ...]
                                     [--plot docs/learning-curve.png] [--table FILE]

Candidates: the graded set of bench/quality_rank.py (tests/data/ranking: 3 roles, hand grades 0-3)
plus ``--variants`` perturbed copies of each résumé (every year shifted back 0-2 years, each bullet
line dropped with probability 0.15), each scored against its role by the rule (``match_profile``).

The simulated recruiters are written policies, not the scoring rule. Three rubric policies
(``recency_first``, ``years_first``, ``depth_first``; see their docstrings and docs/learning.md) read
what a recruiter reads of a candidate (per-requirement statuses, where each skill was seen, its
years and month of last use, the total years) and never the rule score or the learned model's
features; each gives a utility u in [0, 1] and advances with P = sigmoid((u - median) / (0.3 sd)),
a fresh coin per decision. The grade-follower (the earlier bench's recruiter) advances with
``ADVANCE_P[hand grade]``: it is the reference where the rule already encodes the preference.

Per seed: the originals of each role are split in two halves stratified by grade, and every copy
goes with its original (a held-out résumé's copies never train). The recruiter decides on k
candidates drawn from the training halves of all three roles (one tenant model, ``fit_model``;
below ``MIN_DECISIONS`` the rule stands). On each role's held-out candidates (originals and copies)
both orders are scored by NDCG@5 with gains 2^(3u) - 1 from the policy's noise-free utility (the
grade-follower: 2^grade - 1), mean over roles; the hand-grade NDCG@5 on held-out originals and the
ROC AUC against the recruiter's sampled decisions on held-out candidates are reported beside it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np
import yaml

from bench.quality_rank import AS_OF, RANKING
from matcher import (
    FitReport,
    GroupResult,
    LearnedModel,
    ReportFeatures,
    default_engine,
    feature_matrix,
    features_from_report,
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
    #: The rubric policies' utilities (0-1), in ``RUBRIC_POLICIES`` order: what the recruiter makes of it.
    utility: tuple[float, ...] = ()


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
                                      features_from_report(report),
                                      tuple(u(report, as_of) for u in RUBRIC_POLICIES.values())))
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


# --------------------------------------------------------------------------------------------
# The simulated recruiters: written policies over what a recruiter reads in a fit report
# --------------------------------------------------------------------------------------------
#
# Each rubric policy turns what a recruiter reads of a candidate (the report's per-requirement
# statuses, where each skill was seen, its years and month of last use, and the candidate's total
# years) into a utility u in [0, 1]. It never reads the rule score, the points or the learned
# model's features. The recruiter advances with P = sigmoid((u - median u) / (TEMPERATURE x sd u)),
# median and sd over the whole pool, a fresh coin per decision: about half advance.

CORE_GROUPS = 3  # the role's first required groups: what the job ad names first
RECENT_MONTHS = 30  # "hands-on in the last two and a half years"
YEARS_FULL = 15.0  # years-first: values total years linearly up to this
SKILL_YEARS_FULL = 4.0  # depth-first: values years of dated use of a skill up to this
TEMPERATURE = 0.3
LIST_SOURCES = frozenset({"skills_list", "candidate"})


def _required(report: FitReport) -> list[GroupResult]:
    return [g for g in report.groups if g.group.required]


def _months_ago(d: date, as_of: date) -> int:
    return (as_of.year - d.year) * 12 + as_of.month - d.month


def _hands_on(g: GroupResult, as_of: date) -> float:
    """recency-first's value of one core group: 1 used in a dated position within RECENT_MONTHS,
    0.3 used in a position longer ago, 0.1 seen only in a list, project or prose, 0 missing;
    x 0.6 when only a related skill matches."""
    if not g.matched:
        return 0.0
    used = [m.last_used for m in g.matched if "position" in m.sources and m.last_used is not None]
    value = (1.0 if min(_months_ago(d, as_of) for d in used) <= RECENT_MONTHS else 0.3) if used else 0.1
    return value * (0.6 if g.status == "partial" else 1.0)


def recency_first(report: FitReport, as_of: date) -> float:
    """Insists on recent hands-on use of the role's core (first three required) groups: 0.7 x mean
    core value (``_hands_on``) + 0.3 x share of the other required groups met or partly met.
    Indifferent to preferred groups and to total years."""
    req = _required(report)
    core, rest = req[:CORE_GROUPS], req[CORE_GROUPS:]
    core_v = sum(_hands_on(g, as_of) for g in core) / len(core) if core else 0.0
    rest_v = sum(g.status in ("met", "partial") for g in rest) / len(rest) if rest else core_v
    return 0.7 * core_v + 0.3 * rest_v


def years_first(report: FitReport, as_of: date) -> float:
    """Values seniority: 0.6 x min(total years, 15) / 15 + 0.4 x coverage of the required groups
    (met or listed 1, related skill 0.5, missing 0: a list is as good as use). Indifferent to
    preferred groups and to recency."""
    req = _required(report)
    cover = {"met": 1.0, "listed_only": 1.0, "partial": 0.5, "missing": 0.0}
    coverage = sum(cover[g.status] for g in req) / len(req) if req else 0.0
    return 0.6 * min(report.experience_years or 0.0, YEARS_FULL) / YEARS_FULL + 0.4 * coverage


def depth_first(report: FitReport, as_of: date) -> float:
    """Wants years of dated use per skill and distrusts lists: 0 when most matched groups are seen
    only in a list; else the mean over required groups of min(years of dated use, 4) / 4 (x 0.6
    for a related skill). Indifferent to preferred groups and to recency."""
    matched = [g for g in report.groups if g.matched]
    if not matched or sum(set(g.matched[0].sources) <= LIST_SOURCES for g in matched) > len(matched) / 2:
        return 0.0
    req = _required(report)

    def value(g: GroupResult) -> float:
        years = [m.years or 0.0 for m in g.matched if "position" in m.sources]
        return min(max(years, default=0.0), SKILL_YEARS_FULL) / SKILL_YEARS_FULL * (0.6 if g.status == "partial" else 1.0)

    return sum(value(g) for g in req) / len(req) if req else 0.0


RUBRIC_POLICIES: dict[str, Callable[[FitReport, date], float]] = {
    "recency-first": recency_first, "years-first": years_first, "depth-first": depth_first,
}
#: The earlier recruiter, kept as the reference: advances with ``ADVANCE_P[hand grade]``.
GRADE_FOLLOWER = "grade-follower"
POLICIES = (*RUBRIC_POLICIES, GRADE_FOLLOWER)


def utilities(pool: list[Candidate], policy: str) -> np.ndarray:
    """The recruiter's noise-free utility of every candidate, on a 0-3 scale (the grade-follower's
    is the hand grade; a rubric policy's is 3u)."""
    if policy == GRADE_FOLLOWER:
        return np.array([float(c.grade) for c in pool])
    return 3.0 * np.array([c.utility[list(RUBRIC_POLICIES).index(policy)] for c in pool])


def advance_probabilities(pool: list[Candidate], policy: str) -> np.ndarray:
    """The recruiter's P(advance) for every candidate of the pool (the coin's bias)."""
    if policy == GRADE_FOLLOWER:
        return np.array([ADVANCE_P[c.grade] for c in pool])
    u = utilities(pool, policy)
    t = TEMPERATURE * (u.std() or 1.0)
    return 1.0 / (1.0 + np.exp(-(u - np.median(u)) / t))



def decide(grade: int, rng: random.Random) -> str:
    """The grade-follower's decision on one candidate (also used by bench/bench_learning.py)."""
    return "advance" if rng.random() < ADVANCE_P[grade] else "reject"


def ndcg(scores: np.ndarray, gains: np.ndarray, k: int = 5) -> float:
    """NDCG@k of an order by ``scores`` (ties: input order) with real-valued ``gains``."""
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")[:k]
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = float(np.sort(gains)[::-1][:k] @ disc[: min(k, len(gains))])
    return float(gains[order] @ disc[: len(order)]) / ideal if ideal > 0 else 0.0


def per_role_ndcg(scores: np.ndarray, gains: np.ndarray, roles: np.ndarray, k: int = 5) -> float:
    """NDCG@k within each role, mean over roles."""
    return float(np.mean([ndcg(scores[roles == r], gains[roles == r], k) for r in np.unique(roles)]))


def auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


KEYS = ("rule", "learned", "rule_grade", "learned_grade", "rule_auc", "learned_auc", "fitted")


def run(pool: list[Candidate], seeds: int, policy: str, counts=DECISION_COUNTS,
        fit: Callable = fit_model) -> dict[int, dict[str, list[float]]]:
    """Per decision count and seed, for the recruiter ``policy``: NDCG@5 of the rule's and the learned
    order on every held-out candidate (copies included) with gains 2^utility - 1 from the policy's
    noise-free utility (0-3); NDCG@5 on the held-out originals with hand-grade gains 2^grade - 1; ROC AUC against the
    recruiter's sampled decisions on the held-out candidates; whether a model was fitted."""
    p = advance_probabilities(pool, policy)
    gain = 2.0 ** utilities(pool, policy) - 1.0
    x = feature_matrix([c.features for c in pool])
    rule = np.array([c.rule for c in pool])
    roles = np.array([c.role for c in pool])
    grade_gain = np.array([2.0 ** c.grade - 1 for c in pool])
    original = np.array([c.original for c in pool])
    out = {k: {key: [] for key in KEYS} for k in counts}
    for seed in range(seeds):
        rng = random.Random(1000 + seed)
        train_parents, test_parents = split(pool, rng)
        train = [i for i, c in enumerate(pool) if (c.role, c.parent) in train_parents]
        held = np.array([i for i, c in enumerate(pool) if (c.role, c.parent) in test_parents])
        order = rng.sample(train, len(train))
        y_train = np.array([rng.random() < p[i] for i in order])
        y_held = np.array([rng.random() < p[i] for i in held])
        h_orig = held[original[held]]
        for k in counts:
            model = fit([(pool[i].features, "advance" if a else "reject")
                         for i, a in zip(order[:k], y_train[:k])], seed=seed)
            learned = model.predict(x) if isinstance(model, LearnedModel) else rule
            values = (per_role_ndcg(rule[held], gain[held], roles[held]),
                      per_role_ndcg(learned[held], gain[held], roles[held]),
                      per_role_ndcg(rule[h_orig], grade_gain[h_orig], roles[h_orig]),
                      per_role_ndcg(learned[h_orig], grade_gain[h_orig], roles[h_orig]),
                      auc(y_held, rule[held]), auc(y_held, learned[held]), float(isinstance(model, LearnedModel)))
            for key, v in zip(KEYS, values):
                out[k][key].append(v)
    return out


def _ci(diff: np.ndarray) -> float:
    return float(1.96 * diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0


def summarize(res: dict[int, dict[str, list[float]]]) -> list[dict]:
    rows = []
    for k, r in res.items():
        a = {key: np.array(v, dtype=np.float64) for key, v in r.items()}
        diff = a["learned"] - a["rule"]
        rows.append({
            "k": k, "rule": a["rule"].mean(), "rule_sd": a["rule"].std(), "learned": a["learned"].mean(),
            "learned_sd": a["learned"].std(), "diff": float(diff.mean()), "diff_ci": _ci(diff),
            "wins": float(np.mean(diff > 0)), "ties": float(np.mean(diff == 0)), "fitted": a["fitted"].mean(),
            "rule_grade": a["rule_grade"].mean(), "learned_grade": a["learned_grade"].mean(),
            "grade_diff_ci": _ci(a["learned_grade"] - a["rule_grade"]),
            "rule_auc": np.nanmean(a["rule_auc"]), "learned_auc": np.nanmean(a["learned_auc"]),
            "auc_wins": float(np.mean(a["learned_auc"] > a["rule_auc"])),
        })
    return rows


def markdown(results: dict[str, list[dict]], seeds: int) -> str:
    head = ("| recruiter | decisions | rule NDCG@5 | learned NDCG@5 | learned − rule (95 % CI) | seeds learned > rule "
            "| model fitted | hand-grade NDCG@5 rule / learned (CI of diff) | AUC on held-out decisions rule / learned |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    body = "".join(
        f"| {name} | {r['k']} | {r['rule']:.3f} ± {r['rule_sd']:.3f} | {r['learned']:.3f} ± {r['learned_sd']:.3f} "
        f"| {r['diff']:+.3f} (± {r['diff_ci']:.3f}) | {r['wins']:.0%} | {r['fitted']:.0%} "
        f"| {r['rule_grade']:.3f} / {r['learned_grade']:.3f} (± {r['grade_diff_ci']:.3f}) "
        f"| {r['rule_auc']:.3f} / {r['learned_auc']:.3f} |\n"
        for name, rows in results.items() for r in rows
    )
    return head + body + f"\n{seeds} seeds; ± after a mean is the standard deviation over seeds.\n"


def plot(results: dict[str, list[dict]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(3.2 * len(results), 3.6), dpi=120, sharey=True)
    for ax, (name, rows) in zip(np.atleast_1d(axes), results.items()):
        ks = [r["k"] for r in rows]
        ax.errorbar([k * 0.96 for k in ks], [r["rule"] for r in rows], yerr=[r["rule_sd"] for r in rows],
                    marker="o", capsize=3, label="rule score order")
        ax.errorbar([k * 1.04 for k in ks], [r["learned"] for r in rows], yerr=[r["learned_sd"] for r in rows],
                    marker="s", capsize=3, label="learned order")
        ax.set_xscale("log")
        ax.set_xticks(ks, [str(k) for k in ks])
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("decisions learned from")
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel("NDCG@5, held-out (recruiter's utility)")
    np.atleast_1d(axes)[0].legend(loc="lower right", fontsize=8)
    fig.suptitle("Learned vs rule order per simulated recruiter (mean ± sd over seeds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, list[dict]]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--variants", type=int, default=4, help="perturbed copies of each résumé")
    ap.add_argument("--policy", choices=POLICIES, action="append", help="recruiter(s) to run (default: all)")
    ap.add_argument("--plot", type=Path, help="write the learning curves PNG here")
    ap.add_argument("--table", type=Path, help="write the markdown table here")
    args = ap.parse_args(argv)
    if args.seeds < 2 or args.variants < 0:
        ap.error("--seeds must be at least 2 and --variants at least 0")
    pool = build_pool(args.variants)
    print(f"{len(pool)} candidates ({sum(c.original for c in pool)} graded originals)")
    results = {name: summarize(run(pool, args.seeds, name)) for name in (args.policy or POLICIES)}
    table = markdown(results, args.seeds)
    print(table)
    if args.table:
        args.table.write_text(table, encoding="utf-8")
    if args.plot:
        plot(results, args.plot)
    return results


if __name__ == "__main__":
    main()
