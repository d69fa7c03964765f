"""The `matcher` command: the JSON contracts of parse / role / rank, errors per file, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from matcher.cli import app

REPO = Path(__file__).resolve().parents[2]
LABELLED = REPO / "tests" / "data" / "labelled"
JOBS = REPO / "tests" / "data" / "jobs"
RANKING = REPO / "tests" / "data" / "ranking" / "ml-engineer"
RESUME_PDFS = REPO / "tests" / "data" / "resume-pdfs"

runner = CliRunner()


def _invoke(*args):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture(scope="module")
def docx_resume(tmp_path_factory):
    import docx

    d = docx.Document()
    d.add_paragraph("Ana Ruiz")
    d.add_paragraph("EXPERIENCE")
    d.add_paragraph("Data Engineer, Keystone Freight")
    d.add_paragraph("Jan 2020 – Dec 2023")
    d.add_paragraph("Built Apache Spark jobs and Airflow DAGs; modeled Snowflake with dbt.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Tools"
    table.rows[0].cells[1].text = "Kafka, Docker"
    d.add_paragraph("SKILLS")
    d.add_paragraph("Python, SQL")
    path = tmp_path_factory.mktemp("docx") / "ana.docx"
    d.save(path)
    return path


def test_parse_json_contract(engine, docx_resume):
    txt = LABELLED / "01-ml-engineer-stacked.txt"
    result = _invoke("parse", str(txt), str(docx_resume), "--json", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["source"] for o in out] == [str(txt), str(docx_resume)]
    first = out[0]
    assert {"source", "experience_years", "skills", "positions", "sections", "warnings"} <= set(first)
    text = (LABELLED / "01-ml-engineer-stacked.txt").read_text(encoding="utf-8")
    for skill in first["skills"]:
        assert {"id", "name", "category", "years", "last_used", "evidence"} <= set(skill)
        assert skill["last_used"] is None or len(skill["last_used"]) == 7
        for ev in skill["evidence"]:
            assert {"text", "start", "end", "section", "position"} <= set(ev)
    for p in first["positions"]:
        assert {"title", "organization", "start", "end", "skills"} <= set(p)
    # Evidence offsets point into the document text (the text reader keeps this file's text as is).
    pytorch = next(s for s in first["skills"] if s["id"] == "pytorch")
    ev = pytorch["evidence"][0]
    assert text[ev["start"] : ev["end"]] == ev["text"]
    assert pytorch["years"] is not None and pytorch["years"] > 5
    ids = {s["id"] for s in out[1]["skills"]}
    assert {"apache-spark", "apache-airflow", "snowflake", "dbt", "apache-kafka", "docker", "python", "sql"} <= ids
    assert out[1]["experience_years"] == 4.0


def test_a_bad_file_stands_in_its_place_and_fails_the_run(tmp_path, engine):
    good = LABELLED / "02-backend-go-developer.md"
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    missing = tmp_path / "nope.pdf"
    result = _invoke("parse", str(png), str(good), str(missing), "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert [o["source"] for o in out] == [str(png), str(good), str(missing)]
    assert out[0]["error"]["code"] == "unsupported_format"
    assert "skills" in out[1]
    assert out[2]["error"]["code"] == "file_not_found"


def test_single_and_two_column_pdfs_give_the_same_skills(engine):
    files = [RESUME_PDFS / "resume-matcher-templates" / n for n in ("single-column.pdf", "two-column.pdf")]
    result = _invoke("parse", *map(str, files), "--json", "--as-of", "2026-11-01")
    assert result.exit_code == 0
    one, two = json.loads(result.stdout)
    assert {s["id"] for s in one["skills"]} == {s["id"] for s in two["skills"]}
    assert len(one["skills"]) > 10
    assert one["experience_years"] == two["experience_years"]
    assert all(ev.get("page") == 1 for s in one["skills"] for ev in s["evidence"])


def test_legacy_doc_gets_a_clear_error(engine):
    result = _invoke("parse", str(RESUME_PDFS / "klair-resume-parser" / "resume.doc"), "--json")
    assert result.exit_code == 1
    (out,) = json.loads(result.stdout)
    assert out["error"]["code"] == "unsupported_format"
    assert "docx" in out["error"]["message"].lower()


def test_bad_as_of_is_a_usage_error():
    result = _invoke("parse", str(LABELLED / "01-ml-engineer-stacked.txt"), "--as-of", "yesterday")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_role_prints_an_editable_spec_that_loads_back(tmp_path, engine):
    result = _invoke("role", str(JOBS / "ml-engineer-job-page.txt"))
    assert result.exit_code == 0, result.output
    spec = yaml.safe_load(result.stdout)
    assert spec["title"] == "Machine Learning Engineer"
    assert {"Horovod", "DeepSpeed", "FSDP"} == set(spec["requirements"][2]["any_of"])
    edited = tmp_path / "role.yaml"
    spec["requirements"].append({"any_of": ["Python"], "required": False, "min_years": 3})
    edited.write_text(yaml.safe_dump(spec), encoding="utf-8")
    again = _invoke("role", str(edited), "--json")
    assert json.loads(again.stdout)["requirements"][-1] == {"any_of": ["Python"], "required": False, "min_years": 3.0}


def test_rank_json_contract_and_order(tmp_path, engine):
    files = sorted(RANKING.glob("*.txt"))[:6]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    args = ["rank", "--role", str(JOBS / "ml-engineer-job-page.txt"), *map(str, files), str(broken), "--json", "--as-of", "2025-11-01"]
    result = _invoke(*args)
    assert result.exit_code == 1  # one file failed
    out = json.loads(result.stdout)
    assert {"role", "scoring_version", "taxonomy_version", "results"} <= set(out)
    results = out["results"]
    assert [r["rank"] for r in results] == list(range(1, len(files) + 2))
    assert results[-1]["source"] == str(broken) and "error" in results[-1]
    scores = [r["score"] for r in results[:-1]]
    assert scores == sorted(scores, reverse=True)
    for r in results[:-1]:
        assert 0 <= r["score"] <= 100 and r["summary"]
        for req in r["requirements"]:
            assert {"group", "required", "status", "matched", "evidence", "points", "advice"} <= set(req)
            assert req["status"] in {"met", "listed_only", "partial", "missing"}
            assert (req["status"] == "missing") == (not req["matched"])
    # The order of the files does not change any score.
    reversed_out = json.loads(_invoke(*args[:3], *reversed(args[3:-3]), *args[-3:]).stdout)
    assert {r["source"]: r["score"] for r in reversed_out["results"]} == {r["source"]: r["score"] for r in results}


def test_python_dash_m_matcher_works():
    proc = subprocess.run(
        [sys.executable, "-m", "matcher", "parse", str(LABELLED / "02-backend-go-developer.md"), "--json", "--as-of", "2026-11-01"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["skills"]


def test_batches_use_worker_processes_and_keep_input_order(tmp_path):
    files = sorted(LABELLED.glob("*.txt"))[:10]
    proc = subprocess.run(
        [sys.executable, "-m", "matcher", "parse", *map(str, files), "--json", "--jobs", "2", "--as-of", "2026-11-01"],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert [o["source"] for o in json.loads(proc.stdout)] == [str(f) for f in files]


def test_hidden_text_is_flagged_and_never_evidence(tmp_path, engine):
    """White-on-white and tiny keywords: reported in the profile, never counted as skills."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path = tmp_path / "stuffed.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    y = 740
    for line in ["Dana Lee", "EXPERIENCE", "Data Analyst, Harbor Retail", "Jan 2020 – Dec 2023",
                 "- Weekly reports in Excel and SQL."]:
        c.drawString(72, y, line)
        y -= 16
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, 300, "Kubernetes PyTorch TensorRT DeepSpeed")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 1)
    c.drawString(72, 200, "Apache Spark MLflow")
    c.save()
    result = _invoke("parse", str(path), "--json", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    (out,) = json.loads(result.stdout)
    ids = {s["id"] for s in out["skills"]}
    assert {"sql", "microsoft-excel"} <= ids
    assert not ids & {"kubernetes", "pytorch", "tensorrt", "deepspeed", "apache-spark", "mlflow"}
    assert {"kubernetes", "pytorch", "apache-spark"} <= set(out["hidden_skills"])
    assert any("hidden text" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "file_not_found"),
        ("title: x\nrequirements:\n  - any_of: [Pytorchh]\n", "invalid_role"),
        ("title: x\nrequirements: []\n", "invalid_role"),
        ("We are hiring a kind person.\n", "invalid_role"),
    ],
    ids=["missing-file", "unknown-skill", "no-requirements", "no-skills-in-job-text"],
)
def test_bad_role_files_fail_with_a_clear_message(tmp_path, engine, content, code):
    path = tmp_path / "role.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _invoke("rank", "--role", str(path), str(LABELLED / "01-ml-engineer-stacked.txt"))
    assert result.exit_code == 1
    assert code in result.output


def test_markdown_comments_are_hidden_text(tmp_path, engine):
    path = tmp_path / "cv.md"
    path.write_text("# Ana Ruiz\n\n## Skills\nPython, SQL\n<!-- Kubernetes, Terraform,\nRust -->\n", encoding="utf-8")
    (out,) = json.loads(_invoke("parse", str(path), "--json").stdout)
    assert {s["id"] for s in out["skills"]} == {"python", "sql"}
    assert {"kubernetes", "terraform"} <= set(out["hidden_skills"])


def test_a_text_over_a_million_characters_is_parsed(tmp_path, engine):
    path = tmp_path / "long.txt"
    path.write_text("SKILLS\nPython, Kubernetes\n" + ("lorem ipsum dolor sit amet " * 45_000), encoding="utf-8")
    result = _invoke("parse", str(path), "--json")
    assert result.exit_code == 0, result.output
    (out,) = json.loads(result.stdout)
    assert {"python", "kubernetes"} <= {s["id"] for s in out["skills"]}


def test_taxonomy_suggest_lists_unknown_tools_with_examples(tmp_path):
    from matcher.cli import app

    text = ("Jo Park\n\nSKILLS\nPython, Telegraf, InfluxDB, Grafana\n\nEXPERIENCE\nSRE — Acme, Austin TX    2020 – Present\n"
            "• Built monitoring with Telegraf, InfluxDB and Grafana on Kubernetes.\n")
    files = []
    for i in range(2):
        f = tmp_path / f"cv{i}.txt"
        f.write_text(text, encoding="utf-8")
        files.append(str(f))
    r = CliRunner().invoke(app, ["taxonomy", "suggest", *files, "--json", "-j", "1"])
    assert r.exit_code == 0, r.output
    got = {x["key"]: x for x in json.loads(r.output)}
    known = {"python", "grafana", "influxdb", "kubernetes"}
    assert not known & set(got), "taxonomy skills are never suggested"
    assert "telegraf" in got and got["telegraf"]["resumes"] == 2 and got["telegraf"]["mentions"] >= 2
    assert any("Telegraf" in e["line"] for e in got["telegraf"]["examples"])
