"""The API's adapters over the engine, checked against the engine itself (no database)."""

from __future__ import annotations

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def labelled_profiles(engine):
    from matcher.pipeline import parse_bytes

    files = sorted((REPO / "tests" / "data" / "labelled").glob("*.*"))
    files = [p for p in files if p.suffix in (".txt", ".md")][:22]
    if not files:
        pytest.skip("no labelled résumés")
    return [parse_bytes(p.read_bytes(), engine) for p in files]


def test_required_met_equals_report_status(engine, labelled_profiles):
    from api.usecases.ranking import score_profiles  # what the ranking scores with (one pass for both)
    from matcher.errors import RoleError
    from matcher.pipeline import load_role, match_profile
    from matcher.scoring import compile_role, profiles_to_matrix, rank_matrix

    pm = profiles_to_matrix(labelled_profiles, engine.taxonomy)
    jobs = sorted((REPO / "tests" / "data" / "jobs").glob("*"))
    checked = 0
    for job in jobs:
        if job.suffix not in (".txt", ".md") or job.name.lower().startswith("readme"):
            continue
        try:
            role, _, _ = load_role(job.read_bytes(), engine)
        except RoleError:
            continue
        compiled = compile_role(role, engine.taxonomy)
        met = score_profiles(labelled_profiles, compiled, engine)[1]
        scores = rank_matrix(pm, compiled)
        for i, profile in enumerate(labelled_profiles):
            report = match_profile(profile, role, engine, compiled)
            expected = all(g.status == "met" for g in report.groups if g.group.required)
            assert bool(met[i]) == expected, (job.name, i)
            assert scores[i] == report.score
            checked += 1
    assert checked >= 100


def test_json_resume_to_text(engine):
    from api.jsonresume import looks_like_json_resume, to_text
    from matcher.pipeline import parse_text

    doc = {
        "basics": {"name": "Ada", "summary": "Data engineer."},
        "work": [{"name": "Acme", "position": "Data Engineer", "startDate": "2019-04-01", "endDate": "2023-06-30",
                  "highlights": ["Built pipelines in Python and Apache Spark"]}],
        "skills": [{"name": "Databases", "keywords": ["PostgreSQL"]}],
    }
    assert looks_like_json_resume(doc) and not looks_like_json_resume({"text": "x"})
    text = to_text(doc)
    assert "EXPERIENCE" in text and "2019-04 - 2023-06" in text
    profile = parse_text(text, engine)
    ids = {s.id for s in profile.skills}
    assert {"python", "apache-spark", "postgresql"} <= ids
    assert len(profile.positions) == 1 and profile.positions[0].start is not None
