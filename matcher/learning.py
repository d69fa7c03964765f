"""Fit reports + recruiter decisions -> a learned order beside the rule score.

A tenant (optionally one role family of it) records decisions on candidates: ``advance`` or
``hire`` (positive) and ``reject``. Once it has ``MIN_DECISIONS`` of them, with both outcomes
present, :func:`fit_model` fits a logistic regression on standardized features and calibrates it
(Platt sigmoid on cross-validated scores once there are ``CALIBRATION_MIN`` decisions, the plain
logistic link below that). The result, a :class:`LearnedModel`, gives P(advance) for any fit
report and explains it in words; with too few decisions :func:`fit_model` returns a
:class:`NotEnoughDecisions` and the rule score stands.

What the model may see is fixed by the type of :func:`features_from_report`'s input: a
:class:`~matcher.types.FitReport`, which holds no name, contact detail, school, date of birth or
résumé prose. The builder reads only numbers and statuses of it (statuses, credits, match kinds,
evidence sources, years, depth, months of last use, points, the rule score); it never reads the
evidence's surface text, the summary, the advice or the requirement labels. The features are
aggregates over the report's requirement groups, so one model serves every role of a tenant.

A model is plain numbers (:func:`model_to_dict` / :func:`model_from_dict`, JSON-safe, no pickle):
predicting needs numpy only, never scikit-learn objects, so a stored model loads in microseconds.
``model_version`` is ``lr-1:<hash of the numbers>``: the same decisions give the same version.
Retraining is explicit: the caller decides when (the API's retrain endpoint, the CLI).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from operator import attrgetter
from typing import Literal, get_args

import numpy as np

from .errors import MatcherError
from .types import FitReport, GroupResult, Status

Decision = Literal["advance", "hire", "reject"]
#: Every decision a recruiter can record; ``advance`` and ``hire`` are the positive outcome.
DECISIONS: tuple[Decision, ...] = get_args(Decision)
POSITIVE_DECISIONS: frozenset[str] = frozenset({"advance", "hire"})

#: Fewer decisions than this (or only one outcome) and no model is fitted: the rule score stands.
MIN_DECISIONS = 20
#: Each outcome needs at least this many decisions for a model.
MIN_PER_CLASS = 3
#: From this many decisions (and ``CALIBRATION_FOLDS`` of each outcome) the probabilities are
#: calibrated by a sigmoid fitted on cross-validated scores; below, the logistic link is used as is.
CALIBRATION_MIN = 50
CALIBRATION_FOLDS = 5
#: Inverse strength of the L2 penalty on the standardized features' coefficients: strong, so a few
#: decisions move the model only a little away from what the rule score says.
REGULARIZATION_C = 0.03
#: The rule score's standardized column is multiplied by this before the fit, so its coefficient is
#: penalized ``RULE_PRIOR_WEIGHT``² times less than the others': the rule is the prior, decisions
#: correct it (bench/quality_learning.py measured the alternatives; docs/learning.md).
RULE_PRIOR_WEIGHT = 10.0
MODEL_KIND = "lr-1"
#: Bump when a feature's definition changes: stored models of another feature set don't load,
#: except those ``UPGRADES`` names (rf-2 added ``required_by_name`` and left ``unresolved`` matches
#: out of ``indirect_match``; an rf-1 model reads the new column with coefficient 0).
FEATURE_SET = "rf-2"
MODEL_FORMAT = "skillmatch-learned-model"
#: Months between a skill's last use and the candidate's latest use beyond which it counts as stale.
STALE_MONTHS = 24
YEARS_CAP = 20.0


class ModelError(MatcherError):
    """A stored model that can't be loaded, or decisions that can't be learned from (an unknown
    decision word, features and decisions of different lengths)."""

    code = "invalid_model"


@dataclass(frozen=True)
class ReportFeatures:
    """What the learned model sees of one fit report: numbers only, each 0-1 unless said.

    Shares of required groups are by count. Each matched group contributes its best match (the
    report's first ``matched`` entry). Without preferred groups ``preferred_met`` is 0; without
    an experience rule ``experience_fit`` is 1.
    """

    rule_score: float  # the rule score / 100
    required_met: float  # share of required groups shown in use
    required_listed: float  # ... named only in a list
    required_partial: float  # ... met only by a related skill
    required_missing: float  # ... with no credit
    required_by_name: float  # ... met only by name, by a free-text alternative (``matched_unresolved``)
    required_credit_mean: float  # mean credit of the required groups
    required_credit_min: float  # lowest credit of a required group
    preferred_met: float  # share of preferred groups shown in use
    experience_fit: float  # experience points earned / available
    experience_years: float  # years of experience / 10, capped at 2 (unknown: 0)
    knocked_out: float  # 1 when the role's years knockout applies
    dated_evidence: float  # share of matched groups whose best match is seen in a dated position
    evidence_depth: float  # mean depth of the best matches (years and recency of use)
    stale_evidence: float  # share of best matches last used > 24 months before the latest use
    indirect_match: float  # share of best matches that are implied or related (a match by name is direct)
    n_required: float  # number of required groups
    n_groups: float  # number of requirement groups


#: The model's inputs, in column order.
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ReportFeatures))
_ROW = attrgetter(*FEATURE_NAMES)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _months(d: date) -> int:
    return d.year * 12 + d.month


def _evidence_features(matched: Sequence[GroupResult]) -> tuple[float, float, float, float]:
    """(dated_evidence, evidence_depth, stale_evidence, indirect_match) over the best matches."""
    best = [g.matched[0] for g in matched if g.matched]
    if not best:
        return 0.0, 0.0, 0.0, 0.0
    n = len(best)
    used = [_months(m.last_used) for g in matched for m in g.matched if m.last_used is not None]
    latest = max(used) if used else None
    stale = sum(m.last_used is not None and latest - _months(m.last_used) > STALE_MONTHS for m in best)
    return (
        sum("position" in m.sources for m in best) / n,
        sum(m.depth for m in best) / n,
        stale / n,
        sum(m.kind in ("implied", "related") for m in best) / n,
    )


def features_from_report(report: FitReport) -> ReportFeatures:
    """The learned model's view of a fit report (numbers and statuses only; see the module)."""
    req = [g for g in report.groups if g.group.required]
    pref = [g for g in report.groups if not g.group.required]
    count = {st: sum(g.status == st for g in req) for st in get_args(Status)}
    credits = [g.credit for g in req]
    matched = [g for g in report.groups if g.credit > 0.0]
    dated, depth, stale, indirect = _evidence_features(matched)
    years = report.experience_years
    return ReportFeatures(
        rule_score=report.score / 100.0,
        required_met=_share(count["met"], len(req)),
        required_listed=_share(count["listed_only"], len(req)),
        required_partial=_share(count["partial"], len(req)),
        required_missing=_share(count["missing"], len(req)),
        required_by_name=_share(count["matched_unresolved"], len(req)),
        required_credit_mean=sum(credits) / len(credits) if credits else 0.0,
        required_credit_min=min(credits) if credits else 0.0,
        preferred_met=_share(sum(g.status == "met" for g in pref), len(pref)),
        experience_fit=(report.experience_points / report.experience_max_points
                        if report.experience_max_points > 0 else 1.0),
        experience_years=min(years or 0.0, YEARS_CAP) / 10.0,
        knocked_out=float(report.knocked_out),
        dated_evidence=dated,
        evidence_depth=depth,
        stale_evidence=stale,
        indirect_match=indirect,
        n_required=float(len(req)),
        n_groups=float(len(report.groups)),
    )


def feature_matrix(features: Sequence[ReportFeatures]) -> np.ndarray:
    """Rows of features as a float64 matrix, columns in ``FEATURE_NAMES`` order."""
    if not features:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
    return np.array([_ROW(f) for f in features], dtype=np.float64)


# --------------------------------------------------------------------------------------------
# The model: plain numbers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotEnoughDecisions:
    """No model: the rule score stands. ``reason`` says what is missing, in words."""

    n_decisions: int
    n_advance: int
    n_reject: int
    needed: int = MIN_DECISIONS

    @property
    def reason(self) -> str:
        if self.n_decisions < self.needed:
            return f"{self.n_decisions} decisions recorded; a learned order needs {self.needed}"
        return (f"{self.n_advance} advanced and {self.n_reject} rejected; a learned order needs at least "
                f"{MIN_PER_CLASS} of each")


@dataclass(frozen=True, eq=False)
class LearnedModel:
    """A calibrated logistic model over standardized report features.

    P(advance) = 1 / (1 + exp(a·f + b)) with f = ((x - mean) / scale)·coef + intercept; ``a`` and
    ``b`` are the calibration sigmoid's (a = -1, b = 0 without calibration).
    """

    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calibration: str  # "sigmoid-cv" or "none"
    a: float
    b: float
    model_version: str
    trained_at: str  # ISO 8601, UTC
    n_decisions: int
    class_counts: Mapping[str, int]

    def decision_values(self, matrix: np.ndarray) -> np.ndarray:
        """The logistic regression's log-odds (before calibration) for each row."""
        return ((matrix - self.mean) / self.scale) @ self.coef + self.intercept

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """P(advance) for each row of a feature matrix (``feature_matrix``)."""
        matrix = np.asarray(matrix, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != len(self.feature_names):
            raise ModelError(f"expected a matrix of {len(self.feature_names)} feature columns, got shape {matrix.shape}")
        t = self.a * self.decision_values(matrix) + self.b
        return 1.0 / (1.0 + np.exp(np.clip(t, -700.0, 700.0)))

    def p_advance(self, features: ReportFeatures) -> float:
        return float(self.predict(feature_matrix([features]))[0])


def _labels(decisions: Sequence[str]) -> np.ndarray:
    bad = sorted({d for d in decisions if d not in DECISIONS})
    if bad:
        raise ModelError(f"unknown decision {bad[0]!r}; one of {', '.join(DECISIONS)}")
    return np.array([d in POSITIVE_DECISIONS for d in decisions], dtype=np.int64)


#: Per feature, what its standardized column is multiplied by before the fit.
PRIOR_WEIGHTS = np.array([RULE_PRIOR_WEIGHT if n == "rule_score" else 1.0 for n in FEATURE_NAMES])


def _prior_weighted(z: np.ndarray) -> np.ndarray:
    return z * PRIOR_WEIGHTS


def _fit_sklearn(x: np.ndarray, y: np.ndarray, seed: int):
    """The scikit-learn estimator: StandardScaler, the rule prior weight, LogisticRegression; wrapped in a
    sigmoid CalibratedClassifierCV (one refit on all data) when there are enough decisions."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    pipe = make_pipeline(StandardScaler(), FunctionTransformer(_prior_weighted),
                         LogisticRegression(C=REGULARIZATION_C, max_iter=1000))
    if len(y) >= CALIBRATION_MIN and min(np.bincount(y, minlength=2)) >= CALIBRATION_FOLDS:
        folds = StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=seed)
        return CalibratedClassifierCV(pipe, method="sigmoid", cv=folds, ensemble=False).fit(x, y)
    return pipe.fit(x, y)


def _numbers(est) -> tuple[object, float, float, str]:
    """(pipeline, a, b, calibration) of a fitted estimator from ``_fit_sklearn``."""
    if hasattr(est, "calibrated_classifiers_"):
        cc = est.calibrated_classifiers_[0]
        sig = cc.calibrators[0]
        return cc.estimator, float(sig.a_), float(sig.b_), "sigmoid-cv"
    return est, -1.0, 0.0, "none"


def _version(payload: Mapping) -> str:
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return f"{MODEL_KIND}:{hashlib.sha256(raw).hexdigest()[:16]}"


def fit_model(examples: Sequence[tuple[ReportFeatures, Decision]], *, seed: int = 0,
              trained_at: datetime | None = None) -> LearnedModel | NotEnoughDecisions:
    """Fit P(advance) on (features, decision) pairs; deterministic for a seed. Too few decisions,
    or too few of either outcome, give a :class:`NotEnoughDecisions` instead of a model."""
    y = _labels([d for _f, d in examples])
    n_pos = int(y.sum())
    counts = NotEnoughDecisions(len(y), n_pos, len(y) - n_pos)
    if len(y) < MIN_DECISIONS or min(n_pos, len(y) - n_pos) < MIN_PER_CLASS:
        return counts
    x = feature_matrix([f for f, _d in examples])
    pipe, a, b, calibration = _numbers(_fit_sklearn(x, y, seed))
    scaler, lr = pipe[0], pipe[-1]
    scale = scaler.scale_ / PRIOR_WEIGHTS  # the prior weights folded into the scale
    numbers = {
        "features": list(FEATURE_NAMES), "mean": scaler.mean_.tolist(), "scale": scale.tolist(),
        "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]), "a": a, "b": b,
    }
    when = (trained_at or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    return LearnedModel(
        feature_names=FEATURE_NAMES,
        mean=scaler.mean_.astype(np.float64),
        scale=scale.astype(np.float64),
        coef=lr.coef_[0].astype(np.float64),
        intercept=float(lr.intercept_[0]),
        calibration=calibration,
        a=a,
        b=b,
        model_version=_version(numbers),
        trained_at=when,
        n_decisions=len(y),
        class_counts={"advance": n_pos, "reject": len(y) - n_pos},
    )


def model_to_dict(model: LearnedModel) -> dict:
    """The model as JSON-safe plain data (floats round-trip exactly through JSON)."""
    return {
        "format": MODEL_FORMAT,
        "feature_set": FEATURE_SET,
        "model_version": model.model_version,
        "trained_at": model.trained_at,
        "n_decisions": model.n_decisions,
        "class_counts": dict(model.class_counts),
        "features": list(model.feature_names),
        "mean": model.mean.tolist(),
        "scale": model.scale.tolist(),
        "coef": model.coef.tolist(),
        "intercept": model.intercept,
        "calibration": {"method": model.calibration, "a": model.a, "b": model.b},
    }


def _vector(data: Mapping, key: str, n: int) -> np.ndarray:
    vals = data.get(key)
    if not isinstance(vals, list) or len(vals) != n:
        raise ModelError(f"stored model: {key!r} must be a list of {n} numbers")
    arr = np.array(vals, dtype=np.float64) if all(isinstance(v, (int, float)) for v in vals) else None
    if arr is None or not np.all(np.isfinite(arr)):
        raise ModelError(f"stored model: {key!r} must hold finite numbers")
    return arr


def _number(data: Mapping, key: str) -> float:
    v = data.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ModelError(f"stored model: {key!r} must be a finite number")
    return float(v)


#: Older feature sets a stored model may use, with their columns: every one of them is a column of
#: ``FEATURE_NAMES`` and the columns added since enter with coefficient 0 (mean 0, scale 1), so the
#: model's decision value is the one it had; a model of any other feature set must be retrained.
UPGRADES: dict[str, tuple[str, ...]] = {
    "rf-1": tuple(n for n in FEATURE_NAMES if n != "required_by_name"),
}


def _columns(data: Mapping) -> tuple[str, ...]:
    """The feature columns a stored model was trained on: ``FEATURE_NAMES`` or an ``UPGRADES`` set's."""
    wanted = FEATURE_NAMES if data.get("feature_set") == FEATURE_SET else UPGRADES.get(data.get("feature_set"))
    if wanted is None or data.get("features") != list(wanted):
        raise ModelError(f"stored model uses feature set {data.get('feature_set')!r}; this engine reads "
                         f"{FEATURE_SET!r}: retrain the model")
    return wanted


def _widened(values: np.ndarray, columns: tuple[str, ...], fill: float) -> np.ndarray:
    """A stored vector over ``columns`` as one over ``FEATURE_NAMES`` (``fill`` in added columns)."""
    at = dict(zip(columns, values, strict=True))
    return np.array([at.get(n, fill) for n in FEATURE_NAMES], dtype=np.float64)


def model_from_dict(data: Mapping) -> LearnedModel:
    """A model back from ``model_to_dict``'s form (of this feature set or one it ``UPGRADES``);
    anything else raises :class:`ModelError`."""
    if not isinstance(data, Mapping) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"not a stored model (format must be {MODEL_FORMAT!r})")
    columns = _columns(data)
    n = len(columns)
    scale = _vector(data, "scale", n)
    if np.any(scale <= 0):
        raise ModelError("stored model: 'scale' must be positive")
    cal = data.get("calibration")
    if not isinstance(cal, Mapping) or cal.get("method") not in ("sigmoid-cv", "none"):
        raise ModelError("stored model: 'calibration' must name a method ('sigmoid-cv' or 'none')")
    counts = data.get("class_counts")
    if not isinstance(counts, Mapping) or set(counts) != {"advance", "reject"}:
        raise ModelError("stored model: 'class_counts' must give 'advance' and 'reject'")
    return LearnedModel(
        feature_names=FEATURE_NAMES,
        mean=_widened(_vector(data, "mean", n), columns, 0.0),
        scale=_widened(scale, columns, 1.0),
        coef=_widened(_vector(data, "coef", n), columns, 0.0),
        intercept=_number(data, "intercept"),
        calibration=cal["method"],
        a=_number(cal, "a"),
        b=_number(cal, "b"),
        model_version=str(data.get("model_version", "")),
        trained_at=str(data.get("trained_at", "")),
        n_decisions=int(_number(data, "n_decisions")),
        class_counts={"advance": int(counts["advance"]), "reject": int(counts["reject"])},
    )


# --------------------------------------------------------------------------------------------
# Using it: an order beside the rule's, and why
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """One feature's push on a candidate's P(advance), in calibrated log-odds against the average
    candidate the model was trained on (positive: towards advance)."""

    feature: str
    value: float
    effect: float
    text: str


def _of(share: float, n: float) -> str:
    return f"{round(share * n):d} of {int(n)}"


#: How each feature reads to a person: counts of required groups, percentages, and the rest.
_COUNTED = {
    "required_met": "required skills shown in use",
    "required_listed": "required skills only listed",
    "required_partial": "required skills met only by a related skill",
    "required_missing": "required skills missing",
    "required_by_name": "required skills met only by a name outside the taxonomy",
}
_PERCENT = {
    "required_credit_mean": "mean credit on required skills",
    "required_credit_min": "weakest required skill's credit",
    "preferred_met": "preferred skills shown in use",
    "experience_fit": "share of the experience points asked that were earned",
    "dated_evidence": "matched skills used in dated positions",
    "evidence_depth": "depth of evidence (years, recency)",
    "stale_evidence": "matched skills not used in the last two years of work",
    "indirect_match": "matched through an implied or related skill",
}


def _words(name: str, f: ReportFeatures) -> str:
    value = getattr(f, name)
    if name in _COUNTED:
        return f"{_COUNTED[name]}: {_of(value, f.n_required)}"
    if name in _PERCENT:
        return f"{_PERCENT[name]}: {value:.0%}"
    return {
        "rule_score": f"rule score {value * 100:.1f}/100",
        "experience_years": f"{value * 10:g} years of experience",
        "knocked_out": "below the role's years knockout" if value else "not knocked out",
        "n_required": f"{int(value)} required skills in the role",
        "n_groups": f"{int(value)} requirements in the role",
    }[name]



def explain(model: LearnedModel, features: ReportFeatures, k: int = 3) -> list[Contribution]:
    """The ``k`` features that move this candidate's P(advance) most, largest first, in words:
    "required skills shown in use: 9 of 12 (+0.8)"."""
    x = np.array(_ROW(features), dtype=np.float64)
    effect = -model.a * model.coef * (x - model.mean) / model.scale
    order = sorted(range(len(effect)), key=lambda j: (-abs(effect[j]), j))
    out = []
    for j in order[: max(0, k)]:
        name = model.feature_names[j]
        e = float(effect[j])
        out.append(Contribution(name, float(x[j]), e, f"{_words(name, features)} ({e:+.1f})"))
    return out


def learned_order(model: LearnedModel, reports: Sequence[FitReport]) -> list[tuple[int, float]]:
    """(index into ``reports``, P(advance)) best first; ties keep input order."""
    if not reports:
        return []
    p = model.predict(feature_matrix([features_from_report(r) for r in reports]))
    order = np.argsort(-p, kind="stable")
    return [(int(i), float(p[i])) for i in order]
