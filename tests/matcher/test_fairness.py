"""Counterfactual fairness: personal details never move a score.

Two résumés swap every personal detail (name, contact, address, date of birth / age, gender words,
nationality, photo note, school names, graduation years); each candidate's score against each role
must stay exactly the same.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matcher.pipeline import load_role, match_profile, parse_text

JOBS = Path(__file__).resolve().parents[1] / "data" / "jobs"
AS_OF = date(2026, 11, 1)

TEMPLATE_A = """{name}
{email} | {phone} | {address}
Date of birth: {dob} ({age} years old) | Nationality: {nationality} | {pronouns}
{photo}

SUMMARY
{gender_intro} machine learning engineer who ships training and serving systems.

EXPERIENCE
Senior Machine Learning Engineer, Nimbus Labs
Mar 2021 – Present
- Trained large models in PyTorch with FSDP and DeepSpeed on Kubernetes.
- Built feature pipelines in Apache Spark; tracked experiments in MLflow.
- Served models with TensorRT and ONNX behind Docker containers.

Machine Learning Engineer, Orbital Analytics
Jun 2017 – Feb 2021
- Wrote SQL for the feature store and ran A/B testing for ranking models.

EDUCATION
{school}, M.S. Computer Science, {grad_year}
{school2}, B.S. Mathematics, {grad_year2}

SKILLS
Python, PyTorch, JAX, Kubernetes, Docker, SQL
"""

TEMPLATE_B = """{name}
{email} · {phone} · {address}
Born {dob} — age {age} — {nationality} — {pronouns}
{photo}

PROFILE
{gender_intro} data engineer focused on batch and streaming pipelines.

WORK EXPERIENCE
Data Engineer — Keystone Freight
01/2019 - 10/2023
• Built Apache Spark and Apache Beam jobs; orchestrated with Airflow and Kafka.
• Modeled the warehouse in Snowflake with dbt and SQL.

Junior Data Analyst — Harbor Retail
2016–2018
• Reporting in Excel and SQL; some Python scripting.

EDUCATION
{school}, B.S. Statistics, {grad_year}

TECHNICAL SKILLS
Python, SQL, Spark, Docker
"""

PERSON_1 = dict(
    name="Emily Johansson", email="emily.j@example.com", phone="+1 415 555 0134",
    address="San Francisco, CA, USA", dob="1990-04-02", age="36", nationality="US citizen",
    pronouns="she/her", photo="[photo attached]", gender_intro="She is a", school="Stanford University",
    school2="Wellesley College", grad_year="2016", grad_year2="2013",
)
PERSON_2 = dict(
    name="Rahul Mohammed Okafor", email="rokafor@example.org", phone="+91 98 7654 3210",
    address="Lagos, Nigeria", dob="1971-11-30", age="55", nationality="Nigerian national",
    pronouns="he/him", photo="", gender_intro="He is a", school="University of Lagos",
    school2="Howard University", grad_year="1996", grad_year2="1993",
)


def _score(engine, role, text):
    return match_profile(parse_text(text, engine, AS_OF), role, engine).score


@pytest.mark.parametrize("job", ["ml-engineer-job-page.txt", "data-engineer.txt"], ids=["ml-engineer", "data-engineer"])
@pytest.mark.parametrize("template", [TEMPLATE_A, TEMPLATE_B], ids=["resume-a", "resume-b"])
def test_swapping_personal_details_does_not_change_the_score(engine, job, template):
    role, _, _ = load_role((JOBS / job).read_bytes(), engine)
    with_1 = _score(engine, role, template.format(**PERSON_1))
    with_2 = _score(engine, role, template.format(**PERSON_2))
    assert with_1 == with_2
    # The same résumé stripped of every personal detail scores the same too.
    blank = {k: "" for k in PERSON_1}
    assert _score(engine, role, template.format(**blank)) == with_1


def test_the_two_resumes_do_score_differently(engine):
    """Guard against a vacuous pass: the role does tell these two candidates apart."""
    role, _, _ = load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine)
    a = _score(engine, role, TEMPLATE_A.format(**PERSON_1))
    b = _score(engine, role, TEMPLATE_B.format(**PERSON_1))
    assert a > b + 20


COLLIDING = dict(
    name="Ray Kotlin", email="ray.kotlin@example.com", phone="+1 614 555 0199",
    address="12 Swift Street, Scala Heights, Perl, OH 43004", dob="1985-02-11", age="41",
    nationality="US citizen", pronouns="he/him", photo="", gender_intro="He is a",
    school="Julia Academy of Rust", school2="Go State University", grad_year="2009", grad_year2="2007",
)


@pytest.mark.parametrize("template", [TEMPLATE_A, TEMPLATE_B], ids=["resume-a", "resume-b"])
def test_names_and_places_that_are_skill_names_do_not_count(engine, template):
    """A name, street, town or school that spells a skill (Ray, Kotlin, Swift, Scala, Perl, Go...)
    is a personal detail: it must not change the score or appear as a skill."""
    role, _, _ = load_role((JOBS / "ml-engineer-job-page.txt").read_bytes(), engine)
    plain = _score(engine, role, template.format(**PERSON_1))
    assert _score(engine, role, template.format(**COLLIDING)) == plain
    profile = parse_text(template.format(**COLLIDING), engine, AS_OF)
    assert not {s.id for s in profile.skills} & {"ray", "kotlin", "swift", "scala", "perl", "julia", "rust"}
