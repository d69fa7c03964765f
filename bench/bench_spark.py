"""Spark batch throughput: ``batch parse`` on local[1] vs local[2], and ``batch rank`` of 1 M profiles vs
the same scoring in one process.

    python bench/bench_spark.py parse [--n 2000] [--masters "local[1],local[2]"] [--repeat 3] [--no-warm]
    python bench/bench_spark.py rank  [--n 1000000] [--master "local[2]"] [--repeat 3] [--profiles TABLE.parquet]

Résumés (parse): the 310 Dotin training résumés (taxonomies/sources/resumes-dotin, tags stripped), the
labelled set and the hand-graded ranking set (tests/data), recombined so that there are ``--n``
distinct texts: text i is the first half of real résumé ``i mod R`` followed by the second half of
résumé ``(7 i + 3) mod R`` (real sentences, headings and dates; new combinations). Each master runs
in its own process (a fresh JVM, started as ``matcher batch parse`` starts it), the masters in turns;
the time is the job's wall time (the session's start-up is reported apart). Each session runs a cold
job (the first of the fresh JVM) on the ``--n`` résumés, then a warm one on ``--n`` other
recombinations (numbers n .. 2n - 1): the steady state of a long-lived session or a cluster. For
each job: the CPU seconds of each Python worker, of the JVM by thread kind (JIT, GC, task threads,
other) and of the driver, and "cores busy" (their sum over the wall time: how much of the machine
the job got; the machine is shared). Memory: the peak resident memory of the whole process tree (driver
JVM = local executor, and the Python workers) and of the largest single Python worker, sampled
every 0.2 s.

Profiles (rank): the parse job's profile table of 2,000 résumés replicated to ``--n`` rows with new
ids (real skill mixes), ``profile_json`` left null (ranking reads only the flattened skills); or an
existing table (``--profiles``). Baseline, like for like: one process reads the same columns (the four
skill fields scoring reads, as the job does) with pyarrow, scores them with the same columnar function
(``matcher.batch.score_batch``: the engine's vectorized matrix path), sorts by score then id, numbers
and writes the same ranking table. The Spark job adds the read, shuffle-sort and rank numbering across
executors; each Spark run also ranks a second time in the same session (warm JVM and workers). Every
run prints the 1-minute load average at its start: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

ROLE = REPO / "tests" / "data" / "jobs" / "ml-engineer-job-page.txt"


def real_texts() -> list[str]:
    from quality_parse import DOTIN, LABELLED, dotin_documents

    texts = [t for _n, t, _s in dotin_documents(DOTIN)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(LABELLED.glob("*")) if p.suffix in {".txt", ".md"}]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "data" / "ranking").rglob("*.txt"))]
    return texts


def write_pool(folder: Path, n: int, first: int = 0) -> int:
    """``n`` recombined résumés, numbers ``first`` .. ``first + n - 1`` (another ``first``: other texts)."""
    texts = real_texts()
    r = len(texts)
    for i in range(first, first + n):
        a, b = texts[i % r].splitlines(), texts[(7 * i + 3) % r].splitlines()
        body = "\n".join(a[: len(a) // 2] + b[len(b) // 2:])
        (folder / f"{i:06d}.txt").write_text(body, encoding="utf-8")
    return r


def jvm_threads(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) of a JVM's threads, by kind: JIT compilers, GC, Spark's task threads
    (which run the scan, the Arrow conversions and the Parquet write) and the rest (scheduler, RPC, ...)."""
    tick = os.sysconf("SC_CLK_TCK")
    kinds = {"jit": 0.0, "gc": 0.0, "tasks": 0.0, "other": 0.0}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kinds
    for tid in tasks:
        try:
            name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / tick
        kind = ("jit" if "Compiler" in name else "gc" if name.startswith(("GC ", "G1 ", "VM Thread")) else
                "tasks" if name.startswith("Executor task") or name.startswith("stdout writer") else "other")
        kinds[kind] += cpu
    return kinds


class PeakMemory:
    """Peak RSS of this process and its children (total, and the largest Python child), and the CPU
    time of each: ``snapshot()`` before and after a job gives the job's own CPU per process."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.total = self.worker = 0
        self.cpu: dict[int, float] = {}  # Python worker pid -> CPU seconds (user + system) last seen
        self.jvm: dict[int, float] = {}  # the same for the JVM (driver = local executor)
        self.jvm_pid: int | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        procs = [self.me, *self.me.children(recursive=True)]
        rss = {p.pid: (p.memory_info().rss, p.name()) for p in procs}
        self.total = max(self.total, sum(v[0] for v in rss.values()))
        py = [v[0] for pid, v in rss.items() if pid != self.me.pid and v[1].startswith("python")]
        for p in procs:
            if p.pid != self.me.pid and rss[p.pid][1].startswith(("python", "java")):
                try:
                    t = p.cpu_times()
                except psutil.Error:
                    continue
                is_py = rss[p.pid][1].startswith("python")
                (self.cpu if is_py else self.jvm)[p.pid] = t.user + t.system
                if not is_py:
                    self.jvm_pid = p.pid
        self.worker = max([self.worker, *py])

    def _run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                continue
            time.sleep(0.2)

    def snapshot(self) -> dict:
        """CPU seconds so far: each Python worker, the JVM (in all and by thread kind), this driver process."""
        import psutil

        for _ in range(5):
            try:
                self._sample()
                break
            except psutil.Error:
                time.sleep(0.05)
        t = self.me.cpu_times()
        return {"python": dict(self.cpu), "jvm": sum(self.jvm.values()),
                "jvm_threads": jvm_threads(self.jvm_pid) if self.jvm_pid else {}, "driver": t.user + t.system}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def cpu_between(a: dict, b: dict, seconds: float) -> dict:
    """The CPU a job used between two snapshots: Python workers that did work, the JVM by thread kind."""
    busy = sorted((c - a["python"].get(pid, 0.0) for pid, c in b["python"].items()), reverse=True)
    busy = [c for c in busy if c > 1.0]
    jvm = b["jvm"] - a["jvm"]
    return {"workers": len(busy), "worker_cpu_s": busy, "parallelism": sum(busy) / seconds, "jvm_cpu_s": jvm,
            "jvm_threads_s": {k: b["jvm_threads"].get(k, 0.0) - a["jvm_threads"].get(k, 0.0) for k in b["jvm_threads"]},
            "driver_cpu_s": b["driver"] - a["driver"],
            "cores_busy": (sum(busy) + jvm + b["driver"] - a["driver"]) / seconds}


def run_parse(master: str, folder: Path, out: Path, warm_folder: Path | None = None) -> dict:
    """One session on ``master``: a cold job on ``folder`` (fresh JVM: start, JIT, first planning
    charged to it), then, if ``warm_folder`` is given, a second job on that folder of other résumés
    of the same size in the same session (JVM and Python workers warm: what a long-lived session or
    a cluster sees)."""
    from datetime import date

    from matcher.batch.jobs import parse_job, spark_session

    def job(src: Path, dst: Path) -> dict:
        load = os.getloadavg()[0]
        before = mem.snapshot()
        s = parse_job(spark, src, dst, as_of=date(2026, 11, 1), overwrite=True)
        return {"seconds": s["seconds"], "rows": s["rows"], "errors": s["errors"], "rate": s["rows"] / s["seconds"],
                "load1": load, "partitions": s.get("partitions"), **cpu_between(before, mem.snapshot(), s["seconds"])}

    with PeakMemory() as mem:
        t0 = time.perf_counter()
        spark = spark_session(master, parse=True)  # as `matcher batch parse` starts it
        spark.sparkContext.setLogLevel("ERROR")
        start = time.perf_counter() - t0
        session_jvm = mem.snapshot()["jvm"]
        cold = job(folder, out)
        warm = job(warm_folder, out.with_name(out.name + "-warm")) if warm_folder else None
    return {"master": master, "startup_s": start, "startup_jvm_cpu_s": session_jvm, **cold, "warm": warm,
            "peak_rss_mib": mem.total / 2**20, "worker_rss_mib": mem.worker / 2**20}


def _child(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def _job_line(r: dict) -> str:
    jvm = ", ".join(f"{k} {v:.1f}" for k, v in r["jvm_threads_s"].items())
    return (f"{r['rows']} rows, errors {r['errors'] or 'none'}; job {r['seconds']:.1f} s = {r['rate']:.1f} résumés/s; "
            f"load average (1 min) at start {r['load1']:.2f}; {r['workers']} Python workers busy, CPU s "
            f"{[round(c, 1) for c in r['worker_cpu_s']]} = {r['parallelism']:.2f} cores of Python; JVM CPU "
            f"{r['jvm_cpu_s']:.1f} s ({jvm}); driver Python {r['driver_cpu_s']:.1f} s; {r['cores_busy']:.2f} cores busy "
            f"in all; {r['partitions']} partitions")


def _ratios(rates: dict[str, list[float]], masters: list[str], what: str) -> None:
    for m, rs in rates.items():
        print(f"{what} {m}: best {rs[-1]:.1f}, median {statistics.median(rs):.1f} résumés/s over {len(rs)} runs")
    if len(masters) >= 2:
        a, b = rates[masters[0]], rates[masters[-1]]
        print(f"{what} scaling {masters[-1]} / {masters[0]}: best {b[-1] / a[-1]:.2f}x, median "
              f"{statistics.median(b) / statistics.median(a):.2f}x")


def cmd_parse(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, other = Path(tmp) / "pool", Path(tmp) / "warm-pool"
        folder.mkdir()
        other.mkdir()
        real = write_pool(folder, args.n)
        write_pool(other, args.n, first=args.n)  # the warm job's input: as many other recombinations
        print(f"{args.n} résumés recombined from {real} real ones; {sum(p.stat().st_size for p in folder.iterdir()) / 2**20:.1f} MiB")
        masters = args.masters.split(",")
        runs: dict[str, list[dict]] = {m: [] for m in masters}
        for rep in range(args.repeat):  # the masters take turns, so a burst of outside load hits both
            for i, m in enumerate(masters):
                warm = [str(other)] if args.warm else []
                runs[m].append(_child(["_parse", m, str(folder), str(Path(tmp) / f"out-{rep}-{i}"), *warm]))
    for m, rs in runs.items():
        for r in rs:
            print(f"{m} cold: {_job_line(r)}; session start {r['startup_s']:.1f} s ({r['startup_jvm_cpu_s']:.1f} s JVM "
                  f"CPU); peak RSS {r['peak_rss_mib']:.0f} MiB, largest Python worker {r['worker_rss_mib']:.0f} MiB")
            if r["warm"]:
                print(f"{m} warm: {_job_line(r['warm'])}")
    _ratios({m: sorted(r["rate"] for r in rs) for m, rs in runs.items()}, masters, "cold")
    if args.warm:
        _ratios({m: sorted(r["warm"]["rate"] for r in rs) for m, rs in runs.items()}, masters, "warm")


def build_profiles(tmp: Path, n: int) -> Path:
    """A profile table of ``n`` rows: 2,000 parsed résumés replicated with new ids."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp / "pool"
    folder.mkdir()
    write_pool(folder, 2000)
    _child(["_parse", "local[2]", str(folder), str(tmp / "seed")])
    seed = pq.read_table(tmp / "seed")
    seed = seed.filter(pa.compute.is_null(seed["error_code"]))
    seed = seed.set_column(seed.schema.get_field_index("profile_json"), "profile_json",
                           pa.nulls(seed.num_rows, pa.string()))  # rank never reads it; 1 M copies would be ~10 GB
    with pq.ParquetWriter(tmp / "profiles.parquet", seed.schema) as writer:
        for lo in range(0, n, 100_000):
            rows = np.arange(lo, min(n, lo + 100_000))
            chunk = seed.take(pa.array(rows % seed.num_rows))
            writer.write_table(chunk.set_column(0, "id", pa.array([f"p{i:07d}" for i in rows])))
    return tmp / "profiles.parquet"


def run_single(profiles: Path, out: Path) -> dict:
    """The baseline: the same read (only the columns and the four skill fields scoring uses), the same
    columnar scoring, the same order (score descending, id ascending) and the same ranking table,
    in this one process."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    import matcher
    from matcher.batch import SCORING_FIELDS, score_batch

    engine = matcher.default_engine()
    role, _s, _w = matcher.load_role(ROLE.read_bytes(), engine, filename=ROLE.name)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    columns = ["id", "source", "error_code", "experience10", "taxonomy_version", "scoring_version",
               *[f"skills.list.element.{f}" for f in SCORING_FIELDS]]
    table = pq.ParquetFile(profiles).read(columns=columns)
    batch = table.combine_chunks().to_batches()[0]
    scored = pa.Table.from_batches([score_batch(batch, role, matcher.compile_role(role, engine.taxonomy), engine,
                                                matcher.role_digest(role, engine))])
    score = scored["score"].to_numpy(zero_copy_only=False)
    order = np.lexsort((np.asarray(scored["id"].to_pylist(), dtype=object).astype(str), np.isnan(score), -score))
    ranked = scored.take(pa.array(order)).add_column(0, "rank", pa.array(np.arange(1, len(order) + 1)))
    pq.write_table(ranked, out)
    return {"seconds": time.perf_counter() - t0, "rows": ranked.num_rows, "load1": load}


def run_rank(master: str, profiles: Path, out: Path) -> dict:
    import matcher
    from matcher.batch.jobs import rank_job, spark_session

    engine = matcher.default_engine()
    role, _s, _w = matcher.load_role(ROLE.read_bytes(), engine, filename=ROLE.name)
    with PeakMemory() as mem:
        spark = spark_session(master, memory="4g")
        spark.sparkContext.setLogLevel("ERROR")
        load = os.getloadavg()[0]
        s = rank_job(spark, role, profiles, out, overwrite=True)
        warm_load = os.getloadavg()[0]
        warm = rank_job(spark, role, profiles, out, overwrite=True)  # again in the same session: JVM and workers warm
    return {"master": master, "seconds": s["seconds"], "rows": s["ranked"], "peak_rss_mib": mem.total / 2**20,
            "worker_rss_mib": mem.worker / 2**20, "load1": load, "stages": s["stages"], "warm_seconds": warm["seconds"],
            "warm_load1": warm_load, "warm_stages": warm["stages"]}


def cmd_rank(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        profiles = args.profiles or build_profiles(Path(tmp), args.n)
        print(f"profile table: {pq_rows(profiles):,} rows, {profiles.stat().st_size / 2**20:.0f} MiB Parquet")
        single, spark = [], []
        for i in range(args.repeat):  # turns, so a burst of outside load hits both
            single.append(_child(["_single", str(profiles), str(Path(tmp) / f"single-{i}.parquet")]))
            spark.append(_child(["_rank", args.master, str(profiles), str(Path(tmp) / f"spark-{i}")]))
    for name, rs in (("single process", single), (f"spark {args.master}", spark)):
        print(f"{name}: " + ", ".join(f"{r['seconds']:.1f} s (load {r['load1']:.2f})" for r in rs))
    for r in spark:
        print("  spark stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items()) +
              f"; again in the same session {r['warm_seconds']:.1f} s (load {r['warm_load1']:.2f}): " +
              ", ".join(f"{k} {v:.1f} s" for k, v in r["warm_stages"].items()))
    warm = statistics.median(r["warm_seconds"] for r in spark)
    best = (min(r["seconds"] for r in single), min(r["seconds"] for r in spark))
    median = (statistics.median(r["seconds"] for r in single), statistics.median(r["seconds"] for r in spark))
    print(f"single process (read, score, sort, write): best {best[0]:.1f} s, median {median[0]:.1f} s")
    print(f"spark {args.master} (read, score, sort, number, write): best {best[1]:.1f} s, median {median[1]:.1f} s; "
          f"peak RSS {max(r['peak_rss_mib'] for r in spark):.0f} MiB in all, largest Python worker "
          f"{max(r['worker_rss_mib'] for r in spark):.0f} MiB")
    print(f"spark / single: best {best[1] / best[0]:.2f}x, median {median[1] / median[0]:.2f}x; a second job in the "
          f"same session: best {min(r['warm_seconds'] for r in spark) / best[0]:.2f}x, median {warm / median[0]:.2f}x")


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):  # a child run: one JSON line on stdout
        kind, *rest = sys.argv[1:]
        fn = {"_parse": lambda: run_parse(rest[0], Path(rest[1]), Path(rest[2]), Path(rest[3]) if rest[3:] else None),
              "_single": lambda: run_single(Path(rest[0]), Path(rest[1])),
              "_rank": lambda: run_rank(rest[0], Path(rest[1]), Path(rest[2]))}[kind]
        print(json.dumps(fn()))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--masters", default="local[1],local[2]")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-warm", dest="warm", action="store_false",
                   help="only the cold job (fresh JVM) per session, not a second job on other résumés after it")
    r = sub.add_parser("rank")
    r.add_argument("--n", type=int, default=1_000_000)
    r.add_argument("--master", default="local[2]")
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument("--profiles", type=Path, help="an existing profile table (one Parquet file) instead of building one")
    args = ap.parse_args()
    (cmd_parse if args.cmd == "parse" else cmd_rank)(args)


if __name__ == "__main__":
    main()
