"""Roles: requirement extraction from real-style job descriptions, and role-spec validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from matcher.errors import RoleError
from matcher.pipeline import load_role
from matcher.roles import load_role_spec, resolve_spec, role_to_spec

JOBS = Path(__file__).resolve().parents[1] / "data" / "jobs"
EXPECTED = yaml.safe_load((JOBS / "expected.yaml").read_text(encoding="utf-8"))["jobs"]


def _ids(names, taxonomy):
    out = []
    for n in names:
        skill = taxonomy.resolve(n)
        assert skill is not None, f"expected skill {n!r} is not in the taxonomy"
        out.append(skill.id)
    return out


@pytest.mark.parametrize("job", EXPECTED, ids=[j["file"] for j in EXPECTED])
def test_job_description_becomes_the_expected_role(engine, job):
    role, _spec, _warnings = load_role((JOBS / job["file"]).read_bytes(), engine)
    tax = engine.taxonomy
    got = [(frozenset(g.any_of), g.required) for g in role.groups]
    want = [(frozenset(_ids(g["any_of"], tax)), g["required"]) for g in job["groups"]]
    assert got == want
    got_years = {frozenset(g.any_of): g.min_years for g in role.groups if g.min_years is not None}
    want_years = {frozenset(_ids(g["any_of"], tax)): g["min_years"] for g in job["groups"] if g.get("min_years")}
    assert got_years == want_years
    assert role.title == job["title"]
    assert role.level == job["level"]
    assert role.min_years == job["min_years"]
    required_or_preferred = {s for g in role.groups for s in g.any_of}
    for name in job.get("not_required", []):
        skill = tax.resolve(name)
        assert skill is None or skill.id not in required_or_preferred, f"{name} came from outside the requirements"


def test_the_example_page_is_the_first_role(engine):
    role, _, _ = load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine)
    assert ("horovod", "deepspeed", "fsdp") == role.groups[2].any_of
    assert all(g.required for g in role.groups)


def test_spec_round_trips_through_yaml(engine):
    role, _, _ = load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine)
    spec_yaml = yaml.safe_dump(role_to_spec(role, engine.taxonomy), sort_keys=False)
    again, _, _ = load_role(spec_yaml.encode(), engine)
    assert again.groups == role.groups


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"requirements": [{"any_of": ["PyTorch"]}]}, r"title"),
        ({"title": "x", "requirements": []}, r"requirements"),
        ({"title": "x", "requirements": [{"any_of": []}]}, r"any_of"),
        ({"title": "x", "requirements": [{"any_of": ["PyTorch"], "weight": 0}]}, r"weight"),
        ({"title": "x", "level": "wizard", "requirements": [{"any_of": ["PyTorch"]}]}, r"level"),
        ({"title": "x", "requirements": [{"any_of": ["PyTorch"], "colour": "red"}]}, r"colour"),
        (["not", "a", "mapping"], r"mapping"),
    ],
    ids=["no-title", "no-requirements", "empty-group", "zero-weight", "bad-level", "unknown-field", "not-a-mapping"],
)
def test_invalid_specs_are_rejected_with_the_field_named(spec, message):
    with pytest.raises(RoleError, match=message):
        load_role_spec(spec)


def test_unknown_skill_in_a_spec_names_it(engine):
    spec = load_role_spec({"title": "x", "requirements": [{"any_of": ["Pytorchh"]}]})
    with pytest.raises(RoleError, match=r"unknown skill 'Pytorchh'"):
        resolve_spec(spec, engine.taxonomy)


def test_spec_accepts_ids_aliases_and_names(engine):
    spec = load_role_spec({"title": "x", "requirements": [{"any_of": ["k8s", "pytorch", "Apache Spark"]}]})
    role = resolve_spec(spec, engine.taxonomy)
    assert role.groups[0].any_of == ("kubernetes", "pytorch", "apache-spark")


def test_a_job_text_without_skills_is_an_error(engine):
    with pytest.raises(RoleError, match="no skill requirements"):
        load_role(b"We are hiring a friendly person.\n\nRequirements:\n- be kind\n- be on time\n", engine)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"title": "x", "requirements": [{"any_of": ["PyTorch"]},]}', r"JSON syntax error at line 1"),
        ("title: x\nrequirement:\n  - any_of: [PyTorch]\n", r"requirement"),
        ("title: x\nrequirements:\n  - any_of: [PyTorch]\n   required: false\n", r"YAML syntax error at line"),
        ("[1, 2, 3]", r"JSON array is not a job.*role spec with .title. and .requirements."),
        ('{"title": "x", "requirements": [{"any_of": ["PyTorch"], "required": "yes"}]}', r"required"),
    ],
    ids=["json-trailing-comma", "misspelt-key", "bad-indent", "json-array", "non-boolean-required"],
)
def test_a_broken_spec_is_an_error_not_a_job_description(engine, text, message):
    with pytest.raises(RoleError, match=message):
        load_role(text.encode(), engine)


def test_a_very_long_job_description_is_read(engine):
    text = "Requirements\n- Python and Kubernetes\n" + ("lorem ipsum dolor sit amet " * 60_000)
    role, _, _ = load_role(text.encode(), engine)
    assert {g.any_of for g in role.groups} >= {("python",), ("kubernetes",)}
