"""A role from a job description in any shape an ATS sends (issue 11): text with or without line
breaks, HTML (also entity-escaped), an ATS job object, a file; the same requirements from each, on
every route that takes a role (roles, match, batch match, the web editor)."""

from __future__ import annotations

import html
import json

import pytest
from markdown_it import MarkdownIt

from .conftest import REPO, RESUME, sign_in

POSTING = (REPO / "tests" / "data" / "jobs" / "senior-backend-go-engineer.md").read_text(encoding="utf-8")
HTML = MarkdownIt("commonmark").enable("table").render(POSTING)
TITLE = POSTING.splitlines()[0].lstrip("# ").strip()


def _paragraph(md: str) -> str:
    """The posting as a job board's scrape gives it: every block's text on one line."""
    lines = [ln.strip().lstrip("#-*").strip() for ln in md.splitlines()]
    return " ".join(ln for ln in lines if ln and not set(ln) <= set("|-: "))


def _groups(body: dict) -> set[tuple[frozenset, bool]]:
    return {(frozenset(r["any_of"]), r["required"]) for r in body["requirements"]}


BODIES = {
    "job_text-markdown": {"job_text": POSTING},
    "job_text-html": {"job_text": HTML},
    "job_text-escaped-html": {"job_text": html.escape(HTML)},
    "job_html": {"job_html": HTML},
    "job-greenhouse": {"job": {"id": 4012, "title": TITLE, "content": html.escape(HTML)}},
    "job-generic": {"job": {"title": TITLE, "description": HTML}},
}


@pytest.fixture(scope="module")
def markdown_groups(client, app):
    from .conftest import new_tenant

    t = new_tenant(app)
    r = client.post("/v1/roles", json={"job_text": POSTING}, headers=t.h())
    assert r.status_code == 201, r.text
    groups = _groups(r.json())
    assert len(groups) >= 6
    return groups


@pytest.mark.parametrize("name", list(BODIES), ids=list(BODIES))
def test_every_json_shape_gives_the_markdown_requirements(client, tenant, markdown_groups, name):
    r = client.post("/v1/roles", json=BODIES[name], headers=tenant.h())
    assert r.status_code == 201, r.text[:400]
    assert _groups(r.json()) == markdown_groups


def test_one_paragraph_gives_nearly_the_markdown_requirements(client, tenant, markdown_groups):
    r = client.post("/v1/roles", json={"job_text": _paragraph(POSTING)}, headers=tenant.h())
    assert r.status_code == 201, r.text[:400]
    got = _groups(r.json())
    assert len(got & markdown_groups) / len(got | markdown_groups) >= 0.75, (got ^ markdown_groups)


@pytest.mark.parametrize("filename,content", [
    ("job.html", HTML.encode()),
    ("posting.json", json.dumps({"text": TITLE, "description": HTML, "lists": []}).encode()),
    ("job.txt", html.escape(HTML).encode()),
], ids=["html-file", "lever-json-file", "escaped-html-in-txt"])
def test_files_in_any_shape(client, tenant, markdown_groups, filename, content):
    r = client.post("/v1/roles", files={"file": (filename, content)}, headers=tenant.h())
    assert r.status_code == 201, r.text[:400]
    assert _groups(r.json()) == markdown_groups


@pytest.mark.parametrize("body,message", [
    ({"job": "not an object"}, "job must be an object"),
    ({"job_html": 5}, "job_html must be a string"),
    ({"job_text": "x", "job_html": "<p>x</p>"}, "exactly one"),
    ({"job": [{"title": "a", "content": "b"}]}, "job must be an object"),
], ids=["job-string", "html-number", "two-shapes", "job-list"])
def test_bad_role_bodies_say_what_is_wrong(client, tenant, body, message):
    r = client.post("/v1/roles", json=body, headers=tenant.h())
    assert r.status_code == 422 and message in r.json()["detail"], r.text[:300]


def test_an_unknown_job_object_is_an_invalid_role(client, tenant):
    r = client.post("/v1/roles", json={"job": {"foo": "bar"}}, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_role"
    assert "title" in r.json()["detail"]


def test_match_and_batch_take_html_and_job_objects(client, tenant):
    r = client.post("/v1/match", json={"text": RESUME, "job_html": HTML}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text[:300]
    assert r.json()["role"]["title"].startswith("Senior Backend Engineer")
    r = client.post("/v1/match", json={"text": RESUME, "job": BODIES["job-greenhouse"]["job"]}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text[:300]
    r = client.post("/v1/match/batch", json={"job": BODIES["job-generic"]["job"], "resumes": [{"text": RESUME}]},
                    headers=tenant.h("ats"))
    assert r.status_code == 200, r.text[:300]
    assert r.json()["results"][0]["report"]["requirements"]
    r = client.post("/v1/match", data={"job": json.dumps(BODIES["job-greenhouse"]["job"])},
                    files={"file": ("cv.txt", RESUME.encode(), "text/plain")}, headers=tenant.h("ats"))
    assert r.status_code == 200, r.text[:300]


def test_nothing_found_says_which_sections_and_which_terms(client, tenant):
    text = ("Acme Corp is growing. Responsibilities: keep the Zorblax cluster healthy and tune FooBarDB. "
            "Requirements: be kind, be on time and know Zorblax and Qwertyflow 3.2 well. Benefits: lunch.")
    r = client.post("/v1/roles", json={"job_text": text}, headers=tenant.h())
    assert r.status_code == 422, r.text[:300]
    body = r.json()
    assert body["code"] == "invalid_role" and "no skill requirements" in body["detail"]
    assert any(s.startswith("Requirements (required)") for s in body["sections"]), body["sections"]
    assert any("not requirements" in s for s in body["sections"])
    assert {"Zorblax", "FooBarDB", "Qwertyflow"} <= set(body["unknown_terms"]), body["unknown_terms"]


def test_the_web_editor_reads_html_and_opens_an_empty_draft_with_hints(client, app, tenant):
    from fastapi.testclient import TestClient

    web = TestClient(app, base_url="https://testserver")
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post("/web/roles/new", data={"csrf": csrf, "job_text": HTML})
    assert r.status_code == 200 and "PostgreSQL" in r.text and "<li>" not in r.text.split("<textarea")[0][-200:]
    r = web.post("/web/roles/new", data={"csrf": csrf}, files={"job_file": ("job.json", json.dumps(
        BODIES["job-greenhouse"]["job"]).encode(), "application/json")})
    assert r.status_code == 200 and "PostgreSQL" in r.text
    r = web.post("/web/roles/new", data={"csrf": csrf, "job_text": "Helper wanted\n\nRequirements:\n- know Zorblax\n"})
    assert r.status_code == 422
    assert "No skill requirements were found" in r.text and "Zorblax" in r.text
    assert 'name="title"' in r.text and "Helper wanted" in r.text  # the editor, with the title read
