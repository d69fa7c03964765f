#!/usr/bin/env python
"""Serving overhead: the real server's match throughput and latency beside the engine's in-process rate.

    python bench/bench_serving.py [--servers 2] [--workers 2] [--fast-workers 1] [--matches 600]
                                  [--concurrency 50] [--sequential 100] [--attackers 32]
                                  [--attack-seconds 20] [--jobs] [--export-rows 10000]
                                  [--import-resumes 1000] [--json FILE]

1. Baseline, in this process: ``parse_bytes`` + a fit report (``match_profile`` with the role compiled
   once) of a 2.4 KB text résumé, one core: ms per match and matches/s per core.
2. The server (``python -m api serve --workers SERVERS``, SQLite in a temp directory, the rate and
   per-key parse limits off so the bench measures capacity, not fairness), a tenant, a stored role.
3. One client, sequential ``POST /v1/match`` (résumé text + ``role_id``): p50 / p99.
4. ``--concurrency`` asyncio clients sending ``--matches`` matches in all: throughput, p50, p99;
   a ``/healthz`` probe every 20 ms meanwhile.
5. ``--attackers`` threads uploading the hostile documents of ``load_under_attack.py`` for
   ``--attack-seconds``, with the ``/healthz`` probe.
6. With ``--jobs``: a ``--import-resumes`` ZIP imported as a job, then a ``--export-rows`` CSV
   export as a job (``GET /v1/jobs/{id}`` polled); time, peak RSS of the worker, and the latency
   of ``/healthz`` and of a ranking page meanwhile.

Ratios reported: server throughput / (in-process rate x cores); sequential p50 / in-process time.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from load_under_attack import EXTRAS, RESUME, SPEC, hostile_set, pct, seed, start_server  # noqa: E402

MATCH_RESUME = (REPO / "samples" / "resumes" / "01-perfect-fit-recsys.txt").read_text()


def in_process(n: int) -> float:
    """Seconds per parse + fit report, in this process on one core."""
    from matcher import build_engine, compile_role, load_role_spec, load_taxonomy, match_profile, parse_bytes, resolve_spec

    engine = build_engine(load_taxonomy(None))
    role = resolve_spec(load_role_spec(SPEC), engine.taxonomy)
    compiled = compile_role(role, engine.taxonomy)
    data = MATCH_RESUME.encode()
    for _ in range(20):
        match_profile(parse_bytes(data, engine, None), role, engine, compiled)
    t0 = time.perf_counter()
    for _ in range(n):
        match_profile(parse_bytes(data, engine, None), role, engine, compiled)
    return (time.perf_counter() - t0) / n


def ms(xs: list[float]) -> dict[str, float]:
    return {"n": len(xs), "p50_ms": round(pct(xs, 50) * 1000, 1), "p99_ms": round(pct(xs, 99) * 1000, 1),
            "max_ms": round(max(xs, default=0) * 1000, 1)}


class Probe(threading.Thread):
    """GET ``path`` every ``every`` seconds; latencies in ``lat``."""

    def __init__(self, base: str, path: str = "/healthz", every: float = 0.02, headers=None) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base, timeout=60, headers=headers or {})
        self.path, self.every = path, every
        self.lat: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.perf_counter()
            try:
                ok = self.client.get(self.path).status_code == 200
            except httpx.HTTPError:
                ok = False
            self.lat.append(time.perf_counter() - t)
            self.errors += not ok
            self.stop.wait(self.every)

    def finish(self) -> dict:
        self.stop.set()
        self.join(30)
        self.client.close()
        return {**ms(self.lat), "errors": self.errors}


async def _concurrent(base: str, headers: dict, body: dict, total: int, concurrency: int) -> tuple[float, list, dict]:
    lat: list[float] = []
    statuses: dict[int, int] = {}
    left = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as c:
        async def client() -> None:
            for _ in left:
                t = time.perf_counter()
                r = await c.post("/v1/match", json=body)
                lat.append(time.perf_counter() - t)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - t0, lat, statuses


def sequential(base: str, headers: dict, body: dict, n: int) -> list[float]:
    lat = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        for i in range(n + 10):
            t = time.perf_counter()
            r = c.post("/v1/match", json=body)
            assert r.status_code == 200, r.text[:300]
            if i >= 10:
                lat.append(time.perf_counter() - t)
    return lat


def under_attack(base: str, headers: dict, attackers: int, seconds: float) -> dict:
    hostile = hostile_set()
    stop = threading.Event()
    outcomes: dict[str, int] = {}

    def attack(i: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
            n = i
            while not stop.is_set():
                _, filename, data = hostile[n % len(hostile)]
                n += 1
                try:
                    code = str(c.post("/v1/candidates", files={"file": (filename, data)}).status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                outcomes[code] = outcomes.get(code, 0) + 1

    probe = Probe(base)
    threads = [threading.Thread(target=attack, args=(i,), daemon=True) for i in range(attackers)]
    probe.start()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    healthz = probe.finish()
    for t in threads:
        t.join(300)
    return {"healthz": healthz, "hostile_outcomes": outcomes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=2, help="server processes (skillmatch-api serve --workers)")
    ap.add_argument("--workers", type=int, default=2, help="parse workers per server process")
    ap.add_argument("--fast-workers", type=int, default=1)
    ap.add_argument("--matches", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--sequential", type=int, default=100)
    ap.add_argument("--baseline-n", type=int, default=200)
    ap.add_argument("--attackers", type=int, default=32)
    ap.add_argument("--attack-seconds", type=float, default=20)
    ap.add_argument("--jobs", action="store_true", help="also time a ZIP import and a CSV export as jobs")
    ap.add_argument("--export-rows", type=int, default=10_000)
    ap.add_argument("--import-resumes", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.parse_timeout, args.parse_memory_mb = 30.0, 2048

    report: dict = {"config": {k: str(v) for k, v in vars(args).items()}, "load_average_start": os.getloadavg()}
    per = in_process(args.baseline_n)
    cores = os.cpu_count() or 1
    report["in_process"] = {"ms_per_match": round(per * 1000, 2), "per_core_per_s": round(1 / per, 1), "cores": cores}
    print(f"in process: {per * 1000:.2f} ms a match, {1 / per:.0f}/s a core, {cores} cores", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="skillmatch-serving-"))
    db_url = f"sqlite:///{tmp / 'serving.db'}"
    keys = seed(db_url)
    env = {"SKILLMATCH_RATE_LIMIT_PER_MINUTE": "0", "SKILLMATCH_PARSES_IN_FLIGHT_PER_KEY": "100000"}
    proc, base = start_server(db_url, args, tmp / "server.log", env, ("--workers", str(args.servers)))
    worker = None
    try:
        rh = {"Authorization": f"Bearer {keys['recruiter']}"}
        ah = {"Authorization": f"Bearer {keys['ats']}"}
        role_id = httpx.post(base + "/v1/roles", json={"spec": SPEC}, headers=rh, timeout=60).json()["id"]
        body = {"role_id": role_id, "text": MATCH_RESUME}
        seq = sequential(base, ah, body, args.sequential)
        report["sequential"] = {**ms(seq), "ratio_p50_to_in_process": round(pct(seq, 50) / per, 2)}
        print("sequential", report["sequential"], flush=True)

        probe = Probe(base)
        probe.start()
        wall, lat, statuses = asyncio.run(_concurrent(base, ah, body, args.matches, args.concurrency))
        rate = len(lat) / wall
        report["concurrent"] = {**ms(lat), "statuses": statuses, "per_s": round(rate, 1),
                                "ratio_to_in_process_x_cores": round(rate / (cores / per), 2),
                                "healthz": probe.finish(), "load_average": os.getloadavg()}
        print("concurrent", report["concurrent"], flush=True)

        report["attack"] = under_attack(base, ah, args.attackers, args.attack_seconds)
        print("attack", report["attack"], flush=True)
        if args.jobs:
            worker = start_worker(db_url, tmp / "worker.log")
            report["jobs"] = jobs_part(base, rh, ah, role_id, args, worker)
            print("jobs", report["jobs"], flush=True)
    finally:
        for p in (worker, proc):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


# ------------------------------------------------------------------ jobs

def start_worker(db_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "SKILLMATCH_LOG_LEVEL": "WARNING"}
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "api", "worker"], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _tree_rss(proc: subprocess.Popen) -> int:
    try:
        p = psutil.Process(proc.pid)
        return p.memory_info().rss + sum(k.memory_info().rss for k in p.children(recursive=True))
    except psutil.Error:
        return 0


def follow_job(base: str, headers: dict, job_id: str, worker: subprocess.Popen, probes: list[Probe]) -> dict:
    """Poll a job to its end; its time, the worker's peak RSS, the probes' latencies meanwhile."""
    t0, peak = time.perf_counter(), 0
    for p in probes:
        p.start()
    with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        while True:
            peak = max(peak, _tree_rss(worker))
            job = c.get(f"/v1/jobs/{job_id}").json()
            if job["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.1)
    return {"seconds": round(time.perf_counter() - t0, 1), "status": job["status"], "progress": job.get("progress"),
            "worker_peak_rss_mb": round(peak / 2**20), "latency": [p.finish() for p in probes]}


def resume_zip(n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr(f"r{i:05d}.txt", RESUME.format(n=i, y=10 + i % 14, extra=EXTRAS[i % 8]))
    return out.getvalue()


def jobs_part(base: str, rh: dict, ah: dict, role_id: str, args, worker: subprocess.Popen) -> dict:
    out = {}
    data = resume_zip(args.import_resumes)
    r = httpx.post(base + "/v1/imports", files={"file": ("resumes.zip", data, "application/zip")}, headers=ah, timeout=120)
    assert r.status_code == 202, r.text[:300]
    ranking = f"/v1/roles/{role_id}/ranking?limit=20"
    out["zip_import"] = {"resumes": args.import_resumes, "zip_bytes": len(data), **follow_job(
        base, ah, r.json()["id"], worker, [Probe(base), Probe(base, ranking, 0.2, rh)])}
    with httpx.Client(base_url=base, headers=ah, timeout=120) as c:
        have = c.get("/v1/candidates", params={"limit": 1}, headers=rh).json()["total"]
        batch = [{"id": str(i), "text": RESUME.format(n=i, y=10 + i % 14, extra=EXTRAS[i % 8])}
                 for i in range(max(0, args.export_rows - have))]
        for i in range(0, len(batch), 500):
            r = c.post("/v1/imports", json={"resumes": batch[i:i + 500]})
            follow_job(base, ah, r.json()["id"], worker, [])
    r = httpx.post(f"{base}/v1/roles/{role_id}/exports", headers=rh, timeout=120)
    assert r.status_code == 202, r.text[:300]
    out["csv_export"] = {"rows": args.export_rows, **follow_job(base, rh, r.json()["id"], worker,
                                                                 [Probe(base), Probe(base, ranking, 0.2, rh)])}
    return out


if __name__ == "__main__":
    main()
