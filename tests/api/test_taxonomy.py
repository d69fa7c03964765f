"""A tenant's own taxonomy over HTTP: aliases and skills added by admin keys, the tenant's version on
every profile and score, the re-score job that parses that tenant's candidates again, and no other
tenant touched."""

from __future__ import annotations

import pytest

from .conftest import RESUME, new_tenant

OWN_RESUME = (RESUME.replace("Python, PyTorch, Kubernetes, SQL", "Python, PyTorch, Lighthouse Deploy, Kubey, SQL")
              .replace("deployed on Kubernetes", "deployed on Kubey with Lighthouse Deploy"))
OWN_SPEC = {"title": "Platform Engineer", "requirements": [
    {"any_of": ["Python"], "required": True}, {"any_of": ["Lighthouse Deploy"], "required": True}]}


def _done(client, tenant, job_id: str) -> dict:
    from api.jobs import wait_for

    wait_for(client.app.state.sm, job_id, 90)
    return client.get(f"/v1/jobs/{job_id}", headers=tenant.h()).json()


def _skill_ids(client, tenant, cid: str) -> set[str]:
    body = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()
    return {s["id"] for s in body["profile"]["skills"]}


def _scores(app, tenant_id: str) -> list[tuple]:
    from sqlalchemy import select

    from api.store.models import Score

    with app.state.sm.sessions() as db:
        return sorted((s.candidate_id, s.role_id, s.taxonomy_version, s.computed_at, s.score)
                      for s in db.scalars(select(Score).where(Score.tenant_id == tenant_id)))


def _versions_rescored(app, tenant_id: str) -> list[str]:
    from sqlalchemy import select

    from api.store.models import Job

    with app.state.sm.sessions() as db:
        return [j.params["taxonomy_version"] for j in db.scalars(select(Job).where(
            Job.tenant_id == tenant_id, Job.kind == "retaxonomy").order_by(Job.created_at))]


def test_a_tenant_skill_and_alias_are_found_scored_and_kept_to_that_tenant(client, app, tenant, worker):
    other = new_tenant(app)
    mine = client.post("/v1/candidates", json={"text": OWN_RESUME}, headers=tenant.h()).json()
    theirs = client.post("/v1/candidates", json={"text": OWN_RESUME}, headers=other.h()).json()
    base = mine["taxonomy_version"]
    assert "x-lighthouse-deploy" not in _skill_ids(client, tenant, mine["id"])
    their_role = client.post("/v1/roles", json={"spec": {**OWN_SPEC, "requirements": OWN_SPEC["requirements"][:1]}},
                             headers=other.h()).json()["id"]
    assert client.get(f"/v1/roles/{their_role}/ranking", headers=other.h()).json()["total"] == 1
    their_scores, their_profile = _scores(app, other.id), client.get(f"/v1/candidates/{theirs['id']}", headers=other.h()).json()

    r = client.post("/v1/taxonomy/skills", json={"name": "Lighthouse Deploy", "category": "devops_ci",
                                                 "aliases": ["lh-deploy"]}, headers=tenant.h("admin"))
    assert r.status_code == 201, r.text
    assert r.json()["item"]["skill_id"] == "x-lighthouse-deploy"
    first = _done(client, tenant, r.json()["rescore_job_id"])  # each change's job does its own work
    assert (first["result"]["taxonomy_version"], first["result"]["reparsed"]) == (r.json()["taxonomy_version"], 1), first
    assert "x-lighthouse-deploy" in _skill_ids(client, tenant, mine["id"])
    r = client.post("/v1/taxonomy/aliases", json={"skill": "Kubernetes", "alias": "Kubey"}, headers=tenant.h("admin"))
    assert r.status_code == 201, r.text
    change = r.json()
    version = change["taxonomy_version"]
    assert version.startswith(base + "+t.") and version != base
    job = _done(client, tenant, change["rescore_job_id"])
    assert job["status"] == "succeeded" and job["kind"] == "retaxonomy", job
    assert job["result"]["taxonomy_version"] == version and job["result"]["reparsed"] == 1

    got = client.get(f"/v1/candidates/{mine['id']}", headers=tenant.h()).json()
    assert got["taxonomy_version"] == version
    assert {"x-lighthouse-deploy", "kubernetes"} <= {s["id"] for s in got["profile"]["skills"]}
    role = client.post("/v1/roles", json={"spec": OWN_SPEC}, headers=tenant.h())
    assert role.status_code == 201, role.text
    ranking = client.get(f"/v1/roles/{role.json()['id']}/ranking", headers=tenant.h()).json()
    assert ranking["taxonomy_version"] == version
    top = ranking["results"][0]
    assert top["taxonomy_version"] == version
    assert [g["status"] for g in top["report"]["requirements"]] == ["met", "met"], top["report"]["requirements"]
    parsed = client.post("/v1/parse", json={"text": OWN_RESUME}, headers=tenant.h()).json()
    assert "x-lighthouse-deploy" in {s["id"] for s in parsed["profile"]["skills"]}
    assert parsed["profile"]["taxonomy_version"] == version

    # the other tenant: the same résumé, untouched (profile, versions and score times)
    assert client.get(f"/v1/candidates/{theirs['id']}", headers=other.h()).json() == their_profile
    assert _scores(app, other.id) == their_scores and their_scores[0][2] == base
    assert client.get("/v1/taxonomy", headers=other.h()).json()["taxonomy_version"] == base
    refused = client.post("/v1/roles", json={"spec": OWN_SPEC}, headers=other.h())
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_role"


def test_changes_made_back_to_back_leave_every_candidate_at_the_last_version(client, app, tenant, worker):
    """The first change's job may run after the second change has landed: it then parses straight to the
    latest version and the later job finds nothing left to do. Either way, all end at the last version."""
    cids = [client.post("/v1/candidates", json={"text": OWN_RESUME}, headers=tenant.h()).json()["id"] for _ in range(3)]
    changes = [client.post("/v1/taxonomy/skills", json={"name": "Lighthouse Deploy", "category": "devops_ci"},
                           headers=tenant.h("admin")).json(),
               client.post("/v1/taxonomy/aliases", json={"skill": "Kubernetes", "alias": "Kubey"},
                           headers=tenant.h("admin")).json()]
    done = [_done(client, tenant, c["rescore_job_id"]) for c in changes]
    assert [j["status"] for j in done] == ["succeeded", "succeeded"], done
    last = changes[-1]["taxonomy_version"]
    assert done[-1]["result"]["taxonomy_version"] == last
    assert 3 <= sum(j["result"]["reparsed"] for j in done) <= 6, done
    for cid in cids:
        got = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()
        assert got["taxonomy_version"] == last
        assert {"x-lighthouse-deploy", "kubernetes"} <= {s["id"] for s in got["profile"]["skills"]}


def test_the_tenant_taxonomy_lists_and_removes_additions(client, app, tenant, worker):
    r = client.post("/v1/taxonomy/skills", json={"name": "Quarry DB", "category": "databases", "aliases": ["quarrydb2"]},
                    headers=tenant.h("admin")).json()
    a = client.post("/v1/taxonomy/aliases", json={"skill": "pytorch", "alias": "py-torchy"}, headers=tenant.h("admin")).json()
    view = client.get("/v1/taxonomy", headers=tenant.h()).json()
    assert view["taxonomy_version"] == a["taxonomy_version"] != view["base_version"]
    assert [(s["name"], [x["name"] for x in s["aliases"]]) for s in view["skills"]] == [("Quarry DB", ["quarrydb2"])]
    assert [(x["name"], x["skill_name"]) for x in view["aliases"]] == [("py-torchy", "PyTorch")]
    found = client.get("/v1/taxonomy/skills", params={"q": "quarry"}, headers=tenant.h()).json()
    assert [i["id"] for i in found["items"]] == ["x-quarry-db"] and found["taxonomy_version"] == view["taxonomy_version"]

    assert client.delete(f"/v1/taxonomy/skills/{r['item']['id']}", headers=tenant.h("admin")).status_code == 204
    assert client.delete(f"/v1/taxonomy/aliases/{a['item']['id']}", headers=tenant.h("admin")).status_code == 204
    after = client.get("/v1/taxonomy", headers=tenant.h()).json()
    assert _versions_rescored(app, tenant.id)[-1] == view["base_version"], "the removal queued a re-score"
    assert (after["skills"], after["aliases"], after["taxonomy_version"]) == ([], [], view["base_version"])


REFUSED = [
    ("alias-names-another-skill", "/v1/taxonomy/aliases", {"skill": "python", "alias": "PyTorch"}, 409, "taxonomy_conflict"),
    ("ordinary-word", "/v1/taxonomy/aliases", {"skill": "python", "alias": "the"}, 422, "invalid_taxonomy_addition"),
    ("ambiguity-rule-word", "/v1/taxonomy/aliases", {"skill": "python", "alias": "plug"}, 409, "taxonomy_conflict"),
    ("unknown-skill", "/v1/taxonomy/aliases", {"skill": "no-such-skill-here", "alias": "nosuch"}, 422,
     "invalid_taxonomy_addition"),
    ("unknown-category", "/v1/taxonomy/skills", {"name": "Widgetron", "category": "nope"}, 422, "invalid_taxonomy_addition"),
    ("skill-name-taken", "/v1/taxonomy/skills", {"name": "Kubernetes", "category": "devops_ci"}, 409, "taxonomy_conflict"),
    ("name-too-long", "/v1/taxonomy/skills", {"name": "x" * 81, "category": "devops_ci"}, 422, "invalid_request"),
]


@pytest.mark.parametrize(("path", "body", "status", "code"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_bad_additions_are_refused_with_a_stable_code(client, tenant, path, body, status, code):
    r = client.post(path, json=body, headers=tenant.h("admin"))
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/v1/taxonomy", headers=tenant.h()).json()["skills"] == []


@pytest.mark.parametrize("role", ["recruiter", "ats"])
def test_only_admin_keys_change_the_taxonomy(client, tenant, role):
    r = client.post("/v1/taxonomy/aliases", json={"skill": "python", "alias": "pyyy"}, headers=tenant.h(role))
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


def test_another_tenants_addition_is_not_found(client, app, tenant, worker):
    other = new_tenant(app)
    made = client.post("/v1/taxonomy/aliases", json={"skill": "python", "alias": "pythonish"}, headers=tenant.h("admin")).json()
    r = client.delete(f"/v1/taxonomy/aliases/{made['item']['id']}", headers=other.h("admin"))
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert client.get("/v1/taxonomy", headers=tenant.h()).json()["aliases"][0]["name"] == "pythonish"


def test_an_addition_a_role_names_cannot_be_removed_from_under_it(client, tenant):
    """Removing a skill (or alias) that a stored role's spec names would leave the role unreadable
    and the re-score job failing on it: refused with 409 until the role is edited."""
    r = client.post("/v1/taxonomy/skills", json={"name": "Lighthouse Deploy", "category": "devops_ci",
                                                 "aliases": []}, headers=tenant.h("admin"))
    assert r.status_code == 201, r.text
    skill_row = r.json()["item"]["id"]
    role = client.post("/v1/roles", json={"spec": OWN_SPEC}, headers=tenant.h()).json()["id"]

    r = client.delete(f"/v1/taxonomy/skills/{skill_row}", headers=tenant.h("admin"))
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "taxonomy_conflict" and "Platform Engineer" in r.json()["detail"]
    assert client.get(f"/v1/roles/{role}", headers=tenant.h()).status_code == 200
    assert skill_row in {s["id"] for s in client.get("/v1/taxonomy", headers=tenant.h()).json()["skills"]}

    assert client.delete(f"/v1/roles/{role}", headers=tenant.h()).status_code == 204
    assert client.delete(f"/v1/taxonomy/skills/{skill_row}", headers=tenant.h("admin")).status_code == 204


@pytest.mark.parametrize(("kept", "first_kept"), [(1, False), (2, True)], ids=["one-kept", "two-kept"])
def test_tenant_engines_are_kept_up_to_the_setting(engine, tmp_path, kept, first_kept):
    """``SKILLMATCH_TENANT_ENGINES``: that many tenants' engines stay built; past it the least recently used
    one is let go and built again when asked for."""
    from api.state import AppState
    from matcher import SkillAddition, TaxonomyAdditions

    from .conftest import make_settings

    state = AppState(make_settings(f"sqlite:///{tmp_path / 'engines.db'}", tenant_engines=kept), engine=engine)
    first, second = (TaxonomyAdditions(skills=(SkillAddition(name, "devops_ci"),)) for name in ("Zorbix CI", "Flumewave"))
    built = state.engine_for(first)
    assert state.engine_for(first) is built and built.taxonomy.version.startswith(engine.taxonomy.version + "+t.")
    other = state.engine_for(second)
    assert other is not built and state.engine_for(second) is other
    assert (state.engine_for(first) is built) is first_kept
    assert state.engine_for(first).taxonomy.version == built.taxonomy.version
