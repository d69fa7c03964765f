"""The taxonomy page over HTTP (no browser): an admin lists, adds and removes the tenant's own aliases
and skills, sees the engine's reason for a refused one, and adds an unknown tool its candidates
mention in one click. Other keys get the page's 403."""

from __future__ import annotations

import html

import pytest

from .conftest import CSRF, RESUME, new_tenant, sign_in

UNKNOWN_TOOLS = RESUME.replace("Python, PyTorch, Kubernetes, SQL", "Python, Zorbix, Kafka, Grafonix, Terraform")


@pytest.fixture
def admin_web(app, web, tenant):
    csrf = sign_in(web, tenant.tokens["admin"])
    return web, csrf


def _post(web, csrf, **fields):
    return web.post("/web/taxonomy", data={"csrf": csrf, **fields}, follow_redirects=True)


def test_admin_lands_on_the_taxonomy_page_and_adds_and_removes(app, admin_web, tenant):
    web, csrf = admin_web
    page = web.get("/web/")
    assert page.status_code == 200 and "Your taxonomy" in page.text and "/web/taxonomy" in str(page.url)
    r = _post(web, csrf, action="add_skill", name="Gantry Shipper", category="devops_ci", aliases="gs-ship, gsh")
    assert r.status_code == 200 and "Skill added." in r.text and "Gantry Shipper" in r.text
    r = _post(web, csrf, action="add_alias", alias="kubbo", skill="Kubernetes")
    assert "Alias added." in r.text and "names Kubernetes" in r.text
    version = app.state.sm.engine(tenant.id).taxonomy.version
    assert "+t." in version and version in r.text
    row = app.state.sm.additions(tenant.id)
    assert [s.name for s in row.skills] == ["Gantry Shipper"] and [a.alias for a in row.aliases] == ["kubbo"]

    view = web.get("/v1/taxonomy", headers=tenant.h("admin")).json()
    r = _post(web, csrf, action="remove_skill", id=view["skills"][0]["id"])
    assert "Removed." in r.text and "Gantry Shipper" not in r.text
    assert not app.state.sm.additions(tenant.id).skills


@pytest.mark.parametrize(("fields", "status", "shown"), [
    ({"action": "add_alias", "alias": "PyTorch", "skill": "Python"}, 409, "already names another skill"),
    ({"action": "add_skill", "name": "the", "category": "devops_ci"}, 422, "ordinary English word"),
    ({"action": "add_alias", "alias": "zzzq", "skill": "no such skill"}, 422, "unknown skill"),
], ids=["conflict", "ordinary-word", "unknown-skill"])
def test_a_refused_addition_is_shown_on_the_page_with_its_reason(admin_web, fields, status, shown):
    web, csrf = admin_web
    r = _post(web, csrf, **fields)
    assert r.status_code == status and shown in html.unescape(r.text)
    assert 'id="taxonomy-problem"' in r.text and CSRF.search(r.text)


def test_unknown_tools_of_the_tenants_candidates_are_offered_and_added_in_one_click(client, app, admin_web, tenant):
    other = new_tenant(app)
    for t in (tenant, tenant, other):
        assert client.post("/v1/candidates", json={"text": UNKNOWN_TOOLS}, headers=t.h()).status_code == 201
    web, csrf = admin_web
    page = web.get("/web/taxonomy").text
    assert 'id="suggestions"' in page and "Zorbix" in page and "Grafonix" in page
    listed = client.get("/v1/taxonomy/suggestions", headers=tenant.h()).json()["items"]
    assert {x["name"]: x["resumes"] for x in listed}["Zorbix"] == 2, "only this tenant's candidates count"

    r = _post(web, csrf, action="add_skill", name="Zorbix", category="data_processing")
    assert r.status_code == 200 and "Skill added." in r.text
    assert "Zorbix" not in [x["name"] for x in client.get("/v1/taxonomy/suggestions", headers=tenant.h()).json()["items"]]


@pytest.mark.parametrize("role", ["recruiter", "auditor"])
def test_the_page_is_for_admin_keys(web, tenant, role):
    sign_in(web, tenant.tokens[role])
    r = web.get("/web/taxonomy")
    assert r.status_code == 403 and "admin" in r.text
