"""Fairness operations: self-identification kept apart, the impact-ratio audit on generated
populations (a planted disparity is found; none gives ratios of 1), erasure keeping anonymous
counts, the audit log. Runs on SQLite and PostgreSQL like every API test."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from .conftest import REPO, RESUME, SPEC, new_tenant

WEAK = """Sam Smith

EXPERIENCE
Data Analyst - Beta Inc
2018 - 2020
- Excel reports and SQL queries
"""


def _population(app, client, tenant, plan):
    """Candidates from ``plan``: (count, résumé text, sex or None, race or None, advanced); the
    profiles are parsed once per text and stored directly (fast), decisions go through the API."""
    from api.store import audit as audit_store
    from api.store import queries
    from matcher import parse_bytes, profile_to_dict

    engine = app.state.sm.engine()
    parsed = {}
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()
    advance = []
    with app.state.sm.sessions() as db:
        for count, text, sex, race, advanced in plan:
            if text not in parsed:
                parsed[text] = profile_to_dict(parse_bytes(text.encode(), engine))
            for _ in range(count):
                c = queries.add_candidate(db, tenant.id, profile=parsed[text], text=text, taxonomy_version=engine.taxonomy.version,
                                          document=None, filename=None, content_type=None)
                if sex is not None:
                    audit_store.set_self_id(db, c, sex, race)
                if advanced:
                    advance.append(c.id)
        db.commit()
    for cid in advance:
        r = client.post(f"/v1/roles/{role['id']}/decisions", json={"candidate_id": cid, "decision": "advance",
                                                                   "reason_code": "meets_requirements"}, headers=tenant.h())
        assert r.status_code == 201, r.text
    return role


def _row(table, category):
    return next(r for r in table if r["category"] == category)


def test_a_planted_disparity_is_found(app, client):
    tenant = new_tenant(app)
    role = _population(app, client, tenant, [
        (21, RESUME, "female", "white", True), (49, WEAK, "female", "white", False),
        (49, RESUME, "male", "hispanic_or_latino", True), (21, WEAK, "male", "hispanic_or_latino", False),
        (2, RESUME, "female", "asian", False), (8, WEAK, None, None, False), (3, WEAK, "decline_to_answer", "white", False),
    ])
    r = client.get("/v1/audit/impact-ratios", params={"role_id": role["id"]}, headers=tenant.h("auditor"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["applicants"] == 153 and body["selected"] == 70 and body["versions"]["scoring"]
    female, male = _row(body["sex"], "female"), _row(body["sex"], "male")
    assert (female["n"], male["n"]) == (72, 70)
    assert male["scoring_impact_ratio"] == 1.0 and male["selection_impact_ratio"] == 1.0
    assert female["scoring_rate"] == pytest.approx(23 / 72) and female["scoring_impact_ratio"] == pytest.approx((23 / 72) / (49 / 70))
    assert female["selection_impact_ratio"] == pytest.approx((21 / 72) / (49 / 70))
    assert female["selection_impact_ratio"] < 0.8  # the four-fifths rule fails
    unknown = _row(body["sex"], "unknown")
    assert unknown["n"] == 11 and unknown["unknown"] and unknown["scoring_impact_ratio"] is None
    asian = _row(body["race_ethnicity"], "asian")
    assert asian["small"] and asian["share"] < 0.02  # 2 of 153: flagged, not the highest rate
    assert _row(body["intersectional"], "male/hispanic_or_latino")["selection_impact_ratio"] == 1.0
    rows = list(csv.reader(io.StringIO(client.get("/v1/audit/impact-ratios", params={"role_id": role["id"], "format": "csv"},
                                                  headers=tenant.h("auditor")).text)))
    assert rows[0][0] == "# impact ratios" and any(c.startswith("scoring_versions=") for c in rows[0])
    assert ["sex", "female", "72"] == rows[2][:3] or ["sex", "female", "72"] in [r[:3] for r in rows]


def test_no_disparity_gives_ratios_of_one(app, client):
    tenant = new_tenant(app)
    plan = [(n, text, sex, race, text is RESUME) for sex in ("female", "male") for race in ("white", "asian")
            for n, text in ((10, RESUME), (10, WEAK))]
    _population(app, client, tenant, plan)
    body = client.get("/v1/audit/impact-ratios", headers=tenant.h("admin")).json()
    for dim in ("sex", "race_ethnicity", "intersectional"):
        for row in body[dim]:
            if row["n"]:
                assert row["scoring_impact_ratio"] == 1.0 and row["selection_impact_ratio"] == 1.0, (dim, row)


def test_self_identification_is_the_candidates_to_give_and_withdraw(app, client, tenant):
    from .conftest import candidate_key

    cid = client.post("/v1/candidates", json={"text": RESUME}, headers=tenant.h()).json()["id"]
    mine = {"Authorization": f"Bearer {candidate_key(app, tenant, cid)}"}
    url = f"/v1/candidates/{cid}/self-identification"
    assert client.get(url, headers=mine).json()["given"] is False
    r = client.put(url, json={"sex": "female", "race_ethnicity": "black_or_african_american"}, headers=mine)
    assert r.status_code == 200 and r.json()["given"]
    assert client.put(url, json={"sex": "other", "race_ethnicity": "white"}, headers=mine).status_code == 422
    assert client.get(url, headers=tenant.h()).status_code == 403  # recruiters never read it
    assert client.get(url, headers=tenant.h("auditor")).json()["sex"] == "female"
    for path in (f"/v1/candidates/{cid}", f"/v1/roles"):
        assert "black_or_african_american" not in client.get(path, headers=tenant.h()).text
    assert client.delete(url, headers=mine).status_code == 204
    assert client.get(url, headers=mine).json()["given"] is False


def test_erasure_removes_the_person_and_keeps_the_anonymous_counts(app, client):
    tenant = new_tenant(app)
    role = _population(app, client, tenant, [(3, RESUME, "female", "white", True), (3, WEAK, "male", "white", False)])
    before = client.get("/v1/audit/impact-ratios", params={"role_id": role["id"]}, headers=tenant.h("auditor")).json()
    ids = [c["id"] for c in client.get("/v1/candidates", params={"limit": 100}, headers=tenant.h()).json()["items"]]
    for cid in ids[:4]:
        assert client.delete(f"/v1/candidates/{cid}", headers=tenant.h()).status_code == 204
    after = client.get("/v1/audit/impact-ratios", params={"role_id": role["id"]}, headers=tenant.h("auditor")).json()
    assert after["sex"] == before["sex"] and after["applicants"] == 6 and after["selected"] == 3
    from api.store.models import SelfIdentification

    with app.state.sm.sessions() as db:
        assert db.query(SelfIdentification).filter(SelfIdentification.candidate_id.in_(ids[:4])).count() == 0


def test_bad_audit_queries_get_stable_codes(client, tenant):
    r = client.get("/v1/audit/impact-ratios", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=tenant.h("auditor"))
    assert r.status_code == 400 and r.json()["code"] == "bad_range"
    r = client.get("/v1/audit/impact-ratios", params={"from": "yesterday"}, headers=tenant.h("auditor"))
    assert r.status_code == 422
    assert client.get("/v1/audit/impact-ratios", params={"role_id": "nope"}, headers=tenant.h("auditor")).status_code == 404


#: Modules that score, rank, report, learn or serve recruiters: none may reach self-identification.
BLIND = ["matcher", "api/usecases/ranking.py", "api/usecases/matching.py", "api/usecases/decisions.py",
         "api/usecases/roles.py", "api/usecases/candidates.py", "api/routes/ranking.py", "api/routes/decisions.py",
         "api/routes/match.py", "api/routes/roles.py", "api/web/pages.py", "api/web/views.py"]
FORBIDDEN = {"api.store.audit", "api.usecases.audit", "SelfIdentification", "AnonymousApplicant", "self_identifications"}


@pytest.mark.parametrize("where", BLIND)
def test_scoring_ranking_reports_and_recruiter_pages_never_reach_self_identification(where):
    paths = sorted((REPO / where).rglob("*.py")) if (REPO / where).is_dir() else [REPO / where]
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mod = ("api." if node.level and "api" in path.parts else "") + (node.module or "")
                names |= {mod, *(f"{mod}.{a.name}" for a in node.names), *(a.name for a in node.names)}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.Name | ast.Attribute | ast.Constant):
                names.add(getattr(node, "id", None) or getattr(node, "attr", None) or str(getattr(node, "value", "")))
        hits = {n for n in names if n in FORBIDDEN or any(n.endswith("." + f) for f in FORBIDDEN)}
        assert not hits, (Path(path).relative_to(REPO), hits)
