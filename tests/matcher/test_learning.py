"""Learning from recruiter decisions (matcher/learning.py): features built from fit reports only,
a deterministic calibrated model stored as plain numbers, explanations in words, and the
counterfactual fairness tests extended to the learned score."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bench.quality_learning import load_graded
from bench.quality_rank import RANKING
from matcher import FitReport, LearnedModel, ModelError, NotEnoughDecisions, ReportFeatures, explain, learning
from matcher import feature_matrix, features_from_report, fit_model, learned_order, model_from_dict, model_to_dict
from matcher import load_role, match_profile, parse_bytes, parse_text
from tests.matcher.test_fairness import AS_OF as FAIRNESS_AS_OF
from tests.matcher.test_fairness import JOBS, PERSON_1, PERSON_2, TEMPLATE_A, TEMPLATE_B

REPO = RANKING.parents[2]


@pytest.fixture(scope="module")
def graded(engine) -> list[tuple[FitReport, int]]:
    """(report, hand grade) for the graded ml-engineer and data-engineer résumés."""
    as_of, roles = load_graded()
    out = []
    for entry in roles:
        if entry["role"] not in ("ml-engineer", "data-engineer"):
            continue
        role, _spec, _w = load_role((REPO / entry["job_file"]).read_bytes(), engine)
        for r in entry["resumes"]:
            profile = parse_bytes((RANKING / r["file"]).read_bytes(), engine, as_of)
            out.append((match_profile(profile, role, engine), int(r["grade"])))
    return out


def _examples(graded, repeat: int = 1):
    """Decisions of a recruiter who advances grades 2 and 3; repeated copies flip every 5th decision."""
    out = []
    for copy in range(repeat):
        for i, (report, grade) in enumerate(graded):
            advance = grade >= 2
            if copy and (i + copy) % 5 == 0:
                advance = not advance
            out.append((features_from_report(report), "advance" if advance else "reject"))
    return out


@pytest.fixture(scope="module")
def model(graded) -> LearnedModel:
    m = fit_model(_examples(graded))
    assert isinstance(m, LearnedModel)
    return m


# ---------------------------------------------------------------------------------------------
# features
# ---------------------------------------------------------------------------------------------

SHARES = [n for n in learning.FEATURE_NAMES if n not in ("n_required", "n_groups", "experience_years")]


def test_features_are_shares_of_the_report(graded):
    for report, _grade in graded:
        f = features_from_report(report)
        req = [g for g in report.groups if g.group.required]
        assert all(0.0 <= getattr(f, n) <= 1.0 for n in SHARES), f
        assert f.required_met + f.required_listed + f.required_partial + f.required_missing + f.required_by_name \
            == pytest.approx(1.0)
        assert f.required_met == pytest.approx(sum(g.status == "met" for g in req) / len(req))
        assert (f.n_required, f.n_groups, f.rule_score) == (len(req), len(report.groups), report.score / 100)


def test_better_graded_resumes_have_better_features(graded):
    """Guard against features that say nothing: the grade-3 résumés show more required skills in
    use, from dated positions, than the grade-0 ones."""
    top = [features_from_report(r) for r, g in graded if g == 3]
    bottom = [features_from_report(r) for r, g in graded if g == 0]
    for name in ("required_met", "dated_evidence", "required_credit_mean"):
        assert np.mean([getattr(f, name) for f in top]) > np.mean([getattr(f, name) for f in bottom]) + 0.3, name


def _retext(report: FitReport, word: str) -> FitReport:
    """The same report with every piece of text replaced: evidence surface text, reasons, advice,
    requirement labels and source lines, the summary."""
    groups = []
    for g in report.groups:
        matched = tuple(
            replace(m, reason=word, evidence=tuple(replace(e, text=word) for e in m.evidence)) for m in g.matched
        )
        groups.append(replace(g, matched=matched, advice=word, group=replace(g.group, label=word, source_text=word)))
    return replace(report, groups=tuple(groups), summary=word)


def test_features_never_read_text(graded):
    for report, _grade in graded[:8]:
        assert features_from_report(_retext(report, "Jane Doe, Stanford")) == features_from_report(report)


def test_feature_matrix_columns_follow_the_names(graded):
    feats = [features_from_report(r) for r, _g in graded[:5]]
    m = feature_matrix(feats)
    assert m.shape == (5, len(learning.FEATURE_NAMES)) and m.dtype == np.float64
    col = learning.FEATURE_NAMES.index("dated_evidence")
    assert m[:, col].tolist() == [f.dated_evidence for f in feats]
    assert feature_matrix([]).shape == (0, len(learning.FEATURE_NAMES))


# ---------------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------------

FEATS = ReportFeatures(*([0.5] * len(learning.FEATURE_NAMES)))


@pytest.mark.parametrize(
    ("decisions", "reason"),
    [
        (["advance"] * 10 + ["reject"] * 9, "19 decisions recorded; a learned order needs 20"),
        (["advance"] * 30, "30 advanced and 0 rejected"),
        (["hire"] * 28 + ["reject"] * 2, "28 advanced and 2 rejected"),
        ([], "0 decisions recorded"),
    ],
    ids=["too-few", "one-outcome", "too-few-rejections", "none"],
)
def test_too_few_decisions_leave_the_rule_standing(decisions, reason):
    result = fit_model([(FEATS, d) for d in decisions])
    assert isinstance(result, NotEnoughDecisions)
    assert result.reason.startswith(reason)


def test_an_unknown_decision_is_refused():
    with pytest.raises(ModelError, match="unknown decision 'maybe'; one of advance, hire, reject"):
        fit_model([(FEATS, "advance")] * 20 + [(FEATS, "maybe")])


def test_the_model_learns_the_decisions(graded, model):
    p = model.predict(feature_matrix([features_from_report(r) for r, _g in graded]))
    advanced = np.array([g >= 2 for _r, g in graded])
    # every advanced résumé above every rejected one would be 1.0; a chance ranking 0.5
    auc = np.mean([pa > pr for pa in p[advanced] for pr in p[~advanced]])
    assert auc > 0.85
    assert model.class_counts == {"advance": int(advanced.sum()), "reject": int((~advanced).sum())}
    assert model.n_decisions == len(graded) and model.calibration == "none"


def test_fitting_is_deterministic_and_versioned(graded):
    ex = _examples(graded)
    a, b = fit_model(ex, seed=3), fit_model(ex, seed=3)
    assert a.model_version == b.model_version and a.model_version.startswith("lr-1:")
    assert np.array_equal(a.coef, b.coef)
    flipped = [(f, "reject" if d == "advance" else "advance") if i == 0 else (f, d) for i, (f, d) in enumerate(ex)]
    assert fit_model(flipped, seed=3).model_version != a.model_version


@pytest.mark.parametrize("repeat", [1, 3], ids=["plain-logistic", "calibrated"])
def test_the_stored_model_predicts_like_scikit_learn(graded, repeat):
    ex = _examples(graded, repeat)
    model = fit_model(ex, seed=1)
    assert model.calibration == ("none" if len(ex) < learning.CALIBRATION_MIN else "sigmoid-cv")
    x = feature_matrix([f for f, _d in ex])
    y = np.array([d == "advance" for _f, d in ex], dtype=np.int64)
    reference = learning._fit_sklearn(x, y, 1).predict_proba(x)[:, 1]
    assert np.max(np.abs(model.predict(x) - reference)) < 1e-9
    stored = json.loads(json.dumps(model_to_dict(model)))
    again = model_from_dict(stored)
    assert np.max(np.abs(again.predict(x) - model.predict(x))) < 1e-9
    assert (again.model_version, again.n_decisions, dict(again.class_counts)) == (
        model.model_version, model.n_decisions, dict(model.class_counts))


def test_calibrated_probabilities_match_the_advance_rate(graded):
    ex = _examples(graded, 3)
    model = fit_model(ex)
    p = model.predict(feature_matrix([f for f, _d in ex]))
    rate = np.mean([d == "advance" for _f, d in ex])
    assert abs(p.mean() - rate) < 0.05


N = len(learning.FEATURE_NAMES)


def _stored(model, **change):
    d = model_to_dict(model)
    for key, value in change.items():
        if key == "calibration":
            d["calibration"] = value
        else:
            d[key] = value
    return d


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "pickle"}, "not a stored model"),
        ({"feature_set": "rf-0"}, "feature set 'rf-0'.*retrain"),
        ({"features": ["rule_score"]}, "retrain"),
        ({"coef": [1.0]}, f"'coef' must be a list of {N} numbers"),
        ({"mean": [float("nan")] * N}, "'mean' must hold finite numbers"),
        ({"mean": ["1"] * N}, "'mean' must hold finite numbers"),
        ({"scale": [0.0] * N}, "'scale' must be positive"),
        ({"intercept": "0"}, "'intercept' must be a finite number"),
        ({"calibration": {"method": "isotonic"}}, "'calibration' must name a method"),
        ({"calibration": {"method": "none", "a": None, "b": 0}}, "'a' must be a finite number"),
        ({"class_counts": {"advance": 3}}, "'class_counts'"),
        ({"feature_set": "rf-1"}, "feature set 'rf-1'.*retrain"),  # rf-1 with rf-2's columns
    ],
    ids=["format", "feature-set", "features", "short-coef", "nan", "strings", "zero-scale", "intercept",
         "calibration-method", "calibration-number", "class-counts", "rf-1-columns"],
)
def test_a_bad_stored_model_is_refused(model, change, message):
    with pytest.raises(ModelError, match=message):
        model_from_dict(_stored(model, **change))


def _as_rf1(model) -> dict:
    """``model`` stored as a model of feature set rf-1 would be: without the ``required_by_name`` column."""
    d = model_to_dict(model)
    keep = [i for i, n in enumerate(d["features"]) if n != "required_by_name"]
    for key in ("features", "mean", "scale", "coef"):
        d[key] = [d[key][i] for i in keep]
    return {**d, "feature_set": "rf-1"}


def test_a_model_of_feature_set_rf1_still_loads_and_scores_as_it_did(graded, model, engine):
    """rf-2 added ``required_by_name``: an rf-1 model reads it with coefficient 0, so its decision
    value is the one its own 17 columns give; stored again, it is an rf-2 model."""
    old = _as_rf1(model)
    loaded = model_from_dict(json.loads(json.dumps(old)))
    by_name = _by_name_report(engine)
    feats = [features_from_report(r) for r, _g in graded[:6]] + [by_name]
    x = feature_matrix(feats)
    cols = [learning.FEATURE_NAMES.index(n) for n in old["features"]]
    z = ((x[:, cols] - np.array(old["mean"])) / np.array(old["scale"])) @ np.array(old["coef"]) + old["intercept"]
    cal = old["calibration"]
    expected = 1.0 / (1.0 + np.exp(cal["a"] * z + cal["b"]))
    assert np.max(np.abs(loaded.predict(x) - expected)) < 1e-12
    assert by_name.required_by_name > 0.0  # the row the new column could have moved
    again = model_to_dict(loaded)
    assert (again["feature_set"], again["features"]) == (learning.FEATURE_SET, list(learning.FEATURE_NAMES))


FREE_TEXT_RESUME = """Dana Reyes

Experience
Platform Engineer, Acme Corp — Jan 2020 – Present
- Built data pipelines in Python and Zorbix for billing

Skills: Python, SQL
"""


def _by_name_report(engine):
    """Features of a real report with a required group met by name (Zorbix, outside the taxonomy)."""
    role, _spec, _w = load_role(b"Platform Engineer\n\nRequirements\n- Experience with Zorbix or Flumewave required\n"
                                b"- Python\n", engine)
    report = match_profile(parse_text(FREE_TEXT_RESUME, engine, date(2026, 11, 1)), role, engine)
    assert [g.status for g in report.groups] == ["matched_unresolved", "met"]
    return features_from_report(report)


def test_a_group_met_by_name_is_its_own_feature_and_not_an_indirect_match(engine, model):
    f = _by_name_report(engine)
    assert (f.required_by_name, f.required_met, f.required_partial, f.required_missing) == (0.5, 0.5, 0.0, 0.0)
    assert f.indirect_match == 0.0  # Zorbix by its own name and Python exact: both direct
    words = {c.feature: c.text for c in explain(model, f, k=len(learning.FEATURE_NAMES))}
    assert words["required_by_name"].startswith("required skills met only by a name outside the taxonomy: 1 of 2 (")


def test_a_non_mapping_is_refused():
    with pytest.raises(ModelError, match="not a stored model"):
        model_from_dict(["not", "a", "model"])


# ---------------------------------------------------------------------------------------------
# using it
# ---------------------------------------------------------------------------------------------


def test_explanations_add_up_to_the_log_odds(graded, model):
    for report, _g in graded[:10]:
        f = features_from_report(report)
        every = explain(model, f, k=len(learning.FEATURE_NAMES))
        p = model.p_advance(f)
        logit = math.log(p / (1 - p))
        # the contributions are the log-odds' distance from the training mean's
        assert sum(c.effect for c in every) == pytest.approx(logit + model.a * model.intercept + model.b, abs=1e-9)
        top = explain(model, f, k=3)
        assert top == every[:3]
        assert [abs(c.effect) for c in top] == sorted((abs(c.effect) for c in top), reverse=True)
        for c in top:
            assert c.text.endswith(f"({c.effect:+.1f})")


def test_explanations_say_counts_in_words(model):
    f = replace(FEATS, required_met=0.75, n_required=12.0)
    words = {c.feature: c.text for c in explain(model, f, k=len(learning.FEATURE_NAMES))}
    assert words["required_met"].startswith("required skills shown in use: 9 of 12 (")


def test_learned_order_is_best_first(graded, model):
    reports = [r for r, _g in graded]
    order = learned_order(model, reports)
    assert sorted(i for i, _p in order) == list(range(len(reports)))
    assert [p for _i, p in order] == sorted((p for _i, p in order), reverse=True)
    for i, p in order[:5]:
        assert p == pytest.approx(model.p_advance(features_from_report(reports[i])), abs=1e-12)
    assert learned_order(model, []) == []


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (7, N), elements=st.floats(-1e6, 1e6, allow_nan=False)))
def test_predictions_are_probabilities_for_any_input(model, matrix):
    p = model.predict(matrix)
    assert p.shape == (7,) and np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    assert p[0] == pytest.approx(model.p_advance(ReportFeatures(*matrix[0])), abs=1e-12)


def test_a_matrix_of_the_wrong_width_is_refused(model):
    with pytest.raises(ModelError, match=f"expected a matrix of {N} feature columns"):
        model.predict(np.zeros((3, 5)))


# ---------------------------------------------------------------------------------------------
# counterfactual fairness, extended to the learned score
# ---------------------------------------------------------------------------------------------


def _p(engine, role, model, text):
    report = match_profile(parse_text(text, engine, FAIRNESS_AS_OF), role, engine)
    return model.p_advance(features_from_report(report)), explain(model, features_from_report(report))


@pytest.mark.parametrize("job", ["ml-engineer-job-page.txt", "data-engineer.txt"], ids=["ml-engineer", "data-engineer"])
@pytest.mark.parametrize("template", [TEMPLATE_A, TEMPLATE_B], ids=["resume-a", "resume-b"])
def test_swapping_personal_details_does_not_change_the_learned_score(engine, model, job, template):
    role, _, _ = load_role((JOBS / job).read_bytes(), engine)
    with_1 = _p(engine, role, model, template.format(**PERSON_1))
    with_2 = _p(engine, role, model, template.format(**PERSON_2))
    blank = _p(engine, role, model, template.format(**{k: "" for k in PERSON_1}))
    assert with_1 == with_2 == blank


def test_the_learned_score_does_tell_the_two_resumes_apart(engine, model):
    role, _, _ = load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine)
    a, _ = _p(engine, role, model, TEMPLATE_A.format(**PERSON_1))
    b, _ = _p(engine, role, model, TEMPLATE_B.format(**PERSON_1))
    assert a > b + 0.1


def test_the_feature_builder_takes_only_a_fit_report():
    """The type is the guarantee: a FitReport carries no name, contact, school or birth date field."""
    import typing

    hints = typing.get_type_hints(features_from_report)
    assert hints["report"] is FitReport
    assert not {"name", "email", "phone", "school", "education", "birth", "text"} & set(FitReport.__dataclass_fields__)
    assert date not in {type(v) for v in FEATS.__dict__.values()}


# ---------------------------------------------------------------------------------------------
# the simulated recruiter's bench (bench/quality_learning.py)
# ---------------------------------------------------------------------------------------------


def test_perturbed_copies_shift_years_and_drop_only_bullets():
    import random

    from bench.quality_learning import perturb

    text = "Jo\n\nEXPERIENCE\nDev, X — 2019 – Present\n" + "".join(f"- bullet {i}\n" for i in range(40))
    copies = [perturb(text, random.Random(s)) for s in range(20)]
    assert all("Jo\n\nEXPERIENCE\nDev, X — " in c for c in copies)
    assert {c.split("— ")[1][:4] for c in copies} == {"2019", "2018", "2017"}
    kept = [sum(ln.startswith("- bullet") for ln in c.splitlines()) for c in copies]
    assert 20 < np.mean(kept) < 40


def test_the_split_is_disjoint_and_stratified():
    import random

    from bench.quality_learning import Candidate, split

    pool = [Candidate("r", f"{g}-{i}.txt", True, g, 0.0, FEATS) for g in range(4) for i in range(4)]
    train, test = split(pool, random.Random(0))
    assert not train & test and len(train | test) == 16
    for g in range(4):
        assert sum(p.startswith(f"{g}-") for _r, p in train) == 2
