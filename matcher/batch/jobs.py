"""The Spark jobs: bulk parse (files or a table of résumés -> the profile table) and bulk rank (the
profile table x a role -> the ranking table). See ``matcher/batch/__init__.py`` for the schemas.

Each executor's Python worker builds the engine once (``engine_for``, cached in the process; Spark
reuses its Python workers across tasks) and then reads whole Arrow batches through ``mapInArrow``:
nothing engine-sized is built per row. A résumé that can't be read becomes a row with its error
code; only a bad input as a whole (no such folder, a table without the columns) stops a job.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import MatcherError
from ..pipeline import Engine, build_engine, default_engine, parse_bytes
from ..scoring import SCORING_VERSION, STATUSES, compile_role
from ..taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from ..taxonomy_additions import TaxonomyAdditions, extend_engine, extend_taxonomy, usable_additions
from ..types import Role
from . import tables

#: Résumés per Arrow batch handed to a parse worker (PDFs are big: keep batches small).
PARSE_BATCH_ROWS = 64
#: Profiles per Arrow batch handed to a rank worker (one matrix each: big batches amortize the role's plan).
RANK_BATCH_ROWS = 100_000
#: The profile-table columns the rank job reads.
RANK_INPUT = ("id", "source", "error_code", "experience10", "as_of", "taxonomy_version", "scoring_version", "skills")
#: The driver JVM's options in a local parse session (in local mode the driver is the executor): the
#: quick (C1) JIT compiler only. A parse job's JVM work is light (list the files, Arrow in and out,
#: the Parquet write); C2's compilations were most of its CPU and never paid back (docs/scale.md).
LOCAL_PARSE_JVM_OPTIONS = "-XX:TieredStopAtLevel=1"
#: File names under a folder of résumés that are never résumés (Spark and Hadoop bookkeeping).
_TABLE_SUFFIXES = (".parquet",)


class BatchInputError(ValueError):
    """The job's input or output as a whole is unusable; the message says why and what to do."""


# ------------------------------------------------------------------ the engine, once per worker process

_ENGINES: dict[tuple[str | None, TaxonomyAdditions], Engine] = {}


def engine_for(taxonomy: str | None, additions: TaxonomyAdditions | None = None) -> Engine:
    """The engine on ``taxonomy`` (a taxonomy file; None: the bundled one) extended by ``additions``
    (a tenant's own, as the service extends it: those that no longer fit the taxonomy left out,
    ``usable_additions``), built once per process for each (taxonomy, additions)."""
    additions = additions or TaxonomyAdditions()
    if taxonomy is None and not additions:
        return default_engine()
    if (taxonomy, additions) not in _ENGINES:
        base = engine_for(taxonomy) if additions else build_engine(load_taxonomy(Path(taxonomy)))
        _ENGINES[taxonomy, additions] = extend_engine(base, usable_additions(base.taxonomy, additions)[0])
    return _ENGINES[taxonomy, additions]


@functools.cache
def taxonomy_for(taxonomy: str | None, additions: TaxonomyAdditions | None = None) -> Taxonomy:
    """The taxonomy alone (a file; None: the bundled one) extended by ``additions`` as ``engine_for``
    extends it, built once per process: all a rank worker needs."""
    if additions:
        base = taxonomy_for(taxonomy)
        return extend_taxonomy(base, usable_additions(base, additions)[0])
    return default_taxonomy() if taxonomy is None else load_taxonomy(Path(taxonomy))


# ------------------------------------------------------------------ the session

def spark_session(master: str = "local[*]", *, memory: str = "2g", app_name: str = "skillmatch-batch",
                  conf: dict[str, str] | None = None, parse: bool = False):
    """A SparkSession on ``master``. Python workers run this interpreter and import this ``matcher``
    (on a cluster, install the project on every executor and point ``--master`` at it). ``parse``: a
    session for ``parse_job`` (on a local master, ``LOCAL_PARSE_JVM_OPTIONS``). ``conf``: more Spark
    settings, applied last."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    root = str(Path(__file__).resolve().parents[2])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master).appName(app_name)
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if parse and master.startswith("local"):
        builder = builder.config("spark.driver.extraJavaOptions", LOCAL_PARSE_JVM_OPTIONS)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _spark_schema(arrow_schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema)


# ------------------------------------------------------------------ reading the input

def input_format(path: Path) -> str:
    """"parquet" for a Parquet file or a folder of them (a table), else "files" (a folder of résumés)."""
    if path.is_file():
        if path.suffix in _TABLE_SUFFIXES:
            return "parquet"
        raise BatchInputError(f"{path} is a file: give a folder of résumés or a Parquet table of (id, bytes or text)")
    if not path.is_dir():
        raise BatchInputError(f"no such folder or table: {path}")
    files = [p for p in path.iterdir() if p.is_file() and not p.name.startswith(("_", "."))]
    return "parquet" if files and all(p.suffix in _TABLE_SUFFIXES for p in files) else "files"


def read_resumes(spark, path: Path, fmt: str = "auto"):
    """A DataFrame of (id, source, content binary, text string) from a folder of files (``id`` is the
    path under the folder) or a Parquet table of ``id`` and ``bytes`` (or ``content``) or ``text``."""
    from pyspark.sql import functions as F

    fmt = input_format(path) if fmt == "auto" else fmt
    if fmt == "files":
        if not path.is_dir():
            raise BatchInputError(f"no such folder: {path}")
        # Spark lists the files (only their paths are selected, so the source never opens them); the
        # Python worker reads each file itself: the bytes don't go through the JVM and Arrow.
        df = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(str(path))
        df = df.select(F.col("path").alias("source"), F.lit(None).cast("binary").alias("content"),
                       F.lit(None).cast("string").alias("text"))
        empty = _empty_files(path)  # Spark's file source skips empty files: they come back as rows here
        if empty:
            df = df.unionByName(spark.createDataFrame([(p, b"", None) for p in empty], df.schema))
        return df
    df = spark.read.parquet(str(path))
    cols = set(df.columns)
    data = next((c for c in ("bytes", "content") if c in cols), None)
    if "id" not in cols or (data is None and "text" not in cols):
        raise BatchInputError(f"{path}: a résumé table needs an id column and a bytes (or content) or text column; "
                              f"it has {', '.join(sorted(cols))}")
    content = F.col(data).cast("binary") if data else F.lit(None).cast("binary")
    text = F.col("text").cast("string") if "text" in cols else F.lit(None).cast("string")
    return df.select(F.col("id").cast("string").alias("source"), content.alias("content"), text.alias("text"))


def _empty_files(root: Path) -> list[str]:
    """The zero-byte files under ``root`` (not hidden, as Spark lists them), for their error rows."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        for name in files:
            p = Path(folder, name)
            if not name.startswith(("_", ".")) and p.is_file() and p.stat().st_size == 0:
                found.append(str(p))
    return found


def _id_of(source: str, root: str | None) -> str:
    """A file's id: its path under the input folder (the table's own id for a table)."""
    if root is None:
        return source
    local = unquote(urlparse(source).path) if source.startswith("file:") else source
    try:
        return str(Path(local).relative_to(root))
    except ValueError:
        return local


def parse_row(row: dict[str, Any], engine: Engine, as_of: date, root: str | None) -> dict[str, Any]:
    """One résumé -> its profile-table row; a file that can't be read -> its error row (never raises)."""
    source = row["source"]
    rid = _id_of(source, root)
    if root is not None:
        source = unquote(urlparse(source).path) if source.startswith("file:") else source
    try:
        data = row["content"] if row["content"] is not None else (row["text"] or "").encode("utf-8")
        if root is not None and row["content"] is None:  # a listed file: the worker reads it
            data = Path(source).read_bytes()
    except OSError as exc:
        return tables.error_record(rid, source, "unreadable_file", f"cannot read {source}: {exc.strerror or exc}")
    try:
        return tables.profile_record(rid, source, parse_bytes(data, engine, as_of))
    except MatcherError as exc:
        return tables.error_record(rid, source, exc.code, exc.message)
    except Exception as exc:  # noqa: BLE001 - one bad file is a row, not a failed job
        return tables.error_record(rid, source, "internal_error", f"{type(exc).__name__}: {exc}")


def _parse_batches(batches: Iterator[Any], as_of: date, root: str | None, taxonomy: str | None,
                   additions: TaxonomyAdditions | None = None) -> Iterator[Any]:
    import pyarrow as pa

    engine = engine_for(taxonomy, additions)
    schema = tables.profile_schema()
    for batch in batches:
        rows = [parse_row(r, engine, as_of, root) for r in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _spread_partitions(spark, df, partitions: int | None, listed: bool):
    """Enough partitions that every core has work (a few small files can arrive as one partition).
    A folder's file list (paths only: cheap to shuffle) goes into 4 per core: Spark's file source
    makes one per ~32 small files, and every task costs the JVM and the worker a start and the
    JVM a Parquet file."""
    cores = spark.sparkContext.defaultParallelism
    if partitions:
        return df.repartition(partitions)
    if listed or df.rdd.getNumPartitions() < 2 * cores:
        return df.repartition(4 * cores)
    return df


def _check_out(out: Path, overwrite: bool) -> str:
    if out.exists() and not overwrite:
        raise BatchInputError(f"{out} exists: pass --overwrite to replace it")
    return "overwrite" if overwrite else "errorifexists"


def parse_job(spark, source: Path, out: Path, *, as_of: date | None = None, fmt: str = "auto",
              partitions: int | None = None, overwrite: bool = False, taxonomy: str | None = None,
              additions: TaxonomyAdditions | None = None) -> dict[str, Any]:
    """Parse every résumé of ``source`` into the profile table at ``out`` (with ``additions``: on the
    taxonomy they extend, ``engine_for``). Returns a summary: rows, profiles, errors by code, seconds."""
    source = source.resolve()
    mode = _check_out(out, overwrite)
    t0 = time.perf_counter()
    fmt = input_format(source) if fmt == "auto" else fmt
    root = str(source) if fmt == "files" else None
    df = _spread_partitions(spark, read_resumes(spark, source, fmt), partitions, listed=fmt == "files")
    n_parts = df.rdd.getNumPartitions()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(PARSE_BATCH_ROWS))
    fn = functools.partial(_parse_batches, as_of=as_of or date.today(), root=root, taxonomy=taxonomy,
                           additions=additions)
    parsed = df.mapInArrow(fn, _spark_schema(tables.profile_schema()))
    parsed.select(*tables.PROFILE_COLUMNS).write.mode(mode).parquet(str(out))
    seconds = time.perf_counter() - t0
    written = spark.read.parquet(str(out))
    codes = {r["error_code"]: r["count"] for r in written.groupBy("error_code").count().collect()}
    rows = sum(codes.values())
    return {"rows": rows, "profiles": codes.pop(None, 0), "errors": dict(sorted(codes.items())),
            "seconds": seconds, "partitions": n_parts, "out": str(out)}


# ------------------------------------------------------------------ ranking

def _rank_batches(batches: Iterator[Any], role: Role, taxonomy: str | None,
                  additions: TaxonomyAdditions | None = None) -> Iterator[Any]:
    tax = taxonomy_for(taxonomy, additions)  # no parser: scoring needs only the taxonomy
    compiled = compile_role(role, tax)  # once per task, not per row
    for batch in batches:
        yield tables.score_codes(batch, compiled, tax)


def _rank_input(df):
    """The columns the workers score from: for a table whose features are all of this scoring
    version, only the four skill fields scoring reads (Parquet reads no other part of ``skills``);
    else the whole skills and the profile JSON, to compute them again (``refresh_features``)."""
    from pyspark.sql import functions as F

    version = F.col("scoring_version")
    if df.where(version.isNotNull() & (version != SCORING_VERSION)).limit(1).count():
        return df.select(*RANK_INPUT, *(["profile_json"] if "profile_json" in df.columns else []))
    skills = [F.col("skills").getField(f).alias(f) for f in tables.SCORING_FIELDS]
    return df.select("id", "source", "error_code", "experience10", "taxonomy_version", *skills)


def _with_rank(df):
    """``rank`` 1..n in the order of ``df`` (already sorted): each row's place in its partition plus
    the rows of the partitions before it (no single-partition window over the whole table). Also
    the cached frame (to unpersist) and the number of rows with and without a score."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    tagged = df.withColumn("_pid", F.spark_partition_id()).withColumn("_row", F.monotonically_increasing_id())
    tagged = tagged.persist(StorageLevel.MEMORY_AND_DISK)
    counts = {r["_pid"]: (r["n"], r["scored"]) for r in
              tagged.groupBy("_pid").agg(F.count("*").alias("n"), F.count("score").alias("scored")).collect()}
    offsets: list[Any] = []
    total = 0
    for pid in sorted(counts):
        offsets += [F.lit(pid), F.lit(total)]
        total += counts[pid][0]
    start = F.create_map(*offsets)[F.col("_pid")] if offsets else F.lit(0)
    within = F.col("_row") - F.shiftleft(F.col("_pid").cast("long"), 33)
    scored = sum(v[1] for v in counts.values())
    return tagged.withColumn("rank", (start + within + 1).cast("long")), tagged, scored, total - scored


def _groups(role: Role):
    """The ranking's ``groups`` column from the workers' status codes (a JVM expression: the labels
    are the role's, the same on every row, so they never travel through the sort)."""
    from pyspark.sql import functions as F

    labels = F.array(*[F.lit(g.label) for g in role.groups])
    required = F.array(*[F.lit(g.required) for g in role.groups])
    names = F.array(*[F.lit(s) for s in STATUSES])
    return F.transform("status", lambda code, i: F.struct(labels[i].alias("label"), required[i].alias("required"),
                                                           names[code.cast("int")].alias("status")))


def rank_job(spark, role: Role, profiles: Path, out: Path, *, top: int | None = None, overwrite: bool = False,
             taxonomy: str | None = None, additions: TaxonomyAdditions | None = None) -> dict[str, Any]:
    """Rank the profile table at ``profiles`` against ``role`` into the ranking table at ``out``: best
    first, ties by id, rows that could not be parsed last (left out with ``top``). Returns a summary.
    With ``additions`` (a tenant's), the workers score on the taxonomy they extend and the ranking
    carries its version (``<base>+t.<digest>``), as the service does; ``role`` must be resolved on it.

    The workers score whole Arrow batches and hand back narrow rows (scores and status codes); those
    are cached (the sort's sampling pass and its shuffle read them, so the Python scoring runs once),
    sorted, numbered and only then widened to the ranking table."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    mode = _check_out(out, overwrite)
    if not profiles.exists():
        raise BatchInputError(f"no such profile table: {profiles}")
    t0 = time.perf_counter()
    laps: dict[str, float] = {}

    def lap(name: str) -> None:
        laps[name] = time.perf_counter() - t0 - sum(laps.values())

    engine = engine_for(taxonomy, additions)
    df = spark.read.parquet(str(profiles))
    missing = [c for c in RANK_INPUT if c not in df.columns]
    if missing:
        raise BatchInputError(f"{profiles} is not a profile table (matcher batch parse): no {', '.join(missing)}")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(RANK_BATCH_ROWS))
    fn = functools.partial(_rank_batches, role=role, taxonomy=taxonomy, additions=additions)
    narrow = _rank_input(df)
    lap("check")
    scored = narrow.mapInArrow(fn, _spark_schema(tables.scored_schema())).persist(StorageLevel.MEMORY_AND_DISK)
    scored.count()  # fill the cache in one job: the sort's sampling and shuffle then only read it
    lap("score")
    kept = scored.where(F.col("score").isNotNull()) if top is not None else scored
    order = [F.col("score").desc_nulls_last(), F.col("id").asc()]
    parts = 2 * spark.sparkContext.defaultParallelism  # not spark.sql.shuffle.partitions' 200 small sorts and files
    ordered = kept.repartitionByRange(parts, *order).sortWithinPartitions(*order)
    if top is not None:
        ordered = ordered.limit(max(0, top))
    ranked, cached, ranked_n, errors = _with_rank(ordered)
    lap("sort")
    consts = {"role_title": role.title, "role_digest": tables.role_digest(role, engine),
              "scoring_version": SCORING_VERSION,
              "taxonomy_version": engine.taxonomy.version}
    wide = ranked.withColumn("groups", _groups(role)).select(
        *[F.lit(consts[c]).alias(c) if c in consts else F.col(c) for c in tables.RANKING_COLUMNS])
    try:
        wide.write.mode(mode).parquet(str(out))
        lap("write")
    finally:
        cached.unpersist()
        scored.unpersist()
    return {"ranked": ranked_n, "errors": errors, "seconds": time.perf_counter() - t0, "out": str(out),
            "role": role.title, "taxonomy_version": engine.taxonomy.version, "stages": laps}
