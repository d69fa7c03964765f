#!/usr/bin/env python
"""Coverage-guided fuzzing of the document readers and the whole parse pipeline (atheris).

    python bench/fuzz_readers.py [--runs 1000000] [--workdir /tmp/skillmatch-fuzz] [--timeout S]
                                 [--no-pipeline | --pipeline-every N] [--max-len 65536] [libFuzzer flags]
    python bench/fuzz_readers.py --replay FILE...      run saved inputs once, print what they raise
    python bench/fuzz_readers.py --target roles [--runs N] [--timeout 2]   role text (job postings)

Each input goes through ``matcher.documents.read_document`` with the service's configured
``ReadLimits`` (``api.settings.Settings``) and, when it reads, through ``parse_document`` on the
bundled engine (sections, positions, skills, profile); ``--pipeline-every N`` parses 1 in N of
the inputs that read (picked by CRC32), trading pipeline runs for reader iterations. The contract
checked: the only exceptions that may leave are ``matcher.errors.MatcherError`` subclasses. Anything else is a finding, and so
is an input that runs past the per-input limit (``--timeout``, default the service's
``parse_timeout_seconds``; a ``setitimer`` alarm interrupts it) -- both are recorded and the run
goes on (libFuzzer would stop at the first crash): the input is saved under
``WORKDIR/crashes/<signature>.bin`` and one JSON line per new signature is appended to
``WORKDIR/crashes.jsonl``. ``WORKDIR/stats.json`` is rewritten every 10 000 inputs and at the
end: iterations, seconds, outcomes by error code, findings, the slowest input.

Seeds (written to ``WORKDIR/seeds``): the text résumés in ``samples/`` and ``tests/data``, small
generated PDFs (reportlab: compressed and uncompressed content streams, hidden text, a table)
and DOCX files (python-docx with text boxes, tables and hidden runs; a stored, uncompressed
minimal one so mutations reach the XML). Files over ``--max-len`` bytes are left out of the seeds
(the 190 KB sample PDF): mutating big inputs costs more than it finds.

``--target roles`` fuzzes job postings instead: each input goes through
``matcher.job_input.job_text_from_bytes`` (with no file name for half the inputs, else ``job.md``
or ``job.html``, picked by CRC32 of the input; JSON is sniffed) and then ``matcher.roles.load_role_text`` on the bundled
engine's skill matcher; 1 in 4 inputs also goes through the text path (``job_text`` on the input
decoded as UTF-8). Same contract -- a role or a ``MatcherError``, within ``--timeout`` (default
2 s here) -- and the same findings files (default workdir ``/tmp/skillmatch-fuzz-roles``). Seeds:
the job fixtures in ``tests/data/jobs`` and ``samples/roles``, every 12th posting of
``bench/data/job-postings/postings``, one-paragraph versions of the fixtures (lines joined by
spaces), small Greenhouse / Lever / generic JSON job objects and HTML fragments made from them.

Instrumented for coverage: ``matcher`` and ``pdfminer`` (spaCy, lxml and zlib are not). Needs
the ``fuzz`` extra (``pip install -e '.[fuzz]'``: atheris) and the ``test`` extra (reportlab).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import os
import signal
import sys
import time
import traceback
import zipfile
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class Hang(BaseException):
    """Raised by the alarm: a BaseException so no reader's ``except Exception`` can swallow it."""


# ------------------------------------------------------------------ seeds

def _pdf(compress: bool, lines: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1 if compress else 0, invariant=1)
    y = 800
    for i, ln in enumerate(lines):
        c.setFont("Helvetica-Bold" if ln.isupper() else "Helvetica", 12 if ln.isupper() else 10)
        if i == 5:
            c.setFillColorRGB(1, 1, 1)  # one white line: the hidden-text path
        c.drawString(50, y, ln)
        c.setFillColorRGB(0, 0, 0)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


MINI_DOCX_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>EXPERIENCE</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">Senior Engineer, Acme\t2019 - Present</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>Built services in Python and Go on Kubernetes.</w:t></w:r>'
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t>Haskell</w:t></w:r></w:p>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>SKILLS</w:t></w:r></w:p></w:tc>'
    '<w:tc><w:p><w:r><w:t>PyTorch, SQL</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    '</w:body></w:document>'
)


def _mini_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", MINI_DOCX_XML)
    return buf.getvalue()


def build_seeds() -> dict[str, bytes]:
    """Seed inputs by name (text files from the repository, generated PDFs and DOCX files)."""
    seeds: dict[str, bytes] = {}
    for d in (REPO / "samples" / "resumes", REPO / "samples" / "roles", REPO / "tests" / "data" / "labelled",
              REPO / "tests" / "data" / "jobs"):
        for p in sorted(d.glob("*")):
            if p.is_file() and p.suffix in {".txt", ".md", ".pdf", ".docx"}:
                seeds[f"{d.name}-{p.name}"] = p.read_bytes()
    lines = ["JANE ROE", "jane@example.com | Berlin", "EXPERIENCE", "Senior Data Engineer   Mar 2021 - Present",
             "Built Kafka and Spark pipelines in Python", "WHITE Haskell", "SKILLS", "Python, SQL, Terraform"]
    try:
        seeds["gen-plain.pdf"] = _pdf(False, lines)
        seeds["gen-flate.pdf"] = _pdf(True, lines)
        sys.path.insert(0, str(REPO / "tests" / "matcher"))
        import conftest as builders  # tests/matcher/conftest.py: the reader tests' PDF/DOCX builders

        seeds["gen-hidden.pdf"] = builders.build_hidden_pdf()
        seeds["gen-table.pdf"] = builders.build_table_pdf()
        seeds["gen-two-column.pdf"] = builders.build_resume_pdf("sidebar-left")[0]
        seeds["gen-full.docx"] = builders.build_docx()
    except ImportError as exc:  # reportlab / python-docx / pytest are test extras
        print(f"fuzz_readers: generated seeds skipped ({exc})", file=sys.stderr)
    seeds["gen-mini-stored.docx"] = _mini_docx()
    return seeds


def _one_paragraph(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def build_role_seeds() -> dict[str, bytes]:
    """Seed job postings by name: fixtures, real postings, one-paragraph and ATS-JSON/HTML versions."""
    import html as html_lib

    seeds: dict[str, bytes] = {}
    fixtures = [p for p in sorted((REPO / "tests" / "data" / "jobs").glob("*"))
                if p.is_file() and p.suffix in {".txt", ".md"} and p.name != "README.md"]
    for p in fixtures + sorted((REPO / "samples" / "roles").glob("*")):
        if p.is_file():
            seeds[f"{p.parent.name}-{p.name}"] = p.read_bytes()
    postings = sorted((REPO / "bench" / "data" / "job-postings" / "postings").glob("*"))
    for p in postings[::12]:
        seeds[f"posting-{p.name}"] = p.read_bytes()
    for p in fixtures:
        text = p.read_text(encoding="utf-8")
        seeds[f"paragraph-{p.name}"] = _one_paragraph(text).encode()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title, body = lines[0].lstrip("# "), lines[1:]
        items = "".join(f"<li>{html_lib.escape(ln.lstrip('-*• '))}</li>" for ln in body
                        if ln.startswith(("-", "*", "•")))
        paras = "".join(f"<h2>{html_lib.escape(ln.lstrip('# '))}</h2>" if ln.startswith("#") or ln.endswith(":")
                        else f"<p>{html_lib.escape(ln)}</p>" for ln in body if not ln.startswith(("-", "*", "•")))
        fragment = f"{paras}<ul>{items}</ul>"
        stem = p.stem
        seeds[f"html-{stem}.html"] = fragment.encode()
        seeds[f"greenhouse-{stem}.json"] = json.dumps(
            {"id": 1, "title": title, "content": html_lib.escape(fragment), "location": {"name": "Remote"}}).encode()
        seeds[f"lever-{stem}.json"] = json.dumps(
            {"text": title, "descriptionPlain": "\n".join(ln for ln in body if not ln.startswith(("-", "*", "•"))),
             "lists": [{"text": "Requirements", "content": items}], "categories": {"commitment": "Full-time"}}).encode()
        seeds[f"generic-{stem}.json"] = json.dumps({"job_title": title, "body": text}).encode()
    seeds["spec-json.json"] = b'{"title": "Go dev", "requirements": [{"any_of": ["Go", "Rust"], "required": true}]}'
    seeds["spec-yaml.yaml"] = b"title: Go dev\nlevel: senior\nrequirements:\n  - any_of: [Go]\n    min_years: 3\n"
    return seeds


# ------------------------------------------------------------------ the target

class Harness:
    """Runs one input, classifies the outcome, records findings; never raises (the run goes on)."""

    def __init__(self, workdir: Path, timeout: float, pipeline: bool, runs: int, pipeline_every: int = 1,
                 target: str = "readers") -> None:
        from api.settings import Settings
        from matcher.errors import MatcherError
        from matcher.pipeline import build_engine, parse_document

        self.MatcherError = MatcherError
        self.parse_document = parse_document
        self.limits = Settings().read_limits()
        self.target = target
        self.engine = build_engine(limits=self.limits) if pipeline or target == "roles" else None
        self.workdir = workdir
        self.timeout = timeout
        self.runs = runs
        self.pipeline_every = max(1, pipeline_every)
        self.n = 0
        self.t0 = time.time()
        self.outcomes: Counter[str] = Counter()
        self.findings: dict[str, dict] = {}
        self.slowest = (0.0, "")
        (workdir / "crashes").mkdir(parents=True, exist_ok=True)
        signal.signal(signal.SIGALRM, self._alarm)

    def _alarm(self, *_):
        raise Hang(f"input ran past {self.timeout:g} s")

    def run_one(self, data: bytes) -> str:
        if self.target == "roles":
            return self.run_role(data)
        from matcher.documents import read_document

        doc = read_document(data, limits=self.limits)
        if self.engine is not None and (self.pipeline_every == 1 or zlib.crc32(data) % self.pipeline_every == 0):
            self.parse_document(doc, self.engine)
            return "parsed"
        return "read"

    ROLE_FILENAMES = (None, None, "job.md", "job.html")  # JSON is sniffed; declared JSON that is not stops early

    def run_role(self, data: bytes) -> str:
        """Job bytes -> text -> role (and 1 in 4 inputs: the decoded text through ``job_text`` too)."""
        from matcher.job_input import job_text, job_text_from_bytes
        from matcher.roles import load_role_text

        crc = zlib.crc32(data)
        if crc % 4 == 0:
            try:
                load_role_text(job_text(data.decode("utf-8", "replace")), self.engine.skill_matcher)
            except self.MatcherError:
                pass
        text = job_text_from_bytes(data, filename=self.ROLE_FILENAMES[(crc >> 2) % 4], limits=self.limits)
        load_role_text(text, self.engine.skill_matcher)
        return "role"

    def __call__(self, data: bytes) -> None:
        self.n += 1
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            outcome = self.run_one(data)
        except self.MatcherError as exc:
            outcome = exc.code
        except Hang as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if self.hang_reproduces(data):
                outcome = "FINDING"
                self.record(data, exc)
            else:  # the machine was busy (the limit is wall-clock): a second run finished in time
                outcome = "slow_once_not_reproduced"
        except Exception as exc:  # noqa: BLE001 - the finding we are here for
            signal.setitimer(signal.ITIMER_REAL, 0)
            outcome = "FINDING"
            self.record(data, exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t
        self.outcomes[outcome] += 1
        if dt > self.slowest[0]:
            self.slowest = (dt, hashlib.sha1(data).hexdigest()[:16])
            if dt > 1.0:
                (self.workdir / "slowest.bin").write_bytes(data)
        if self.n % 10_000 == 0 or self.n == self.runs:
            self.write_stats()

    def hang_reproduces(self, data: bytes) -> bool:
        """Run an input that ran past the limit once more: a hang is a finding only when it hangs
        again (the limit is wall-clock, so a loaded machine alone can trip it once)."""
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            self.run_one(data)
        except Hang:
            return True
        except Exception:  # noqa: BLE001 - any other outcome finished within the limit
            return False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return False

    def record(self, data: bytes, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb) if "/matcher/" in f.filename),
                     f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?")
        sig = f"{type(exc).__name__}@{where}"
        if sig in self.findings:
            self.findings[sig]["count"] += 1
            return
        name = hashlib.sha1(sig.encode()).hexdigest()[:12]
        (self.workdir / "crashes" / f"{name}.bin").write_bytes(data)
        self.findings[sig] = {"signature": sig, "count": 1, "file": f"crashes/{name}.bin", "iteration": self.n,
                              "message": str(exc)[:300], "traceback": "".join(traceback.format_tb(exc.__traceback__))[-3000:]}
        with open(self.workdir / "crashes.jsonl", "a") as f:
            f.write(json.dumps(self.findings[sig]) + "\n")
        print(f"fuzz_readers: FINDING {sig}: {str(exc)[:200]}", file=sys.stderr, flush=True)

    def write_stats(self) -> None:
        stats = {
            "iterations": self.n, "seconds": round(time.time() - self.t0, 1),
            "per_second": round(self.n / max(time.time() - self.t0, 1e-9), 1),
            "outcomes": dict(self.outcomes.most_common()),
            "findings": [{k: v[k] for k in ("signature", "count", "file", "message")} for v in self.findings.values()],
            "slowest_input_seconds": round(self.slowest[0], 3), "slowest_input_sha1": self.slowest[1],
            "timeout_seconds": self.timeout, "pipeline": self.engine is not None,
            "pipeline_every": self.pipeline_every, "target": self.target,
        }
        tmp = self.workdir / "stats.json.tmp"
        tmp.write_text(json.dumps(stats, indent=1))
        os.replace(tmp, self.workdir / "stats.json")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=("readers", "roles"), default="readers",
                    help="readers: résumé documents through read_document (+ parse_document); roles: job postings "
                         "through job_input + roles.load_role_text")
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="default /tmp/skillmatch-fuzz (readers) or /tmp/skillmatch-fuzz-roles (roles)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="per-input limit, s (default: parse_timeout_seconds; roles: 2)")
    ap.add_argument("--no-pipeline", action="store_true", help="read_document only")
    ap.add_argument("--pipeline-every", type=int, default=1,
                    help="run the parse pipeline on 1 in N inputs that read (a hash of the input picks them)")
    ap.add_argument("--max-len", type=int, default=65536)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--replay", type=Path, nargs="*", help="run these inputs once (no atheris)")
    ap.add_argument("--instrument", choices=("matcher+pdfminer", "matcher"), default=None,
                    help="what gets coverage instrumentation (default: matcher+pdfminer for readers, matcher for "
                         "roles; pdfminer's own cost dominates either way; with no instrumentation at all libFuzzer "
                         "has no coverage and shrinks the corpus to one byte)")
    args, extra = ap.parse_known_args()
    roles = args.target == "roles"
    if args.workdir is None:
        args.workdir = Path("/tmp/skillmatch-fuzz-roles" if roles else "/tmp/skillmatch-fuzz")
    if args.instrument is None:
        args.instrument = "matcher" if roles else "matcher+pdfminer"
    logging.disable(logging.CRITICAL)  # pdfminer warns on every broken object
    if args.replay is None:
        import atheris

        include = {"matcher+pdfminer": ["matcher", "pdfminer"], "matcher": ["matcher"]}[args.instrument]
        with atheris.instrument_imports(include=include):  # before anything imports them
            import matcher.documents
            import matcher.documents.docx
            import matcher.documents.pdf
            import matcher.documents.text
            import matcher.job_input
            import matcher.job_structure
            import matcher.pipeline
            import matcher.roles  # noqa: F401

    from api.settings import Settings

    if args.timeout is not None:
        timeout = args.timeout
    else:
        timeout = 2.0 if roles else Settings().parse_timeout_seconds
    args.workdir.mkdir(parents=True, exist_ok=True)

    if args.replay is not None:
        h = Harness(args.workdir / "replay", timeout, not args.no_pipeline, len(args.replay), target=args.target)
        for p in args.replay:
            h(p.read_bytes())
            print(p, dict(h.outcomes), list(h.findings))
            h.outcomes.clear()
        raise SystemExit(1 if h.findings else 0)

    seed_dir = args.workdir / "seeds"
    corpus = args.workdir / "corpus"
    seed_dir.mkdir(exist_ok=True)
    corpus.mkdir(exist_ok=True)
    kept = 0
    for name, data in (build_role_seeds() if roles else build_seeds()).items():
        if len(data) <= args.max_len:
            (seed_dir / name).write_bytes(data)
            kept += 1
    print(f"fuzz_readers: {kept} seeds in {seed_dir}; per-input limit {timeout:g} s; {args.runs} runs", file=sys.stderr)

    harness = Harness(args.workdir, timeout, not args.no_pipeline, args.runs, args.pipeline_every, target=args.target)
    atheris.Setup(
        [sys.argv[0], str(corpus), str(seed_dir), f"-runs={args.runs}", f"-max_len={args.max_len}",
         f"-timeout={int(timeout) + 30}", "-rss_limit_mb=4096", f"-seed={args.seed}", "-print_final_stats=1", *extra],
        harness,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
