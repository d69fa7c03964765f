"""Ranking (vectorized, cached, recomputed when stale), stateless match / batch / parse."""

from __future__ import annotations

import pytest

from .conftest import RESUME, SPEC, sample_resumes, sample_role


@pytest.fixture
def seeded(client, tenant):
    """The sample résumés and role, uploaded to a fresh tenant."""
    cands = {}
    for p in sample_resumes():
        r = client.post("/v1/candidates", files={"file": (p.name, p.read_bytes())}, data={"name": p.stem}, headers=tenant.h())
        if r.status_code == 201:
            cands[r.json()["id"]] = p
    role = client.post("/v1/roles", files={"file": (sample_role().name, sample_role().read_bytes())}, headers=tenant.h())
    assert role.status_code == 201, role.text
    assert len(cands) >= 4
    return tenant, cands, role.json()


def test_ranking_matches_the_engine(client, engine, seeded):
    from matcher.pipeline import load_role, match_profile, parse_bytes

    tenant, cands, role = seeded
    r = client.get(f"/v1/roles/{role['id']}/ranking", params={"limit": 100}, headers=tenant.h())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(cands) and body["recomputed"] == len(cands)
    assert body["scoring_version"] and body["taxonomy_version"] == engine.taxonomy.version

    expected_role, _, _ = load_role(sample_role().read_bytes(), engine)
    got = {}
    for item in body["results"]:
        assert item["scoring_version"] == body["scoring_version"] and item["taxonomy_version"] == body["taxonomy_version"]
        cid = item["candidate"]["id"]
        profile = parse_bytes(cands[cid].read_bytes(), engine, as_of=None)
        report = match_profile(profile, expected_role, engine)
        assert item["score"] == report.score == item["report"]["score"], cands[cid]
        met = all(g.status == "met" for g in report.groups if g.group.required)
        assert item["all_required_met"] == met == item["report"]["all_required_met"], cands[cid]
        got[cid] = item["score"]
    scores = [i["score"] for i in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert [i["rank"] for i in body["results"]] == list(range(1, len(cands) + 1))

    again = client.get(f"/v1/roles/{role['id']}/ranking", headers=tenant.h()).json()
    assert again["recomputed"] == 0


def test_ranking_pages_and_filters(client, seeded):
    tenant, cands, role = seeded
    url = f"/v1/roles/{role['id']}/ranking"
    full = client.get(url, params={"limit": 100}, headers=tenant.h()).json()["results"]
    p1 = client.get(url, params={"limit": 2}, headers=tenant.h()).json()
    p2 = client.get(url, params={"limit": 2, "offset": 2}, headers=tenant.h()).json()
    assert [i["candidate"]["id"] for i in p1["results"] + p2["results"]] == [i["candidate"]["id"] for i in full[:4]]
    assert p2["results"][0]["rank"] == 3 and p1["total"] == len(cands)

    cut = full[1]["score"]
    hi = client.get(url, params={"min_score": cut, "limit": 100}, headers=tenant.h()).json()
    assert {i["candidate"]["id"] for i in hi["results"]} == {i["candidate"]["id"] for i in full if i["score"] >= cut}
    met = client.get(url, params={"all_required_met": True, "limit": 100}, headers=tenant.h()).json()
    assert {i["candidate"]["id"] for i in met["results"]} == {i["candidate"]["id"] for i in full if i["all_required_met"]}
    assert met["total"] == len(met["results"])


def test_ranking_recomputes_on_role_edit_and_new_candidates_and_taxonomy(client, app, seeded):
    from api.store import queries

    tenant, cands, role = seeded
    url = f"/v1/roles/{role['id']}/ranking"
    first = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    r = client.put(f"/v1/roles/{role['id']}", json=SPEC, headers=tenant.h())
    assert r.status_code == 200
    second = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    assert second["recomputed"] == len(cands) and second["role"]["revision"] == 2
    assert [i["score"] for i in second["results"]] != [i["score"] for i in first["results"]]
    assert all(len(i["report"]["requirements"]) == 3 for i in second["results"])

    client.post("/v1/candidates", json={"text": RESUME}, headers=tenant.h())
    third = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    assert third["recomputed"] == 1 and third["total"] == len(cands) + 1

    with app.state.sm.sessions() as db:  # as if the taxonomy changed under the stored scores
        queries.mark_scores_stale(db, tenant.id)
        db.commit()
    fourth = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    assert fourth["recomputed"] == len(cands) + 1
    assert [i["score"] for i in fourth["results"]] == [i["score"] for i in third["results"]]


def test_ranking_unknown_role_is_404(client, tenant):
    assert client.get("/v1/roles/nope/ranking", headers=tenant.h()).status_code == 404


# ------------------------------------------------------------------------------------ match

def test_match_json_with_spec_text_and_role_id(client, tenant):
    r = client.post("/v1/match", json={"text": RESUME, "role_spec": SPEC}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"]["score"] > 50 and body["scoring_version"] and body["taxonomy_version"]
    assert body["report"]["all_required_met"] is True

    job = sample_role().read_text()
    r2 = client.post("/v1/match", json={"text": RESUME, "job_text": job}, headers=tenant.h("ats"))
    assert r2.status_code == 200, r2.text

    role_id = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    r3 = client.post("/v1/match", json={"text": RESUME, "role_id": role_id}, headers=tenant.h("ats"))
    assert r3.json()["report"]["score"] == body["report"]["score"]
    # nothing stored
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 0


def test_match_multipart_file_and_job_file(client, tenant):
    job = sample_role()
    r = client.post("/v1/match", files={"file": ("cv.txt", RESUME.encode()), "job_file": (job.name, job.read_bytes())},
                    headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    r = client.post("/v1/match", files={"file": ("cv.txt", RESUME.encode())}, data={"role_spec": '{"title": "x", "requirements": [{"any_of": ["Python"]}]}'},
                    headers=tenant.h("ats"))
    assert r.status_code == 200, r.text


def test_match_errors(client, tenant, other_tenant):
    r = client.post("/v1/match", json={"text": RESUME}, headers=tenant.h("ats"))
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    r = client.post("/v1/match", json={"text": RESUME, "role_spec": SPEC, "job_text": "x"}, headers=tenant.h("ats"))
    assert r.status_code == 422
    foreign = client.post("/v1/roles", json={"spec": SPEC}, headers=other_tenant.h()).json()["id"]
    r = client.post("/v1/match", json={"text": RESUME, "role_id": foreign}, headers=tenant.h("ats"))
    assert r.status_code == 404


def test_match_batch(client, tenant):
    resumes = [{"id": "good", "text": RESUME}, {"id": "nurse", "text": "Registered Nurse\n\nEXPERIENCE\nICU nurse, triage"},
               {"id": "empty", "text": "   "}]
    r = client.post("/v1/match/batch", json={"role_spec": SPEC, "resumes": resumes}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    res = r.json()["results"]
    assert [x["id"] for x in res] == ["good", "nurse", "empty"]
    assert res[0]["score"] > res[1]["score"]
    assert res[2]["error"]["code"] == "empty_document"

    files = [("files", (p.name, p.read_bytes())) for p in sample_resumes()[:3]]
    r = client.post("/v1/match/batch", files=files, data={"job_text": sample_role().read_text()}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]) == 3


def test_parse_stateless(client, tenant):
    r = client.post("/v1/parse", json={"text": RESUME}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    assert "pytorch" in {s["id"] for s in r.json()["profile"]["skills"]}
    r = client.post("/v1/parse", files={"file": ("cv.md", RESUME.encode())}, headers=tenant.h("ats"))
    assert r.status_code == 200 and r.json()["profile"]["source"] == "cv.md"
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 0


def test_profiles_from_an_older_taxonomy_are_parsed_again(client, app, seeded):
    from sqlalchemy import update

    from api.store.models import Candidate

    tenant, cands, role = seeded
    url = f"/v1/roles/{role['id']}/ranking"
    before = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    cid = before["results"][0]["candidate"]["id"]
    good = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()["profile"]
    with app.state.sm.sessions() as db:  # as if parsed under an older taxonomy that knew nothing
        db.execute(update(Candidate).where(Candidate.tenant_id == tenant.id)
                   .values(taxonomy_version="2000.1.0", profile={**good, "skills": [], "taxonomy_version": "2000.1.0"}))
        db.commit()
    after = client.get(url, params={"limit": 100}, headers=tenant.h()).json()
    assert after["recomputed"] == len(cands)
    assert [(i["candidate"]["id"], i["score"]) for i in after["results"]] == \
        [(i["candidate"]["id"], i["score"]) for i in before["results"]]
    again = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()
    assert again["taxonomy_version"] == after["taxonomy_version"] and again["profile"]["skills"] == good["skills"]


def test_concurrent_rankings_agree(client, seeded):
    from concurrent.futures import ThreadPoolExecutor

    tenant, _cands, role = seeded
    url = f"/v1/roles/{role['id']}/ranking"
    with ThreadPoolExecutor(4) as ex:
        responses = list(ex.map(lambda _: client.get(url, params={"limit": 100}, headers=tenant.h()), range(4)))
    assert [r.status_code for r in responses] == [200] * 4, [r.text[:200] for r in responses]
    orders = {tuple(i["candidate"]["id"] for i in r.json()["results"]) for r in responses}
    assert len(orders) == 1


FREE_TEXT_RESUME = """Dana Reyes

Experience
Platform Engineer, Acme Corp — Jan 2020 – Present
- Built data pipelines in Python and Zorbix for billing

Skills: Python, SQL
"""


def test_match_a_job_naming_a_tool_outside_the_taxonomy(client, tenant):
    """A job description's tool the taxonomy doesn't know ("Zorbix") is a free-text requirement the
    résumé's unresolved mention meets by name, with its own status; the role view shows it as such."""
    job = "Platform Engineer\n\nRequirements\n- Experience with Zorbix or Flumewave required\n- Python\n"
    parsed = client.post("/v1/parse", json={"text": FREE_TEXT_RESUME}, headers=tenant.h("ats")).json()
    assert "zorbix" in {u["key"] for u in parsed["profile"]["unresolved"]}
    r = client.post("/v1/match", json={"text": FREE_TEXT_RESUME, "job_text": job}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text
    report = r.json()["report"]
    zorbix = report["requirements"][0]
    assert zorbix["free_text"] == [{"key": "zorbix", "name": "Zorbix"}, {"key": "flumewave", "name": "Flumewave"}]
    assert zorbix["any_of"] == [] and zorbix["status"] == "matched_unresolved"
    assert zorbix["matched"][0]["reason"] == "Zorbix matched by name, not in the taxonomy"
    assert "Zorbix" in zorbix["evidence"][0]["line"]
    assert report["all_required_met"] is False  # met by name only is not "met"

    role = client.post("/v1/roles", json={"job_text": job}, headers=tenant.h())
    assert role.status_code == 201, role.text
    view = client.get(f"/v1/roles/{role.json()['id']}", headers=tenant.h()).json()
    assert view["requirements"][0]["free_text"][0]["name"] == "Zorbix" and view["requirements"][0]["skills"] == []
    stored = client.post("/v1/match", json={"text": FREE_TEXT_RESUME, "role_id": role.json()["id"]},
                         headers=tenant.h("ats")).json()
    assert stored["report"]["score"] == report["score"]


@pytest.mark.parametrize(
    ("requirement", "status"),
    [({"free_text": ["Zorbix"]}, 200), ({"any_of": ["Zorbix"]}, 422), ({"free_text": ["!!"]}, 422)],
    ids=["free-text", "unknown-any-of", "not-a-name"],
)
def test_match_with_a_free_text_spec(client, tenant, requirement, status):
    spec = {"title": "t", "requirements": [requirement]}
    r = client.post("/v1/match", json={"text": FREE_TEXT_RESUME, "role_spec": spec}, headers=tenant.h("ats"))
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["report"]["requirements"][0]["status"] == "matched_unresolved"
    else:
        assert "free_text" in r.json()["detail"] or "tool name" in r.json()["detail"]
