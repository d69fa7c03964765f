"""Free-text requirements: a tool the taxonomy doesn't know, named in a job description or a spec's
``free_text``, met by the résumé's unresolved mention with the same normalized key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher.errors import RoleError
from matcher.extraction import normalize_key
from matcher.roles import load_role_spec, resolve_spec, role_from_job_text, role_to_spec
from matcher.scoring import compile_role, profiles_to_matrix, rank_matrix, score_profile
from matcher.serialize import profile_from_dict, profile_to_dict, report_from_dict, report_to_dict
from matcher.types import FreeTextTerm, Position, Profile, RequirementGroup, Role, SkillMention, UnresolvedSkill

AS_OF = date(2026, 11, 1)
DATED = Position(0, "Engineer", "Acme", date(2021, 3, 1), None, True, (0, 100))


@pytest.fixture(scope="module")
def engine():
    return matcher.default_engine()


def _groups(job_line: str, engine) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(taxonomy ids, free-text keys) of each group the requirement line gives."""
    spec, _ = role_from_job_text(f"Engineer\n\nRequirements\n- {job_line}\n- Kubernetes\n", engine.skill_matcher)
    role = resolve_spec(spec, engine.taxonomy)
    return [(g.any_of, tuple(t.key for t in g.free_text)) for g in role.groups if g.any_of != ("kubernetes",)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Experience with Zorbix or Flumewave required", [((), ("zorbix", "flumewave"))]),
        ("Familiarity with ServiceNow, Workday or Zorbix", [(("servicenow", "workday"), ("zorbix",))]),
        ("Python, Zorbix and SQL", [(("python",), ()), ((), ("zorbix",)), (("sql",), ())]),
        ("Hands-on with Flumewave 3.2 pipelines", [((), ("flumewave",))]),
        ("Using Zorbix daily", [((), ("zorbix",))]),
        ("Experience with Go and Zorbix", [(("go",), ()), ((), ("zorbix",))]),
        # not free text: ordinary words, fields, soft skills, languages, title-case phrases, sentence starts
        ("Excellent Communication and Leadership skills", []),
        ("Experience in Finance or Healthcare", []),
        ("Knowledge of Finance or Accounting", []),
        ("Fluency in Spanish and English", []),
        ("Bachelor's degree in Computer Science or Engineering", []),
        ("Experience with our Customer Success platform", []),
        ("Experience with Salesforce CPQ", [(("salesforce",), ())]),
        ("Zorbix experience", []),
        ("You Are Passionate About Great Products", []),
        ("Must be eligible to work in the United States", []),
        # a known name the ambiguity rules judge stays a taxonomy skill, never free text
        ("Experience with Excel and Word", [(("microsoft-excel",), ()), (("microsoft-word",), ())]),
        ("Knowledge of Python (Zorbix) or Go", [(("python", "go"), ())]),
    ],
    ids=["or-pair-after-cue", "with-taxonomy-any-of", "in-a-skill-list", "versioned", "using", "ambiguous-go-kept",
         "soft-skills", "fields", "fields-knowledge-of", "languages", "degree", "title-case-phrase", "vendor-module",
         "sentence-start", "title-case-sentence", "place", "excel-word", "parenthesis-annotation"],
)
def test_which_job_text_words_become_free_text(engine, line, expected):
    assert _groups(line, engine) == expected


def test_free_text_keys_use_the_unresolved_mentions_rule(engine):
    spec, _ = role_from_job_text("Engineer\n\nRequirements\n- Experience with Zorbix 2019\n", engine.skill_matcher)
    assert spec.requirements[0].free_text == ["Zorbix 2019"]
    term = resolve_spec(spec, engine.taxonomy).groups[0].free_text[0]
    assert term.key == normalize_key("MS Zorbix 2019") == normalize_key("zorbix") == "zorbix"


def test_a_job_with_only_free_text_requirements_is_a_role(engine):
    role, _spec, _w = matcher.load_role(b"Engineer\n\nRequirements\n- Experience with Zorbix\n", engine)
    assert [(g.any_of, g.label, g.required) for g in role.groups] == [((), "Zorbix", True)]


@pytest.mark.parametrize(
    ("requirement", "any_of", "free"),
    [
        ({"free_text": ["Zorbix"]}, (), ("zorbix",)),
        ({"any_of": ["Python"], "free_text": ["Zorbix", "zorbix 2.1"]}, ("python",), ("zorbix",)),
        ({"free_text": ["PyTorch"]}, ("pytorch",), ()),  # a name the taxonomy knows is that skill
        ({"free_text": ["Microsoft Flumewave"]}, (), ("flumewave",)),
    ],
    ids=["free-text-only", "mixed-and-deduplicated", "known-name", "vendor-prefix"],
)
def test_spec_free_text_is_accepted(engine, requirement, any_of, free):
    role = resolve_spec(load_role_spec({"title": "t", "requirements": [requirement]}), engine.taxonomy)
    assert role.groups[0].any_of == any_of
    assert tuple(t.key for t in role.groups[0].free_text) == free
    again = resolve_spec(load_role_spec(role_to_spec(role, engine.taxonomy)), engine.taxonomy)
    assert again.groups == role.groups


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ({}, "at least one skill in any_of or a name in free_text"),
        ({"any_of": [], "free_text": []}, "at least one skill in any_of or a name in free_text"),
        ({"free_text": ["!!!"]}, "is not a tool name"),
        ({"free_text": ["we want someone who loves building things"]}, "is not a tool name"),
        ({"free_text": "Zorbix"}, "free_text"),
    ],
    ids=["empty", "empty-lists", "punctuation", "sentence", "not-a-list"],
)
def test_bad_free_text_specs_are_clear_errors(requirement, message):
    with pytest.raises(RoleError, match=message):
        load_role_spec({"title": "t", "requirements": [requirement]})


def test_an_unknown_any_of_name_points_to_free_text(engine):
    with pytest.raises(RoleError, match=r"unknown skill 'Zorbix'.*free_text"):
        resolve_spec(load_role_spec({"title": "t", "requirements": [{"any_of": ["Zorbix"]}]}), engine.taxonomy)


# ------------------------------------------------------------------ scoring


def _profile(*unresolved, skills=()):
    return Profile(skills=tuple(skills), positions=(DATED,), sections=(), experience_years=5.0, as_of=AS_OF,
                   taxonomy_version="t", unresolved=tuple(unresolved))


def _unresolved(key, source="position"):
    pos = 0 if source == "position" else None
    m = SkillMention("~" + key, key.title(), 0, len(key), "experience" if pos == 0 else "skills", pos, source)
    return UnresolvedSkill(key, key.title(), (m,))


ROLE = Role("r", (RequirementGroup(("python",)), RequirementGroup((), free_text=(FreeTextTerm("zorbix", "Zorbix"),))))


@pytest.mark.parametrize(
    ("unresolved", "status", "credit"),
    [
        ([_unresolved("zorbix")], "matched_unresolved", 1.0),  # 5.7 years in the dated position: full depth
        ([_unresolved("zorbix", "skills_list")], "matched_unresolved", 0.2),
        ([_unresolved("zorbix", "project")], "matched_unresolved", 0.55),
        ([_unresolved("flumewave")], "missing", 0.0),
        ([], "missing", 0.0),
    ],
    ids=["in-a-position", "listed", "project", "other-key", "none"],
)
def test_a_free_text_group_is_met_by_the_unresolved_key(small_taxonomy, unresolved, status, credit):
    compiled = compile_role(ROLE, small_taxonomy)
    profile = _profile(*unresolved)
    group = score_profile(profile, compiled).groups[1]
    assert (group.status, round(group.credit, 6)) == (status, credit)
    assert rank_matrix(profiles_to_matrix([profile], small_taxonomy), compiled).tolist() == [
        score_profile(profile, compiled).score]


def test_the_report_explains_a_match_by_name_and_round_trips(small_taxonomy):
    from matcher.report import build_report

    compiled = compile_role(ROLE, small_taxonomy)
    profile = _profile(_unresolved("zorbix", "skills_list"))
    report = build_report(profile, compiled, score_profile(profile, compiled), small_taxonomy)
    g = report.groups[1]
    assert g.status == "matched_unresolved"
    assert g.matched[0].reason == "Zorbix matched by name, not in the taxonomy"
    assert "show it used in a dated position" in g.advice
    assert "1 matched by name only" in report.summary
    as_dict = report_to_dict(report, "", small_taxonomy)
    assert as_dict["requirements"][1]["free_text"] == [{"key": "zorbix", "name": "Zorbix"}]
    assert as_dict["requirements"][1]["matched"][0]["name"] == "Zorbix"
    back = report_from_dict(as_dict)
    assert back.groups[1].group.free_text == ROLE.groups[1].free_text and back.groups[1].status == g.status


def test_what_would_change_names_a_free_text_requirement(small_taxonomy):
    from matcher.report import what_would_change

    changes = what_would_change(_profile(), compile_role(ROLE, small_taxonomy), small_taxonomy)
    assert "Zorbix" in {c.skill for c in changes}


@settings(max_examples=100, deadline=None)
@given(source=st.sampled_from(["position", "skills_list", "project", "text"]), weight=st.sampled_from([0.5, 1.0, 3.0]),
       free_first=st.booleans())
def test_a_preferred_free_text_group_never_outweighs_a_required_one(small_taxonomy, source, weight, free_first):
    """Meeting only the preferred free-text group scores below meeting only the required group
    with the same evidence, whatever the weight."""
    free = RequirementGroup((), required=False, weight=weight, free_text=(FreeTextTerm("zorbix", "Zorbix"),))
    req = RequirementGroup(("python",), weight=weight)
    compiled = compile_role(Role("r", (free, req) if free_first else (req, free)), small_taxonomy)
    only_free = _profile(_unresolved("zorbix", source))
    as_skill = replace(_unresolved("zorbix", source).evidence[0], skill_id="python")
    from matcher.types import ProfileSkill

    years = 5.7 if source == "position" else None
    python = ProfileSkill("python", "Python", "x", years, AS_OF if years else None, (as_skill,), (source,))
    only_required = _profile(skills=[python])
    assert score_profile(only_free, compiled).score < score_profile(only_required, compiled).score


# ------------------------------------------------------------------ the real engine, end to end

RESUME = """Dana Reyes

Experience
Platform Engineer, Acme Corp — Jan 2020 – Present
- Built data pipelines in Python and Zorbix for billing

Skills: Python, SQL
"""
JOB = b"Platform Engineer\n\nRequirements\n- Experience with Zorbix or Flumewave required\n- Python\n"


def test_a_resume_mention_meets_a_job_texts_free_text_requirement(engine):
    profile = matcher.parse_text(RESUME, engine, AS_OF)
    assert "zorbix" in {u.key for u in profile.unresolved}  # the detector finds it in this résumé
    role, _spec, _w = matcher.load_role(JOB, engine)
    report = matcher.match_profile(profile, role, engine)
    assert [g.status for g in report.groups] == ["matched_unresolved", "met"]
    stored = profile_from_dict(profile_to_dict(profile), profile.text)
    scores, all_met = matcher.score_profiles([profile, stored], role, engine)
    assert scores.tolist() == [report.score, report.score]
    assert all_met.tolist() == [False, False]  # met by name only is not "met"
    without = replace(profile, unresolved=())
    assert matcher.match_profile(without, role, engine).score < report.score
