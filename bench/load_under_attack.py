#!/usr/bin/env python
"""Normal traffic while 32 clients upload hostile documents: latencies, memory, limits held.

    python bench/load_under_attack.py [--attackers 32] [--seconds 60] [--baseline-seconds 20]
                                      [--parse-timeout 30] [--parse-memory-mb 2048] [--workers 2]
                                      [--candidates 200] [--json FILE]

Starts the real server (``python -m api serve``, SQLite in a temp directory, the given parse
limits), seeds a tenant with a role and ``--candidates`` small text résumés, then runs for
``--baseline-seconds`` with normal clients only and for ``--seconds`` with the attackers too:

* normal clients: 2 recruiters ranking the role (``GET /v1/roles/{id}/ranking?limit=20``), 2 ATS
  clients matching a small text résumé to it (``POST /v1/match``, a parse in a worker), and a
  ``/healthz`` probe every 100 ms;
* attackers (``--attackers`` threads, each looping over the hostile set, uploading to
  ``POST /v1/candidates``): a PDF whose Flate stream inflates to 300 MB (decompression bomb), a
  PDF with an 80 MB content stream of text operators (a slow parse), a DOCX whose document.xml
  inflates to 90 MB of paragraphs (giant DOCX), a DOCX whose zip headers declare 1 KB for a 200 MB part,
  a PDF claiming 10^6 pages, and 20 MB of text.

Reported: p50/p99/max and error counts of each normal request kind in both phases, the outcome
(status/code) of the hostile uploads, peak RSS of the server and its parse workers (psutil,
sampled every 100 ms; the workers share the engine's pages copy-on-write, so the sum over-counts),
the largest growth of a worker's address space over its start, and the slowest hostile response.
Checked (exit status 1 when missed): the server stays up, every worker's address-space growth stays
under ``parse_memory_mb``, no hostile upload is stored, and every hostile response comes back within
the time a queued parse may take (wait for a worker, up to 4 x timeout, plus the timeout, plus 10 s).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SPEC = {"title": "Data Engineer", "requirements": [
    {"any_of": ["Python"], "required": True}, {"any_of": ["Apache Kafka", "Apache Spark"], "required": True},
    {"any_of": ["Kubernetes"], "required": False}]}
RESUME = """Candidate {n}
Data Engineer

EXPERIENCE
Data Engineer - Northwind
March 20{y:02d} - Present
- Built Kafka and Spark pipelines in Python and SQL on Kubernetes

SKILLS
Python, SQL, {extra}
"""
EXTRAS = ["PyTorch", "Apache Kafka", "Go", "Terraform", "Docker", "Apache Spark", "Scala", "Rust"]


# ------------------------------------------------------------------ hostile documents

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 = catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    z = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(z), extra) + z + b"\nendstream"


def _page_pdf(content: bytes, count: int = 1) -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def _docx(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _lying_docx() -> bytes:
    """A zip whose central directory declares 1 KB for a part that inflates to 200 MB."""
    data = bytearray(_docx(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                           b"<w:body>" + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1 + b" " * 200_000_000
                           + b"</w:body></w:document>"))
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries: uncompressed size
        data[pos + 24:pos + 28] = (1024).to_bytes(4, "little")
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:  # local headers too
        data[pos + 22:pos + 26] = (1024).to_bytes(4, "little")
        pos += 4
    return bytes(data)


def hostile_set() -> list[tuple[str, str, bytes]]:
    """(name, filename, bytes)"""
    t = time.perf_counter()
    bomb = _page_pdf(b"\0" * 300_000_000)
    slow = _page_pdf(b"BT /F1 10 Tf 50 700 Td (Python Kafka Spark SQL) Tj ET\n" * 1_500_000)
    giant = _docx(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                  + b"<w:p><w:r><w:t>Python and Kafka developer</w:t></w:r></w:p>" * 1_800_000
                  + b"</w:body></w:document>")
    out = [
        ("pdf_flate_bomb_300MB", "bomb.pdf", bomb),
        ("pdf_slow_80MB_content", "slow.pdf", slow),
        ("docx_giant_90MB_xml", "giant.docx", giant),
        ("docx_lying_zip_200MB", "lying.docx", _lying_docx()),
        ("pdf_million_pages", "pages.pdf", _page_pdf(b"BT /F1 10 Tf 50 700 Td (x) Tj ET", count=1_000_000)),
        ("text_20MB", "big.txt", (b"Python Kafka Spark developer. " * 700_000)[:19_999_000]),
    ]
    print(f"hostile set built in {time.perf_counter() - t:.1f} s: "
          + ", ".join(f"{n} {len(b) / 1e6:.2f} MB" for n, _, b in out), flush=True)
    return out


# ------------------------------------------------------------------ server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, args, log: Path, extra_env: dict[str, str] | None = None,
                 serve_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    port = free_port()
    lanes = {} if args.workers is None else {"SKILLMATCH_PARSE_WORKERS": str(args.workers)}
    env = {**os.environ, "DATABASE_URL": db_url, **lanes,
           "SKILLMATCH_PARSE_FAST_WORKERS": str(args.fast_workers),
           "SKILLMATCH_PARSE_TIMEOUT_SECONDS": str(args.parse_timeout),
           "SKILLMATCH_PARSE_MEMORY_MB": str(args.parse_memory_mb), "SKILLMATCH_LOG_LEVEL": "WARNING",
           **(extra_env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "api", "serve", "--port", str(port), *serve_args], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server not ready")


def seed(db_url: str) -> dict[str, str]:
    from api.settings import Settings
    from api.state import AppState
    from api.store import queries

    state = AppState(Settings(database_url=db_url))
    state.migrate()
    with state.sessions() as db:
        t = queries.create_tenant(db, f"attack-{uuid.uuid4().hex[:6]}")
        keys = {r: queries.create_key(db, t.id, r, r)[1] for r in ("recruiter", "ats")}
        db.commit()
    state.db.dispose()
    keys["tenant_id"] = t.id
    return keys


# ------------------------------------------------------------------ measuring

class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.phase = "baseline"

    def add(self, kind: str, seconds: float, outcome: str) -> None:
        with self.lock:
            key = f"{self.phase}:{kind}"
            self.lat[key].append(seconds)
            self.outcomes[key][outcome] += 1


def timed(rec: Recorder, kind: str, fn) -> None:
    t = time.perf_counter()
    try:
        r = fn()
        outcome = str(r.status_code)
        if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/problem+json"):
            outcome += "/" + r.json().get("code", "?")
    except httpx.TimeoutException:
        outcome = "client_timeout"
    except httpx.TransportError as exc:
        outcome = type(exc).__name__
    rec.add(kind, time.perf_counter() - t, outcome)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] if xs else float("nan")


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.server = psutil.Process(pid)
        self.stop = threading.Event()
        self.peak_total_rss = 0
        self.peak_server_rss = 0
        self.peak_worker_rss = 0
        self.worker_vms_start: dict[int, int] = {}
        self.peak_worker_vms_growth = 0
        self.workers_seen: set[int] = set()
        self.max_workers_at_once = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                srv = self.server.memory_info().rss
                kids = self.server.children()
                total, n = srv, 0
                for k in kids:
                    try:
                        mi = k.memory_info()
                    except psutil.Error:
                        continue
                    n += 1
                    total += mi.rss
                    self.peak_worker_rss = max(self.peak_worker_rss, mi.rss)
                    start = self.worker_vms_start.setdefault(k.pid, mi.vms)
                    self.peak_worker_vms_growth = max(self.peak_worker_vms_growth, mi.vms - start)
                    self.workers_seen.add(k.pid)
                self.max_workers_at_once = max(self.max_workers_at_once, n)
                self.peak_server_rss = max(self.peak_server_rss, srv)
                self.peak_total_rss = max(self.peak_total_rss, total)
            except psutil.Error:
                pass
            time.sleep(0.1)


def loop(stop: threading.Event, fn, pause: float = 0.0) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            fn()
            if pause:
                time.sleep(pause)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--attackers", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=20)
    ap.add_argument("--parse-timeout", type=float, default=30.0)
    ap.add_argument("--parse-memory-mb", type=int, default=2048)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--fast-workers", type=int, default=1, help="the small-input lane (SKILLMATCH_PARSE_FAST_WORKERS)")
    ap.add_argument("--candidates", type=int, default=200)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    hostile = hostile_set()
    tmp = Path(tempfile.mkdtemp(prefix="skillmatch-attack-"))
    db_url = f"sqlite:///{tmp / 'attack.db'}"
    keys = seed(db_url)
    proc, base = start_server(db_url, args, tmp / "server.log")
    sampler = MemorySampler(proc.pid)
    failures: list[str] = []
    try:
        rh = {"Authorization": f"Bearer {keys['recruiter']}"}
        ah = {"Authorization": f"Bearer {keys['ats']}"}
        role_id = httpx.post(base + "/v1/roles", json={"spec": SPEC}, headers=rh, timeout=60).json()["id"]
        with httpx.Client(base_url=base, headers=ah, timeout=60) as c:
            for n in range(args.candidates):
                r = c.post("/v1/candidates", json={"text": RESUME.format(n=n, y=10 + n % 14, extra=EXTRAS[n % 8])})
                assert r.status_code == 201, r.text
        httpx.get(f"{base}/v1/roles/{role_id}/ranking", headers=rh, timeout=120)  # scores cached once
        sampler.start()
        rec = Recorder()
        stop = threading.Event()
        clients = [httpx.Client(base_url=base, timeout=300) for _ in range(5)]
        match_body = {"role_id": role_id, "text": RESUME.format(n=999, y=18, extra="Apache Spark")}
        threads = [
            loop(stop, lambda c=clients[0]: timed(rec, "ranking", lambda: c.get(
                f"/v1/roles/{role_id}/ranking", params={"limit": 20}, headers=rh))),
            loop(stop, lambda c=clients[1]: timed(rec, "ranking", lambda: c.get(
                f"/v1/roles/{role_id}/ranking", params={"limit": 20}, headers=rh))),
            loop(stop, lambda c=clients[2]: timed(rec, "match", lambda: c.post("/v1/match", json=match_body, headers=ah))),
            loop(stop, lambda c=clients[3]: timed(rec, "match", lambda: c.post("/v1/match", json=match_body, headers=ah))),
            loop(stop, lambda c=clients[4]: timed(rec, "healthz", lambda: c.get("/healthz")), pause=0.1),
        ]
        print(f"baseline: {args.baseline_seconds:g} s of normal traffic", flush=True)
        time.sleep(args.baseline_seconds)
        with rec.lock:
            rec.phase = "attack"
        attack_stop = threading.Event()
        counter = iter(range(10**9))

        def attack(i: int) -> None:
            with httpx.Client(base_url=base, headers=ah, timeout=600) as c:
                while not attack_stop.is_set():
                    name, filename, data = hostile[(next(counter) + i) % len(hostile)]
                    timed(rec, f"hostile:{name}", lambda f=filename, d=data: c.post("/v1/candidates", files={"file": (f, d)}))

        attackers = [threading.Thread(target=attack, args=(i,), daemon=True) for i in range(args.attackers)]
        for t in attackers:
            t.start()
        print(f"attack: {args.attackers} hostile uploaders for {args.seconds:g} s", flush=True)
        time.sleep(args.seconds)
        attack_stop.set()
        stop.set()
        deadline = 5 * args.parse_timeout + 30
        for t in attackers + threads:
            t.join(deadline)
        sampler.stop.set()
        sampler.join(5)
        alive = proc.poll() is None
        stored = httpx.get(base + "/v1/candidates", headers=rh, params={"limit": 1}, timeout=60).json()["total"] if alive else -1
    finally:
        sampler.stop.set()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    mb = 1024 * 1024
    report: dict = {"config": {k: v for k, v in vars(args).items() if k != "json"}, "requests": {}}
    print(f"\n{'phase:kind':44} {'n':>6} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}  outcomes")
    for key in sorted(rec.lat):
        xs = rec.lat[key]
        row = {"n": len(xs), "p50_ms": round(pct(xs, 50) * 1000, 1), "p99_ms": round(pct(xs, 99) * 1000, 1),
               "max_ms": round(max(xs) * 1000, 1), "outcomes": dict(rec.outcomes[key].most_common())}
        report["requests"][key] = row
        print(f"{key:44} {row['n']:>6} {row['p50_ms']:>9} {row['p99_ms']:>9} {row['max_ms']:>9}  {row['outcomes']}")
    hostile_max = max((max(v) for k, v in rec.lat.items() if ":hostile:" in k), default=0.0)
    report["memory"] = {
        "peak_total_rss_mb": round(sampler.peak_total_rss / mb), "peak_server_rss_mb": round(sampler.peak_server_rss / mb),
        "peak_worker_rss_mb": round(sampler.peak_worker_rss / mb),
        "peak_worker_address_space_growth_mb": round(sampler.peak_worker_vms_growth / mb),
        "workers_seen": len(sampler.workers_seen), "max_workers_at_once": sampler.max_workers_at_once,
    }
    report["server_alive"] = alive
    report["stored_candidates"] = stored
    report["slowest_hostile_response_s"] = round(hostile_max, 1)
    print(json.dumps(report["memory"]), f"server alive: {alive}; candidates stored: {stored} "
          f"(seeded {args.candidates}); slowest hostile response {hostile_max:.1f} s", sep="\n")

    if not alive:
        failures.append("the server died")
    if sampler.peak_worker_vms_growth > args.parse_memory_mb * mb:
        failures.append(f"a worker grew {sampler.peak_worker_vms_growth / mb:.0f} MB > parse_memory_mb")
    if stored != args.candidates:
        failures.append(f"{stored - args.candidates} hostile uploads were stored")
    if hostile_max > 5 * args.parse_timeout + 10:
        failures.append(f"a hostile upload took {hostile_max:.0f} s")
    if sampler.max_workers_at_once > args.workers + args.fast_workers:
        failures.append(f"{sampler.max_workers_at_once} workers at once")
    report["failures"] = failures
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    print("FAILED: " + "; ".join(failures) if failures else "limits held")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
