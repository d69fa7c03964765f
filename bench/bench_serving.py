#!/usr/bin/env python
"""Serving overhead: the real server's match throughput and latency beside the engine's in-process rate.

    bash scripts/bench_tools.sh          # wrk, the C load generator (Debian package)
    python bench/bench_serving.py [--servers 2] [--workers N] [--fast-workers 1] [--seconds 15]
                                  [--worker-nice N]
                                  [--concurrency 50] [--sequential-seconds 8] [--attackers 32]
                                  [--attack-seconds 20] [--jobs] [--export-rows 10000]
                                  [--import-resumes 1000] [--json FILE]

The load and the probes come from ``wrk`` (C, one thread), not from Python clients in this process:
on a 2-core machine a Python load generator takes much of the CPU the server needs. Its CPU time is
reported as ``client_cpu_share`` (of the server's and the client's CPU together).

1. Baseline, in this process: ``parse_bytes`` + a fit report (``match_profile`` with the role compiled
   once) of a 2.4 KB text résumé, one core: ms per match. Measured again beside every server phase
   (before and after it), and as ``cores`` forked processes at once (what the machine's cores really
   give together, which on a shared or virtual machine is less than cores x one core).
2. The server (``python -m api serve --workers SERVERS``, SQLite in a temp directory, the rate and
   per-key parse limits off so the bench measures capacity, not fairness), a tenant, a stored role.
3. One client, sequential ``POST /v1/match`` (résumé text + ``role_id``) for ``--sequential-seconds``:
   p50 / p99 (``wrk -c1``).
4. ``--concurrency`` connections sending matches for ``--seconds``: throughput, p50, p99, and the CPU
   seconds per match of the server processes and of the parse workers; a ``/healthz`` probe every
   20 ms meanwhile (a second ``wrk``, one connection).
5. ``--attackers`` threads uploading the hostile documents of ``load_under_attack.py`` for
   ``--attack-seconds``, with the ``/healthz`` probe; and the probe alone for a few seconds before,
   on the same machine (what the machine's other load costs a health check with no attack).
6. With ``--jobs``: a ``--import-resumes`` ZIP imported as a job, then a ``--export-rows`` CSV
   export as a job (``GET /v1/jobs/{id}`` polled); time, peak RSS of the worker, and the latency
   of ``/healthz`` and of a ranking page meanwhile.

Ratios reported: server throughput / (in-process rate x cores) and / (the forked processes' rate
together); sequential p50 / in-process time. The load average is recorded at the start and end of
every phase: the machine is shared, and its other load changes every figure.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import shutil
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


# ------------------------------------------------------------------ the in-process baseline

class Engine:
    """The engine, the compiled role and the résumé, built once; forked children share them."""

    def __init__(self) -> None:
        from matcher import build_engine, compile_role, load_role_spec, load_taxonomy, resolve_spec

        self.engine = build_engine(load_taxonomy(None))
        self.role = resolve_spec(load_role_spec(SPEC), self.engine.taxonomy)
        self.compiled = compile_role(self.role, self.engine.taxonomy)
        self.data = MATCH_RESUME.encode()
        self.rate(1.0)  # warm

    def rate(self, seconds: float) -> float:
        """Seconds per parse + fit report, in this process, over ``seconds``."""
        from matcher import match_profile, parse_bytes

        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            match_profile(parse_bytes(self.data, self.engine, None), self.role, self.engine, self.compiled)
            n += 1
        return (time.perf_counter() - t0) / n

    def parallel(self, procs: int, seconds: float) -> float:
        """Matches a second of ``procs`` forked processes running at once."""
        global _FORKED
        _FORKED = self  # the children inherit it (fork): nothing is pickled but the seconds
        with mp.get_context("fork").Pool(procs) as pool:
            return sum(1 / s for s in pool.map(_forked_rate, [seconds] * procs))


_FORKED: Engine | None = None


def _forked_rate(seconds: float) -> float:
    return _FORKED.rate(seconds)


def baseline(eng: Engine, seconds: float) -> dict:
    per = eng.rate(seconds)
    return {"ms_per_match": round(per * 1000, 2), "per_s": round(1 / per, 1), "load_average": os.getloadavg()[0]}


# ------------------------------------------------------------------ wrk

LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\nRESULT {"requests": %d, "duration_s": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "errors": %d, "non_2xx": %d}\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def lua_post(body: str, token: str) -> str:
    return (f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["Authorization"] = "Bearer {token}"\n' + LUA_DONE)


LUA_PROBE = 'delay = function() return 20 end\n' + LUA_DONE  # a request every 20 ms after the last answer


class Wrk:
    """``wrk`` running against ``url`` with a Lua script; ``result()`` waits for it."""

    def __init__(self, url: str, lua: str, tmp: Path, *, connections: int, seconds: float, name: str) -> None:
        script = tmp / f"{name}.lua"
        script.write_text(lua)
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script), url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def result(self) -> dict:
        out = self.proc.stdout.read()  # wrk writes its report when it ends
        _, status, usage = os.wait4(self.proc.pid, 0)  # reaped here, for its CPU time
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            raise SystemExit(f"wrk failed:\n{out}")
        r = json.loads(line[len("RESULT "):])
        r["client_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
        return r


def need_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench_serving.py needs wrk (the C load generator): run `bash scripts/bench_tools.sh`")


# ------------------------------------------------------------------ the server's CPU

def tree_cpu(proc: subprocess.Popen) -> dict[str, float]:
    """CPU seconds of the server processes (uvicorn's) and of their parse workers (their children)."""
    out = {"servers": 0.0, "parse_workers": 0.0}
    try:
        root = psutil.Process(proc.pid)
        kids = root.children()
        servers = [k for k in kids if k.children()] or [root]  # with --workers 1 uvicorn serves in root
        procs = [(p, "servers") for p in servers] + [(w, "parse_workers") for p in servers for w in p.children()]
    except psutil.Error:
        return out
    for p, kind in procs:
        try:
            t = p.cpu_times()
            out[kind] += t.user + t.system
        except psutil.Error:
            pass
    return out


def phase(fn):
    """Runs a phase between two readings of the load average."""
    start = os.getloadavg()[0]
    out = fn()
    out["load_average"] = [round(start, 2), round(os.getloadavg()[0], 2)]
    return out


def loaded(base: str, tmp: Path, post: str, proc: subprocess.Popen, connections: int, seconds: float) -> dict:
    """``connections`` wrk connections posting matches; the probe meanwhile; CPU per match."""
    before = tree_cpu(proc)
    probe = Wrk(base + "/healthz", LUA_PROBE, tmp, connections=1, seconds=seconds, name=f"probe{connections}")
    load = Wrk(base + "/v1/match", post, tmp, connections=connections, seconds=seconds, name=f"post{connections}")
    r, healthz = load.result(), probe.result()
    after = tree_cpu(proc)
    n = max(1, r["requests"])
    server_cpu = sum(after.values()) - sum(before.values())
    r.update({"per_s": round(r["requests"] / r["duration_s"], 1), "healthz": healthz,
              "cpu_ms_per_match": {k: round((after[k] - before[k]) / n * 1000, 2) for k in after},
              "client_cpu_share": round(r["client_cpu_s"] / max(1e-9, r["client_cpu_s"] + server_cpu), 3)})
    return r


def under_attack(base: str, headers: dict, attackers: int, seconds: float, tmp: Path) -> dict:
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

    quiet = Wrk(base + "/healthz", LUA_PROBE, tmp, connections=1, seconds=5, name="probe-quiet").result()
    threads = [threading.Thread(target=attack, args=(i,), daemon=True) for i in range(attackers)]
    for t in threads:
        t.start()
    time.sleep(1)  # the uploads are under way
    healthz = Wrk(base + "/healthz", LUA_PROBE, tmp, connections=1, seconds=seconds, name="probe-attack").result()
    stop.set()
    for t in threads:
        t.join(300)
    return {"healthz_no_attack": quiet, "healthz": healthz, "hostile_outcomes": outcomes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=2, help="server processes (skillmatch-api serve --workers)")
    ap.add_argument("--workers", type=int, default=None,
                    help="parse workers per server process (default: the server's own, its share of the cores)")
    ap.add_argument("--fast-workers", type=int, default=1)
    ap.add_argument("--worker-nice", type=int, help="SKILLMATCH_PARSE_WORKER_NICE (default: the server's)")
    ap.add_argument("--seconds", type=float, default=15, help="length of the concurrent phase")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--sequential-seconds", type=float, default=8)
    ap.add_argument("--baseline-seconds", type=float, default=3)
    ap.add_argument("--attackers", type=int, default=32)
    ap.add_argument("--attack-seconds", type=float, default=20)
    ap.add_argument("--jobs", action="store_true", help="also time a ZIP import and a CSV export as jobs")
    ap.add_argument("--export-rows", type=int, default=10_000)
    ap.add_argument("--import-resumes", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.parse_timeout, args.parse_memory_mb = 30.0, 2048
    need_wrk()

    cores = os.cpu_count() or 1
    report: dict = {"config": {k: str(v) for k, v in vars(args).items()}, "cores": cores,
                    "load_average_start": os.getloadavg()}
    eng = Engine()
    tmp = Path(tempfile.mkdtemp(prefix="skillmatch-serving-"))
    db_url = f"sqlite:///{tmp / 'serving.db'}"
    keys = seed(db_url)
    env = {"SKILLMATCH_RATE_LIMIT_PER_MINUTE": "0", "SKILLMATCH_PARSES_IN_FLIGHT_PER_KEY": "100000"}
    if args.worker_nice is not None:
        env["SKILLMATCH_PARSE_WORKER_NICE"] = str(args.worker_nice)
    proc, base = start_server(db_url, args, tmp / "server.log", env, ("--workers", str(args.servers)))
    worker = None
    try:
        rh = {"Authorization": f"Bearer {keys['recruiter']}"}
        ah = {"Authorization": f"Bearer {keys['ats']}"}
        role_id = httpx.post(base + "/v1/roles", json={"spec": SPEC}, headers=rh, timeout=60).json()["id"]
        post = lua_post(json.dumps({"role_id": role_id, "text": MATCH_RESUME}), keys["ats"])
        Wrk(base + "/v1/match", post, tmp, connections=4, seconds=2, name="warm").result()

        report["in_process_before_sequential"] = b0 = baseline(eng, args.baseline_seconds)
        seq = phase(lambda: Wrk(base + "/v1/match", post, tmp, connections=1, seconds=args.sequential_seconds,
                                name="seq").result())
        report["in_process_after_sequential"] = b1 = baseline(eng, args.baseline_seconds)
        per = (b0["ms_per_match"] + b1["ms_per_match"]) / 2
        seq["ratio_p50_to_in_process"] = round(seq["p50_ms"] / per, 2)
        report["sequential"] = seq
        print("sequential", seq, f"in process {b0['ms_per_match']} / {b1['ms_per_match']} ms", flush=True)

        report["in_process_parallel_before"] = p0 = phase(lambda: {"per_s": round(eng.parallel(cores, args.baseline_seconds), 1)})
        conc = phase(lambda: loaded(base, tmp, post, proc, args.concurrency, args.seconds))
        report["in_process_parallel_after"] = p1 = phase(lambda: {"per_s": round(eng.parallel(cores, args.baseline_seconds), 1)})
        one = report["in_process_after_concurrent"] = baseline(eng, args.baseline_seconds)
        per_one = (one["ms_per_match"] + per) / 2 / 1000
        parallel = (p0["per_s"] + p1["per_s"]) / 2
        conc["ratio_to_in_process_x_cores"] = round(conc["per_s"] / (cores / per_one), 2)
        conc["ratio_to_in_process_parallel"] = round(conc["per_s"] / parallel, 2)
        report["concurrent"] = conc
        print("concurrent", conc, f"in process x cores {cores / per_one:.0f}/s, parallel {parallel:.0f}/s", flush=True)

        report["attack"] = phase(lambda: under_attack(base, ah, args.attackers, args.attack_seconds, tmp))
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


def ms(xs: list[float]) -> dict[str, float]:
    return {"n": len(xs), "p50_ms": round(pct(xs, 50) * 1000, 1), "p99_ms": round(pct(xs, 99) * 1000, 1),
            "max_ms": round(max(xs, default=0) * 1000, 1)}


class Probe(threading.Thread):
    """GET ``path`` every ``every`` seconds from this process (the jobs part); latencies in ``lat``."""

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
