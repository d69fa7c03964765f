"""The web pages over HTTP (no browser): sessions, CSRF, the role editor, ranking, reports, blind
review, candidate corrections and error pages. Runs on SQLite and PostgreSQL like the API tests.
The same flows in a real browser are in tests/web/."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from .conftest import RESUME, SPEC, candidate_key, new_tenant, sign_in


def make_role(client, tenant, spec=SPEC) -> str:
    r = client.post("/v1/roles", json={"spec": spec}, headers=tenant.h())
    assert r.status_code == 201, r.text
    return r.json()["id"]


def add_candidate(client, tenant, text=RESUME, name=None) -> str:
    body = {"text": text} if name is None else {"text": text, "name": name}
    r = client.post("/v1/candidates", json=body, headers=tenant.h())
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture(scope="module")
def job_page_text() -> str:
    from .conftest import REPO

    return (REPO / "tests" / "data" / "jobs" / "ml-engineer-job-page.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------------ sessions

def test_pages_need_a_session_and_say_when_it_expired(app, web, tenant):
    r = web.get("/web/roles", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/web/sign-in?next=/web/roles"
    sign_in(web, tenant.tokens["recruiter"])
    assert web.get("/web/roles").status_code == 200
    from api.store.models import WebSession

    with app.state.sm.sessions() as db:  # age every session of this key past its expiry
        for ws in db.query(WebSession).all():
            ws.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.commit()
    r = web.get("/web/roles")
    assert r.url.path == "/web/sign-in"
    assert "Your session has expired" in r.text


def test_sign_in_cookie_is_http_only_secure_and_not_the_key(web, tenant):
    r = web.post("/web/sign-in", data={"api_key": tenant.tokens["recruiter"]}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert tenant.tokens["recruiter"] not in cookie


@pytest.mark.parametrize(
    ("token", "status"),
    [("sk_nothere_xxxxxxxx", 401), ("not a key", 401), ("", 401)],
    ids=["unknown", "malformed", "empty"],
)
def test_bad_keys_get_a_message_not_a_session(web, token, status):
    r = web.post("/web/sign-in", data={"api_key": token}, follow_redirects=False)
    assert r.status_code == status
    assert "not valid" in r.text and "set-cookie" not in r.headers


def test_a_revoked_key_ends_its_sessions(app, client, web, tenant):
    sign_in(web, tenant.tokens["recruiter"])
    key_id = tenant.tokens["recruiter"].split("_")[1]
    assert client.delete(f"/v1/keys/{key_id}", headers=tenant.h("admin")).status_code == 204
    r = web.get("/web/roles", follow_redirects=False)
    assert r.status_code == 303 and "expired=1" in r.headers["location"]


def test_sign_out_ends_the_session(web, tenant):
    csrf = sign_in(web, tenant.tokens["recruiter"])
    cookie = web.cookies.get("sm_session")
    assert web.post("/web/sign-out", data={"csrf": csrf}).url.path == "/web/sign-in"
    web.cookies.set("sm_session", cookie, domain="testserver.local", path="/web")
    assert web.get("/web/roles", follow_redirects=False).status_code == 303


def test_forms_without_the_csrf_token_are_refused(client, web, tenant):
    role_id = make_role(client, tenant)
    sign_in(web, tenant.tokens["recruiter"])
    r = web.post(f"/web/roles/{role_id}/invite", data={"name": "X", "csrf": "forged"})
    assert r.status_code == 403 and "out of date" in r.text


def test_api_only_keys_and_candidates_are_kept_to_their_pages(app, client, web, tenant):
    r = web.post("/web/sign-in", data={"api_key": tenant.tokens["ats"]})
    assert r.status_code == 403 and "works with the HTTP API" in r.text
    r = web.get("/web/roles")
    assert r.status_code == 403 and "recruiter" in r.text
    cid = add_candidate(client, tenant)
    web.cookies.clear()
    sign_in(web, candidate_key(app, tenant, cid))
    assert web.get("/web/roles").status_code == 403


def test_pages_carry_security_headers(web, tenant):
    sign_in(web, tenant.tokens["recruiter"])
    r = web.get("/web/roles")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_sign_in_never_redirects_off_site(web, tenant):
    r = web.post("/web/sign-in", data={"api_key": tenant.tokens["recruiter"], "next": "//evil.example/x"},
                 follow_redirects=False)
    assert r.headers["location"] == "/web/roles"


# ------------------------------------------------------------------ roles and the editor

def test_job_text_gives_an_editable_draft_that_is_saved_only_on_save(app, client, web, tenant, job_page_text):
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post("/web/roles/new", data={"csrf": csrf, "job_text": job_page_text})
    assert r.status_code == 200
    assert 'value="PyTorch"' in r.text and 'value="DeepSpeed"' in r.text
    assert client.get("/v1/roles", headers=tenant.h()).json()["total"] == 0
    form = {"csrf": csrf, "title": "ML Engineer", "groups": "2",
            "g0_skill": ["PyTorch", "JAX"], "g0_required": "required",
            "g1_skill": ["Horovod"], "g1_add": "DeepSpeed, FSDP", "g1_required": "preferred", "g1_min_years": "2",
            "g2_add": "Kubernetes"}
    r = web.post("/web/roles/save", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[-2000:]
    role = client.get(r.headers["location"].replace("/web/roles/", "/v1/roles/"), headers=tenant.h()).json()
    groups = [(sorted(q["skills"]), q["required"], q["min_years"]) for q in role["requirements"]]
    assert groups == [(["JAX", "PyTorch"], True, None), (["DeepSpeed", "FSDP", "Horovod"], False, 2.0),
                      (["Kubernetes"], True, None)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "X", "groups": "0", "g0_add": "Pytorchh"}, "unknown skill"),
        ({"title": "", "groups": "0", "g0_add": "PyTorch"}, "Give the role a title"),
        ({"title": "X", "groups": "0"}, "Add at least one requirement"),
        ({"title": "X", "groups": "0", "g0_add": "PyTorch", "g0_min_years": "lots"}, "is not a number"),
        ({"title": "X", "groups": "1", "g0_skill": "PyTorch", "g0_remove": "on"}, "Add at least one requirement"),
    ],
    ids=["unknown-skill", "no-title", "no-requirements", "bad-years", "all-removed"],
)
def test_editor_mistakes_come_back_as_messages_on_the_form(web, tenant, fields, message):
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post("/web/roles/save", data={"csrf": csrf, **fields})
    assert r.status_code == 422
    assert message in r.text
    assert "Traceback" not in r.text


def test_editing_a_role_raises_its_revision(client, web, tenant):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    page = web.get(f"/web/roles/{role_id}/edit").text
    assert 'value="PyTorch"' in page and 'value="TensorFlow"' in page
    r = web.post("/web/roles/save", data={"csrf": csrf, "role_id": role_id, "title": "ML Engineer II", "groups": "1",
                                          "g0_skill": ["PyTorch"], "g0_required": "required"}, follow_redirects=False)
    assert r.status_code == 303
    got = client.get(f"/v1/roles/{role_id}", headers=tenant.h()).json()
    assert got["revision"] == 2 and got["title"] == "ML Engineer II"
    assert [q["skills"] for q in got["requirements"]] == [["PyTorch"]]


def _submitted(page: str) -> dict[str, list[str]]:
    """What a browser submits from the role editor's form as the page shows it (hidden and text
    inputs, checked checkboxes, selected options), field by field."""
    from html.parser import HTMLParser

    out: dict[str, list[str]] = {}

    class Form(HTMLParser):
        select: str | None = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and (a.get("type") != "checkbox" or "checked" in a):
                out.setdefault(a["name"], []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                out.setdefault(self.select, []).append(a.get("value") or "")

    Form().feed(page.split('id="role-editor"', 1)[1].split("</form>", 1)[0])
    return out


FREE_SPEC = {"title": "Platform Engineer", "requirements": [
    {"any_of": ["Python"], "free_text": ["Zorbix"], "required": True},
    {"free_text": ["Flumewave 3", "QuuxDB"], "required": False, "weight": 2.0},
    {"any_of": ["Kubernetes"], "required": True},
]}


def _requirements(client, tenant, role_id):
    got = client.get(f"/v1/roles/{role_id}", headers=tenant.h()).json()
    return [(q["skills"], [t["name"] for t in q["free_text"]], q["required"], q["weight"]) for q in got["requirements"]]


def test_the_editor_keeps_free_text_names_through_an_edit(client, web, tenant):
    """Saving a role as the editor shows it changes nothing (free-text names too, and a group of
    free text only); a free-text chip unticked goes, one typed in is added."""
    role_id = make_role(client, tenant, FREE_SPEC)
    before = _requirements(client, tenant, role_id)
    assert before[1] == ([], ["Flumewave 3", "QuuxDB"], False, 2.0)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    page = web.get(f"/web/roles/{role_id}/edit").text
    fields = _submitted(page)
    assert fields["g0_free"] == ["Zorbix"] and fields["g1_free"] == ["Flumewave 3", "QuuxDB"]
    assert "not in the taxonomy" in page
    r = web.post("/web/roles/save", data={**fields, "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text[-2000:]
    assert _requirements(client, tenant, role_id) == before
    fields = _submitted(web.get(f"/web/roles/{role_id}/edit").text)
    fields |= {"g1_free": ["QuuxDB"], "g2_free_add": ["Blorp, blorp"], "csrf": [csrf]}
    assert web.post("/web/roles/save", data=fields, follow_redirects=False).status_code == 303
    after = _requirements(client, tenant, role_id)
    assert after[1] == ([], ["QuuxDB"], False, 2.0)
    assert after[2] == (["Kubernetes"], ["Blorp"], True, 1.0)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"g0_free_add": "Zorbix"}, [([], ["Zorbix"], True)]),
        ({"g0_add": "Python", "g0_free_add": "Zorbix, Flumewave"}, [(["Python"], ["Zorbix", "Flumewave"], True)]),
    ],
    ids=["only-free-text", "skills-and-free-text"],
)
def test_a_new_requirement_may_be_free_text_only(client, web, tenant, fields, expected):
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post("/web/roles/save", data={"csrf": csrf, "title": "T", "groups": "0", **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text[-2000:]
    role_id = r.headers["location"].rsplit("/", 1)[1]
    assert [q[:3] for q in _requirements(client, tenant, role_id)] == expected


def test_a_free_text_name_that_is_no_tool_name_is_a_message(web, tenant):
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post("/web/roles/save", data={"csrf": csrf, "title": "T", "groups": "0",
                                          "g0_free_add": "five years of hands on work with it"})
    assert r.status_code == 422 and "is not a tool name" in r.text and "Traceback" not in r.text


def test_another_tenants_role_is_not_found(client, app, web, tenant):
    other = new_tenant(app)
    role_id = make_role(client, other)
    sign_in(web, tenant.tokens["recruiter"])
    r = web.get(f"/web/roles/{role_id}")
    assert r.status_code == 404 and "Not found" in r.text


# ------------------------------------------------------------------ ranking, CSV, reports, blind review

STRONG = RESUME
WEAK = """Sam Smith
sam@example.com

EXPERIENCE
Data Analyst - Beta Inc
2018 - 2020
- Excel reports and SQL queries
"""


def test_ranking_page_orders_filters_and_exports(client, web, tenant):
    role_id = make_role(client, tenant)
    strong = add_candidate(client, tenant, STRONG, "Jane Doe")
    weak = add_candidate(client, tenant, WEAK, "Sam Smith")
    sign_in(web, tenant.tokens["recruiter"])
    page = web.get(f"/web/roles/{role_id}").text
    assert page.index(strong) < page.index(weak)
    assert "chip met" in page and "chip missing" in page
    assert strong not in web.get(f"/web/roles/{role_id}?min_score=101").text  # out of range: message, not 500
    only = web.get(f"/web/roles/{role_id}?all_met=1").text
    assert strong in only and weak not in only
    by_name = web.get(f"/web/roles/{role_id}?sort=name").text
    assert by_name.index("Jane Doe") < by_name.index("Sam Smith")
    rows = list(csv.reader(io.StringIO(web.get(f"/web/roles/{role_id}/ranking.csv").text)))
    assert rows[0][:5] == ["rank", "candidate", "candidate_id", "score", "all_required_met"]
    assert [r[1] for r in rows[1:]] == ["Jane Doe", "Sam Smith"]
    assert rows[1][5] == "met" and rows[2][5] == "missing"


def test_csv_cells_cannot_become_formulas(client, web, tenant):
    role_id = make_role(client, tenant)
    add_candidate(client, tenant, STRONG, "=HYPERLINK(\"http://evil\")")
    sign_in(web, tenant.tokens["recruiter"])
    rows = list(csv.reader(io.StringIO(web.get(f"/web/roles/{role_id}/ranking.csv").text)))
    assert rows[1][1].startswith("'=")


def test_report_highlights_evidence_and_blind_review_hides_the_person(client, web, tenant):
    role_id = make_role(client, tenant)
    cid = add_candidate(client, tenant, STRONG + "\nContact: jane.doe@example.com, +1 415 555 0199\n", "Jane Doe")
    csrf = sign_in(web, tenant.tokens["recruiter"])
    url = f"/web/roles/{role_id}/candidates/{cid}"
    page = web.get(url).text
    marks = re.findall(r'<mark id="ev-\d+" data-req="\d+">([^<]+)</mark>', page)
    assert "PyTorch" in marks and "Python" in marks
    assert "Jane Doe" in page and "jane.doe@example.com" in page
    web.post("/web/blind", data={"csrf": csrf, "on": "1", "next": url})
    blind = web.get(url).text
    assert "Jane Doe" not in blind and "Jane" not in blind
    assert "jane.doe@example.com" not in blind and "555 0199" not in blind
    assert re.findall(r'<mark id="ev-\d+" data-req="\d+">([^<]+)</mark>', blind) == marks
    listing = web.get(f"/web/roles/{role_id}").text
    assert "Jane Doe" not in listing and f"Candidate {cid[:6].upper()}" in listing
    rows = list(csv.reader(io.StringIO(web.get(f"/web/roles/{role_id}/ranking.csv").text)))
    assert rows[1][1] == f"Candidate {cid[:6].upper()}"


def test_report_and_role_pages_show_a_requirement_matched_by_name(client, web, tenant):
    """A free-text requirement (a tool outside the taxonomy) met by the résumé's unresolved mention."""
    spec = {"title": "Platform engineer", "requirements": [{"any_of": ["Python"]}, {"free_text": ["Zorbix"]}]}
    role_id = make_role(client, tenant, spec)
    cid = add_candidate(client, tenant, "Dana Reyes\n\nExperience\nPlatform Engineer, Acme Corp — Jan 2020 – Present\n"
                        "- Built data pipelines in Python and Zorbix for billing\n", "Dana Reyes")
    sign_in(web, tenant.tokens["recruiter"])
    page = web.get(f"/web/roles/{role_id}/candidates/{cid}").text
    assert 'chip matched_unresolved' in page and "matched by name, not in the taxonomy" in page
    assert re.search(r"Zorbix <span class=\"badge free\">not in the taxonomy</span>", page)
    assert "Zorbix (by name)" in web.get(f"/web/roles/{role_id}").text


# ------------------------------------------------------------------ uploads and error pages

@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cv.docx", b"MZ\x90\x00" + b"\x00" * 200, "unsupported_format"),
        ("cv.pdf", b"%PDF-1.4\n%broken", "unreadable_document"),
        ("cv.txt", b"", "empty_document"),
    ],
    ids=["exe-named-docx", "corrupt-pdf", "empty"],
)
def test_bad_uploads_explain_themselves(client, web, tenant, name, data, code):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=[("files", (name, data))])
    assert r.status_code in (415, 422)
    assert f"({code})" in r.text and "Traceback" not in r.text
    j = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=[("files", (name, data))],
                 headers={"accept": "application/json"}).json()
    assert j["results"][0]["code"] == code and j["results"][0]["message"]


def test_several_files_in_one_upload_are_each_stored_or_explained(client, web, tenant):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    files = [("files", ("a.txt", STRONG.encode())), ("files", ("b.txt", WEAK.encode())),
             ("files", ("c.pdf", b"%PDF-1.4 junk"))]
    r = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=files,
                 headers={"accept": "application/json"})
    res = r.json()["results"]
    assert [x["ok"] for x in res] == [True, True, False]
    assert client.get("/v1/candidates", headers=tenant.h()).json()["total"] == 2


def test_an_unknown_page_is_a_page_not_json(web, tenant):
    sign_in(web, tenant.tokens["recruiter"])
    r = web.get("/web/roles/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ candidates: profile, corrections, gaps

def _invite(web, client, tenant, role_id, name="Jo Park") -> str:
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post(f"/web/roles/{role_id}/invite", data={"csrf": csrf, "name": name})
    token = re.search(r'value="(sk_[^"]+)"', r.text).group(1)
    web.cookies.clear()
    return token


def test_candidate_uploads_corrects_and_sees_gaps(app, client, web, tenant):
    role_id = make_role(client, tenant)
    other_role = make_role(client, tenant, {**SPEC, "title": "Other"})
    token = _invite(web, client, tenant, role_id)
    csrf = sign_in(web, token)
    me = web.get("/web/me").text
    assert "Upload your résumé" in me
    # not yet parsed: the invited candidate is never ranked
    assert client.get(f"/v1/roles/{role_id}/ranking", headers=tenant.h()).json()["total"] == 0
    r = web.post("/web/me/resume", data={"csrf": csrf}, files={"file": ("cv.txt", RESUME.encode())})
    assert r.status_code == 200 and 'data-skill="kubernetes"' in r.text
    before = client.get(f"/v1/roles/{role_id}/ranking", headers=tenant.h()).json()["results"][0]
    cid = before["candidate"]["id"]
    r = web.post("/web/me/skills", data={"csrf": csrf, "action": "remove", "skill": "kubernetes"})
    assert "Removed by you" in r.text
    r = web.post("/web/me/skills", data={"csrf": csrf, "action": "add", "skill": "TensorFlow", "years": "3"})
    assert "added by you, 3 years" in r.text
    # what was parsed is kept as it was; the corrections live apart and are marked in reports
    stored = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()["profile"]
    assert "kubernetes" in {s["id"] for s in stored["skills"]} and "tensorflow" not in {s["id"] for s in stored["skills"]}
    after = client.get(f"/v1/roles/{role_id}/ranking", headers=tenant.h()).json()["results"][0]
    k8s = [q for q in after["report"]["requirements"] if q["any_of"] == ["kubernetes"]][0]
    assert k8s["status"] == "missing" and after["score"] < before["score"]
    gap = web.get(f"/web/me/roles/{role_id}").text
    assert "Your gaps against this role" in gap and "Removed by the candidate: Kubernetes" in gap
    assert web.get(f"/web/me/roles/{other_role}").status_code == 404  # not invited to it
    web.cookies.clear()
    csrf = sign_in(web, tenant.tokens["recruiter"])
    report = web.get(f"/web/roles/{role_id}/candidates/{cid}").text
    assert "Removed by the candidate: Kubernetes" in report


def test_candidate_correction_mistakes_are_messages(client, web, tenant):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, _invite(web, client, tenant, role_id))
    web.post("/web/me/resume", data={"csrf": csrf}, files={"file": ("cv.txt", RESUME.encode())})
    r = web.post("/web/me/skills", data={"csrf": csrf, "action": "add", "skill": "Pytorchh"})
    assert r.status_code == 422 and "not a skill we know" in r.text and "PyTorch" in r.text
    r = web.post("/web/me/skills", data={"csrf": csrf, "action": "add", "skill": "PyTorch"})
    assert r.status_code == 422 and "already in your profile" in r.text
    r = web.post("/web/me/resume", data={"csrf": csrf}, files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)})
    assert r.status_code == 415 and "(unsupported_format)" in r.text


def test_erasing_a_candidate_removes_corrections_invitations_and_sessions(app, client, web, tenant):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, _invite(web, client, tenant, role_id))
    web.post("/web/me/resume", data={"csrf": csrf}, files={"file": ("cv.txt", RESUME.encode())})
    web.post("/web/me/skills", data={"csrf": csrf, "action": "remove", "skill": "kubernetes"})
    cid = client.get("/v1/candidates", headers=tenant.h()).json()["items"][0]["id"]
    assert client.delete(f"/v1/candidates/{cid}", headers=tenant.h()).status_code == 204
    from sqlalchemy import text

    with app.state.sm.sessions() as db:
        for table in ("profile_corrections", "invitations"):
            assert db.execute(text(f"SELECT count(*) FROM {table} WHERE candidate_id = :c"), {"c": cid}).scalar() == 0
    assert web.get("/web/me", follow_redirects=False).status_code == 303


def test_ranking_pages_through_every_candidate_once(client, web, tenant):
    role_id = make_role(client, tenant)
    ids = {add_candidate(client, tenant, STRONG if i % 2 else WEAK, f"Person {i:02d}") for i in range(23)}
    sign_in(web, tenant.tokens["recruiter"])
    seen, ranks = [], []
    for page in (1, 2):
        html = web.get(f"/web/roles/{role_id}?page={page}").text
        seen += re.findall(r'data-candidate="([0-9a-f-]+)"', html)
        ranks += [int(r) for r in re.findall(r'class="rank">(\d+)<', html)]
    assert sorted(seen) == sorted(ids) and len(seen) == 23
    assert ranks == list(range(1, 24))
    assert "Page 2 of 2" in html and "Previous" in html


@pytest.mark.parametrize(
    ("filename", "stored"),
    [("../../etc/cv.txt", "cv.txt"), ("cv.txt\x00.exe", "no-nul"), ("x" * 400 + ".txt", None)],
    ids=["traversal", "nul", "long"],
)
def test_web_uploads_store_clean_file_names(client, web, tenant, filename, stored):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    r = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=[("files", (filename, STRONG.encode()))],
                 headers={"accept": "application/json"})
    assert r.status_code == 200, r.text
    cid = r.json()["results"][0]["id"]
    got = client.get(f"/v1/candidates/{cid}", headers=tenant.h()).json()["filename"]
    if stored is None:
        assert len(got) <= 255 and got.endswith(".txt")
    elif stored == "no-nul":  # (the client may send the NUL percent-encoded; either way none is stored)
        assert "\x00" not in got and got.startswith("cv.txt")
    else:
        assert got == stored


def test_an_upload_over_the_body_cap_is_a_page_for_a_browser_and_json_for_a_script(client, web, tenant):
    role_id = make_role(client, tenant)
    csrf = sign_in(web, tenant.tokens["recruiter"])
    big = [("files", ("big.txt", b"Python\n" * 600_000))]  # 4.2 MB > the test app's 3 MB body cap
    r = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=big)
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "(body_too_large)" in r.text and "too large" in r.text
    r = web.post(f"/web/roles/{role_id}/upload", data={"csrf": csrf}, files=big, headers={"accept": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
    ids=["origin", "sec-fetch-site", "null-origin"],
)
def test_cross_site_form_posts_are_refused_sign_in_included(client, web, tenant, headers):
    r = web.post("/web/sign-in", data={"api_key": tenant.tokens["recruiter"]}, headers=headers, follow_redirects=False)
    assert r.status_code == 403 and "set-cookie" not in r.headers
    csrf = sign_in(web, tenant.tokens["recruiter"])
    role_id = make_role(client, tenant)
    r = web.post(f"/web/roles/{role_id}/invite", data={"csrf": csrf, "name": "X"}, headers=headers)
    assert r.status_code == 403
    ok = web.post(f"/web/roles/{role_id}/invite", data={"csrf": csrf, "name": "X"},
                  headers={"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200


def test_signing_in_again_replaces_the_old_session(app, web, tenant):
    sign_in(web, tenant.tokens["recruiter"])
    first = web.cookies.get("sm_session")
    sign_in(web, tenant.tokens["recruiter"])
    from api.web.session import _hash

    with app.state.sm.sessions() as db:
        from api.store import queries

        assert queries.get_web_session(db, _hash(first)) is None


@pytest.mark.parametrize(
    ("path", "status"),
    [("/web/roles?page=99999999999999999999", 200), ("/web/roles?page=abc", 422), ("/web/sign-in?expired=x", 422)],
    ids=["huge-page", "page-not-a-number", "bad-flag"],
)
def test_odd_query_strings_get_pages_not_500s_or_json(web, tenant, path, status):
    sign_in(web, tenant.tokens["recruiter"])
    r = web.get(path)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")


def test_csv_of_a_role_with_a_non_latin_title(client, web, tenant):
    role_id = make_role(client, tenant, {**SPEC, "title": "Инженер ML 機械学習"})
    sign_in(web, tenant.tokens["recruiter"])
    r = web.get(f"/web/roles/{role_id}/ranking.csv")
    assert r.status_code == 200 and 'filename="ranking-ml.csv"' in r.headers["content-disposition"]


# ------------------------------------------------------------------ decisions

def test_recruiters_decide_from_the_ranking_and_the_report_and_can_undo(client, web, tenant):
    role_id = make_role(client, tenant)
    strong = add_candidate(client, tenant, STRONG, "Jane Doe")
    weak = add_candidate(client, tenant, WEAK, "Sam Smith")
    csrf = sign_in(web, tenant.tokens["recruiter"])
    ranking = web.get(f"/web/roles/{role_id}").text
    # one click for what the assessment supports; the other way goes to the report for a reason
    assert ranking.count('name="decision" value="advance"') == 1 and ranking.count('name="decision" value="reject"') == 1
    assert f'href="/web/roles/{role_id}/candidates/{weak}#decision-h">Advance…' in ranking
    r = web.post(f"/web/roles/{role_id}/decisions", data={"csrf": csrf, "candidate_id": strong, "decision": "advance",
                                                           "next": f"/web/roles/{role_id}?sort=name"},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/web/roles/{role_id}?sort=name"
    r = web.post(f"/web/roles/{role_id}/decisions", data={"csrf": csrf, "candidate_id": weak, "decision": "reject",
                                                           "reason_code": "missing_required_skill",
                                                           "next": "https://evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == f"/web/roles/{role_id}"  # never off site
    page = web.get(f"/web/roles/{role_id}").text
    assert "decision-advance" in page and "decision-reject" in page and "Missing a required skill" in page
    decisions = client.get(f"/v1/roles/{role_id}/decisions", headers=tenant.h()).json()["items"]
    assert {(d["candidate_id"], d["decision"]) for d in decisions} == {(strong, "advance"), (weak, "reject")}
    report = web.get(f"/web/roles/{role_id}/candidates/{weak}").text
    assert "decision-reject" in report and "/undo" in report
    rejected = next(d for d in decisions if d["candidate_id"] == weak)
    r = web.post(f"/web/roles/{role_id}/decisions/{rejected['id']}/undo",
                 data={"csrf": csrf, "next": f"/web/roles/{role_id}/candidates/{weak}"}, follow_redirects=False)
    assert r.status_code == 303
    report = web.get(f"/web/roles/{role_id}/candidates/{weak}").text
    assert 'value="hire"' in report and "decision-reject" not in report


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"decision": "maybe"}, 422), ({"decision": "reject", "reason_code": "age"}, 422), ({"decision": "advance"}, 403)],
    ids=["unknown-decision", "unknown-reason", "no-csrf"],
)
def test_bad_decision_forms_are_refused(client, web, tenant, fields, status):
    role_id = make_role(client, tenant)
    cand = add_candidate(client, tenant, STRONG, "Jane Doe")
    csrf = sign_in(web, tenant.tokens["recruiter"])
    data = {"candidate_id": cand, **fields} | ({} if status == 403 else {"csrf": csrf})
    r = web.post(f"/web/roles/{role_id}/decisions", data=data, follow_redirects=False)
    assert r.status_code == status
    assert client.get(f"/v1/roles/{role_id}/decisions", headers=tenant.h()).json()["total"] == 0


# ------------------------------------------------------------------ fairness operations

def _invited(app, client, web, tenant):
    """A role, and a candidate invited to it who uploaded a weak résumé; signed in as the candidate."""
    role_id = make_role(client, tenant)
    cid = add_candidate(client, tenant, WEAK, "Sam Smith")
    from api.store import queries

    with app.state.sm.sessions() as db:
        cand = queries.get_candidate(db, tenant.id, cid)
        queries.invite(db, cand, queries.get_role(db, tenant.id, role_id))
        db.commit()
    return role_id, cid, sign_in(web, candidate_key(app, tenant, cid))


def test_candidates_see_what_would_change_and_can_ask_for_a_human_review(app, client, web, tenant):
    role_id, cid, csrf = _invited(app, client, web, tenant)
    page = web.get(f"/web/me/roles/{role_id}").text
    assert "What would change the outcome" in page and "would raise the score from" in page
    assert 'href="/web/notice"' in page
    r = web.post(f"/web/me/roles/{role_id}/review", data={"csrf": csrf, "message": "I used PyTorch at Beta"},
                 follow_redirects=False)
    assert r.status_code == 303 and web.get(r.headers["location"]).text.count("human review was sent") == 1
    events = client.get("/v1/audit/events", params={"kind": "human_review_requested"}, headers=tenant.h("auditor")).json()
    assert [(e["candidate_id"], e["role_id"], e["payload"]["message"]) for e in events["items"]] == [
        (cid, role_id, "I used PyTorch at Beta")]
    shown = client.get("/v1/audit/events", params={"kind": "scores_shown"}, headers=tenant.h("auditor")).json()["items"]
    assert shown and shown[0]["payload"]["items"][0]["candidate_id"] == cid and shown[0]["payload"]["scoring_version"]


def test_notice_page_needs_no_sign_in(web):
    page = web.get("/web/notice")
    assert page.status_code == 200 and "Never used for the score" in page.text and "human review" in page.text


def test_self_identification_page_gives_and_withdraws(app, client, web, tenant):
    _, cid, csrf = _invited(app, client, web, tenant)
    assert "I decline to answer" in web.get("/web/me/self-identification").text
    r = web.post("/web/me/self-identification", data={"csrf": csrf, "sex": "female", "race_ethnicity": "asian"},
                 follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/v1/candidates/{cid}/self-identification", headers=tenant.h("auditor")).json()["sex"] == "female"
    bad = web.post("/web/me/self-identification", data={"csrf": csrf, "sex": "robot", "race_ethnicity": "asian"})
    assert bad.status_code == 422
    web.post("/web/me/self-identification", data={"csrf": csrf, "action": "withdraw"})
    assert client.get(f"/v1/candidates/{cid}/self-identification", headers=tenant.h("auditor")).json()["given"] is False


def test_the_audit_page_is_for_auditor_keys(app, client, web, tenant):
    role_id = make_role(client, tenant)
    for text, sex in ((STRONG, "male"), (WEAK, "female"), (STRONG, "female")):
        cid = add_candidate(client, tenant, text)
        client.put(f"/v1/candidates/{cid}/self-identification", json={"sex": sex, "race_ethnicity": "white"},
                   headers=tenant.h("ats"))
    sign_in(web, tenant.tokens["auditor"])
    page = web.get(f"/web/audit?role_id={role_id}").text
    assert "3 applications to 1 role" in page and "Female" in page and "impact ratio" in page
    rows = list(csv.reader(io.StringIO(web.get(f"/web/audit.csv?role_id={role_id}").text)))
    assert rows[1][0] == "dimension" and any(r[:2] == ["sex", "female"] for r in rows)
    assert web.get("/web/audit?from=2026-02-01&to=2026-01-01").status_code == 400
    sign_in(web, tenant.tokens["recruiter"])
    assert web.get("/web/audit").status_code == 403
