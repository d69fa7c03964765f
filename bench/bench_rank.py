"""Rank N synthetic stored profiles against a 10-group role with the vectorized path.

    taskset -c 0 python bench/bench_rank.py --n 1000000 [--repeat 5] [--check 2000]

Profiles are generated straight into the stored matrix form (what a database of parsed profiles
holds): each candidate has 5-40 skills drawn Zipf-like from the bundled taxonomy, the role's skills
boosted so that many candidates match something. Prints the ranking time (best and median of
--repeat runs), the peak resident memory of the process, and checks that a sample of candidates
scores exactly the same on the per-candidate path.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402

from matcher.scoring import (  # noqa: E402
    SRC_POSITION,
    SRC_PROJECT,
    SRC_SKILLS_LIST,
    SRC_TEXT,
    ProfileMatrix,
    compile_role,
    rank_matrix,
    score_profile,
)
from matcher.taxonomy import default_taxonomy  # noqa: E402
from matcher.types import Profile, ProfileSkill, RequirementGroup, Role, SkillMention  # noqa: E402

AS_OF = date(2026, 11, 1)
ROLE_GROUPS = [
    (("pytorch",), True, None),
    (("jax",), True, None),
    (("horovod", "deepspeed", "fsdp"), True, None),
    (("apache-spark", "apache-beam"), True, 2.0),
    (("tensorrt", "onnx", "torchserve"), True, None),
    (("mlflow", "weights-and-biases"), True, None),
    (("sql",), True, 3.0),
    (("kubernetes",), True, None),
    (("docker",), False, None),
    (("python",), False, 5.0),
]


def build_role(taxonomy) -> Role:
    groups = []
    for ids, required, min_years in ROLE_GROUPS:
        ids = tuple(i for i in ids if i in taxonomy)
        groups.append(RequirementGroup(ids, required, 1.0, min_years))
    return Role("Machine Learning Engineer", tuple(groups), "senior", 5.0)


def synth(n: int, skill_ids: list[str], role: Role, seed: int = 7, chunk: int = 100_000) -> ProfileMatrix:
    rng = np.random.default_rng(seed)
    m = len(skill_ids)
    # Zipf-like popularity over the taxonomy, role skills boosted.
    weights = 1.0 / np.arange(1, m + 1) ** 0.8
    rng.shuffle(weights)
    index = {s: i for i, s in enumerate(skill_ids)}
    for g in role.groups:
        for s in g.any_of:
            weights[index[s]] = weights.max() * 0.5
    weights /= weights.sum()
    parts: list[tuple[np.ndarray, ...]] = []
    for lo in range(0, n, chunk):  # in chunks: keeps the generator's own memory small
        size = min(chunk, n - lo)
        counts = rng.integers(5, 41, size=size)
        cols = rng.choice(m, size=int(counts.sum()), p=weights).astype(np.int64)
        rows = np.repeat(np.arange(lo, lo + size, dtype=np.int64), counts)
        key = np.unique(rows * m + cols)  # one entry per (candidate, skill)
        k = key.size
        bits = rng.choice(
            np.array([SRC_POSITION, SRC_SKILLS_LIST, SRC_POSITION | SRC_SKILLS_LIST, SRC_TEXT, SRC_PROJECT], dtype=np.uint8),
            size=k,
            p=[0.45, 0.25, 0.2, 0.05, 0.05],
        )
        has_pos = (bits & SRC_POSITION) != 0
        years10 = np.where(has_pos, rng.integers(1, 121, size=k), 0).astype(np.uint16)
        months = np.where(has_pos, rng.integers(0, 150, size=k), 0).astype(np.uint16)
        parts.append(((key // m).astype(np.int32), (key % m).astype(np.int32), bits, years10, months))
    rows, cols, bits, years10, months = (np.concatenate([p[i] for p in parts]) for i in range(5))
    del parts
    shape = (n, m)

    def mk(vals):
        return sparse.csc_matrix((vals, (rows, cols)), shape=shape)

    exp10 = rng.integers(0, 250, size=n).astype(np.int32)
    return ProfileMatrix(index, mk(bits), mk(years10), mk(months), exp10)


def sample_profiles(pm: ProfileMatrix, sample: np.ndarray, skill_ids: list[str]) -> dict[int, Profile]:
    """Rebuild the sampled candidates as Profiles with the same features (per-candidate path)."""
    indptr, indices = pm.bits.indptr, pm.bits.indices
    picked = np.nonzero(np.isin(indices, sample))[0]
    col_of = np.searchsorted(indptr, picked, side="right") - 1
    by_row: dict[int, list[ProfileSkill]] = {int(i): [] for i in sample}
    names = (("position", SRC_POSITION), ("skills_list", SRC_SKILLS_LIST), ("text", SRC_TEXT), ("project", SRC_PROJECT))
    for e, j in zip(picked.tolist(), col_of.tolist()):
        i = int(indices[e])
        b, y10, mo = int(pm.bits.data[e]), int(pm.years10.data[e]), int(pm.months.data[e])
        sources = tuple(sorted(name for name, bit in names if b & bit))
        has_pos = bool(b & SRC_POSITION)
        total = AS_OF.year * 12 + AS_OF.month - 1 - mo
        last = date(total // 12, total % 12 + 1, 1) if has_pos else None
        sid = skill_ids[j]
        ev = (SkillMention(sid, sid, 0, 1, "experience", 0 if has_pos else None, sources[0]),)
        by_row[i].append(ProfileSkill(sid, sid, "x", y10 / 10 if has_pos else None, last, ev, sources))
    return {i: Profile(tuple(sk), (), (), int(pm.experience10[i]) / 10, AS_OF, "bench") for i, sk in by_row.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--check", type=int, default=2000, help="candidates to re-score on the per-candidate path")
    args = ap.parse_args()

    taxonomy = default_taxonomy()
    skill_ids = [s.id for s in taxonomy]
    role = build_role(taxonomy)
    compiled = compile_role(role, taxonomy)
    t0 = time.perf_counter()
    pm = synth(args.n, skill_ids, role)
    gen = time.perf_counter() - t0
    stored = sum(a.data.nbytes + a.indices.nbytes + a.indptr.nbytes for a in (pm.bits, pm.years10, pm.months)) + pm.depth_default.nbytes
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        scores = rank_matrix(pm, compiled)
        order = np.argsort(-scores, kind="stable")
        times.append(time.perf_counter() - t)
    tracemalloc.start()  # one more run, traced (tracing slows allocation, so not timed)
    rank_matrix(pm, compiled)
    _, rank_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"profiles: {args.n:,}  skills in taxonomy: {len(skill_ids):,}  stored entries: {pm.bits.nnz:,} ({stored / 2**20:.0f} MiB)")
    print(f"generation: {gen:.1f} s (not part of ranking)")
    print(f"rank (score + sort), {args.repeat} runs: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    print(f"ranking working memory (tracemalloc peak during the runs): {rank_peak / 2**20:.0f} MiB")
    print(f"peak RSS of the whole process (generation included): {peak_mib:.0f} MiB (before ranking: {rss_before:.0f} MiB)")
    print(f"top score {scores[order[0]]:.1f}, median {np.median(scores):.1f}")

    rng = np.random.default_rng(1)
    sample = rng.choice(args.n, size=min(args.check, args.n), replace=False)
    mismatches = 0
    for i, p in sample_profiles(pm, np.sort(sample), skill_ids).items():
        if score_profile(p, compiled).score != scores[i]:
            mismatches += 1
    print(f"per-candidate check: {len(sample)} candidates, {mismatches} mismatches")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
