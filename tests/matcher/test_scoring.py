"""Scoring: properties (hypothesis), the two paths agreeing, and the model's documented numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.scoring import (
    compile_role,
    profiles_to_matrix,
    rank_matrix,
    recency_factor,
    score_profile,
)
from matcher.types import (
    FreeTextTerm,
    Position,
    Profile,
    ProfileSkill,
    RequirementGroup,
    Role,
    SkillMention,
    UnresolvedSkill,
)

AS_OF = date(2026, 11, 1)
SKILLS = ["pytorch", "jax", "fsdp", "tensorrt", "tensorrt-llm", "kubernetes", "docker", "python",
          "apache-spark", "apache-beam", "ray", "sql", "postgresql", "go", "cuda"]
SOURCES = ["position", "skills_list", "project", "text"]
#: Names outside the taxonomy: a profile's unresolved mentions and a group's free-text alternatives.
FREE = ["zorbix", "flumewave", "wistia"]
#: The dated position unresolved evidence "in a position" stands in (index 0).
DATED = Position(0, "Engineer", "Acme", date(2021, 3, 1), None, True, (0, 100))


def _skill(skill_id, sources=("position",), years=2.0, last_used=date(2026, 1, 1)):
    pos = "position" in sources
    ev = tuple(
        SkillMention(skill_id, skill_id, 0, len(skill_id), "experience" if s == "position" else "skills",
                     0 if s == "position" else None, s)
        for s in sources
    )
    return ProfileSkill(skill_id, skill_id, "x", years if pos else None, last_used if pos else None, ev, tuple(sorted(sources)))


def _profile(skills, years=5.0, unresolved=(), positions=()):
    return Profile(skills=tuple(skills), positions=tuple(positions), sections=(), experience_years=years, as_of=AS_OF,
                   taxonomy_version="t", unresolved=tuple(unresolved))


def _unresolved(key, sources=("position",)):
    ev = tuple(SkillMention("~" + key, key.title(), 0, len(key), "experience" if s == "position" else "skills",
                            0 if s == "position" else None, s) for s in sources)
    return UnresolvedSkill(key, key.title(), ev)


def _terms(keys):
    return tuple(FreeTextTerm(k, k.title()) for k in dict.fromkeys(keys))


skill_st = st.builds(
    _skill,
    st.sampled_from(SKILLS),
    st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True).map(tuple),
    st.one_of(st.none(), st.floats(0, 15).map(lambda y: round(y, 1))),
    st.dates(date(2010, 1, 1), date(2026, 11, 1)).map(lambda d: date(d.year, d.month, 1)),
)


def _dedupe(skills):
    seen = {}
    for s in skills:
        seen.setdefault(s.id, s)
    return list(seen.values())


unresolved_st = st.builds(
    _unresolved, st.sampled_from(FREE), st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True).map(tuple)
)
profile_st = st.builds(
    lambda skills, years, unresolved, dated: _profile(
        _dedupe(skills), years, list({u.key: u for u in unresolved}.values()), (DATED,) if dated else ()),
    st.lists(skill_st, max_size=10),
    st.one_of(st.none(), st.floats(0, 30).map(lambda y: round(y, 1))),
    st.lists(unresolved_st, max_size=3),
    st.booleans(),
)
group_st = st.builds(
    lambda ids, free, req, w, my: RequirementGroup(tuple(dict.fromkeys(ids)), req, w, my,
                                                   free_text=_terms(free if free or ids else ["zorbix"])),
    st.lists(st.sampled_from(SKILLS), max_size=3),
    st.lists(st.sampled_from(FREE), max_size=2),
    st.booleans(),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.one_of(st.none(), st.sampled_from([1.0, 3.0, 5.0])),
)
role_st = st.builds(
    lambda groups, level, my, ko: Role("r", tuple(groups), level, my, ko),
    st.lists(group_st, min_size=1, max_size=10),
    st.one_of(st.none(), st.sampled_from(["intern", "junior", "mid", "senior", "staff", "principal"])),
    st.one_of(st.none(), st.sampled_from([0.0, 2.0, 5.0])),
    st.booleans(),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(profile=profile_st, role=role_st)
def test_score_is_within_0_and_100(small_taxonomy, profile, role):
    s = score_profile(profile, compile_role(role, small_taxonomy)).score
    assert 0.0 <= s <= 100.0


@SETTINGS
@given(profile=profile_st, role=role_st, data=st.data())
def test_adding_a_required_skill_with_evidence_never_lowers_the_score(small_taxonomy, profile, role, data):
    compiled = compile_role(role, small_taxonomy)
    required_ids = [a for g in role.groups if g.required for a in g.any_of]
    if not required_ids:
        return
    new_id = data.draw(st.sampled_from(required_ids))
    added = _skill(new_id, ("position",), data.draw(st.floats(0, 10).map(lambda y: round(y, 1))), date(2026, 6, 1))
    before = score_profile(profile, compiled).score
    others = [s for s in profile.skills if s.id != new_id]
    old = profile.skill(new_id)
    if old is not None:  # merge: more evidence for a skill the candidate already had
        merged_sources = tuple(sorted(set(old.sources) | {"position"}))
        years = max(old.years or 0.0, added.years or 0.0)
        last = max(d for d in (old.last_used, added.last_used) if d is not None)
        added = ProfileSkill(new_id, new_id, "x", years, last, old.evidence + added.evidence, merged_sources)
    after = score_profile(replace(profile, skills=(*others, added)), compiled).score
    assert after >= before


@SETTINGS
@given(profile=profile_st, role=role_st, data=st.data())
def test_removing_evidence_never_raises_the_score(small_taxonomy, profile, role, data):
    if not profile.skills:
        return
    compiled = compile_role(role, small_taxonomy)
    drop = data.draw(st.sampled_from([s.id for s in profile.skills]))
    before = score_profile(profile, compiled).score
    after = score_profile(replace(profile, skills=tuple(s for s in profile.skills if s.id != drop)), compiled).score
    assert after <= before


@SETTINGS
@given(profiles=st.lists(profile_st, min_size=1, max_size=12), role=role_st, data=st.data())
def test_vectorized_path_equals_per_candidate_path_in_any_order(small_taxonomy, profiles, role, data):
    compiled = compile_role(role, small_taxonomy)
    one_by_one = [score_profile(p, compiled).score for p in profiles]
    vec = rank_matrix(profiles_to_matrix(profiles, small_taxonomy), compiled)
    assert vec.tolist() == one_by_one
    order = data.draw(st.permutations(range(len(profiles))))
    shuffled = rank_matrix(profiles_to_matrix([profiles[i] for i in order], small_taxonomy), compiled)
    assert shuffled.tolist() == [one_by_one[i] for i in order]


def _role(*groups, **kw):
    return Role("test", tuple(groups), **kw)


@pytest.mark.parametrize(
    ("skills", "expected_kind"),
    [
        ([_skill("pytorch")], "exact"),
        ([_skill("fsdp")], "implied"),
        ([_skill("jax")], "related"),
        ([_skill("docker")], None),
    ],
    ids=["exact", "implied-fsdp-pytorch", "related-jax-pytorch", "missing"],
)
def test_match_kinds(small_taxonomy, skills, expected_kind):
    compiled = compile_role(_role(RequirementGroup(("pytorch",))), small_taxonomy)
    assert score_profile(_profile(skills), compiled).groups[0].kind == expected_kind


def test_exact_beats_implied_beats_related_beats_missing(small_taxonomy):
    compiled = compile_role(_role(RequirementGroup(("pytorch",))), small_taxonomy)
    scores = [score_profile(_profile(s), compiled).score for s in ([_skill("pytorch")], [_skill("fsdp")], [_skill("jax")], [])]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


def test_position_evidence_beats_a_skills_list(small_taxonomy):
    compiled = compile_role(_role(RequirementGroup(("kubernetes",))), small_taxonomy)
    in_job = score_profile(_profile([_skill("kubernetes", ("position",), 3.0)]), compiled).score
    listed = score_profile(_profile([_skill("kubernetes", ("skills_list",))]), compiled).score
    assert in_job > listed > 0


def test_missing_required_hurts_more_than_missing_preferred(small_taxonomy):
    role = _role(RequirementGroup(("pytorch",), True), RequirementGroup(("docker",), False))
    compiled = compile_role(role, small_taxonomy)
    no_required = score_profile(_profile([_skill("docker", years=5)]), compiled).score
    no_preferred = score_profile(_profile([_skill("pytorch", years=5)]), compiled).score
    assert no_preferred - no_required > 30


def test_years_are_a_component_unless_knockout(small_taxonomy):
    group = RequirementGroup(("pytorch",))
    soft = compile_role(_role(group, min_years=10.0), small_taxonomy)
    hard = compile_role(_role(group, min_years=10.0, years_knockout=True), small_taxonomy)
    junior = _profile([_skill("pytorch", years=2)], years=2.0)
    assert score_profile(junior, soft).score > 50
    result = score_profile(junior, hard)
    assert result.knocked_out and result.score <= 20


@pytest.mark.parametrize(("months", "factor"), [(0, 1.0), (24, 1.0), (36, 0.9), (120, 0.7), (400, 0.7)],
                         ids=["now", "two-years", "three-years", "ten-years", "floor"])
def test_recency_factor(months, factor):
    assert recency_factor(months) == pytest.approx(factor)


def test_scores_are_deterministic(small_taxonomy):
    role = _role(RequirementGroup(("pytorch", "jax")), RequirementGroup(("kubernetes",), False))
    p = _profile([_skill("jax", years=1.3), _skill("kubernetes", ("skills_list",))])
    scores = {score_profile(p, compile_role(role, small_taxonomy)).score for _ in range(5)}
    assert len(scores) == 1


def test_rank_matrix_handles_an_empty_batch(small_taxonomy):
    compiled = compile_role(_role(RequirementGroup(("pytorch",))), small_taxonomy)
    assert rank_matrix(profiles_to_matrix([], small_taxonomy), compiled).shape == (0,)
    assert isinstance(rank_matrix(profiles_to_matrix([_profile([])], small_taxonomy), compiled), np.ndarray)


def test_a_stored_profile_scores_the_same_after_a_round_trip(engine):
    """What the service stores (profile_to_dict) rebuilds into a Profile with the same score."""
    from matcher.pipeline import load_role, match_profile, parse_text
    from matcher.serialize import profile_from_dict, profile_to_dict

    text = (
        "EXPERIENCE\nML Engineer, Acme Corp\nMar 2021 – Present\n- Trained PyTorch models with FSDP on Kubernetes.\n"
        "- Feature pipelines in PySpark; experiments in MLflow.\n\nSKILLS\nPython, Docker, SQL, JAX, Apache Spark\n"
    )
    profile = parse_text(text, engine, AS_OF)
    again = profile_from_dict(profile_to_dict(profile), profile.text)
    role, _, _ = load_role((Path(__file__).resolve().parents[1] / "data" / "jobs" / "ml-engineer-job-page.txt").read_bytes(), engine)
    assert match_profile(again, role, engine).score == match_profile(profile, role, engine).score > 0
    assert again.skills == profile.skills and again.positions == profile.positions
    spark = again.skill("apache-spark")
    assert spark.years is not None and "pyspark" in {m.skill_id for m in spark.evidence}  # a variant's line


@SETTINGS
@given(profiles=st.lists(profile_st, min_size=1, max_size=8), role=role_st)
def test_vectorized_group_status_equals_the_report(small_taxonomy, profiles, role):
    """group_credits: per-group credit, kind and evidence class equal the per-candidate path's."""
    from matcher.scoring import STATUSES, group_credits

    compiled = compile_role(role, small_taxonomy)
    gc = group_credits(profiles_to_matrix(profiles, small_taxonomy), compiled)
    for i, p in enumerate(profiles):
        groups = score_profile(p, compiled).groups
        assert gc.credit[i].tolist() == [g.credit for g in groups]
        assert gc.shown[i].tolist() == [g.shown for g in groups]
        assert [STATUSES[c] for c in gc.status[i]] == [g.status for g in groups]


def test_a_skill_from_an_undated_position_gets_no_position_credit(small_taxonomy):
    compiled = compile_role(_role(RequirementGroup(("kubernetes",))), small_taxonomy)
    undated = ProfileSkill("kubernetes", "Kubernetes", "x", None, None,
                           (SkillMention("kubernetes", "Kubernetes", 0, 10, "experience", 0, "position"),), ("position",))
    dated = _skill("kubernetes", ("position",), 3.0)
    s_undated = score_profile(_profile([undated]), compiled).score
    assert s_undated < score_profile(_profile([dated]), compiled).score
    assert s_undated == score_profile(_profile([_skill("kubernetes", ("text",))]), compiled).score


# --------------------------------------------------------------------------------------------
# Scoring 2.0: evidence strength and weights that cannot invert
# --------------------------------------------------------------------------------------------

ROLE_SKILLS = ["pytorch", "kubernetes", "docker", "python", "apache-spark", "sql", "go", "cuda", "ray", "tensorrt"]


@SETTINGS
@given(role=role_st)
def test_a_preferred_group_never_outweighs_a_required_one(small_taxonomy, role):
    compiled = compile_role(role, small_taxonomy)
    per_weight = {req: [p.max_points / p.weight for p in compiled.plans if p.required == req] for req in (True, False)}
    if per_weight[True] and per_weight[False]:
        assert max(per_weight[False]) <= min(per_weight[True]) + 1e-9
    if compiled.experience_max_points:  # worth at most a required group of mean weight
        from matcher.scoring import PREFERRED_RATIO

        first = compiled.plans[0]
        unit = first.max_points / (first.weight if first.required else PREFERRED_RATIO * first.weight)
        mean_weight = sum(g.weight for g in role.groups) / len(role.groups)
        assert compiled.experience_max_points <= unit * mean_weight + 1e-9
    total = sum(p.max_points for p in compiled.plans) + compiled.experience_max_points
    assert total == pytest.approx(100.0)


def _moved(role: Role, g: int) -> Role:
    groups = list(role.groups)
    groups[g] = RequirementGroup(groups[g].any_of, False, groups[g].weight, groups[g].min_years)
    return Role(role.title, tuple(groups), role.level, role.min_years, role.years_knockout)


@SETTINGS
@given(profile=profile_st, role=role_st, data=st.data())
def test_moving_a_group_to_preferred_never_lowers_the_score_of_a_candidate_without_it(small_taxonomy, profile, role, data):
    required = [i for i, g in enumerate(role.groups) if g.required]
    if not required:
        return
    g = data.draw(st.sampled_from(required))
    before = score_profile(profile, compile_role(role, small_taxonomy))
    if before.groups[g].credit > 0.0:
        return
    after = score_profile(profile, compile_role(_moved(role, g), small_taxonomy))
    assert after.score >= before.score


@SETTINGS
@given(profile=profile_st, role=role_st, data=st.data())
def test_moving_a_group_to_preferred_never_raises_the_score_of_a_candidate_strongest_in_it(
    small_taxonomy, profile, role, data
):
    """A candidate whose best-backed group is g (shown in use) loses, or keeps, points when g
    becomes a nice-to-have."""
    from matcher.scoring import experience_points

    required = [i for i, g in enumerate(role.groups) if g.required]
    if not required or role.years_knockout:
        return
    g = data.draw(st.sampled_from(required))
    compiled = compile_role(role, small_taxonomy)
    before = score_profile(profile, compiled)
    best = before.groups[g]
    exp_share = (experience_points(profile.experience_years, compiled) / compiled.experience_max_points
                 if compiled.experience_max_points else 0.0)
    if not best.shown or best.credit < max([x.credit for x in before.groups] + [exp_share]):
        return
    after = score_profile(profile, compile_role(_moved(role, g), small_taxonomy))
    assert after.score <= before.score


@SETTINGS
@given(
    n_required=st.integers(1, 8),
    preferred=st.lists(st.sampled_from(ROLE_SKILLS[8:]), max_size=2, unique=True),
    level=st.one_of(st.none(), st.sampled_from(["junior", "senior", "principal"])),
    stuffer_years=st.one_of(st.none(), st.floats(0, 30).map(lambda y: round(y, 1))),
    shown=st.data(),
)
def test_a_list_only_resume_ranks_below_dated_use_of_half_the_requirements(
    small_taxonomy, n_required, preferred, level, stuffer_years, shown
):
    """The keyword stuffer: every required skill (and every preferred one, in use) against a
    candidate with dated use of at least half the required groups and nothing else."""
    req = ROLE_SKILLS[:n_required]
    role = _role(*(RequirementGroup((s,)) for s in req), *(RequirementGroup((s,), False) for s in preferred),
                 level=level)
    compiled = compile_role(role, small_taxonomy)
    stuffer = _profile([_skill(s, ("skills_list",)) for s in req] + [_skill(s, ("position",), 10.0) for s in preferred],
                       years=stuffer_years)
    k = shown.draw(st.integers((n_required + 1) // 2, n_required))
    picked = shown.draw(st.lists(st.sampled_from(req), min_size=k, max_size=k, unique=True))
    years = shown.draw(st.floats(0, 15).map(lambda y: round(y, 1)))
    last = shown.draw(st.dates(date(2000, 1, 1), AS_OF))
    worker = _profile([_skill(s, ("position",), years, date(last.year, last.month, 1)) for s in picked], years=0.0)
    assert score_profile(stuffer, compiled).score < score_profile(worker, compiled).score


def test_a_requirement_proved_only_by_a_list_is_listed_only_and_says_so(small_taxonomy):
    from matcher.report import build_report

    role = _role(RequirementGroup(("pytorch",), label="PyTorch"), RequirementGroup(("kubernetes",), label="Kubernetes"))
    compiled = compile_role(role, small_taxonomy)
    listed = _profile([_skill("pytorch", ("skills_list",)), _skill("kubernetes", ("skills_list",))])
    report = build_report(listed, compiled, score_profile(listed, compiled), small_taxonomy)
    assert [g.status for g in report.groups] == ["listed_only", "listed_only"]
    assert "2 required: 0 with experience, 2 listed only" in report.summary
    worked = _profile([_skill("pytorch", ("position", "skills_list"), 3.0), _skill("kubernetes", ("skills_list",))])
    report = build_report(worked, compiled, score_profile(worked, compiled), small_taxonomy)
    assert [g.status for g in report.groups] == ["met", "listed_only"]
    assert "1 with experience, 1 listed only" in report.summary


def test_listing_a_required_skill_never_scores_below_leaving_it_out(small_taxonomy):
    role = _role(RequirementGroup(("pytorch",)), RequirementGroup(("kubernetes",)), min_years=3.0)
    compiled = compile_role(role, small_taxonomy)
    base = [_skill("pytorch", ("position",), 3.0)]
    without = score_profile(_profile(base), compiled).score
    listed = score_profile(_profile([*base, _skill("kubernetes", ("skills_list",))]), compiled).score
    assert listed > without


def test_a_stored_report_comes_back_with_its_scores_statuses_and_matches(engine):
    from matcher import report_from_dict, report_to_dict
    from matcher.pipeline import load_role, match_profile, parse_text

    text = (Path(__file__).resolve().parents[1] / "data" / "ranking" / "ml-engineer" / "01-perfect-fit-recsys.txt").read_text()
    role, _, _ = load_role((Path(__file__).resolve().parents[1] / "data" / "jobs" / "ml-engineer-job-page.txt").read_bytes(), engine)
    report = match_profile(parse_text(text, engine, AS_OF), role, engine)
    stored = report_to_dict(report, text, engine.taxonomy) | {"scoring_version": report.scoring_version,
                                                              "taxonomy_version": report.taxonomy_version}
    back = report_from_dict(stored)
    assert (back.score, back.scoring_version, back.experience_points) == (report.score, report.scoring_version,
                                                                          report.experience_points)
    assert [(g.group.any_of, g.group.required, g.group.weight, g.status) for g in back.groups] == [
        (g.group.any_of, g.group.required, g.group.weight, g.status) for g in report.groups]
    assert [round(g.credit, 6) for g in back.groups] == [round(g.credit, 6) for g in report.groups]
    assert [[m.skill_id for m in g.matched] for g in back.groups] == [[m.skill_id for m in g.matched] for g in report.groups]


def test_what_would_change_names_the_gaps_that_raise_the_score_most(small_taxonomy):
    from matcher import what_would_change

    role = _role(RequirementGroup(("pytorch",), label="PyTorch"), RequirementGroup(("kubernetes",), label="Kubernetes"),
                 RequirementGroup(("docker",), False, label="Docker"))
    compiled = compile_role(role, small_taxonomy)
    profile = _profile([_skill("pytorch", ("position",), 3.0, AS_OF), _skill("kubernetes", ("skills_list",))])
    changes = what_would_change(profile, compiled, small_taxonomy)
    assert [c.requirement for c in changes] == ["Kubernetes", "Docker"]  # the required gap weighs more
    base = score_profile(profile, compiled).score
    assert all(c.score_before == base < c.score_after for c in changes)
    assert "Kubernetes" in str(changes[0]) and f"{changes[0].score_after:g}" in str(changes[0])
    full = _profile([_skill(s, ("position",), 3.0, AS_OF) for s in ("pytorch", "kubernetes", "docker")])
    assert what_would_change(full, compiled, small_taxonomy) == ()
