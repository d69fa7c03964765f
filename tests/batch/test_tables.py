"""The batch tables without Spark: a profile row scored in columns gives ``match_profile``'s score,
statuses and all-required-met, also from rows written under another scoring version."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher.batch import profile_record, profile_schema, score_batch

ROLE_TEXT = ("Data Engineer\n\nRequirements:\n- Python\n- Apache Spark, 3+ years\n- SQL or PostgreSQL\n- Kubernetes\n\n"
             "Nice to have:\n- Docker\n- Kafka\n")
SKILLS = ["python", "apache-spark", "pyspark", "sql", "postgresql", "kubernetes", "docker", "apache-kafka", "java",
          "apache-flink", "mysql", "openshift"]
SOURCES = ["position", "skills_list", "text", "project", "candidate"]


@pytest.fixture(scope="module")
def role(engine):
    role_, _spec, _w = matcher.load_role_text(ROLE_TEXT, engine.skill_matcher)
    return role_


def _skill(engine, sid, years, last_used, sources):
    known = engine.taxonomy[sid]
    return matcher.ProfileSkill(sid, known.name, known.category, years, last_used, (), tuple(sorted(set(sources))))


profiles = st.builds(
    lambda skills, exp, as_of: (skills, exp, as_of),
    st.lists(st.tuples(st.sampled_from(SKILLS), st.one_of(st.none(), st.integers(0, 200).map(lambda t: t / 10)),
                       st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2026, 12, 1)).map(lambda d: d.replace(day=1))),
                       st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3)),
             max_size=8, unique_by=lambda s: s[0]),
    st.one_of(st.none(), st.integers(0, 300).map(lambda t: t / 10)),
    st.dates(date(2020, 1, 1), date(2027, 1, 1)),
)


def _batch(engine, generated, scoring_version=None):
    import pyarrow as pa

    rows, built = [], []
    for i, (skills, exp, as_of) in enumerate(generated):
        p = matcher.Profile(tuple(_skill(engine, *s) for s in skills), (), (), exp, as_of, engine.taxonomy.version)
        row = profile_record(f"c{i}", f"c{i}", p)
        if scoring_version:  # as if written by another scoring: features to be computed again
            row["scoring_version"] = scoring_version
            row["skills"] = [{**s, "bits": 0, "years10": 0, "months": 0} for s in row["skills"]]
        rows.append(row)
        built.append(p)
    return pa.RecordBatch.from_pylist(rows, schema=profile_schema()), built


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=st.lists(profiles, min_size=1, max_size=12), stale=st.booleans())
def test_scored_columns_equal_match_profile(engine, role, generated, stale):
    batch, built = _batch(engine, generated, "0.0.1" if stale else None)
    compiled = matcher.compile_role(role, engine.taxonomy)
    out = score_batch(batch, role, compiled, engine, "digest").to_pylist()
    for row, p in zip(out, built):
        report = matcher.match_profile(p, role, engine, compiled)
        assert row["score"] == report.score
        assert [g["status"] for g in row["groups"]] == [g.status for g in report.groups]
        assert row["all_required_met"] == all(g.status == "met" for g in report.groups if g.group.required)
        assert row["scoring_version"] == matcher.SCORING_VERSION


def test_error_rows_keep_their_code_and_get_no_score(engine, role):
    import pyarrow as pa

    from matcher.batch import error_record

    good = profile_record("ok", "ok.txt", matcher.parse_text("Ann\n\nSkills: Python, SQL", engine))
    rows = [error_record("bad", "bad.pdf", "no_text_layer", "scanned"), good]
    batch = pa.RecordBatch.from_pylist(rows, schema=profile_schema())
    out = score_batch(batch, role, matcher.compile_role(role, engine.taxonomy), engine, "d").to_pylist()
    assert [(r["id"], r["error_code"], r["score"] is None, r["groups"] is None) for r in out] == \
        [("bad", "no_text_layer", True, True), ("ok", None, False, False)]

