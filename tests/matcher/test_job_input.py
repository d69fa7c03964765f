"""Job input readers: HTML (raw, escaped, whole pages), ATS job objects (Greenhouse, Lever, generic),
files by sniffing and name, hostile input, and the end-to-end promise: one posting in any shape
gives roles.py the same requirements."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from matcher.cli import app
from matcher.documents import read_document
from matcher.errors import DocumentError, MatcherError, RoleError, UnsupportedFormat
from matcher.job_input import (
    front_matter_to_text,
    html_to_text,
    job_text,
    job_text_from_bytes,
    job_text_from_object,
    looks_like_escaped_html,
    looks_like_html,
)
from matcher.roles import load_role_text

from .conftest import build_docx, build_resume_pdf

JOBS = Path(__file__).resolve().parents[1] / "data" / "jobs"
POSTING_MD = (JOBS / "senior-backend-go-engineer.md").read_text(encoding="utf-8")
_MD = MarkdownIt("commonmark").enable("table")


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "is_html", "is_escaped"),
    [
        ("<p>Hello</p>", True, False),
        ("<!DOCTYPE html><html><body>x</body></html>", True, False),
        ("About us<br>We build<br>Requirements<br>- Python", True, False),
        ("Intro text <b>bold</b> and <i>more</i> on one line", True, False),
        ("&lt;p&gt;Hello&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Go&lt;/li&gt;&lt;/ul&gt;", False, True),
        ("&amp;lt;p&amp;gt;Twice escaped&amp;lt;/p&amp;gt;", False, True),
        ("Python < 3.12 and a <b and c > d", False, False),
        ("Know HTML tags like <div> and <span>", False, False),
        ("# Title\n\n## Requirements\n- Python<br>\n- Go\n- SQL\n- Docker\n", False, False),
        ("<!-- note -->\n# Title\n\n- Python\n", False, False),
        ("# Go dev\n- Go <b>1.22</b>\n- Rust <i>maybe</i>\n", False, False),
        ("<p>Requirements:<br>\n- Python<br>\n- Go</p>", True, False),
        ("Use &lt; and &gt; for comparisons", False, False),
        ("plain text, no markup at all", False, False),
    ],
    ids=["fragment", "page", "br-lines", "inline-one-line", "escaped", "double-escaped", "stray-lt",
         "prose-about-tags", "markdown-with-a-br", "markdown-with-comment",
         "markdown-with-inline-tags", "html-lines-starting-with-dashes", "escaped-operators", "plain"],
)
def test_looks_like_html(text, is_html, is_escaped):
    assert looks_like_html(text) is is_html
    assert looks_like_escaped_html(text) is is_escaped


# --------------------------------------------------------------------------------------------
# HTML -> lines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<h2>About</h2><p>We build  things.</p><h3>Stack</h3><p>Go</p>",
         "## About\n\nWe build things.\n\n## Stack\n\nGo\n"),
        ("<h1>Data Engineer</h1><p>Intro</p><h1>Second</h1>", "# Data Engineer\n\nIntro\n\n## Second\n"),
        ("<ul><li>Python</li><li>Go</li></ul><ol><li>SQL</li></ol>", "- Python\n- Go\n\n- SQL\n"),
        ("<ul><li>Cloud<ul><li>AWS</li><li>GCP<ul><li>BigQuery</li></ul></li></ul></li><li>SQL</li></ul>",
         "- Cloud\n  - AWS\n  - GCP\n    - BigQuery\n- SQL\n"),
        ("<li>Lever style</li><li>no list element</li>", "- Lever style\n- no list element\n"),
        ("<p><strong>Requirements:</strong></p><ul><li>Go</li></ul>", "## Requirements\n\n- Go\n"),
        ("<div><b>Nice to have</b></div><div>Redis</div>", "## Nice to have\n\nRedis\n"),
        ("<p><strong>Requirements</strong>:</p>", "## Requirements\n"),
        ("<p><b>Note:</b> we sponsor visas.</p>", "Note: we sponsor visas.\n"),
        ("<p><b>We are an equal opportunity employer.</b></p>", "We are an equal opportunity employer.\n"),
        ("<p><b>What you need</b><br>Python<br>Go</p>", "## What you need\nPython\nGo\n"),
        ("About us<br><br><br>Requirements:<br>- Python<br>- Go",
         "About us\n\nRequirements:\n- Python\n- Go\n"),
        ("<table><tr><th>Level</th><th>Base</th></tr><tr><td><b>Senior</b></td><td>$185k</td></tr></table>",
         "Level | Base\nSenior | $185k\n"),
        ("<table><tr><td><h2>Requirements</h2><ul><li>Python</li></ul></td></tr></table>",
         "## Requirements\n\n- Python\n"),
        ("<p>Tom&nbsp;&amp;&#160;Jerry&#8203; &lt;3&gt; caf&eacute;</p>", "Tom & Jerry <3> café\n"),
        ("<p>Go<span>lang</span> and <a href='x'>Rust</a>\n   services</p>", "Golang and Rust services\n"),
        ("<p>Shown</p><p hidden>Hidden</p><div style='display: none'>Gone</div><script>var a = 1;</script>"
         "<style>p {}</style><noscript>Enable JS</noscript>", "Shown\n"),
        ("<pre>line one\nline two</pre>", "line one\nline two\n"),
        ("<table><tr><td>a</td><td>b</td></tr></table><table><tr><td>c</td></tr></table><ul><li>d</li></ul>",
         "a | b\n\nc\n\n- d\n"),
        ("<p>Go<wbr>lang <img src='x.png'>services</p>", "Golang services\n"),
        ("", ""),
    ],
    ids=["headings", "first-h1-is-title", "lists", "nested-lists", "bare-li", "strong-paragraph-heading",
         "bold-div-heading", "colon-outside-bold", "bold-label-is-not-heading", "bold-sentence-is-not-heading",
         "bold-line-then-br-lines", "br-runs", "data-table", "layout-table", "entities-and-nbsp",
         "inline-whitespace", "hidden-and-scripts", "pre", "tables-and-lists-apart", "wbr-and-img", "empty"],
)
def test_html_to_text(markup, expected):
    assert html_to_text(markup) == expected


def test_escaped_html_is_unescaped_then_converted():
    escaped = html.escape("<h2>Requirements</h2><ul><li>Go &amp; Rust</li></ul>")
    assert html_to_text(escaped) == "## Requirements\n\n- Go & Rust\n"
    assert job_text(escaped) == "## Requirements\n\n- Go & Rust\n"


PAGE_WITH_MAIN = """<!DOCTYPE html>
<html><head><title>Senior Engineer | Acme Careers</title><script>track()</script>
<style>.x{}</style></head>
<body><header><a href="/">Acme</a> <nav><a>Jobs</a><a>Teams</a></nav></header>
<main><article><h1>Senior Engineer</h1><p>Remote</p>
<h2>Requirements</h2><ul><li>Python</li><li>Go</li></ul></article></main>
<footer>© Acme · Privacy</footer><script>more()</script></body></html>"""

PAGE_WITHOUT_MAIN = """<html><head><title>Data Engineer - Acme</title></head>
<body><nav>Home | Jobs</nav><div class="job"><h2>Requirements</h2><ul><li>SQL</li></ul></div>
<footer>© Acme</footer></body></html>"""


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (PAGE_WITH_MAIN, "# Senior Engineer\n\nRemote\n\n## Requirements\n\n- Python\n- Go\n"),
        (PAGE_WITHOUT_MAIN, "# Data Engineer - Acme\n\n## Requirements\n\n- SQL\n"),
    ],
    ids=["main-and-h1", "no-main-title-tag"],
)
def test_whole_pages_drop_chrome_and_take_a_title(page, expected):
    assert html_to_text(page) == expected


# --------------------------------------------------------------------------------------------
# ATS job objects
# --------------------------------------------------------------------------------------------

GREENHOUSE = {
    "id": 4012345,
    "internal_job_id": 98765,
    "title": "Backend Engineer",
    "updated_at": "2026-10-01T12:00:00-04:00",
    "location": {"name": "Berlin, Germany"},
    "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
    "content": html.escape("<p>Join us.</p><p><strong>What you bring</strong></p>"
                           "<ul><li>Python&nbsp;3</li><li>PostgreSQL</li></ul>"),
    "departments": [{"id": 1, "name": "Engineering"}],
    "offices": [{"id": 2, "name": "Berlin"}],
}
LEVER = {
    "id": "5ac21346-8e0c-4494-8e7a-3eb92ff77902",
    "text": "Platform Engineer",
    "categories": {"location": "Remote", "team": "Infrastructure", "commitment": "Full-time"},
    "description": "<div>We run <b>Kubernetes</b>.</div>",
    "descriptionPlain": "We run Kubernetes.",
    "lists": [
        {"text": "Requirements", "content": "<li>Terraform</li><li>Go</li>"},
        {"text": "Nice to have", "content": "<li>Rust</li>"},
    ],
    "additional": "<div>Benefits: lots.</div>",
    "additionalPlain": "Benefits: lots.",
    "hostedUrl": "https://jobs.lever.co/acme/5ac21346",
}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (GREENHOUSE,
         "# Backend Engineer\n\nLocation: Berlin, Germany. Department: Engineering.\n\nJoin us.\n\n"
         "## What you bring\n\n- Python 3\n- PostgreSQL\n"),
        (LEVER,
         "# Platform Engineer\n\nLocation: Remote. Department: Infrastructure. Employment type: Full-time.\n\n"
         "We run Kubernetes.\n\n## Requirements\n\n- Terraform\n- Go\n\n## Nice to have\n\n- Rust\n\n"
         "Benefits: lots.\n"),
        ({"text": "Lever, plain only", "descriptionPlain": "Line one\nLine two", "lists": []},
         "# Lever, plain only\n\nLine one\nLine two\n"),
        ({"title": "Analyst", "description": "Requirements:\n- SQL\n- Excel"},
         "# Analyst\n\nRequirements:\n- SQL\n- Excel\n"),
        ({"job_title": "Analyst", "body": "<ul><li>SQL</li></ul>"}, "# Analyst\n\n- SQL\n"),
        ({"name": "Analyst", "content": "SQL", "location": "Paris"}, "# Analyst\n\nLocation: Paris.\n\nSQL\n"),
        ({"title": "Analyst", "name": "ignored when title is set", "description": "SQL", "text": "SQL"},
         "# Analyst\n\nSQL\n"),
        ({"job": {"title": "Wrapped", "description": "SQL"}}, "# Wrapped\n\nSQL\n"),
        ({"title": "R&amp;D Engineer", "description": "C++"}, "# R&D Engineer\n\nC++\n"),
    ],
    ids=["greenhouse", "lever", "lever-plain", "generic-text", "generic-job_title-body", "generic-name-content",
         "title-wins", "wrapped", "escaped-title"],
)
def test_job_text_from_object(obj, expected):
    assert job_text_from_object(obj) == expected


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([GREENHOUSE, GREENHOUSE], r"a list of 2 jobs: send one job at a time"),
        ({"jobs": [GREENHOUSE], "meta": {"total": 1}}, r"a list of 1 jobs under 'jobs': send one job at a time"),
        ({"headline": "x", "summary": "y"}, r"not a job object \(keys: 'headline', 'summary'\): a job object needs a title"),
        ({"title": "x", "body": "one", "content": "two"}, r"ambiguous job description: both 'body' and 'content'"),
        ({"name": "x", "job_title": "y", "description": "z"}, r"ambiguous job title"),
        ({"title": "x", "description": ["a", "b"]}, r"job field 'description' must be text, not list"),
        ({"title": "x", "requirements": [{"any_of": ["Go"]}]}, r"is a role spec"),
        ({"title": "  ", "description": "x"}, r"empty title"),
        ({"title": "x", "description": "   "}, r"empty description"),
        ("just a string", r"a job must be a JSON object, not str"),
        ([1, 2], r"a JSON array is not a job"),
    ],
    ids=["list", "greenhouse-board-list", "unknown-keys", "ambiguous-description", "ambiguous-title",
         "non-text-description", "spec", "empty-title", "empty-description", "not-a-mapping", "list-of-scalars"],
)
def test_bad_job_objects_are_role_errors(obj, message):
    with pytest.raises(RoleError, match=message):
        job_text_from_object(obj)


# --------------------------------------------------------------------------------------------
# Text and bytes dispatch
# --------------------------------------------------------------------------------------------

SPEC_JSON = '{"title": "Go dev", "requirements": [{"any_of": ["Go"]}]}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title\n\n## Requirements\n- Go\n", "# Title\n\n## Requirements\n- Go\n"),
        (SPEC_JSON, SPEC_JSON),
        ("  " + SPEC_JSON + "\n", "  " + SPEC_JSON + "\n"),
        ("title: Go dev\nrequirements:\n  - any_of: [Go]\n", "title: Go dev\nrequirements:\n  - any_of: [Go]\n"),
        ('{"title": "Go dev"}', '{"title": "Go dev"}'),
        ("{not json", "{not json"),
        ("[Remote] Go developer\n- Go\n", "[Remote] Go developer\n- Go\n"),
        (json.dumps({"title": "Go dev", "description": "<ul><li>Go</li></ul>"}), "# Go dev\n\n- Go\n"),
        ("<h2>Requirements</h2><ul><li>Go</li></ul>", "## Requirements\n\n- Go\n"),
    ],
    ids=["markdown", "spec-json", "spec-json-padded", "spec-yaml", "partial-spec-json", "broken-json",
         "bracket-title", "job-json", "html"],
)
def test_job_text(text, expected):
    assert job_text(text) == expected


def test_job_text_refuses_a_list_of_jobs():
    with pytest.raises(RoleError, match="send one job at a time"):
        job_text(json.dumps([GREENHOUSE, LEVER]))


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "expected"),
    [
        (b"<h2>Requirements</h2><ul><li>Go</li></ul>", "job.html", None, "## Requirements\n\n- Go\n"),
        (b"Requirements<br><br>Go", "job.htm", None, "Requirements\n\nGo\n"),
        (b"Plain words in an .html file", "job.html", None, "Plain words in an .html file\n"),
        (b"<!DOCTYPE html><html><body><h1>Go dev</h1><ul><li>Go</li></ul></body></html>", None, None,
         "# Go dev\n\n- Go\n"),
        (b"\xef\xbb\xbf<p>BOM first</p>", "job.txt", None, "BOM first\n"),
        ("<p>UTF-16</p>".encode("utf-16"), None, None, "UTF-16\n"),
        (html.escape("<ul><li>Go</li></ul>").encode(), "job.txt", None, "- Go\n"),
        (b"Go dev<br><br>Needs <b>Go</b>", None, "text/html; charset=utf-8", "Go dev\n\nNeeds Go\n"),
        (json.dumps(GREENHOUSE).encode(), "job.json", None, job_text_from_object(GREENHOUSE)),
        (json.dumps(LEVER).encode(), None, "application/json", job_text_from_object(LEVER)),
        (json.dumps(LEVER).encode(), None, None, job_text_from_object(LEVER)),
        (SPEC_JSON.encode(), "role.json", None, SPEC_JSON),
        (json.dumps("<ul><li>Go</li></ul>").encode(), "job.json", None, "- Go\n"),
        (b"title: Go dev\nrequirements:\n  - any_of: [Go]\n", "role.yaml", None,
         "title: Go dev\nrequirements:\n  - any_of: [Go]"),
        (b"# Go dev\n\n## Requirements\n\n- Go\n", "job.md", None, read_document(b"# Go dev\n\n## Requirements\n\n- Go\n").text),
    ],
    ids=["html-name", "htm-name", "html-name-plain-text", "sniffed-page", "bom", "utf16", "escaped-in-txt",
         "content-type-html", "greenhouse-json", "lever-content-type", "lever-sniffed", "spec-json-passthrough",
         "json-string", "spec-yaml", "markdown-through-text-reader"],
)
def test_job_text_from_bytes(data, filename, content_type, expected):
    assert job_text_from_bytes(data, filename=filename, content_type=content_type) == expected


def test_pdf_and_docx_go_through_the_document_readers():
    pdf, _ = build_resume_pdf("single")
    docx = build_docx()
    assert job_text_from_bytes(pdf, filename="job.pdf") == read_document(pdf).text
    assert job_text_from_bytes(docx, filename="job.html") == read_document(docx).text  # bytes beat the name


@pytest.mark.parametrize(
    ("data", "filename", "error", "message"),
    [
        (b"{\"title\": \"x\",", "job.json", RoleError, r"not valid JSON \(line 1, column 15"),
        (b"[" * 100_000, "job.json", RoleError, r"nested too deeply|not valid JSON"),
        (b"{\"headline\": 1}", "job.json", RoleError, r"not a job object"),
        (b"", "job.html", DocumentError, r"empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "job.html", UnsupportedFormat, r"image file"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><text>x</text></svg>", None, UnsupportedFormat, r"SVG"),
        (b"<p>   </p>", "job.html", DocumentError, r"no visible text"),
    ],
    ids=["broken-json", "deep-json", "unknown-json", "empty", "png-named-html", "svg", "blank-html"],
)
def test_bad_job_files(data, filename, error, message):
    with pytest.raises(error, match=message):
        job_text_from_bytes(data, filename=filename)


# --------------------------------------------------------------------------------------------
# Hostile input: converted or refused with a MatcherError, quickly
# --------------------------------------------------------------------------------------------

HOSTILE = {
    "nested-div-100k": lambda: ("<div>" * 100_000 + "Go" + "</div>" * 100_000).encode(),
    "bold-tags-2mb": lambda: b"<b>" * 700_000,
    "tags-5mb": lambda: b"<p>a</p><li>b</li>" * 290_000,
    "huge-attribute": lambda: b'<p title="' + b"a" * 5_000_000 + b'">Go</p>',
    "unclosed-attribute": lambda: b"<p title='" + b"<p " * 1_000_000,
    "binary-junk": lambda: bytes(range(256)) * 4000,
    "junk-after-lt": lambda: b"<" + bytes(range(256)) * 4000,
    "many-table-cells": lambda: b"<table><tr>" + b"<td>x</td>" * 300_000 + b"</tr></table>",
    "escaped-tags-2mb": lambda: b"&lt;b&gt;" * 250_000,
}


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_input_is_converted_or_refused_quickly(name):
    data = HOSTILE[name]()
    began = time.perf_counter()
    try:
        out = job_text_from_bytes(data, filename="job.html")
        assert isinstance(out, str)
    except MatcherError:
        pass
    assert time.perf_counter() - began < 2.0


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<div>" * 100_000 + "Go", r"nested too deeply \(over 256 levels\)"),
        ("<p>a</p>" * 100_001, r"over 100,000 elements"),
        ("<td>x" * 400_001, r"over 100,000 elements"),
    ],
    ids=["deep", "many-elements", "many-tags"],
)
def test_html_past_the_limits_is_a_clear_role_error(markup, message):
    with pytest.raises(RoleError, match=message):
        html_to_text(markup)


# --------------------------------------------------------------------------------------------
# End to end: one posting, every shape, the same requirements
# --------------------------------------------------------------------------------------------


def _split_markdown(md: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, preamble, [(heading, body)]) of a Markdown posting."""
    title_line, _, rest = md.partition("\n")
    chunks = rest.split("\n## ")
    sections = [(c.partition("\n")[0].strip(), c.partition("\n")[2]) for c in chunks[1:]]
    return title_line.removeprefix("# ").strip(), chunks[0], sections


def _greenhouse(md: str) -> dict:
    title, preamble, sections = _split_markdown(md)
    body = preamble + "".join(f"\n## {h}\n{b}" for h, b in sections)
    return {"id": 1, "title": title, "content": html.escape(_MD.render(body)),
            "location": {"name": "Remote (US / Canada)"}, "departments": [{"id": 7, "name": "Payments Core"}]}


def _lever(md: str) -> dict:
    """Bullet-only sections become Lever lists; what comes before them is the description, the rest
    is 'additional' (as Lever's editor lays a posting out)."""
    title, preamble, sections = _split_markdown(md)
    description, lists, additional = [preamble], [], []
    for heading, body in sections:
        lines = [ln for ln in body.splitlines() if ln.strip()]
        if lines and all(ln.startswith("- ") for ln in lines) and not additional and heading != "Benefits":
            items = "".join(f"<li>{_MD.renderInline(ln[2:])}</li>" for ln in lines)
            lists.append({"text": heading, "content": items})
        elif not lists:
            description.append(f"## {heading}\n{body}")
        else:
            additional.append(f"## {heading}\n{body}")
    return {"id": "x", "text": title, "description": _MD.render("\n".join(description)), "lists": lists,
            "additional": _MD.render("\n".join(additional)), "categories": {"commitment": "Full-time"}}


def _page(md: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>Careers | Ledgerline</title><script>var x = '<li>Rust</li>';"
            f"</script></head><body><nav><ul><li>Kubernetes jobs</li></ul></nav><main>{_MD.render(md)}</main>"
            f"<footer><ul><li>Terraform meetups</li></ul></footer></body></html>")


SHAPES = {
    "markdown": lambda md: (md.encode(), "job.md"),
    "html-fragment": lambda md: (_MD.render(md).encode(), "job.html"),
    "html-page-sniffed": lambda md: (_page(md).encode(), "job.txt"),
    "escaped-html": lambda md: (html.escape(_MD.render(md)).encode(), "job.txt"),
    "greenhouse-json": lambda md: (json.dumps(_greenhouse(md)).encode(), "job.json"),
    "lever-json": lambda md: (json.dumps(_lever(md)).encode(), "posting.json"),
    "generic-json": lambda md: (json.dumps({"job_title": _split_markdown(md)[0], "body": md}).encode(), None),
}


def _requirements(text: str, engine) -> tuple[set, str, float | None]:
    role, _spec, _warnings = load_role_text(text, engine.skill_matcher)
    return {(frozenset(g.any_of), g.required) for g in role.groups}, role.title, role.min_years


def test_the_lever_fixture_really_uses_lists():
    lever = _lever(POSTING_MD)
    assert [x["text"] for x in lever["lists"]] == ["What you'll do", "What we're looking for", "Nice to have"]


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_one_posting_in_every_shape_gives_the_same_requirements(engine, shape):
    want = _requirements(POSTING_MD, engine)
    assert len(want[0]) == 8  # the fixture's expected.yaml groups
    data, filename = SHAPES[shape](POSTING_MD)
    assert _requirements(job_text_from_bytes(data, filename=filename), engine) == want


# --------------------------------------------------------------------------------------------
# The CLI reads HTML and JSON job files
# --------------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("job.html", _MD.render(POSTING_MD)),
        ("job.htm", _page(POSTING_MD)),
        ("job.json", json.dumps(_greenhouse(POSTING_MD))),
        ("posting.json", json.dumps(_lever(POSTING_MD))),
    ],
    ids=["html", "htm-page", "greenhouse-json", "lever-json"],
)
def test_cli_role_reads_html_and_json_jobs(tmp_path, engine, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["role", str(path), "--json"])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout)
    assert spec["title"] == "Senior Backend Engineer (Go)"
    assert {"Go", "Docker", "Redis"} <= {name for r in spec["requirements"] for name in r["any_of"]}


def test_cli_rank_reads_an_html_role(tmp_path, engine):
    path = tmp_path / "job.html"
    path.write_text(_MD.render(POSTING_MD), encoding="utf-8")
    resume = Path(__file__).resolve().parents[1] / "data" / "labelled" / "01-ml-engineer-stacked.txt"
    result = runner.invoke(app, ["rank", "--role", str(path), str(resume), "--json"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("job.json", '{"title": "Go dev", "description": ', "not valid JSON (line 1, column"),
        ("jobs.json", json.dumps([GREENHOUSE, LEVER]), "send one job at a time"),
        ("job.json", '{"headline": "Go dev"}', "not a job object"),
        ("job.html", "<div>" * 1000, "nested too deeply"),
    ],
    ids=["broken-json", "list-of-jobs", "unknown-keys", "deep-html"],
)
def test_cli_role_bad_job_files_fail_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["role", str(path)])
    assert result.exit_code == 1
    assert "invalid_role" in result.output
    assert message in " ".join(result.output.split())


# --------------------------------------------------------------------------------------------
# Front matter (Jekyll postings: CDS, 18F, TTS) and USAJOBS records
# --------------------------------------------------------------------------------------------

POSTINGS = Path(__file__).resolve().parents[2] / "bench" / "data" / "job-postings" / "postings"

TTS_HEADER = (
    "title: \"Login.gov: Security Engineer\"\n\n"
    "# Put the opening and closing dates of your posting here.\n#🔻🔻🔻\nopens: 2024-09-11\nmax applications: 0\n"
    "key objectives:\n  - Objective #1: Harden the platform\n    - Threat-model new features\n"
    " - Objective #2: Respond to incidents\n\ninfo sessions:\n  - link: https://example.org\n    date: 2023-02-13\n"
    "---\n\n{% comment %}Recruiter notes: delete this.{% endcomment %}\n{% include job/status_alert.html %}\n\n"
    "**Job title:** {{ page.title }}\n\n## Key objectives\n\n{% comment -------- %}\nAuto-converted.\n"
    "{% endcomment -------- %}\n{% include job/key_objectives.html %}\n\n## Qualifications\n\n- Python\n- AWS\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nlayout: job-posting\ntitle: Data Engineer\ndescription: Build pipelines\n  for the census.\n"
         "archived: true\n---\nWe use Python.\n", "# Data Engineer\n\nBuild pipelines for the census.\n\nWe use Python.\n"),
        ("---\ntitle: 'Acquisition Specialist'\npermalink: /x/\n---\n\n###Role Summary\nBuy things.\n",
         "# Acquisition Specialist\n\n### Role Summary\nBuy things.\n"),
        ("---\ntitle: X\ndescription: >\n  Folded\n  text\n---\nBody\n", "# X\n\nFolded text\n\nBody\n"),
        (TTS_HEADER,
         "# Login.gov: Security Engineer\n\n**Job title:** Login.gov: Security Engineer\n\n## Key objectives\n\n\n"
         " - Objective #1: Harden the platform\n   - Threat-model new features\n- Objective #2: Respond to incidents"
         "\n\n## Qualifications\n\n- Python\n- AWS\n"),
        ("title: Go dev\nkey objectives:\n  - Ship Go services\n---\n## Requirements\n- Go\n",
         "# Go dev\n\n## Requirements\n- Go\n\n## Key objectives\n\n- Ship Go services\n"),
    ],
    ids=["cds-fenced-description", "18f-heading-without-space", "folded-description", "tts-comments-liquid",
         "tts-objectives-without-include"],
)
def test_front_matter_to_text(text, expected):
    assert front_matter_to_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "title: Go dev\nrequirements:\n  - any_of: [Go]\n",
        "---\ntitle: Go dev\nrequirements:\n  - any_of: [Go]\n---\n",
        "title: Go dev\nlevel: senior\nmin_years: 3\n---\n",
        "# Go dev\n\n---\n\n## Requirements\n- Go\n",
        "Location: Remote\nTeam: Payments\n---\nWe use Go.\n",
        "Senior Go developer\ntitle: x\n---\n",
        "---\ntitle: never closed\n\nbody",
    ],
    ids=["yaml-spec", "fenced-yaml-spec", "spec-keys-with-fence", "markdown-rule", "no-title", "prose-first",
         "unclosed"],
)
def test_not_front_matter(text):
    assert front_matter_to_text(text) is None


def test_yaml_role_specs_still_load_as_specs(engine):
    spec = "title: Go dev\nrequirements:\n  - any_of: [Go]\n"
    assert job_text(spec) == spec
    role, _spec, _ = load_role_text(job_text(spec), engine.skill_matcher)
    assert role.title == "Go dev"


def test_liquid_is_stripped_in_linear_time():
    text = "---\ntitle: X\n---\n" + "{% comment %}" * 50_000 + "{% include a %}{{ x }}" * 50_000
    began = time.perf_counter()
    front_matter_to_text(text)
    assert time.perf_counter() - began < 1.0


@pytest.mark.parametrize(
    ("name", "title", "cue"),
    [
        ("cds-0001.md", "Administrative Officer - Internal Operations", "Do you have a natural inclination"),
        ("18f-0001.md", "Acquisition Specialist", "Role Summary"),
        ("tts-0001.md", "Public Experience (PX): Contact Center Analyst", "Objective #1: Identify improvements"),
        ("tts-0010.md", "TTS Platforms & Services: Communities & Collaboration Branch Chief", "Qualifications"),
    ],
    ids=["cds", "18f", "tts-unfenced", "tts-fenced"],
)
def test_real_front_matter_postings_read_as_job_text(engine, name, title, cue):
    data = (POSTINGS / name).read_bytes()
    for text in (job_text_from_bytes(data, filename=name), job_text(data.decode("utf-8"))):
        assert text.lstrip("# ").startswith(title)
        assert cue in text
        assert "{%" not in text and "layout:" not in text and "permalink:" not in text
        try:
            role, _spec, _ = load_role_text(text, engine.skill_matcher)
        except RoleError as exc:
            assert "YAML" not in exc.message  # never read as a role spec
        else:
            assert role.title.startswith(title.split(":")[0][:10])


USAJOBS_DESCRIPTOR = {
    "PositionTitle": "IT Specialist (APPSW)",
    "OrganizationName": "Bureau of the Fiscal Service",
    "PositionLocation": [{"LocationName": "Parkersburg, West Virginia"}, {"LocationName": "Remote"}],
    "QualificationSummary": "Specialized experience is experience with Python, SQL and AWS.",
    "UserArea": {"Details": {
        "JobSummary": "Join our team.",
        "MajorDuties": ["Build web services in Java.", "Maintain CI pipelines."],
        "Education": "No education substitution.",
        "Requirements": "Conditions of Employment: U.S. citizenship.",
        "Evaluations": "You will be evaluated on <b>your resume</b>.",
        "KeyRequirements": ["U.S. Citizenship is required.", "Background investigation."],
        "WhoMayApply": {"Name": "US citizens"},
    }},
}
USAJOBS_EXPECTED = (
    "# IT Specialist (APPSW)\n\nOrganization: Bureau of the Fiscal Service. Location: Parkersburg, West Virginia; "
    "Remote.\n\n## Summary\n\nJoin our team.\n\n## Duties\n\n- Build web services in Java.\n- Maintain CI pipelines."
    "\n\n## Qualifications\n\nSpecialized experience is experience with Python, SQL and AWS.\n\n"
    "## Conditions of employment\n\n- U.S. Citizenship is required.\n- Background investigation.\n\n"
    "Conditions of Employment: U.S. citizenship.\n\n## Education\n\nNo education substitution.\n\n"
    "## How you will be evaluated\n\nYou will be evaluated on your resume.\n"
)


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (USAJOBS_DESCRIPTOR, USAJOBS_EXPECTED),
        ({"MatchedObjectId": "1", "MatchedObjectDescriptor": USAJOBS_DESCRIPTOR, "RelevanceRank": 0}, USAJOBS_EXPECTED),
        ({"control_number": "9", "all_headers": ["it specialist", "summary"],
          "content_sections": {"Summary": "S.", "MajorDuties": "Writes SQL.", "Requirements": "U.S. Citizenship"}},
         "# it specialist\n\n## Summary\n\nS.\n\n## Duties\n\nWrites SQL.\n\n## Conditions of employment\n\n"
         "U.S. Citizenship\n"),
        ({"control_number": "9", "title": "DATA SCIENTIST", "location": "A; B", "duties": "Uses R.",
          "qualifications": "Python."},
         "# DATA SCIENTIST\n\nLocation: A; B.\n\n## Duties\n\nUses R.\n\n## Qualifications\n\nPython.\n"),
    ],
    ids=["descriptor", "search-api-item", "scraped-content-sections", "flat-record"],
)
def test_usajobs_records(obj, expected):
    assert job_text_from_object(obj) == expected
    assert job_text(json.dumps(obj)) == expected
    assert job_text_from_bytes(json.dumps(obj).encode(), filename="job.json") == expected


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"PositionTitle": "", "QualificationSummary": "x"}, r"no PositionTitle"),
        ({"PositionTitle": "X", "PositionURI": "https://example.org"}, r"no duties, qualifications or requirements"),
    ],
    ids=["no-title", "no-sections"],
)
def test_bad_usajobs_records(obj, message):
    with pytest.raises(RoleError, match=message):
        job_text_from_object(obj)


@pytest.mark.parametrize("name", ["usajobs-0001.json", "usajobs-0009.json", "usajobs-0026.json"],
                         ids=["search-api", "flat", "scraped"])
def test_real_usajobs_records(engine, name):
    text = job_text_from_bytes((POSTINGS / name).read_bytes(), filename=name)
    assert text.startswith("# ") and "\n\n## " in text
    assert "## Qualifications" in text or "## Duties" in text
    try:
        load_role_text(text, engine.skill_matcher)
    except RoleError as exc:
        assert "not a job object" not in exc.message and "role spec" not in exc.message


def test_usajobs_search_api_record_keeps_the_qualifications_under_their_heading():
    text = job_text_from_bytes((POSTINGS / "usajobs-0001.json").read_bytes())
    qualifications = text.split("## Qualifications\n\n", 1)[1]
    assert "experience with HTML, CSS, and JavaScript" in qualifications.split("\n## ", 1)[0]
