"""Candidates and roles: upload (file / text / JSON Resume), profile, list, erasure; role CRUD."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from .conftest import RESUME, SPEC, candidate_key, sample_resumes, sample_role

JSON_RESUME = {
    "basics": {"name": "Ada Lovelace", "label": "Data Engineer"},
    "work": [{"name": "Analytical Engines", "position": "Data Engineer", "startDate": "2018-01-01",
              "highlights": ["Built streaming pipelines with Apache Kafka and Apache Spark in Python"]}],
    "skills": [{"name": "Data", "keywords": ["Python", "SQL", "Apache Spark"]}],
}


def _upload_text(client, tenant, text=RESUME, **extra):
    r = client.post("/v1/candidates", json={"text": text, **extra}, headers=tenant.h())
    assert r.status_code == 201, r.text
    return r.json()


def test_upload_text_and_get_profile(client, tenant):
    c = _upload_text(client, tenant, name="Jane", external_id="ats-1")
    ids = {s["id"] for s in c["profile"]["skills"]}
    assert {"pytorch", "python", "kubernetes"} <= ids
    got = client.get(f"/v1/candidates/{c['id']}", headers=tenant.h()).json()
    assert got["profile"] == c["profile"] and got["name"] == "Jane" and got["external_id"] == "ats-1"


def test_upload_file_pdf_and_docx(client, tenant):
    pytest.importorskip("reportlab")
    from docx import Document
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    cv = canvas.Canvas(buf)
    y = 800
    for line in RESUME.splitlines():
        cv.drawString(60, y, line)
        y -= 16
    cv.save()
    r = client.post("/v1/candidates", files={"file": ("cv.pdf", buf.getvalue(), "application/pdf")}, headers=tenant.h("ats"))
    assert r.status_code == 201, r.text
    assert "pytorch" in {s["id"] for s in r.json()["profile"]["skills"]}
    assert r.json()["filename"] == "cv.pdf"

    d = Document()
    for line in RESUME.splitlines():
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    r = client.post("/v1/candidates", files={"file": ("cv.docx", out.getvalue())}, headers=tenant.h())
    assert r.status_code == 201, r.text
    assert "kubernetes" in {s["id"] for s in r.json()["profile"]["skills"]}


def test_upload_json_resume(client, tenant):
    r = client.post("/v1/candidates", json={"resume": JSON_RESUME}, headers=tenant.h())
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Ada Lovelace"
    assert {"apache-spark", "python"} <= {s["id"] for s in r.json()["profile"]["skills"]}
    r = client.post("/v1/candidates", json=JSON_RESUME, headers=tenant.h())  # bare JSON Resume works too
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    "payload,status,code",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, 415, "unsupported_format"),
        (b"%PDF-1.4\n garbage", 422, "unreadable_document"),
        (b"   \n\n  ", 422, "empty_document"),
    ],
)
def test_engine_errors_map_to_http(client, tenant, payload, status, code):
    r = client.post("/v1/candidates", files={"file": ("x.bin", payload)}, headers=tenant.h())
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_real_pdfs_upload(client, tenant):
    """Real résumé PDFs (tests/data/resume-pdfs: a 7-page Indeed export by Apache FOP, a 3-page LuaTeX
    résumé) and the sample PDF (a Chromium-printed two-column template) become candidates with skills."""
    from .conftest import RESUME_PDFS

    pdfs = [RESUME_PDFS / "klair-resume-parser" / "resume.pdf", RESUME_PDFS / "awesome-cv" / "resume.pdf"]
    pdfs += [p for p in sample_resumes() if p.suffix == ".pdf"][:1]
    assert len(pdfs) == 3
    for p in pdfs:
        r = client.post("/v1/candidates", files={"file": (p.name, p.read_bytes())}, headers=tenant.h())
        assert r.status_code == 201, (p, r.text)
        assert r.json()["profile"]["skills"], p


def test_list_candidates_paginates(client, tenant):
    for i in range(3):
        _upload_text(client, tenant, name=f"c{i}")
    page = client.get("/v1/candidates", params={"limit": 2}, headers=tenant.h()).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and "profile" not in page["items"][0]
    page2 = client.get("/v1/candidates", params={"limit": 2, "offset": 2}, headers=tenant.h()).json()
    assert [i["name"] for i in page["items"] + page2["items"]] == ["c0", "c1", "c2"]


def _rows_mentioning(app, needles: list[str]) -> dict[str, int]:
    """Every table, every row, every column: how many rows contain any needle."""
    from api.store.queries import all_tables

    found = {}
    with app.state.sm.db.connect() as conn:
        for table in all_tables():
            rows = conn.execute(text(f"SELECT * FROM {table}")).all()
            n = 0
            for row in rows:
                blob = " ".join(
                    bytes(v).decode("utf-8", "replace") if isinstance(v, (bytes, memoryview)) else str(v) for v in row
                )
                if any(nd in blob for nd in needles):
                    n += 1
            found[table] = n
    return found


def test_delete_is_erasure(client, app, tenant):
    marker = "Zyxwvut Quagmire"  # a name that exists nowhere else
    resume = RESUME.replace("Jane Doe", marker)
    r = client.post("/v1/candidates", files={"file": ("cv.txt", resume.encode())}, data={"name": marker},
                    headers={**tenant.h(), "Idempotency-Key": "erase-me"})
    assert r.status_code == 201
    cid = r.json()["id"]
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()
    assert client.get(f"/v1/roles/{role['id']}/ranking", headers=tenant.h()).json()["total"] == 1
    candidate_key(app, tenant, cid)
    before = _rows_mentioning(app, [cid, marker])
    assert before["candidates"] == 1 and before["scores"] == 1 and before["api_keys"] == 1
    assert before["idempotency_keys"] == 1

    assert client.delete(f"/v1/candidates/{cid}", headers=tenant.h()).status_code == 204
    after = _rows_mentioning(app, [cid, marker])
    assert after == {t: 0 for t in after}, after
    assert client.get(f"/v1/candidates/{cid}", headers=tenant.h()).status_code == 404
    assert client.delete(f"/v1/candidates/{cid}", headers=tenant.h()).status_code == 404


def test_candidate_key_sees_only_own_profile_and_report(client, app, tenant):
    mine = _upload_text(client, tenant)["id"]
    theirs = _upload_text(client, tenant)["id"]
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()["id"]
    h = {"Authorization": f"Bearer {candidate_key(app, tenant, mine)}"}
    from api.store import queries

    with app.state.sm.sessions() as db:  # a candidate's reports are for the roles they were invited to
        queries.invite(db, queries.get_candidate(db, tenant.id, mine), queries.get_role(db, tenant.id, role))
        db.commit()
    assert client.get(f"/v1/candidates/{mine}", headers=h).status_code == 200
    assert client.get(f"/v1/candidates/{theirs}", headers=h).status_code == 404
    r = client.get(f"/v1/candidates/{mine}/report/{role}", headers=h)
    assert r.status_code == 200 and r.json()["report"]["requirements"]
    assert client.get(f"/v1/candidates/{theirs}/report/{role}", headers=h).status_code == 404
    assert client.get("/v1/candidates", headers=h).status_code == 403
    assert client.get(f"/v1/roles/{role}/ranking", headers=h).status_code == 403


# ---------------------------------------------------------------------------------------- roles

def test_role_from_spec_get_put_list_delete(client, tenant):
    r = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h())
    assert r.status_code == 201, r.text
    role = r.json()
    assert role["revision"] == 1 and role["title"] == "ML Engineer"
    assert [g["any_of"] for g in role["requirements"]] == [["pytorch", "tensorflow"], ["python"], ["kubernetes"]]
    got = client.get(f"/v1/roles/{role['id']}", headers=tenant.h()).json()
    assert got["requirements"] == role["requirements"]

    new = {**SPEC, "title": "ML Engineer II", "requirements": SPEC["requirements"][:2]}
    r = client.put(f"/v1/roles/{role['id']}", json=new, headers=tenant.h())
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 2 and len(r.json()["requirements"]) == 2 and r.json()["title"] == "ML Engineer II"

    listed = client.get("/v1/roles", headers=tenant.h()).json()
    assert listed["total"] == 1 and listed["items"][0]["revision"] == 2
    assert client.delete(f"/v1/roles/{role['id']}", headers=tenant.h()).status_code == 204
    assert client.get(f"/v1/roles/{role['id']}", headers=tenant.h()).status_code == 404


def test_role_from_job_text_and_file(client, tenant):
    job = sample_role()
    r = client.post("/v1/roles", json={"job_text": job.read_text()}, headers=tenant.h())
    assert r.status_code == 201, r.text
    assert len(r.json()["requirements"]) >= 3
    r2 = client.post("/v1/roles", files={"file": (job.name, job.read_bytes())}, headers=tenant.h())
    assert r2.status_code == 201, r2.text
    assert r2.json()["requirements"] == r.json()["requirements"]


@pytest.mark.parametrize(
    "body",
    [
        {"spec": {"title": "x", "requirements": [{"any_of": ["NoSuchSkillEver"]}]}},
        {"spec": {"title": "x", "requirements": []}},
        {"job_text": "We are a friendly company. Apply now!"},
    ],
)
def test_bad_roles_are_invalid_role(client, tenant, body):
    r = client.post("/v1/roles", json=body, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_role", r.text


def test_put_bad_spec(client, tenant):
    role = client.post("/v1/roles", json={"spec": SPEC}, headers=tenant.h()).json()
    r = client.put(f"/v1/roles/{role['id']}", json={"title": "x", "requirements": [{"any_of": ["NoSuchSkillEver"]}]},
                   headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_role"
    r = client.put(f"/v1/roles/{role['id']}", json={"title": "x"}, headers=tenant.h())
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    assert client.get(f"/v1/roles/{role['id']}", headers=tenant.h()).json()["revision"] == 1


@pytest.mark.parametrize("text,name", [
    ("PRIYA RAMASWAMY\nSenior ML Engineer\npriya@example.com\n\nSkills: Python, PyTorch\n", "PRIYA RAMASWAMY"),
    ("Senior ML Engineer\n\nSkills: Python, PyTorch\n", None),
    ("Jane Q. Doe\nData Engineer\n\nSkills: SQL\n", "Jane Q. Doe"),
], ids=["caps-name", "title-not-a-name", "initial"])
def test_a_candidate_without_a_name_field_is_named_by_the_resume(client, tenant, text, name):
    r = client.post("/v1/candidates", json={"text": text}, headers=tenant.h())
    assert r.status_code == 201 and r.json()["name"] == name, r.text[:300]
    r = client.post("/v1/candidates", json={"text": text, "name": "Given Name"}, headers=tenant.h())
    assert r.json()["name"] == "Given Name"  # a name the caller gives wins
