"""Recruiter decisions: recorded with what they were made on, listed, undone (append-only), erased
with the candidate, guarded by role and tenant."""

from __future__ import annotations

import pytest

from .conftest import RESUME, SPEC


@pytest.fixture
def role_and_candidate(client, tenant):
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h())
    assert role.status_code == 201, role.text
    cand = client.post("/v1/candidates", files={"file": ("cv.txt", RESUME.encode())}, headers=tenant.h())
    assert cand.status_code == 201, cand.text
    return role.json(), cand.json()


def _decide(client, tenant, role_id, cand_id, **body):
    return client.post(f"/v1/roles/{role_id}/decisions", json={"candidate_id": cand_id, **body}, headers=tenant.h())


def test_a_decision_keeps_the_score_versions_and_report_it_was_made_on(client, tenant, role_and_candidate):
    role, cand = role_and_candidate
    report = client.get(f"/v1/candidates/{cand['id']}/report/{role['id']}", headers=tenant.h()).json()["report"]
    r = _decide(client, tenant, role["id"], cand["id"], decision="advance", reason_code="meets_requirements",
                note="  strong PyTorch work  ")
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["decision"] == "advance" and d["reason_code"] == "meets_requirements" and d["note"] == "strong PyTorch work"
    assert d["score"] == report["score"] == d["report"]["score"]
    assert d["scoring_version"] == report["scoring_version"] and d["taxonomy_version"] == report["taxonomy_version"]
    assert d["role_revision"] == role["revision"] and d["undone_at"] is None and d["actor"]
    assert d["report"]["requirements"] == report["requirements"]
    one = client.get(f"/v1/roles/{role['id']}/decisions/{d['id']}", headers=tenant.h()).json()
    assert one == d


def test_undo_keeps_the_decision_and_the_previous_one_stands_again(client, tenant, role_and_candidate):
    role, cand = role_and_candidate
    first = _decide(client, tenant, role["id"], cand["id"], decision="advance").json()
    second = _decide(client, tenant, role["id"], cand["id"], decision="reject", reason_code="insufficient_experience").json()
    url = f"/v1/roles/{role['id']}/decisions"
    listed = client.get(url, headers=tenant.h()).json()
    assert [i["id"] for i in listed["items"]] == [second["id"], first["id"]] and listed["total"] == 2
    undone = client.post(f"{url}/{second['id']}/undo", headers=tenant.h())
    assert undone.status_code == 200 and undone.json()["undone_at"] and undone.json()["undone_by"]
    again = client.post(f"{url}/{second['id']}/undo", headers=tenant.h())
    assert again.status_code == 409 and again.json()["code"] == "already_undone"
    standing = client.get(url, headers=tenant.h()).json()
    assert [i["id"] for i in standing["items"]] == [first["id"]]
    everything = client.get(url, params={"include_undone": True}, headers=tenant.h()).json()
    assert {i["id"] for i in everything["items"]} == {first["id"], second["id"]}
    mine = client.get(url, params={"candidate_id": "nobody"}, headers=tenant.h()).json()
    assert mine["total"] == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"decision": "maybe"}, 422, "invalid_request"),
        ({"decision": "reject", "reason_code": "too_old"}, 422, "invalid_request"),
        ({"decision": "reject", "note": "x" * 2001}, 422, "invalid_request"),
        ({"decision": "advance", "extra": 1}, 422, "invalid_request"),
    ],
    ids=["unknown-decision", "reason-not-job-related", "note-too-long", "unknown-field"],
)
def test_bad_decisions_are_refused_with_a_stable_code(client, tenant, role_and_candidate, body, status, code):
    role, cand = role_and_candidate
    r = _decide(client, tenant, role["id"], cand["id"], **body)
    assert r.status_code == status and r.json()["code"] == code


def test_decisions_are_the_tenants_own_and_recruiters_only(client, tenant, other_tenant, role_and_candidate):
    role, cand = role_and_candidate
    d = _decide(client, tenant, role["id"], cand["id"], decision="hire").json()
    url = f"/v1/roles/{role['id']}/decisions"
    assert client.get(url, headers=other_tenant.h()).status_code == 404
    assert client.post(f"{url}/{d['id']}/undo", headers=other_tenant.h()).status_code == 404
    assert client.get(url, headers=tenant.h("ats")).status_code == 403
    other_role = client.post("/v1/roles", json={"spec": SPEC}, headers=other_tenant.h()).json()
    r = client.post(f"/v1/roles/{other_role['id']}/decisions", json={"candidate_id": cand["id"], "decision": "hire"},
                    headers=other_tenant.h())
    assert r.status_code == 404 and r.json()["code"] == "not_found"  # another tenant's candidate
    assert client.get(f"{url}/nope", headers=tenant.h()).status_code == 404


def test_auditors_export_the_whole_decision_log(client, tenant, role_and_candidate):
    role, cand = role_and_candidate
    first = _decide(client, tenant, role["id"], cand["id"], decision="advance").json()
    client.post(f"/v1/roles/{role['id']}/decisions/{first['id']}/undo", headers=tenant.h())
    log = client.get("/v1/audit/decisions", headers=tenant.h("auditor")).json()
    assert [(d["id"], d["undone_at"] is not None) for d in log["items"]] == [(first["id"], True)]
    assert log["items"][0]["inputs_hash"] == first["inputs_hash"] and "report" not in log["items"][0]
    assert client.get("/v1/audit/decisions", params={"from": "2999-01-01"}, headers=tenant.h("auditor")).json()["total"] == 0
    assert client.get("/v1/audit/decisions", headers=tenant.h()).status_code == 403


def test_erasing_the_candidate_erases_their_decisions(client, tenant, role_and_candidate):
    role, cand = role_and_candidate
    _decide(client, tenant, role["id"], cand["id"], decision="reject")
    assert client.delete(f"/v1/candidates/{cand['id']}", headers=tenant.h()).status_code == 204
    assert client.get(f"/v1/roles/{role['id']}/decisions", params={"include_undone": True},
                      headers=tenant.h()).json()["total"] == 0


def test_an_override_of_the_automated_assessment_needs_a_reason_and_is_marked(client, tenant, role_and_candidate):
    role, cand = role_and_candidate
    met = client.get(f"/v1/candidates/{cand['id']}/report/{role['id']}", headers=tenant.h()).json()["report"]
    against = "reject" if met["all_required_met"] else "advance"
    r = _decide(client, tenant, role["id"], cand["id"], decision=against)
    assert r.status_code == 422 and r.json()["code"] == "override_needs_reason"
    d = _decide(client, tenant, role["id"], cand["id"], decision=against, reason_code="other").json()
    assert d["override"] is True and len(d["inputs_hash"]) == 64
    along = _decide(client, tenant, role["id"], cand["id"], decision="advance" if against == "reject" else "reject").json()
    assert along["override"] is False and along["inputs_hash"] == d["inputs_hash"]
    client.put(f"/v1/roles/{role['id']}", json=SPEC | {"title": "Renamed"}, headers=tenant.h())
    after_edit = _decide(client, tenant, role["id"], cand["id"], decision=along["decision"]).json()
    assert after_edit["inputs_hash"] != d["inputs_hash"] and after_edit["role_revision"] == 2


WEAK = """Sam Smith

EXPERIENCE
Data Analyst - Beta Inc
2018 - 2020
- Excel reports and SQL queries
"""


def test_the_learned_order_needs_decisions_then_ranks_with_reasons(client, tenant):
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()
    url = f"/v1/roles/{role['id']}"
    assert client.get(f"{url}/ranking", params={"order": "learned"}, headers=tenant.h()).json()["code"] == "no_learned_model"
    assert client.get("/v1/models/current", headers=tenant.h()).status_code == 404
    ids = []
    for i in range(24):
        text = (RESUME if i % 2 else WEAK).replace("2018 - 2020", f"{2010 + i % 5} - 2020")
        ids.append((client.post("/v1/candidates", json={"text": text}, headers=tenant.h()).json()["id"], i % 2 == 1))
    for cid, strong in ids[:10]:
        _decide(client, tenant, role["id"], cid, decision="advance" if strong else "reject")
    r = client.post("/v1/models/retrain", headers=tenant.h())
    assert r.status_code == 409 and r.json()["code"] == "not_enough_decisions" and "10 decisions" in r.json()["detail"]
    for cid, strong in ids[10:22]:
        _decide(client, tenant, role["id"], cid, decision="advance" if strong else "reject")
    r = client.post("/v1/models/retrain", headers=tenant.h())
    assert r.status_code == 201, r.text
    model = r.json()
    assert model["n_decisions"] == 22 and model["model_version"].startswith("lr-1:")
    assert client.get("/v1/models/current", headers=tenant.h("auditor")).json() == model
    ranking = client.get(f"{url}/ranking", params={"limit": 100}, headers=tenant.h()).json()
    assert ranking["model"]["model_version"] == model["model_version"] and ranking["order"] == "score"
    assert all(0 <= it["learned"]["p_advance"] <= 1 and len(it["learned"]["reasons"]) == 3 for it in ranking["results"])
    learned = client.get(f"{url}/ranking", params={"limit": 100, "order": "learned"}, headers=tenant.h()).json()
    p = [it["learned"]["p_advance"] for it in learned["results"]]
    assert p == sorted(p, reverse=True) and learned["total"] == 24
    strong_ids = {cid for cid, strong in ids if strong}
    assert {it["candidate"]["id"] for it in learned["results"][:12]} == strong_ids  # decisions learned
    page2 = client.get(f"{url}/ranking", params={"limit": 5, "offset": 5, "order": "learned"}, headers=tenant.h()).json()
    assert [it["candidate"]["id"] for it in page2["results"]] == [it["candidate"]["id"] for it in learned["results"][5:10]]
    again = client.post("/v1/models/retrain", headers=tenant.h()).json()
    assert again["model_version"] == model["model_version"]  # same decisions, same model
    _exports_follow_the_pages(client, tenant, role["id"], {"score": ranking, "learned": learned})


def _exports_follow_the_pages(client, tenant, role_id: str, pages: dict[str, dict]) -> None:
    """The whole ranking of the CSV exports, read in pages smaller than the ranking, is the API's order,
    and stops at ``most`` rows."""
    from api.store import queries
    from api.usecases.ranking import RankingQuery, whole_ranking

    state = client.app.state.sm
    with state.sessions() as db:
        row = queries.get_role(db, tenant.id, role_id)
        for order, page in pages.items():
            want = [it["candidate"]["id"] for it in page["results"]]
            got = [r.candidate.id for r in whole_ranking(db, state, tenant.id, row, RankingQuery(order=order), page=5)]
            assert got == want, order
            capped = list(whole_ranking(db, state, tenant.id, row, RankingQuery(order=order), most=7, page=5))
            assert [r.candidate.id for r in capped] == want[:7], order
            assert all(r.learned is not None for r in capped)
