"""A taxonomy grown by one's own aliases and skills: what the phrase matcher then finds, the derived
version, and the additions refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher import (
    AliasAddition,
    SkillAddition,
    TaxonomyAdditionError,
    TaxonomyAdditions,
    TaxonomyConflict,
    extend_engine,
    extend_taxonomy,
    unresolved_suggestions,
    usable_additions,
)

RESUME = """Jane Doe

Experience
Platform Engineer, Acme — Jan 2020 – Present
- Shipped every service with Gantry Shipper onto kubbo clusters

Skills: Python, Gantry Shipper, kubbo
"""

ADDITIONS = TaxonomyAdditions(skills=(SkillAddition("Gantry Shipper", "devops_ci", ("gs-ship",)),),
                              aliases=(AliasAddition("kubernetes", "kubbo"),))


@pytest.fixture(scope="module")
def base():
    return matcher.build_engine(detector=False)


@pytest.fixture(scope="module")
def grown(base):
    return extend_engine(base, ADDITIONS)


def _ids(profile) -> set[str]:
    return {s.id for s in profile.skills}


def test_an_alias_makes_a_mention_resolve_and_a_new_skill_is_found(base, grown):
    before, after = matcher.parse_text(RESUME, base), matcher.parse_text(RESUME, grown)
    assert not {"kubernetes", "x-gantry-shipper"} & _ids(before)
    assert {"kubernetes", "x-gantry-shipper", "python"} <= _ids(after)
    assert after.taxonomy_version == grown.taxonomy.version != base.taxonomy.version
    assert grown.taxonomy.resolve("GS Ship").id == "x-gantry-shipper"
    assert base.taxonomy.resolve("kubbo") is None, "the base taxonomy is not changed"


def test_a_role_can_require_an_added_skill(grown):
    role, _, _ = matcher.load_role(b"Platform Engineer\n\nRequirements\n- Gantry Shipper\n- Python\n", grown)
    report = matcher.match_profile(matcher.parse_text(RESUME, grown), role, grown)
    assert [(g.group.any_of, g.status) for g in report.groups] == [(("x-gantry-shipper",), "met"), (("python",), "met")]


def test_a_free_text_requirement_is_met_by_the_skill_a_tenant_adds_later(base, grown):
    """A role written before the tenant added "Gantry Shipper" keeps it as free text; once the
    tenant's taxonomy knows the name, the résumé's mention is that skill and meets the group."""
    spec = matcher.load_role_spec({"title": "t", "requirements": [{"free_text": ["Gantry Shipper"]}]})
    role = matcher.resolve_spec(spec, base.taxonomy)
    assert role.groups[0].free_text and not role.groups[0].any_of
    report = matcher.match_profile(matcher.parse_text(RESUME, grown), role, grown)
    assert report.groups[0].status == "met"
    assert matcher.match_profile(matcher.parse_text(RESUME, base), role, base).groups[0].status != "met"


def test_the_version_records_the_base_and_a_digest_of_the_additions(base):
    version = ADDITIONS.version_on(base.taxonomy.version)
    assert version.startswith(base.taxonomy.version + "+t.") and len(version.split("+t.")[1]) == 12
    assert TaxonomyAdditions().version_on(base.taxonomy.version) == base.taxonomy.version
    assert extend_taxonomy(base.taxonomy, TaxonomyAdditions()) is base.taxonomy
    other = TaxonomyAdditions(aliases=(AliasAddition("kubernetes", "kubbo2"),))
    assert other.version_on("v") != ADDITIONS.version_on("v")


ALIASES = [AliasAddition("kubernetes", "kubbo"), AliasAddition("python", "pyth0n"), AliasAddition("pytorch", "torchy")]
SKILLS = [SkillAddition("Gantry Shipper", "devops_ci", ("gs-ship", "gsh-cli")),
          SkillAddition("Quarry DB", "databases")]


@settings(max_examples=30, deadline=None)
@given(st.permutations(ALIASES), st.permutations(SKILLS), st.permutations(("gs-ship", "gsh-cli")))
def test_the_version_is_the_same_in_any_order(aliases, skills, skill_aliases):
    skills = [SkillAddition(s.name, s.category, tuple(skill_aliases) if s.aliases else ()) for s in skills]
    shuffled = TaxonomyAdditions(tuple(skills), tuple(aliases))
    ordered = TaxonomyAdditions(tuple(SKILLS), tuple(ALIASES))
    assert shuffled == ordered and shuffled.digest == ordered.digest


REFUSED = [
    ("alias-of-another-skill", TaxonomyAdditions(aliases=(AliasAddition("python", "PyTorch"),)), TaxonomyConflict,
     r"'PyTorch' already names another skill, 'PyTorch' \(pytorch\)"),
    ("alias-already-the-skills", TaxonomyAdditions(aliases=(AliasAddition("pytorch", "py torch"),)), TaxonomyConflict,
     r"already names 'PyTorch'"),
    ("ambiguity-rule-word", TaxonomyAdditions(aliases=(AliasAddition("python", "plug"),)), TaxonomyConflict,
     r"ambiguity rules of 'apache-spark'"),
    ("ordinary-word", TaxonomyAdditions(aliases=(AliasAddition("python", "The"),)), TaxonomyAdditionError,
     r"ordinary English word"),
    ("one-letter", TaxonomyAdditions(aliases=(AliasAddition("python", "q"),)), TaxonomyAdditionError, r"too short"),
    ("a-number", TaxonomyAdditions(aliases=(AliasAddition("python", "2012"),)), TaxonomyAdditionError, r"only a number"),
    ("empty", TaxonomyAdditions(aliases=(AliasAddition("python", "  "),)), TaxonomyAdditionError, r"alias is empty"),
    ("too-long", TaxonomyAdditions(skills=(SkillAddition("Z" * 81, "devops_ci"),)), TaxonomyAdditionError,
     r"longer than 80"),
    ("control-character", TaxonomyAdditions(aliases=(AliasAddition("python", "py\x00th"),)), TaxonomyAdditionError,
     r"control characters"),
    ("unknown-skill", TaxonomyAdditions(aliases=(AliasAddition("no-such-skill", "nosuch"),)), TaxonomyAdditionError,
     r"unknown skill id 'no-such-skill'"),
    ("unknown-category", TaxonomyAdditions(skills=(SkillAddition("Widgetron", "gadgets"),)), TaxonomyAdditionError,
     r"unknown category 'gadgets'"),
    ("skill-name-taken", TaxonomyAdditions(skills=(SkillAddition("Kubernetes", "devops_ci"),)), TaxonomyConflict,
     r"'Kubernetes' already names another skill"),
    ("two-skills-one-id", TaxonomyAdditions(skills=(SkillAddition("Acme Deploy", "devops_ci"),
                                                    SkillAddition("Acme-Deploy!", "devops_ci"))), TaxonomyConflict,
     r"gives the id 'x-acme-deploy', which is taken"),
    ("same-alias-twice", TaxonomyAdditions(aliases=(AliasAddition("python", "pyth0n"), AliasAddition("pytorch", "Pyth0n"))),
     TaxonomyConflict, r"already names"),
]


@pytest.mark.parametrize(("additions", "error", "match"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_bad_additions_are_refused_naming_the_form(base, additions, error, match):
    with pytest.raises(error, match=match) as info:
        extend_taxonomy(base.taxonomy, additions)
    assert info.value.code == ("taxonomy_conflict" if error is TaxonomyConflict else "invalid_taxonomy_addition")


def test_additions_a_new_base_took_are_left_out_alone(base):
    # "kubectl-x" fits; "PyTorch" as an alias of Python stands for a name a newer base gave to a skill
    kept, dropped = usable_additions(base.taxonomy, TaxonomyAdditions(
        aliases=(AliasAddition("python", "PyTorch"), AliasAddition("kubernetes", "kubectl-x"))))
    assert kept == TaxonomyAdditions(aliases=(AliasAddition("kubernetes", "kubectl-x"),))
    assert len(dropped) == 1 and "PyTorch" in dropped[0]


def test_suggestions_count_unresolved_mentions_and_leave_out_what_now_resolves(grown):
    def profile(*names):
        return {"unresolved": [{"key": n.lower(), "name": n, "evidence": [{"text": n, "start": 0, "end": len(n)}]}
                               for n in names]}

    items = [(profile("Zorbix", "kubbo"), "Zorbix and kubbo", "a"), (profile("Zorbix"), "Zorbix", "b"),
             (profile("Frobnic"), "Frobnic", "c")]
    got = unresolved_suggestions(items, 10, grown.taxonomy)
    assert [(x["name"], x["resumes"]) for x in got] == [("Zorbix", 2), ("Frobnic", 1)]
    assert got[0]["examples"][0] == {"source": "a", "line": "Zorbix and kubbo"}
    assert [x["name"] for x in unresolved_suggestions(items, 10)] == ["Zorbix", "Frobnic", "kubbo"]


# ------------------------------------------------------------------ the JSON form

_FORM = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_FORM, _FORM, st.lists(_FORM, max_size=3)), max_size=4),
       st.lists(st.tuples(_FORM, _FORM), max_size=4))
def test_the_json_form_gives_the_same_additions_back(skills, aliases):
    import json

    additions = TaxonomyAdditions(tuple(SkillAddition(n, c, tuple(a)) for n, c, a in skills),
                                  tuple(AliasAddition(i, a) for i, a in aliases))
    again = matcher.additions_from_dict(json.loads(json.dumps(matcher.additions_to_dict(additions))))
    assert again == additions and again.digest == additions.digest


def test_the_json_form_is_two_lists_of_plain_objects():
    assert matcher.additions_to_dict(ADDITIONS) == {
        "skills": [{"name": "Gantry Shipper", "category": "devops_ci", "aliases": ["gs-ship"]}],
        "aliases": [{"skill_id": "kubernetes", "alias": "kubbo"}]}
    assert matcher.additions_from_dict({}) == TaxonomyAdditions()
    assert matcher.additions_from_dict({"skills": [{"name": "Quarry DB", "category": "databases"}]}) == \
        TaxonomyAdditions(skills=(SkillAddition("Quarry DB", "databases"),))


BAD_SHAPES = [
    ("not-an-object", ["kubbo"], r"the additions object must be an object, not list"),
    ("unknown-top-field", {"skills": [], "version": "1"}, r"unknown field\(s\) 'version'"),
    ("skills-not-a-list", {"skills": {"name": "x"}}, r"'skills' must be a list, not dict"),
    ("skill-not-an-object", {"skills": ["Gantry Shipper"]}, r"skills\[0\] must be an object, not str"),
    ("skill-without-category", {"skills": [{"name": "Gantry Shipper"}]}, r"skills\[0\] needs 'category' as a string"),
    ("skill-unknown-field", {"skills": [{"name": "G", "category": "c", "related": []}]},
     r"skills\[0\] has unknown field\(s\) 'related'"),
    ("skill-aliases-not-strings", {"skills": [{"name": "G", "category": "c", "aliases": [1]}]},
     r"skills\[0\]\.aliases must be a list of strings"),
    ("alias-name-not-a-string", {"aliases": [{"skill_id": "python", "alias": None}]},
     r"aliases\[0\] needs 'alias' as a string"),
    ("too-many", {"aliases": [{"skill_id": "python", "alias": f"py{i}"} for i in range(2001)]},
     r"2001 additions: at most 2000"),
]


@pytest.mark.parametrize(("data", "match"), [r[1:] for r in BAD_SHAPES], ids=[r[0] for r in BAD_SHAPES])
def test_a_dict_not_of_the_json_form_is_refused_saying_where(data, match):
    with pytest.raises(TaxonomyAdditionError, match=match) as info:
        matcher.additions_from_dict(data)
    assert info.value.code == "invalid_taxonomy_addition"


BAD_FILES = [
    ("missing", None, r"cannot read the additions file .*gone\.json"),
    ("not-utf8", b'{"aliases": [{"skill_id": "python", "alias": "Pyth\xf6n"}]}', r"is not UTF-8 text"),
    ("not-json", b'{"skills": [', r"is not JSON: Expecting value at line 1 column 13"),
    ("nested-too-deeply", b"[" * 200_000, r"nested too deeply"),
    ("too-big", b" " * 2_000_001, r"is over 2,000,000 bytes"),
    ("wrong-shape", b'{"skills": [{"name": "Gantry Shipper"}]}', r"additions\.json: skills\[0\] needs 'category'"),
]


@pytest.mark.parametrize(("content", "match"), [r[1:] for r in BAD_FILES], ids=[r[0] for r in BAD_FILES])
def test_a_bad_additions_file_is_refused_naming_it(tmp_path, content, match):
    path = tmp_path / ("gone.json" if content is None else "additions.json")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TaxonomyAdditionError, match=match):
        matcher.load_additions(path)


def test_an_additions_file_loads_to_the_additions_it_holds(tmp_path):
    import json

    path = tmp_path / "additions.json"
    path.write_text(json.dumps(matcher.additions_to_dict(ADDITIONS)), encoding="utf-8")
    assert matcher.load_additions(path) == ADDITIONS
    assert matcher.load_additions(str(path)).version_on("v") == ADDITIONS.version_on("v")
