"""A short fuzz of the document readers and the parse pipeline (the CI cut of bench/fuzz_readers.py).

Hypothesis mutates real inputs (generated PDFs and DOCX files, text résumés: bytes flipped,
inserted, deleted, truncated, spliced) and makes up bytes behind each format's magic. Whatever
comes in, ``read_document`` and ``parse_document`` may only raise ``MatcherError`` subclasses, and
no input may run past a few seconds. Inputs are derandomized so CI sees the same ~2 000 each run;
the coverage-guided search with 10^6 inputs is ``bench/fuzz_readers.py``.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.documents import ReadLimits, read_document
from matcher.errors import MatcherError
from matcher.pipeline import parse_document

from .conftest import build_hidden_pdf, build_resume_pdf, build_table_pdf, zip_bytes

REPO = Path(__file__).resolve().parents[2]
PER_INPUT_SECONDS = 10.0
LIMITS = ReadLimits(max_bytes=2_000_000, max_pages=10, max_decompressed_bytes=20_000_000, max_chars=200_000)


class Hang(BaseException):
    pass


def _pdf_uncompressed() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    for i, line in enumerate(["EXPERIENCE", "Data Engineer, Acme  2019 - Present", "Python, Kafka, Spark", "SKILLS"]):
        c.drawString(50, 800 - 14 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def _seeds() -> list[bytes]:
    texts = [p.read_bytes() for p in sorted((REPO / "samples" / "resumes").glob("*.txt"))[:3]]
    texts += [p.read_bytes() for p in sorted((REPO / "tests" / "data" / "labelled").glob("*.md"))[:2]]
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                             '<w:body><w:p><w:r><w:t>EXPERIENCE</w:t></w:r></w:p><w:p><w:r><w:t>Python and Go'
                             '</w:t></w:r></w:p></w:body></w:document>',
    }
    return [_pdf_uncompressed(), build_resume_pdf("single")[0], build_table_pdf(), build_hidden_pdf(),
            zip_bytes(parts, compression=0), zip_bytes(parts), *texts]


SEEDS = _seeds()


def _mutate(draw, seeds: list[bytes], tokens: list[bytes], max_ops: int, max_insert: int) -> bytes:
    """A seed with 1..``max_ops`` mutations, as libFuzzer makes them: bit flips, inserted bytes or
    format tokens, deletions, truncation, splices from another seed, repeated chunks."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "splice", "repeat"]))
        n = len(data)
        pos = draw(st.integers(0, max(n - 1, 0)))
        if op == "flip" and n:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=max_insert) | st.sampled_from(tokens))
        elif op == "delete" and n:
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "truncate" and n:
            del data[pos:]
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other) - 1))
            data[pos:pos] = other[start:start + draw(st.integers(1, 256))]
        elif op == "repeat" and n:
            chunk = bytes(data[pos:pos + draw(st.integers(1, 32))])
            data[pos:pos] = chunk * draw(st.integers(2, 50))
    return bytes(data)


#: Tokens of the document formats a mutation inserts.
READER_TOKENS = [b"0", b"-1", b"99999999", b"obj", b"endobj", b"stream", b"<<", b">>", b"[", b"]", b"/",
                 b"<w:p>", b"</w:t>", b"\x00", b"\xff\xfe", b"\r\n", b"2019 - Present", b"\xe2\x80\x93"]


@st.composite
def mutated(draw) -> bytes:
    return _mutate(draw, SEEDS, READER_TOKENS, max_ops=8, max_insert=16)


made_up = st.tuples(
    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"{\\rtf1",
                     b"\xff\xfe", b"", b"<html>"]),
    st.binary(max_size=400),
).map(lambda t: t[0] + t[1])


def _alarm(*_):
    raise Hang(f"input ran past {PER_INPUT_SECONDS} s")


def check(data: bytes, engine) -> None:
    """Read and parse ``data``; anything but a MatcherError (or a hang) fails the test."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, PER_INPUT_SECONDS)
    t = time.perf_counter()
    try:
        doc = read_document(data, limits=LIMITS)
        parse_document(doc, engine)
    except MatcherError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.perf_counter() - t < PER_INPUT_SECONDS


FUZZ = settings(max_examples=1000, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(data=mutated())
def test_mutated_documents_raise_only_matcher_errors(engine, data):
    check(data, engine)


@settings(FUZZ, max_examples=1000)
@given(data=made_up)
def test_made_up_bytes_raise_only_matcher_errors(engine, data):
    check(data, engine)


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_seeds_read(engine, seed):
    """The seeds themselves read and parse (a mutation fuzz of unreadable seeds would test little)."""
    parse_document(read_document(SEEDS[seed], limits=LIMITS), engine)


# --------------------------------------------------------------------------------------------
# Role text: job postings through job_input and roles.load_role_text (bench/fuzz_readers.py
# --target roles is the coverage-guided version). Any input gives a role or a MatcherError,
# within ROLE_SECONDS.
# --------------------------------------------------------------------------------------------

import html as html_lib  # noqa: E402
import json  # noqa: E402

from matcher.job_input import job_text, job_text_from_bytes  # noqa: E402
from matcher.roles import load_role_text  # noqa: E402

ROLE_SECONDS = 2.0
JOBS = REPO / "tests" / "data" / "jobs"
POSTINGS = REPO / "bench" / "data" / "job-postings" / "postings"
ROLE_CRASHES = REPO / "tests" / "data" / "fuzz" / "roles"


def _role_seeds() -> list[bytes]:
    fixtures = [p for p in sorted(JOBS.glob("*")) if p.suffix in {".md", ".txt"} and p.name != "README.md"]
    seeds = [p.read_bytes() for p in fixtures]
    seeds += [p.read_bytes() for p in sorted(POSTINGS.glob("*"))[::40]]  # 18F, CDS, TTS, USAJOBS
    for p in fixtures[:4]:
        text = p.read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        seeds.append(" ".join(lines).encode())  # one paragraph
        items = "".join(f"<li>{html_lib.escape(ln.lstrip('-*• '))}</li>" for ln in lines[1:] if ln[0] in "-*•")
        seeds.append(json.dumps({"title": lines[0].lstrip("# "), "content": html_lib.escape(f"<ul>{items}</ul>")}).encode())
        seeds.append(json.dumps({"text": lines[0].lstrip("# "), "descriptionPlain": lines[1],
                                 "lists": [{"text": "Requirements", "content": items}]}).encode())
    seeds.append(b"title: Go dev\nrequirements:\n  - any_of: [Go, Rust]\n    min_years: 3\n")
    return seeds


ROLE_SEEDS = _role_seeds()


#: Tokens of job postings (Markdown, HTML, JSON, front matter, cue phrases) a mutation inserts.
ROLE_TOKENS = [b"\n", b"\n\n", b"## Requirements\n", b"- ", b"Nice to have:", b" or ", b", ", b" (", b")",
               b"5+ years of ", b"SQL", b"Big Data", b"data warehousing", b"query optimization", b"including ",
               b"<li>", b"</ul>", b"&lt;p&gt;", b"{", b"\"", b"---\n", b"title: ", b"requirements:", b"\xe2\x80\x93"]


@st.composite
def mutated_job(draw) -> bytes:
    return _mutate(draw, ROLE_SEEDS, ROLE_TOKENS, max_ops=6, max_insert=12)


def check_role(data: bytes | str, engine) -> None:
    """Job bytes (or text) -> role; anything but a MatcherError (or a hang) fails the test."""
    old = signal.signal(signal.SIGALRM, _alarm_role)
    signal.setitimer(signal.ITIMER_REAL, ROLE_SECONDS)
    t = time.perf_counter()
    try:
        text = job_text(data) if isinstance(data, str) else job_text_from_bytes(data)
        load_role_text(text, engine.skill_matcher)
    except MatcherError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.perf_counter() - t < ROLE_SECONDS


def _alarm_role(*_):
    raise Hang(f"input ran past {ROLE_SECONDS} s")


ROLE_FUZZ = settings(FUZZ, max_examples=300)


@ROLE_FUZZ
@given(data=mutated_job())
def test_mutated_job_postings_give_a_role_or_a_matcher_error(engine, data):
    check_role(data, engine)


@ROLE_FUZZ
@given(data=st.binary(max_size=2000) | st.text(max_size=2000))
def test_made_up_job_text_gives_a_role_or_a_matcher_error(engine, data):
    check_role(data, engine)


@settings(ROLE_FUZZ, max_examples=200)
@given(data=mutated_job())
def test_mutated_job_text_as_str_gives_a_role_or_a_matcher_error(engine, data):
    check_role(data.decode("utf-8", "replace"), engine)


@pytest.mark.parametrize("seed", range(len(ROLE_SEEDS)))
def test_role_seeds_keep_the_contract(engine, seed):
    check_role(ROLE_SEEDS[seed], engine)


BIG_DATA_POSTING = """Big Data Product Specialist, Google Cloud

## About the role
As a product specialist for our Big Data offerings you will work with customers on analytics, data
warehousing and migration projects.

## Minimum qualifications
- 4 years of experience in a technical customer-facing role
- Experience in Big Data, data warehousing and query optimization, including BigQuery, Dataflow, Looker and Apache Spark
- Experience with stored procedures, such as Oracle PL/SQL or Teradata, and migrating them to a cloud data warehouse

## Preferred qualifications
- Knowledge of Python or Java
"""


@pytest.mark.parametrize("shape", ["lines", "paragraph"])
def test_big_data_specialist_posting_parses(engine, shape):
    """Regression: a practice that implies SQL (query optimization, stored procedures) followed by
    more skills in the same sentence raised KeyError: 'sql' in roles._requirement_groups (the
    implied tool has no mention)."""
    text = BIG_DATA_POSTING if shape == "lines" else " ".join(BIG_DATA_POSTING.split())
    role, _spec, _warnings = load_role_text(text, engine.skill_matcher)
    assert role.groups


#: Reproducers the coverage-guided role fuzz found live in tests/data/fuzz/roles/ (none so far:
#: about 96,000 coverage-guided inputs found nothing). Every file there must keep the contract.
def test_role_fuzz_findings(engine):
    for path in sorted(ROLE_CRASHES.glob("*")) if ROLE_CRASHES.is_dir() else []:
        check_role(path.read_bytes(), engine)
