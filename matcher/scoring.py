"""Profile x Role -> score: deterministic, absolute (0-100), versioned, explainable.

The model (SCORING_VERSION records it; change the version whenever a number here changes):

1. **Strength** of a candidate skill for a requirement alternative: exact 1.0; implied through the
   taxonomy's parents ``IMPLIED_FACTOR x link weight`` (PySpark -> Spark, Kubeflow -> Kubernetes
   weaker); related ``RELATED_FACTOR x similarity`` (TensorFlow for PyTorch) - partial credit.
2. **Depth** of the candidate's evidence for that skill: used in a dated position
   ``(0.7 + 0.3 x min(years / target, 1)) x recency`` (target = the group's min years, else 3);
   otherwise by where it was seen: project 0.55, skills list / keyword dump / other prose 0.4.
   Recency: full until 24 months since last use, then -1/120 per month, floor 0.7.
   Hidden text, negated and aspirational mentions never reach a profile, so never count.
3. **Group credit** = max over the candidate's skills of strength x depth. Status: ``met`` for an
   exact or implied match, ``partial`` for a related one, ``missing`` otherwise.
4. **Points**: required groups share 70, preferred 15, experience fit 15 (a pool with nothing in
   it goes to the required groups). Each missing required group then multiplies the total by 0.9.
   Experience fit = min(1, years / needed), needed from the role's min years or level. A role
   with ``years_knockout`` caps the score at 20 when the years fall short.
5. Score = total rounded to 0.1.

Only skills and experience go in: names, contact details, schools, dates of birth or graduation,
photos and any other personal detail never reach these functions.

Two paths compute the same numbers: ``score_profile`` (one candidate, with the explanation) and
``rank_matrix`` (numpy/scipy over many stored profiles). Both quantize years to tenths and months
to integers, and add up in the same order, so they agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse

from .dates import months_elapsed
from .taxonomy import Taxonomy
from .types import LEVELS, MatchKind, Profile, ProfileSkill, Role

#: 1.1.0: skills the candidate added themselves (source "candidate") count like a skills-list mention.
SCORING_VERSION = "1.1.0"

IMPLIED_FACTOR = 0.9
RELATED_FACTOR = 0.6
MET_KINDS = ("exact", "implied")

REQUIRED_POOL = 70.0
PREFERRED_POOL = 15.0
EXPERIENCE_POOL = 15.0
MISSING_REQUIRED_FACTOR = 0.9
KNOCKOUT_CAP = 20.0
DEFAULT_TARGET_YEARS = 3.0

#: Bit flags for where a skill was seen, and the depth each source gives without a dated position.
SRC_SKILLS_LIST, SRC_TEXT, SRC_PROJECT, SRC_POSITION = 1, 2, 4, 8
_SOURCE_BITS = {"skills_list": SRC_SKILLS_LIST, "candidate": SRC_SKILLS_LIST, "text": SRC_TEXT, "project": SRC_PROJECT,
                "position": SRC_POSITION}
BASE_DEPTH = {SRC_SKILLS_LIST: 0.4, SRC_TEXT: 0.4, SRC_PROJECT: 0.55}
#: Depth for each 3-bit combination of non-position sources (index = bits & 7).
_BASE_TABLE = np.array(
    [max([BASE_DEPTH[b] for b in (1, 2, 4) if code & b] or [0.0]) for code in range(8)], dtype=np.float64
)

#: Years of experience a level implies when the role gives no minimum.
LEVEL_YEARS: dict[str, float] = dict(zip(LEVELS, (0.0, 1.0, 3.0, 5.0, 8.0, 10.0), strict=True))

_MAX_MISSING = 64
_PENALTY = np.array([MISSING_REQUIRED_FACTOR**n for n in range(_MAX_MISSING + 1)], dtype=np.float64)


def recency_factor(months_since: float) -> float:
    """1.0 within two years of last use, then down 1/120 a month, never below 0.7."""
    return max(0.7, 1.0 - max(0.0, months_since - 24.0) / 120.0)


def quantize_years(years: float | None) -> int:
    """Years in tenths (the precision profiles carry), as an integer; unknown = 0."""
    return 0 if years is None else int(round(years * 10))


def depth_of(src_bits: int, years10: int, months_since: int, target_years: float) -> float:
    """How well the evidence backs a skill, 0-1 (see the module docstring)."""
    base = float(_BASE_TABLE[src_bits & 7])
    if src_bits & SRC_POSITION:
        f = min(years10 / (target_years * 10.0), 1.0)
        pos = (0.7 + 0.3 * f) * recency_factor(months_since)
        return max(base, pos)
    return base


def round_score(x: float) -> float:
    return math.floor(x * 10.0 + 0.5) / 10.0


# --------------------------------------------------------------------------------------------
# Role compilation: which taxonomy skills satisfy which group, how strongly
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPlan:
    """For one group: candidate skill id -> (strength, kind, the alternative it stands for)."""

    credit_by_skill: dict[str, tuple[float, MatchKind, str]]
    target_years: float
    max_points: float
    required: bool


@dataclass(frozen=True)
class CompiledRole:
    """A role made ready to score many profiles: one plan per requirement group, and the experience
    rule (``experience_needed`` years earn up to ``experience_max_points``; None asks for none)."""

    role: Role
    plans: tuple[GroupPlan, ...]
    experience_needed: float | None
    experience_max_points: float
    taxonomy_version: str


def compile_role(role: Role, taxonomy: Taxonomy) -> CompiledRole:
    """Precompute, once per role, every taxonomy skill that earns credit for each group."""
    required = [g for g in role.groups if g.required]
    preferred = [g for g in role.groups if not g.required]
    needed = role.min_years if role.min_years is not None else (LEVEL_YEARS.get(role.level) if role.level else None)
    req_pool = REQUIRED_POOL
    pref_pool = PREFERRED_POOL if preferred else 0.0
    exp_pool = EXPERIENCE_POOL if needed is not None else 0.0
    if not preferred:
        req_pool += PREFERRED_POOL
    if needed is None:
        req_pool += EXPERIENCE_POOL
    if not required:  # only nice-to-haves: they take the required pool
        pref_pool += req_pool
        req_pool = 0.0
    req_w = sum(g.weight for g in required) or 1.0
    pref_w = sum(g.weight for g in preferred) or 1.0

    # Reverse indexes: requirement alternative -> skills implying / related to it.
    alternatives = {a for g in role.groups for a in g.any_of}
    implied_by: dict[str, dict[str, float]] = {a: {} for a in alternatives}
    related_to: dict[str, dict[str, float]] = {a: {} for a in alternatives}
    for skill in taxonomy:
        for parent, w in taxonomy.implied(skill.id).items():
            if parent in implied_by:
                implied_by[parent][skill.id] = w
        for rel, w in taxonomy.related(skill.id).items():
            if rel in related_to:
                related_to[rel][skill.id] = w

    plans = []
    for g in role.groups:
        best: dict[str, tuple[float, MatchKind, str]] = {}

        def offer(skill_id: str, strength: float, kind: MatchKind, alt: str) -> None:
            cur = best.get(skill_id)
            if cur is None or strength > cur[0]:
                best[skill_id] = (strength, kind, alt)

        for alt in g.any_of:
            offer(alt, 1.0, "exact", alt)
            for s, w in implied_by.get(alt, {}).items():
                offer(s, IMPLIED_FACTOR * w, "implied", alt)
            for s, w in related_to.get(alt, {}).items():
                offer(s, RELATED_FACTOR * w, "related", alt)
        pool, total_w = (req_pool, req_w) if g.required else (pref_pool, pref_w)
        plans.append(
            GroupPlan(
                credit_by_skill=best,
                target_years=g.min_years if g.min_years else DEFAULT_TARGET_YEARS,
                max_points=pool * g.weight / total_w,
                required=g.required,
            )
        )
    return CompiledRole(
        role=role,
        plans=tuple(plans),
        experience_needed=needed,
        experience_max_points=exp_pool,
        taxonomy_version=taxonomy.version,
    )


# --------------------------------------------------------------------------------------------
# The per-candidate path
# --------------------------------------------------------------------------------------------


def skill_features(skill: ProfileSkill, as_of: date) -> tuple[int, int, int]:
    """(source bits, years in tenths, months since last used) - what scoring sees of a skill."""
    bits = 0
    for src in skill.sources:
        bits |= _SOURCE_BITS.get(src, 0)
    if bits & SRC_POSITION and skill.last_used is None:
        # Only undated (or not yet started) positions: no years, no recency; counts as prose.
        bits = (bits & ~SRC_POSITION) | SRC_TEXT
    months = months_elapsed(skill.last_used, as_of) if skill.last_used else 0
    return bits, quantize_years(skill.years), months


@dataclass(frozen=True)
class GroupScore:
    """One group's outcome for one profile, from its best candidate skill: ``credit`` is that
    skill's ``strength`` times its ``depth`` (0 when no skill counts), ``points`` the credit times
    the group's max points, ``alternative`` the group's skill it stands for."""

    credit: float
    points: float
    best_skill: str | None
    kind: MatchKind | None
    alternative: str | None
    depth: float
    strength: float


@dataclass(frozen=True)
class ProfileScore:
    """A profile's score for a compiled role: the groups' points plus ``experience_points``, scaled
    down by the penalty for ``missing_required`` groups and capped when ``knocked_out``."""

    score: float
    groups: tuple[GroupScore, ...]
    experience_points: float
    missing_required: int
    knocked_out: bool


def score_profile(profile: Profile, compiled: CompiledRole) -> ProfileScore:
    """Score one profile (same numbers as ``rank_matrix``)."""
    feats = sorted((s.id, skill_features(s, profile.as_of)) for s in profile.skills)
    total = 0.0
    missing = 0
    groups = []
    for plan in compiled.plans:
        best = GroupScore(0.0, 0.0, None, None, None, 0.0, 0.0)
        for skill_id, (bits, y10, months) in feats:
            hit = plan.credit_by_skill.get(skill_id)
            if hit is None:
                continue
            strength, kind, alt = hit
            depth = depth_of(bits, y10, months, plan.target_years)
            credit = strength * depth
            # On a tie an exact/implied match wins over a related one (the vectorized path agrees).
            if credit > best.credit or (
                credit == best.credit > 0.0 and kind in MET_KINDS and best.kind not in MET_KINDS
            ):
                best = GroupScore(credit, 0.0, skill_id, kind, alt, depth, strength)
        points = best.credit * plan.max_points
        total += points
        if plan.required and best.credit == 0.0:
            missing += 1
        groups.append(GroupScore(best.credit, points, best.best_skill, best.kind, best.alternative, best.depth, best.strength))
    exp_points = experience_points(profile.experience_years, compiled)
    total += exp_points
    total *= float(_PENALTY[min(missing, _MAX_MISSING)])
    knocked = _knocked_out(profile.experience_years, compiled)
    if knocked:
        total = min(total, KNOCKOUT_CAP)
    return ProfileScore(round_score(total), tuple(groups), exp_points, missing, knocked)


def experience_points(years: float | None, compiled: CompiledRole) -> float:
    needed = compiled.experience_needed
    if needed is None or compiled.experience_max_points == 0.0:
        return 0.0
    if needed <= 0.0:
        return compiled.experience_max_points
    y10 = quantize_years(years)
    return compiled.experience_max_points * min(y10 / (needed * 10.0), 1.0)


def _knocked_out(years: float | None, compiled: CompiledRole) -> bool:
    needed = compiled.experience_needed
    return bool(compiled.role.years_knockout and needed and quantize_years(years) < int(round(needed * 10)))


# --------------------------------------------------------------------------------------------
# The vectorized path: many stored profiles at once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileMatrix:
    """Many profiles as sparse matrices over the taxonomy's skills (rows = candidates).

    ``bits``/``years10``/``months`` share one sparsity pattern (CSC, so a skill's column is a
    slice); ``experience10`` is each candidate's total experience in tenths of years.
    """

    skill_index: dict[str, int]
    bits: sparse.csc_matrix
    years10: sparse.csc_matrix
    months: sparse.csc_matrix
    experience10: np.ndarray
    #: Depth at the default target years, per stored entry (same order as ``bits.data``):
    #: computed once when the matrix is built, it serves every group without ``min_years``.
    depth_default: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.depth_default is None:
            depth = _depth_array(self.bits.data, self.years10.data, self.months.data, DEFAULT_TARGET_YEARS)
            object.__setattr__(self, "depth_default", depth)

    @property
    def n(self) -> int:
        return self.experience10.shape[0]


def build_profile_matrix(
    rows: Sequence[Sequence[tuple[str, int, int, int]]],
    experience_years: Sequence[float | None],
    skill_ids: Sequence[str],
) -> ProfileMatrix:
    """Build from per-candidate feature rows ``(skill_id, bits, years10, months)``."""
    index = {s: i for i, s in enumerate(skill_ids)}
    indptr = [0]
    cols: list[int] = []
    b: list[int] = []
    y: list[int] = []
    m: list[int] = []
    for row in rows:
        for skill_id, bits, y10, months in row:
            j = index.get(skill_id)
            if j is None:
                continue
            cols.append(j)
            b.append(bits)
            y.append(y10)
            m.append(months)
        indptr.append(len(cols))
    shape = (len(rows), len(skill_ids))
    ip = np.asarray(indptr, dtype=np.int64)
    ci = np.asarray(cols, dtype=np.int32)

    def mk(vals: list[int], dtype) -> sparse.csc_matrix:
        return sparse.csr_matrix((np.asarray(vals, dtype=dtype), ci, ip), shape=shape).tocsc()

    exp10 = np.array([quantize_years(e) for e in experience_years], dtype=np.int32)
    return ProfileMatrix(index, mk(b, np.uint8), mk(y, np.uint16), mk(m, np.uint16), exp10)


def profiles_to_matrix(profiles: Sequence[Profile], taxonomy: Taxonomy) -> ProfileMatrix:
    rows = [[(s.id, *skill_features(s, p.as_of)) for s in p.skills] for p in profiles]
    return build_profile_matrix(rows, [p.experience_years for p in profiles], [s.id for s in taxonomy])


def _depth_array(bits: np.ndarray, y10: np.ndarray, months: np.ndarray, target_years: float) -> np.ndarray:
    """``depth_of`` over arrays, with the same float64 operations in the same order."""
    base = _BASE_TABLE[bits & 7]
    f = np.minimum(y10.astype(np.float64) / (target_years * 10.0), 1.0)
    rec = np.maximum(0.7, 1.0 - np.maximum(0.0, months.astype(np.float64) - 24.0) / 120.0)
    pos = (0.7 + 0.3 * f) * rec
    return np.where((bits & SRC_POSITION) != 0, np.maximum(base, pos), base)


def group_credits(pm: ProfileMatrix, compiled: CompiledRole) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate and requirement group: the credit (0-1, equal to ``score_profile``'s) and
    whether the group is ``met`` (its best match is exact or implied; ``partial`` if only related)."""
    n = pm.n
    indptr, indices = pm.bits.indptr, pm.bits.indices
    credits = np.zeros((n, len(compiled.plans)), dtype=np.float64, order="F")  # columns contiguous
    met = np.zeros((n, len(compiled.plans)), dtype=bool, order="F")
    for g, plan in enumerate(compiled.plans):
        best_met = np.zeros(n, dtype=np.float64)
        best_other = np.zeros(n, dtype=np.float64)
        for skill_id, (strength, kind, _alt) in plan.credit_by_skill.items():
            j = pm.skill_index.get(skill_id)
            if j is None:
                continue
            lo, hi = indptr[j], indptr[j + 1]
            if lo == hi:
                continue
            rows = indices[lo:hi]
            if plan.target_years == DEFAULT_TARGET_YEARS:
                depth = pm.depth_default[lo:hi]
            else:
                depth = _depth_array(pm.bits.data[lo:hi], pm.years10.data[lo:hi], pm.months.data[lo:hi], plan.target_years)
            c = strength * depth
            target = best_met if kind in MET_KINDS else best_other
            target[rows] = np.maximum(target[rows], c)
        credits[:, g] = np.maximum(best_met, best_other)
        met[:, g] = (best_met > 0.0) & (best_met >= best_other)
    return credits, met


def rank_matrix(pm: ProfileMatrix, compiled: CompiledRole) -> np.ndarray:
    """Scores (float64, rounded to 0.1) of every candidate in ``pm``: equal to ``score_profile``."""
    credits, _met = group_credits(pm, compiled)
    return scores_from_credits(pm, compiled, credits)


def scores_from_credits(pm: ProfileMatrix, compiled: CompiledRole, credits: np.ndarray) -> np.ndarray:
    """Group credits -> scores, adding up in the same order as ``score_profile``."""
    n = pm.n
    total = np.zeros(n, dtype=np.float64)
    missing = np.zeros(n, dtype=np.int64)
    for g, plan in enumerate(compiled.plans):
        credit = credits[:, g]
        total += credit * plan.max_points
        if plan.required:
            missing += credit == 0.0
    needed = compiled.experience_needed
    if needed is not None and compiled.experience_max_points:
        if needed <= 0.0:
            total += compiled.experience_max_points
        else:
            total += compiled.experience_max_points * np.minimum(pm.experience10 / (needed * 10.0), 1.0)
    total *= _PENALTY[np.minimum(missing, _MAX_MISSING)]
    if compiled.role.years_knockout and needed:
        short = pm.experience10 < int(round(needed * 10))
        total = np.where(short, np.minimum(total, KNOCKOUT_CAP), total)
    return np.floor(total * 10.0 + 0.5) / 10.0
