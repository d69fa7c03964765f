"""The web pages in a real browser (Debian's Chromium through Playwright), against the real service
in its own process: the recruiter's flow from a job page to a blind-reviewed report, the candidate's
flow from upload to corrections and gaps, the messages a person gets for bad uploads and an expired
session, the phone layout, and an accessibility check (axe-core) of every main page.

Screenshots of the main pages land in build/screenshots/; SKILLMATCH_SCREENSHOTS_DIR=docs/screenshots refreshes the
README's (see tests/web/conftest.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests import hostile

from .conftest import REPO, assert_accessible, external_requests, shot, sign_in

JOB_PAGE = REPO / "tests" / "data" / "jobs" / "ml-engineer-job-page.txt"
GRADED = REPO / "tests" / "data" / "ranking" / "ml-engineer"
#: From tests/data/ranking/grades.yaml: grades 3, 2, 1 and 0, so this is the expected order.
EXPECTED_ORDER = ["01-perfect-fit-recsys.txt", "03-strong-missing-jax.txt", "05-data-scientist-adjacent.txt",
                  "13-registered-nurse.txt"]


def _first_line(path: Path) -> str:
    """The name on the résumé's first line, without credentials ("RACHEL BERNSTEIN, PhD")."""
    line = next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return line.partition(",")[0].strip()


def _db_path(server) -> str:
    return server.env["DATABASE_URL"].removeprefix("sqlite:///")


@pytest.fixture(scope="module")
def role_url(browser, live_server):
    """The example job page turned into a role through the pages (new → review → save)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        sign_in(page, live_server, live_server.tokens["recruiter"])
        page.goto(f"{live_server.url}/web/roles/new")
        page.get_by_label("Job description").fill(JOB_PAGE.read_text(encoding="utf-8"))
        page.get_by_role("button", name="Find requirements").click()
        page.get_by_role("heading", name="Review the requirements").wait_for()
        page.get_by_label("Title").fill("Machine Learning Engineer")
        with page.expect_navigation():
            page.get_by_role("button", name="Save role").click()
        assert re.search(r"/web/roles/[0-9a-f-]{36}$", page.url), page.url
        return page.url.removeprefix(live_server.url)
    finally:
        page.close()


def test_create_a_role_from_the_job_page_and_edit_its_requirements(page, live_server):
    sign_in(page, live_server, live_server.tokens["recruiter"])
    assert page.url.endswith("/web/roles")
    page.goto(f"{live_server.url}/web/roles/new")
    assert_accessible(page, context="new role")
    page.get_by_label("Job description").fill(JOB_PAGE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Find requirements").click()
    page.get_by_role("heading", name="Review the requirements").wait_for()
    # The "X, Y, or Z" lines became any-of groups; nothing came from the salary table or the FAQ.
    chips = page.locator(".chip-check label").all_inner_texts()
    for skill in ("PyTorch", "JAX", "Horovod", "DeepSpeed", "FSDP", "TensorRT", "ONNX", "TorchServe", "MLflow",
                  "Kubernetes", "Docker"):
        assert skill in chips
    shot(page, "role-editor")
    assert_accessible(page, context="role editor")
    # Edit: drop Horovod, make the first group preferred, add Ray through the autocomplete.
    page.get_by_label("Horovod").uncheck()
    page.get_by_label("Kind").first.select_option("preferred")
    box = page.locator("#new-group .skill-input")
    box.fill("Ra")
    box.press_sequentially("y")
    page.locator("#skill-suggestions option").first.wait_for(state="attached")  # (CSP: no eval in the page)
    options = page.locator("#skill-suggestions option").evaluate_all("os => os.map(o => o.value)")
    assert "Ray" in options
    box.fill("Ray")
    page.get_by_label("Title").fill("ML Engineer (edited)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save role").click()
    role_id = page.url.rsplit("/", 1)[1]
    _, role = live_server.api("GET", f"/v1/roles/{role_id}", role="recruiter", expect=200)
    groups = {tuple(sorted(q["skills"])): q["required"] for q in role["requirements"]}
    assert ("DeepSpeed", "FSDP") in groups and not any("Horovod" in g for g in groups)
    assert groups[("Ray",)] is True
    assert role["requirements"][0]["required"] is False
    assert role["title"] == "ML Engineer (edited)"


def test_upload_several_resumes_and_see_them_ranked(page, live_server, role_url):
    sign_in(page, live_server, live_server.tokens["recruiter"])
    page.goto(live_server.url + role_url)
    files = [GRADED / name for name in reversed(EXPECTED_ORDER)]  # uploaded worst first
    page.get_by_label(re.compile("Résumé files")).set_input_files([str(p) for p in files])
    # When every upload succeeded the page shows the results, then loads the updated ranking itself.
    with page.expect_navigation(timeout=180_000):  # four parses; slow on a loaded machine
        page.get_by_role("button", name="Upload").click()
        progress = page.locator("#upload-progress progress")
        progress.first.wait_for()
        assert progress.count() == len(files)
        done = page.locator("#upload-progress li.done")
        done.wait_for(timeout=180_000)
        assert done.inner_text().startswith(f"{len(files)} uploaded, 0 failed"), done.inner_text()
    page.locator("tr.cand-row").first.wait_for()
    names = page.locator("tr.cand-row .cand-name").all_inner_texts()
    expected = [_first_line(GRADED / n) for n in EXPECTED_ORDER]
    ours = [n for n in names if n in expected]
    assert ours == expected, names
    scores = [float(s) for s in page.locator("tr.cand-row .score-num").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    first = page.locator("tr.cand-row").first
    assert first.locator(".chip.met").count() >= 10  # the perfect fit meets (nearly) every group
    shot(page, "ranking")
    assert_accessible(page, context="ranking")
    # Filters: all required met keeps only the perfect fit of these four.
    page.get_by_label("All required met").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"all_met=1"))
    kept = page.locator("tr.cand-row .cand-name").all_inner_texts()
    assert expected[0] in kept and expected[3] not in kept
    # CSV export follows the filters.
    with page.expect_download() as dl:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("rank,candidate,candidate_id,score")
    assert expected[0] in text and expected[3] not in text
    assert external_requests(page) == []


def test_report_shows_highlighted_evidence_and_blind_review_hides_the_name(page, live_server, role_url):
    sign_in(page, live_server, live_server.tokens["recruiter"])
    name = _first_line(GRADED / "02-prose-strong-fit.txt")
    cid = live_server.add_candidate((GRADED / "02-prose-strong-fit.txt").read_text(encoding="utf-8"), name=name)
    page.goto(f"{live_server.url}{role_url}/candidates/{cid}")
    assert page.locator("#cand-name").inner_text() == name
    assert page.locator("#summary").inner_text().startswith(page.locator(".score-big .num").inner_text())
    marks = page.locator("pre.resume mark")
    assert marks.count() >= 8
    assert "PyTorch" in marks.all_inner_texts()
    page.get_by_role("link", name=re.compile("Show in résumé")).first.click()
    target = page.locator("mark:target")
    target.wait_for()
    assert target.is_visible()
    shot(page, "report")
    assert_accessible(page, context="fit report")
    page.get_by_role("button", name=re.compile("Blind review")).click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Blind review: on").is_visible()
    body = page.locator("main").inner_text()
    assert name not in body
    for part in name.split():
        assert part not in page.locator("pre.resume").inner_text()
    assert page.locator("pre.resume mark").count() == marks.count()  # the evidence stays
    shot(page, "report-blind")
    page.goto(live_server.url + role_url)
    listing = page.locator("main").inner_text()
    assert name not in listing and f"Candidate {cid[:6].upper()}" in listing
    page.get_by_role("button", name="Blind review: on").click()
    page.wait_for_load_state()
    assert name in page.locator("main").inner_text()


def _invite(page, live_server, role_url: str, name: str) -> str:
    """Signed in as the recruiter, invite ``name`` from the ranking page; the candidate key shown once."""
    sign_in(page, live_server, live_server.tokens["recruiter"])
    page.goto(live_server.url + role_url)
    page.get_by_text("Invite a candidate").click()
    page.get_by_label("Candidate's name").fill(name)
    page.get_by_role("button", name="Create invitation key").click()
    token = page.get_by_label("Candidate key").input_value()
    assert token.startswith("sk_")
    return token


def test_candidate_uploads_corrects_and_sees_gaps(page, live_server, role_url):
    # The recruiter invites the candidate from the ranking page and gets their key once.
    token = _invite(page, live_server, role_url, "Dana Candidate")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/web/sign-in"))

    sign_in(page, live_server, token)
    assert page.url.endswith("/web/me")
    page.get_by_label(re.compile("^Résumé")).set_input_files(str(GRADED / "03-strong-missing-jax.txt"))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="What we understood").wait_for()
    categories = page.locator("section.category h3").all_inner_texts()
    assert len(categories) >= 3
    assert page.locator('li.skill[data-skill="pytorch"]').count() == 1
    shot(page, "candidate-profile")
    assert_accessible(page, context="candidate profile")
    # Remove a skill that was found; add one that was missed.
    page.locator('li.skill[data-skill="docker"]').get_by_role("button", name=re.compile("Remove")).click()
    page.get_by_role("heading", name="Removed by you").wait_for()
    page.get_by_label("Add a missed skill").fill("JAX")
    page.get_by_label("Years (optional)").fill("1")
    page.get_by_role("button", name="Add skill").click()
    own = page.locator('li.skill.own[data-skill="jax"]')
    own.wait_for()
    assert "added by you" in own.inner_text()
    # The gap report for the role they were invited to.
    page.get_by_role("link", name=re.compile("see my gaps")).click()
    page.get_by_text("Your gaps against this role").wait_for()
    jax = page.locator("tr.req", has_text="JAX").first
    assert "added by the candidate" in jax.inner_text()
    assert "Removed by the candidate: Docker" in page.locator("main").inner_text()
    shot(page, "candidate-gaps")
    assert_accessible(page, context="candidate gap report")


def test_bad_uploads_and_an_expired_session_get_clear_messages(page, live_server, role_url, tmp_path):
    sign_in(page, live_server, live_server.tokens["recruiter"])
    page.goto(live_server.url + role_url)
    exe = tmp_path / "resume.docx"
    exe.write_bytes(hostile.mz_binary())
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(hostile.pdf_image_only())
    page.get_by_label(re.compile("Résumé files")).set_input_files([str(exe), str(scan)])
    page.get_by_role("button", name="Upload").click()
    done = page.locator("#upload-progress li.done")
    done.wait_for(timeout=60_000)
    msgs = page.locator("#upload-progress li.bad .msg").all_inner_texts()
    assert any("file type can't be read" in m for m in msgs), msgs
    assert any("is a scan" in m for m in msgs), msgs
    assert "0 uploaded, 2 failed" in done.inner_text()
    shot(page, "upload-errors")
    body = page.content()
    assert "Traceback" not in body and "internal" not in body.lower()

    # A candidate's oversized file is stopped in the page before it is sent.
    big = tmp_path / "big.txt"
    big.write_bytes(b"Python\n" * 3_000_000)  # 21 MB > the 20 MB file limit
    cand = live_server.add_candidate("Jo\n\nSKILLS\nPython")
    ctoken = live_server.make_key("candidate", cand)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, ctoken)
    page.get_by_label(re.compile("^Résumé")).set_input_files(str(big))
    page.get_by_role("button", name="Upload").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "too large" in alert.inner_text()

    # An expired session: the next page asks to sign in again, and says why.
    with sqlite3.connect(_db_path(live_server)) as db:
        db.execute("UPDATE web_sessions SET expires_at = '2000-01-01 00:00:00.000000'")
    page.reload()
    assert "/web/sign-in" in page.url
    assert "Your session has expired" in page.locator("main").inner_text()
    shot(page, "sign-in-expired")
    assert_accessible(page, context="sign-in")


def test_pages_fit_a_phone(phone_page, live_server, role_url):
    page = phone_page
    sign_in(page, live_server, live_server.tokens["recruiter"])
    for path, name in ((role_url, "phone-ranking"), ("/web/roles", None)):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        if name:  # the first screen only: a full phone page is 13k pixels tall
            shot(page, name, full_page=False)
    page.goto(live_server.url + role_url)
    link = page.locator("tr.cand-row .cand-name").first
    if link.count():  # (candidates come from the other tests of this module)
        link.click()
        page.locator("pre.resume").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        shot(page, "phone-report", full_page=False)


def test_the_other_pages_pass_the_accessibility_check_too(page, live_server, role_url):
    sign_in(page, live_server, live_server.tokens["recruiter"])
    page.goto(f"{live_server.url}/web/roles")
    assert page.get_by_role("link", name=re.compile("Machine Learning Engineer")).count() >= 1
    assert_accessible(page, context="roles list")
    resp = page.goto(f"{live_server.url}/web/roles/00000000-0000-0000-0000-000000000000")
    assert resp.status == 404 and page.get_by_role("heading", name="Not found").is_visible()
    assert_accessible(page, context="error page")
    page.goto(live_server.url + role_url + "?min_score=101")
    assert "Minimum score must be a number from 0 to 100" in page.locator("main").inner_text()
    page.goto(live_server.url + role_url)
    page.get_by_text("Invite a candidate").click()
    page.get_by_role("button", name="Create invitation key").click()
    assert page.get_by_label("Candidate key").input_value().startswith("sk_")
    assert_accessible(page, context="invitation")


def test_a_job_posting_pasted_as_html_or_one_paragraph_and_one_with_no_skills(page, live_server):
    """Issue 11 in the browser: a posting pasted as HTML (what an ATS's job board holds) and as one
    paragraph both open the review editor with their skills; a posting with no known skill opens an
    empty draft that says which sections were found and which terms the taxonomy lacks."""
    sign_in(page, live_server, live_server.tokens["recruiter"])
    html = ("<h2>Data Engineer</h2><p>We move groceries.</p><h3>Requirements</h3><ul><li>3+ years of Python</li>"
            "<li>SQL and Apache Spark</li></ul><p><strong>Nice to have</strong></p><ul><li>dbt</li></ul>")
    paragraph = ("Data Engineer We move groceries. Requirements: 3+ years of Python, SQL and Apache Spark. "
                 "Nice to have: dbt. Benefits: a free lunch and Kubernetes stickers for everyone on the team.")
    for text in (html, paragraph):
        page.goto(f"{live_server.url}/web/roles/new")
        page.get_by_label("Job description").fill(text)
        page.get_by_role("button", name="Find requirements").click()
        page.get_by_role("heading", name="Review the requirements").wait_for()
        chips = page.locator(".chip-check label").all_inner_texts()
        assert {"Python", "SQL", "Apache Spark", "dbt"} <= set(chips) and "Kubernetes" not in chips, chips
    page.goto(f"{live_server.url}/web/roles/new")
    page.get_by_label("Job description").fill("Helper wanted\n\nRequirements:\n- know Zorblax and FooBarDB well\n")
    page.get_by_role("button", name="Find requirements").click()
    page.get_by_role("heading", name="Review the requirements").wait_for()
    hints = page.locator(".alert").inner_text()
    assert "No skill requirements were found" in hints and "Zorblax" in hints and "Requirements (required)" in hints
    assert page.get_by_label("Title").input_value() == "Helper wanted"
    shot(page, "role-editor-empty-draft")
    assert_accessible(page, context="empty draft")


def test_decisions_self_identification_review_request_and_the_bias_audit(page, live_server, role_url):
    # The recruiter invites a candidate and advances the top-ranked one from the ranking page.
    token = _invite(page, live_server, role_url, "Robin Auditee")
    page.goto(live_server.url + role_url)
    rows = page.locator("tr.cand-row")
    if rows.count():  # decide on the report page, with a reason (an override of the assessment needs one)
        assert rows.first.get_by_role("button", name="Advance").count() == 1
        rows.first.locator("a.cand-name").click()
        page.get_by_label("Reason (optional)").select_option("meets_requirements")
        with page.expect_navigation():
            page.get_by_role("button", name="Advance").click()
        assert page.locator(".badge.decision-advance").count() == 1
        assert_accessible(page, context="report with a decision")
        page.goto(live_server.url + role_url)
        assert page.locator("tr.cand-row .badge.decision-advance").count() == 1
        assert_accessible(page, context="ranking with decisions")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/web/sign-in"))

    # The candidate uploads, self-identifies, reads what would change and asks for a human review.
    sign_in(page, live_server, token)
    page.get_by_label(re.compile("^Résumé")).set_input_files(str(GRADED / "05-data-scientist-adjacent.txt"))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="What we understood").wait_for()
    page.get_by_role("link", name="Self-identification").click()
    page.get_by_label("Female").check()
    page.get_by_label("Asian").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. You can change or withdraw it").wait_for()
    assert_accessible(page, context="self-identification")
    page.goto(live_server.url + "/web/me")
    page.get_by_role("link", name=re.compile("see my gaps")).click()
    page.get_by_role("heading", name="What would change the outcome").wait_for()
    assert "would raise the score from" in page.locator("main").inner_text()
    page.get_by_label(re.compile("Ask a person to review")).fill("Please look at my Spark work")
    page.get_by_role("button", name="Request a human review").click()
    page.get_by_text("request for a human review was sent").wait_for()
    assert_accessible(page, context="candidate gaps with changes")
    page.get_by_role("link", name="About this tool and your data").click()
    page.get_by_role("heading", name=re.compile("About skillmatch")).wait_for()
    assert_accessible(page, context="notice")
    page.goto(live_server.url + "/web/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/web/sign-in"))

    # The auditor sees the impact ratios.
    sign_in(page, live_server, live_server.make_key("auditor"))
    assert page.url.endswith("/web/audit")
    page.get_by_role("heading", name="Race / ethnicity", exact=True).wait_for()
    assert page.locator("table.audit").count() == 3 and "Asian" in page.locator("main").inner_text()
    shot(page, "bias-audit")
    assert_accessible(page, context="bias audit")


def test_an_admin_adds_a_skill_of_the_companys_own_on_the_taxonomy_page(page, live_server):
    sign_in(page, live_server, live_server.tokens["admin"])
    assert page.url.endswith("/web/taxonomy")
    page.get_by_label("Skill name").fill("Gantry Shipper")
    page.get_by_label("Category").first.select_option("devops_ci")
    page.get_by_label("Other names (comma-separated)").fill("gs-ship")
    page.get_by_role("button", name="Add skill", exact=True).click()
    page.get_by_role("status").filter(has_text="Skill added.").wait_for()
    assert "Gantry Shipper" in page.locator("#own-skills").inner_text()
    assert "+t." in page.locator("#taxonomy-version").inner_text()
    assert_accessible(page, context="taxonomy")
    page.get_by_role("button", name="Remove Gantry Shipper").click()
    page.get_by_role("status").filter(has_text="Removed.").wait_for()
    assert page.locator("#own-skills").count() == 0
