"""The candidate's own corrections: kept apart from the parse, applied last, weakest evidence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matcher.corrections import CANDIDATE_SOURCE, Correction, apply_corrections
from matcher.report import build_report
from matcher.scoring import compile_role, profiles_to_matrix, rank_matrix, score_profile
from matcher.types import RequirementGroup, Role

from .test_scoring import SETTINGS, SKILLS, _profile, _skill, profile_st, role_st


def _role(*groups):
    return Role("r", tuple(RequirementGroup(tuple(g), True, 1.0, None) for g in groups), None, None, False)


def test_remove_drops_the_skill_and_leaves_the_parse_alone(small_taxonomy):
    parsed = _profile([_skill("pytorch"), _skill("jax")])
    fixed = apply_corrections(parsed, [Correction("jax", "remove")], small_taxonomy)
    assert [s.id for s in fixed.skills] == ["pytorch"]
    assert [s.id for s in parsed.skills] == ["pytorch", "jax"]


def test_add_gives_a_candidate_sourced_skill_without_evidence_or_years(small_taxonomy):
    fixed = apply_corrections(_profile([_skill("pytorch")]), [Correction("kubernetes", "add", years=4)], small_taxonomy)
    added = {s.id: s for s in fixed.skills}["kubernetes"]
    assert added.sources == (CANDIDATE_SOURCE,)
    assert added.evidence == () and added.years is None and added.last_used is None
    assert added.name == small_taxonomy["kubernetes"].name


def test_adding_a_skill_already_parsed_changes_nothing(small_taxonomy):
    parsed = _profile([_skill("pytorch")])
    assert apply_corrections(parsed, [Correction("pytorch", "add")], small_taxonomy).skills == parsed.skills


def test_a_correction_for_an_unknown_skill_is_ignored_with_a_warning(small_taxonomy):
    fixed = apply_corrections(_profile([]), [Correction("no-such-skill", "add")], small_taxonomy)
    assert fixed.skills == ()
    assert any("no-such-skill" in w for w in fixed.warnings)


def test_an_added_skill_scores_like_a_skills_list_and_the_report_says_whose_it_is(small_taxonomy):
    role = compile_role(_role(["kubernetes"]), small_taxonomy)
    added = apply_corrections(_profile([]), [Correction("kubernetes", "add")], small_taxonomy)
    listed = _profile([_skill("kubernetes", sources=("skills_list",))])
    worked = _profile([_skill("kubernetes", sources=("position",), years=5.0)])
    s_added, s_listed, s_worked = (score_profile(p, role).score for p in (added, listed, worked))
    assert s_added == s_listed
    assert 0 < s_added < s_worked
    report = build_report(added, role, score_profile(added, role), small_taxonomy)
    assert report.groups[0].status == "listed_only"  # a list, not use: candidate-added skills count like one
    assert "added by the candidate" in report.groups[0].advice


@SETTINGS
@given(profile=profile_st, role=role_st, skill=st.sampled_from(SKILLS))
def test_adding_a_skill_never_lowers_and_removing_never_raises_the_score(small_taxonomy, profile, role, skill):
    compiled = compile_role(role, small_taxonomy)
    base = score_profile(profile, compiled).score
    assert score_profile(apply_corrections(profile, [Correction(skill, "add")], small_taxonomy), compiled).score >= base
    assert score_profile(apply_corrections(profile, [Correction(skill, "remove")], small_taxonomy), compiled).score <= base


@SETTINGS
@given(profile=profile_st, role=role_st, skill=st.sampled_from(SKILLS))
def test_corrected_profiles_score_the_same_on_both_paths(small_taxonomy, profile, role, skill):
    compiled = compile_role(role, small_taxonomy)
    fixed = apply_corrections(profile, [Correction(skill, "add")], small_taxonomy)
    vec = rank_matrix(profiles_to_matrix([fixed], small_taxonomy), compiled)
    assert float(vec[0]) == score_profile(fixed, compiled).score
