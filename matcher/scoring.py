"""Profile x Role -> score: deterministic, absolute (0-100), versioned, explainable.

The model (SCORING_VERSION records it; change the version whenever a number here changes). It is
the one place the model is written down; ``docs/scoring.md`` walks through it with examples.

1. **Strength** of a candidate skill for a requirement alternative: exact 1.0; implied through the
   taxonomy's parents ``IMPLIED_FACTOR x link weight`` (PySpark -> Spark, Kubeflow -> Kubernetes
   weaker); related ``RELATED_FACTOR x similarity`` (TensorFlow for PyTorch) - partial credit.
2. **Depth** of the candidate's evidence for that skill: used in a dated position
   ``(0.7 + 0.3 x min(years / target, 1)) x recency`` (target = the group's min years, else 3);
   otherwise by where it was seen: project 0.55, prose describing its use 0.4, a skills list (or a
   keyword block, or a skill the candidate added) only ``LISTED_DEPTH`` 0.2.
   Recency: full until 24 months since last use, then -1/120 per month, floor 0.7.
   Hidden text, negated and aspirational mentions never reach a profile, so never count.
3. **Group credit** = strength x depth of the candidate's best skill for the group (ties: a met
   kind before a related one, evidence of use before a list). Status: ``missing`` with no credit;
   ``partial`` for a related match; ``listed_only`` for an exact or implied match whose only
   evidence is a list; ``met`` for an exact or implied match shown in use; ``matched_unresolved``
   when no taxonomy skill meets the group but a free-text alternative ("Zorbix", not in the
   taxonomy) is met by an unresolved mention with the same normalized key.
   **Free text**: such a mention counts as a skill of its own (id ``"~" + key``, strength
   ``UNRESOLVED_FACTOR`` 1.0): its depth comes from where its evidence stands exactly as a taxonomy
   skill's does (years and recency from the dated positions it is in, else project / prose / list),
   so a name only listed earns ``LISTED_DEPTH`` and weighs in the gate and penalties like a listed
   skill. It meets nothing but its own free-text alternatives (no implied or related credit).
4. **Points** never invert: every part has an effective weight - a required group its weight, a
   preferred group ``PREFERRED_RATIO`` (0.5) x its weight, experience fit (when the role asks for
   years or a level) ``EXPERIENCE_RATIO`` (1.0) x the mean group weight - and a part's maximum
   points are 100 x its effective weight / their sum. So a preferred group is worth at most half
   a required group of the same weight, experience as much as a group of mean weight, and moving
   a group from required to preferred only shifts its own weight to the others.
5. **Evidence gate**: preferred and experience points count in full once half the required
   weight (``GATE_FULL_SHARE``) is shown in use (``met``, or ``partial`` with evidence beyond a
   list), proportionally less below; a role with no required groups gates nothing. Each
   ``missing`` required group multiplies the total by ``MISSING_REQUIRED_FACTOR`` (0.9), each one
   proved only by a list by ``LISTED_REQUIRED_FACTOR`` (0.93). A résumé whose only evidence is a
   keyword block therefore ranks below one with dated use of half the requirements.
6. A role with ``years_knockout`` caps the score at 20 when the years fall short.
   Score = total rounded to 0.1.

Only skills and experience go in: names, contact details, schools, dates of birth or graduation,
photos and any other personal detail never reach these functions.

Two paths compute the same numbers: ``score_profile`` (one candidate, with the explanation) and
``rank_matrix`` (numpy/scipy over many stored profiles). Both quantize years to tenths and months
to integers, and add up in the same order, so they agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from scipy import sparse

from .dates import months_elapsed
from .taxonomy import Taxonomy
from .timeline import evidence_years, position_interval
from .types import LEVELS, UNRESOLVED_PREFIX, MatchKind, Profile, ProfileSkill, Role, Status

#: 2.1.0: free-text alternatives met by unresolved mentions (status ``matched_unresolved``); scores of
#: roles without free text are unchanged.
#: 2.0.0: ``listed_only`` status and depth 0.2 for list-only evidence, effective weights that cannot
#: invert (preferred x0.5, experience = one mean required group), preferred and experience points
#: gated by the required groups shown in use. 1.1.0: candidate-added skills count like a list.
SCORING_VERSION = "2.1.0"

IMPLIED_FACTOR = 0.9
RELATED_FACTOR = 0.6
UNRESOLVED_FACTOR = 1.0
MET_KINDS = ("exact", "implied")

TOTAL_POINTS = 100.0
PREFERRED_RATIO = 0.5
EXPERIENCE_RATIO = 1.0
MISSING_REQUIRED_FACTOR = 0.9
LISTED_REQUIRED_FACTOR = 0.93
GATE_FULL_SHARE = 0.5
LISTED_DEPTH = 0.2
KNOCKOUT_CAP = 20.0
DEFAULT_TARGET_YEARS = 3.0

#: Bit flags for where a skill was seen, and the depth each source gives without a dated position.
SRC_SKILLS_LIST, SRC_TEXT, SRC_PROJECT, SRC_POSITION = 1, 2, 4, 8
_SOURCE_BITS = {"skills_list": SRC_SKILLS_LIST, "candidate": SRC_SKILLS_LIST, "text": SRC_TEXT, "project": SRC_PROJECT,
                "position": SRC_POSITION}
BASE_DEPTH = {SRC_SKILLS_LIST: LISTED_DEPTH, SRC_TEXT: 0.4, SRC_PROJECT: 0.55}
#: Depth for each 3-bit combination of non-position sources (index = bits & 7).
_BASE_TABLE = np.array(
    [max([BASE_DEPTH[b] for b in (1, 2, 4) if code & b] or [0.0]) for code in range(8)], dtype=np.float64
)

#: Years of experience a level implies when the role gives no minimum.
LEVEL_YEARS: dict[str, float] = dict(zip(LEVELS, (0.0, 1.0, 3.0, 5.0, 8.0, 10.0), strict=True))

_MAX_MISSING = 64
_PENALTY = np.array([MISSING_REQUIRED_FACTOR**n for n in range(_MAX_MISSING + 1)], dtype=np.float64)
_LISTED_PENALTY = np.array([LISTED_REQUIRED_FACTOR**n for n in range(_MAX_MISSING + 1)], dtype=np.float64)


def evidence_gate(shown_weight, required_weight: float):
    """The share of preferred and experience points a candidate earns: full once
    ``GATE_FULL_SHARE`` of the required weight is shown in use, proportionally less below."""
    if required_weight <= 0.0:
        return 1.0 if np.ndim(shown_weight) == 0 else np.ones(np.shape(shown_weight))
    return np.minimum(shown_weight / (GATE_FULL_SHARE * required_weight), 1.0)


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
    weight: float = 1.0


@dataclass(frozen=True)
class CompiledRole:
    """A role made ready to score many profiles: one plan per requirement group, and the experience
    rule (``experience_needed`` years earn up to ``experience_max_points``; None asks for none).
    ``required_weight`` is the required groups' total weight (the evidence gate's denominator)."""

    role: Role
    plans: tuple[GroupPlan, ...]
    experience_needed: float | None
    experience_max_points: float
    taxonomy_version: str
    required_weight: float = 0.0


def effective_weights(role: Role, needed: float | None) -> tuple[list[float], float]:
    """Each group's effective weight (required: its weight; preferred: ``PREFERRED_RATIO`` x its
    weight) and experience's (``EXPERIENCE_RATIO`` x the mean group weight, required or not, so
    moving a group between required and preferred leaves it alone; 0 when no years are asked)."""
    eff = [g.weight if g.required else PREFERRED_RATIO * g.weight for g in role.groups]
    if needed is None:
        return eff, 0.0
    weights = [g.weight for g in role.groups]
    return eff, EXPERIENCE_RATIO * (sum(weights) / len(weights) if weights else 1.0)


def compile_role(role: Role, taxonomy: Taxonomy) -> CompiledRole:
    """Precompute, once per role, every taxonomy skill that earns credit for each group."""
    needed = role.min_years if role.min_years is not None else (LEVEL_YEARS.get(role.level) if role.level else None)
    eff, exp_eff = effective_weights(role, needed)
    unit = TOTAL_POINTS / (sum(eff) + exp_eff) if (sum(eff) + exp_eff) > 0 else 0.0

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
        for term in g.free_text:
            offer(term.id, UNRESOLVED_FACTOR, "unresolved", term.id)
            known = taxonomy.resolve(term.name)  # named since the role was written (a tenant's own skill)
            if known is not None:
                offer(known.id, 1.0, "exact", known.id)
        plans.append(
            GroupPlan(
                credit_by_skill=best,
                target_years=g.min_years if g.min_years else DEFAULT_TARGET_YEARS,
                max_points=unit * eff[len(plans)],
                required=g.required,
                weight=g.weight,
            )
        )
    return CompiledRole(
        role=role,
        plans=tuple(plans),
        experience_needed=needed,
        experience_max_points=unit * exp_eff,
        taxonomy_version=taxonomy.version,
        required_weight=sum(g.weight for g in role.groups if g.required),
    )


# --------------------------------------------------------------------------------------------
# The per-candidate path
# --------------------------------------------------------------------------------------------


def scored_skills(profile: Profile) -> tuple[ProfileSkill, ...]:
    """The skills scoring sees: the profile's taxonomy skills, then each unresolved mention as a
    skill ``"~" + key`` (category ``unresolved``) with years and last use from its evidence's dated
    positions (``timeline.evidence_years``, the rule taxonomy skills follow)."""
    if not profile.unresolved:
        return profile.skills
    intervals = {p.index: position_interval(p, profile.as_of) for p in profile.positions}
    have = {s.id for s in profile.skills}
    extra = []
    for u in profile.unresolved:
        sid = UNRESOLVED_PREFIX + u.key
        if sid in have or not u.evidence:
            continue
        years, last_used = evidence_years(u.evidence, intervals)
        extra.append(ProfileSkill(sid, u.name, "unresolved", years, last_used, u.evidence,
                                  tuple(sorted({m.source for m in u.evidence}))))
    return (*profile.skills, *extra)


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


#: Source bits that show a skill in use (a dated or undated position, a project, prose).
USE_BITS = SRC_TEXT | SRC_PROJECT | SRC_POSITION


@dataclass(frozen=True)
class GroupScore:
    """One group's outcome for one profile, from its best candidate skill: ``credit`` is that
    skill's ``strength`` times its ``depth`` (0 when no skill counts), ``points`` what the group
    earned (a preferred group's after the evidence gate), ``alternative`` the group's skill it
    stands for, ``shown`` whether any matching skill's evidence goes beyond a list, ``status`` the
    requirement's status (see ``group_status``)."""

    credit: float
    points: float
    best_skill: str | None
    kind: MatchKind | None
    alternative: str | None
    depth: float
    strength: float
    shown: bool = False
    status: Status = "missing"


@dataclass(frozen=True)
class ProfileScore:
    """A profile's score for a compiled role: the required groups' points plus the gated preferred
    and ``experience_points``, scaled down for each ``missing_required`` and ``listed_required``
    group, capped when ``knocked_out``. ``gate`` is the share of those points earned."""

    score: float
    groups: tuple[GroupScore, ...]
    experience_points: float
    missing_required: int
    knocked_out: bool
    listed_required: int = 0
    gate: float = 1.0


#: Group status codes (``STATUSES[code]``), shared by both paths: the taxonomy's weakest first, then
#: ``matched_unresolved`` (added last, so stored codes keep their meaning).
STATUSES: tuple[Status, ...] = ("missing", "partial", "listed_only", "met", "matched_unresolved")


def group_status(met_shown: bool, met_listed: bool, any_credit: bool, by_name: bool = False) -> Status:
    """met: an exact or implied skill shown in use; listed_only: one only listed; matched_unresolved:
    no such skill, a free-text alternative met by name; partial: only a related skill; missing: nothing."""
    if met_shown or met_listed:
        return "met" if met_shown else "listed_only"
    return "matched_unresolved" if by_name else "partial" if any_credit else "missing"


def _best_for(plan: GroupPlan, feats, target_years: float) -> GroupScore:
    """The group's best candidate skill by credit (ties: a met kind first, then the first id),
    and its status from every matching skill."""
    best = GroupScore(0.0, 0.0, None, None, None, 0.0, 0.0)
    shown = met_shown = met_listed = by_name = False
    for skill_id, (bits, y10, months) in feats:
        hit = plan.credit_by_skill.get(skill_id)
        if hit is None:
            continue
        strength, kind, alt = hit
        depth = depth_of(bits, y10, months, target_years)
        credit = strength * depth
        used = bool(bits & USE_BITS)
        shown |= used
        if kind in MET_KINDS:
            met_shown |= used
            met_listed |= not used
        by_name |= kind == "unresolved" and credit > 0.0
        if credit > best.credit or (credit == best.credit > 0.0 and kind in MET_KINDS and best.kind not in MET_KINDS):
            best = GroupScore(credit, 0.0, skill_id, kind, alt, depth, strength)
    status = group_status(met_shown, met_listed, best.credit > 0.0, by_name)
    return replace(best, shown=shown and best.credit > 0.0, status=status)


def score_profile(profile: Profile, compiled: CompiledRole) -> ProfileScore:
    """Score one profile (same numbers as ``rank_matrix``)."""
    feats = sorted((s.id, skill_features(s, profile.as_of)) for s in scored_skills(profile))
    required = other = shown_w = 0.0
    missing = listed = 0
    bests = [_best_for(plan, feats, plan.target_years) for plan in compiled.plans]
    for plan, best in zip(compiled.plans, bests, strict=True):
        if plan.required:
            required += best.credit * plan.max_points
            missing += best.credit == 0.0
            if best.credit > 0.0 and best.shown:
                shown_w += plan.weight
            elif best.credit > 0.0:
                listed += 1
        else:
            other += best.credit * plan.max_points
    gate = float(evidence_gate(shown_w, compiled.required_weight))
    exp_points = experience_points(profile.experience_years, compiled)
    penalty = float(_PENALTY[min(missing, _MAX_MISSING)] * _LISTED_PENALTY[min(listed, _MAX_MISSING)])
    total = (required + gate * (other + exp_points)) * penalty
    knocked = _knocked_out(profile.experience_years, compiled)
    if knocked:
        total = min(total, KNOCKOUT_CAP)
    groups = tuple(
        replace(b, points=b.credit * plan.max_points * (1.0 if plan.required else gate))
        for plan, b in zip(compiled.plans, bests, strict=True)
    )
    return ProfileScore(round_score(total), groups, gate * exp_points, missing, knocked, listed, gate)


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
    """The matrix of ``scored_skills``: the taxonomy's columns, then one per unresolved key seen."""
    rows = [[(s.id, *skill_features(s, p.as_of)) for s in scored_skills(p)] for p in profiles]
    ids = [s.id for s in taxonomy]
    ids += sorted({sid for row in rows for sid, *_ in row if sid.startswith(UNRESOLVED_PREFIX)})
    return build_profile_matrix(rows, [p.experience_years for p in profiles], ids)


def _depth_array(bits: np.ndarray, y10: np.ndarray, months: np.ndarray, target_years: float) -> np.ndarray:
    """``depth_of`` over arrays, with the same float64 operations in the same order."""
    base = _BASE_TABLE[bits & 7]
    f = np.minimum(y10.astype(np.float64) / (target_years * 10.0), 1.0)
    rec = np.maximum(0.7, 1.0 - np.maximum(0.0, months.astype(np.float64) - 24.0) / 120.0)
    pos = (0.7 + 0.3 * f) * rec
    return np.where((bits & SRC_POSITION) != 0, np.maximum(base, pos), base)


@dataclass(frozen=True)
class GroupCredits:
    """Per candidate (rows) and requirement group (columns): the ``credit`` (0-1, equal to
    ``score_profile``'s), whether any matching skill is ``shown`` in use, and the ``status`` as an
    index into ``STATUSES``."""

    credit: np.ndarray
    shown: np.ndarray
    status: np.ndarray

    def status_met(self) -> np.ndarray:
        """Where the group's status is ``met``."""
        return self.status == STATUSES.index("met")


def group_credits(pm: ProfileMatrix, compiled: CompiledRole) -> GroupCredits:
    """Every candidate's credit and status per requirement group, as ``score_profile`` finds them:
    the best credit per class of match (met kind, related or by name; shown in use or only listed)."""
    n = pm.n
    indptr, indices = pm.bits.indptr, pm.bits.indices
    shape = (n, len(compiled.plans))
    credits = np.zeros(shape, dtype=np.float64, order="F")  # columns contiguous
    shown = np.zeros(shape, dtype=bool, order="F")
    status = np.zeros(shape, dtype=np.int8, order="F")
    used = (pm.bits.data & USE_BITS) != 0
    for g, plan in enumerate(compiled.plans):
        # rows: met+shown, met+listed, related+shown, related+listed, by name+shown, by name+listed
        best = np.zeros((6, n), dtype=np.float64)
        for skill_id, (strength, kind, _alt) in plan.credit_by_skill.items():
            j = pm.skill_index.get(skill_id)
            if j is None or indptr[j] == indptr[j + 1]:
                continue
            lo, hi = indptr[j], indptr[j + 1]
            rows = indices[lo:hi]
            if plan.target_years == DEFAULT_TARGET_YEARS:
                depth = pm.depth_default[lo:hi]
            else:
                depth = _depth_array(pm.bits.data[lo:hi], pm.years10.data[lo:hi], pm.months.data[lo:hi], plan.target_years)
            c = strength * depth
            k = 0 if kind in MET_KINDS else 4 if kind == "unresolved" else 2
            for cls, m in ((k, used[lo:hi]), (k + 1, ~used[lo:hi])):
                r = rows[m]
                best[cls, r] = np.maximum(best[cls, r], c[m])
        credit = best.max(axis=0)
        credits[:, g] = credit
        shown[:, g] = ((best[0] > 0.0) | (best[2] > 0.0) | (best[4] > 0.0)) & (credit > 0.0)
        by_name = (best[4] > 0.0) | (best[5] > 0.0)
        status[:, g] = np.select([best[0] > 0.0, best[1] > 0.0, by_name, credit > 0.0], [3, 2, 4, 1], 0)
    return GroupCredits(credits, shown, status)


def rank_matrix(pm: ProfileMatrix, compiled: CompiledRole) -> np.ndarray:
    """Scores (float64, rounded to 0.1) of every candidate in ``pm``: equal to ``score_profile``."""
    return scores_from_credits(pm, compiled, group_credits(pm, compiled))


def scores_from_credits(pm: ProfileMatrix, compiled: CompiledRole, gc: GroupCredits) -> np.ndarray:
    """Group credits -> scores, adding up in the same order as ``score_profile``."""
    n = pm.n
    required = np.zeros(n, dtype=np.float64)
    other = np.zeros(n, dtype=np.float64)
    shown_w = np.zeros(n, dtype=np.float64)
    missing = np.zeros(n, dtype=np.int64)
    listed = np.zeros(n, dtype=np.int64)
    for g, plan in enumerate(compiled.plans):
        credit = gc.credit[:, g]
        if plan.required:
            required += credit * plan.max_points
            proven = (credit > 0.0) & gc.shown[:, g]
            shown_w += np.where(proven, plan.weight, 0.0)
            missing += credit == 0.0
            listed += (credit > 0.0) & ~gc.shown[:, g]
        else:
            other += credit * plan.max_points
    gate = evidence_gate(shown_w, compiled.required_weight)
    exp = np.zeros(n, dtype=np.float64)
    needed = compiled.experience_needed
    if needed is not None and compiled.experience_max_points:
        if needed <= 0.0:
            exp += compiled.experience_max_points
        else:
            exp += compiled.experience_max_points * np.minimum(pm.experience10 / (needed * 10.0), 1.0)
    penalty = _PENALTY[np.minimum(missing, _MAX_MISSING)] * _LISTED_PENALTY[np.minimum(listed, _MAX_MISSING)]
    total = (required + gate * (other + exp)) * penalty
    if compiled.role.years_knockout and needed:
        short = pm.experience10 < int(round(needed * 10))
        total = np.where(short, np.minimum(total, KNOCKOUT_CAP), total)
    return np.floor(total * 10.0 + 0.5) / 10.0
