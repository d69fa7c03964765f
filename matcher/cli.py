"""The ``matcher`` command (also ``python -m matcher``).

    matcher parse FILE... [--json] [--as-of YYYY-MM-DD] [--jobs N]
    matcher batch parse INPUT --out profiles.parquet [--master URL] [--additions FILE]   (Spark: the spark extra)
    matcher batch rank --role ROLE --profiles profiles.parquet --out ranking.parquet [--top K] [--master URL]
                       [--additions FILE]      (FILE: a tenant's taxonomy additions, from skillmatch-api batch export)

The JSON shapes printed here are a contract other tools rely on: see ``matcher/serialize.py``.
A file that can't be read yields ``{"source", "error": {"code", "message"}}`` in its place, the
others still run, and the exit status is 1 if any file failed (2 for a usage error).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import MatcherError, TaxonomyAdditionError
from .taxonomy_additions import TaxonomyAdditions, load_additions, unresolved_suggestions, usable_additions
from .types import Profile

if TYPE_CHECKING:
    from .pipeline import Engine

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="skillmatch: read résumés into evidence-backed skill profiles.",
    rich_markup_mode=None,
)

@app.callback()
def _root() -> None:
    """skillmatch: read résumés into evidence-backed skill profiles."""


#: Below this many files, parsing stays in one process (worker start-up would cost more than it saves).
PARALLEL_THRESHOLD = 8
#: Above this many files, the human output shows a progress bar.
PROGRESS_THRESHOLD = 3


def _parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _error(source: str, code: str, message: str) -> dict[str, Any]:
    return {"source": source, "error": {"code": code, "message": message}}


def read_file_bytes(source: str) -> bytes | dict[str, Any]:
    """The file's bytes, or the error object that stands in for the file in the output."""
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return _error(source, "file_not_found", f"no such file: {source}")
    except IsADirectoryError:
        return _error(source, "not_a_file", f"{source} is a directory, not a résumé file")
    except PermissionError:
        return _error(source, "permission_denied", f"cannot read {source}: permission denied")
    except OSError as exc:
        return _error(source, "unreadable_file", f"cannot read {source}: {exc.strerror or exc}")


def parse_profile(source: str, as_of: date | None) -> Profile | dict[str, Any]:
    """Parse one file into a Profile, or the error object that stands in for it. Never raises
    for bad input; a bug in the engine is reported as ``internal_error`` for that file only."""
    from .pipeline import default_engine, parse_bytes

    data = read_file_bytes(source)
    if isinstance(data, dict):
        return data
    try:
        return parse_bytes(data, default_engine(), as_of)
    except MatcherError as exc:
        return {"source": source, "error": exc.to_dict()}
    except Exception as exc:  # noqa: BLE001 - reported per file, the batch goes on, exit status 1
        return _error(source, "internal_error", f"{type(exc).__name__}: {exc}")


def parse_one(source: str, as_of: date | None) -> dict[str, Any]:
    """Parse one file into its ``matcher parse --json`` object."""
    from .serialize import profile_to_dict

    result = parse_profile(source, as_of)
    return result if isinstance(result, dict) else profile_to_dict(result, source)


def parse_one_with_text(source: str, as_of: date | None) -> dict[str, Any]:
    """``parse_one`` plus the document text under ``_text`` (for example lines)."""
    from .serialize import profile_to_dict

    result = parse_profile(source, as_of)
    return result if isinstance(result, dict) else {**profile_to_dict(result, source), "_text": result.text}


def _worker_init() -> None:
    from .pipeline import default_engine

    default_engine()


def parse_many(
    sources: Sequence[str],
    as_of: date | None,
    jobs: int,
    on_done: Callable[[], None] | None = None,
    worker: Callable[[str, date | None], Any] = parse_one,
) -> Iterator[Any]:
    """Run ``worker`` over ``sources``, yielding results in input order; uses ``jobs`` processes
    for big batches."""
    if jobs > 1 and len(sources) >= PARALLEL_THRESHOLD:
        from .pipeline import default_engine

        default_engine()  # built once here; forked workers inherit it
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            chunk = max(1, min(16, len(sources) // (jobs * 4)))
            for result in pool.map(worker, sources, [as_of] * len(sources), chunksize=chunk):
                if on_done:
                    on_done()
                yield result
    else:
        for source in sources:
            result = worker(source, as_of)
            if on_done:
                on_done()
            yield result


def _fmt_years(y: float | None) -> str:
    return "—" if y is None else f"{y:g}"


def _print_profile(console: Console, result: dict[str, Any]) -> None:
    if "error" in result:
        console.print(f"[bold red]{result['source']}[/]: {result['error']['code']}: {result['error']['message']}")
        return
    console.print(
        f"[bold]{result['source']}[/]  experience: {_fmt_years(result['experience_years'])} years, "
        f"{len(result['positions'])} positions, {len(result['skills'])} skills"
    )
    table = Table(show_header=True, header_style="bold")
    for col in ("skill", "category", "years", "last used", "found in", "evidence"):
        table.add_column(col)
    for s in result["skills"]:
        first = s["evidence"][0]["text"] if s["evidence"] else ""
        table.add_row(
            s["name"], s["category"], _fmt_years(s["years"]), s["last_used"] or "—",
            ", ".join(s["sources"]), f"{first!r} ×{len(s['evidence'])}",
        )
    console.print(table)
    for p in result["positions"]:
        console.print(
            f"  • {p['title'] or '?'} — {p['organization'] or '?'} ({p['start'] or '?'} → {p['end'] or ('now' if p['current'] else '?')})"
        )
    for w in result["warnings"]:
        console.print(f"  [yellow]warning:[/] {w}")


def _print_summary(console: Console, results: list[dict[str, Any]]) -> None:
    table = Table(show_header=True, header_style="bold", title="Parsed résumés")
    for col in ("file", "experience (y)", "skills", "top skills", "status"):
        table.add_column(col)
    for r in results:
        if "error" in r:
            table.add_row(r["source"], "—", "—", "", f"[red]{r['error']['code']}[/]")
        else:
            top = ", ".join(s["name"] for s in r["skills"][:5])
            table.add_row(r["source"], _fmt_years(r["experience_years"]), str(len(r["skills"])), top, "ok")
    console.print(table)


def _run_batch(files: Sequence[str], when: date | None, jobs: int, worker: Callable[[str, date | None], Any]) -> list[Any]:
    err_console = Console(stderr=True)
    if len(files) > PROGRESS_THRESHOLD and err_console.is_terminal:
        with Progress(
            TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console
        ) as progress:
            task = progress.add_task("read", total=len(files))
            return list(parse_many(files, when, jobs, lambda: progress.advance(task), worker))
    return list(parse_many(files, when, jobs, None, worker))


@app.command()
def parse(
    files: Annotated[list[str], typer.Argument(help="Résumé files: PDF, DOCX, text or Markdown.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array, an object per file.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Compute years as of YYYY-MM-DD (default: today).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for large batches.")] = os.cpu_count() or 1,
) -> None:
    """Read résumés into skill profiles with evidence, years and positions."""
    when = _parse_as_of(as_of)
    results = _run_batch(files, when, jobs, parse_one)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        console = _out()
        if len(results) > PROGRESS_THRESHOLD:
            _print_summary(console, results)
        else:
            for r in results:
                _print_profile(console, r)
    if any("error" in r for r in results):
        raise typer.Exit(code=1)


def _load_role_or_exit(path: str, engine: Engine | None = None):
    """A role from a spec or a job file (text, Markdown, PDF, DOCX, HTML, an ATS job object as
    JSON): the bytes become job text in ``job_input``, then ``roles`` reads it, with ``engine``'s
    taxonomy (default: the bundled one)."""
    from .job_input import job_text_from_bytes
    from .pipeline import default_engine
    from .roles import load_role_text

    data = read_file_bytes(path)
    if isinstance(data, dict):
        _fail(f"role file {path}: {data['error']['message']}", data["error"]["code"])
    try:
        engine = engine or default_engine()
        text = job_text_from_bytes(data, filename=path, limits=engine.limits)
        return load_role_text(text, engine.skill_matcher)
    except MatcherError as exc:
        _fail(f"role file {path}: {exc.message}", exc.code)
    except Exception as exc:  # noqa: BLE001 - a bug must still end in a message and exit 1
        _fail(f"role file {path}: {type(exc).__name__}: {exc}", "internal_error")


def _out() -> Console:
    """stdout console; when piped, wide enough that tables stay readable."""
    console = Console()
    return console if console.is_terminal else Console(width=160)


def _fail(message: str, code: str) -> None:
    Console(stderr=True).print(f"[red]error[/] ({code}): {message}", highlight=False)
    raise typer.Exit(code=1)


@app.command()
def role(
    file: Annotated[str, typer.Argument(help="A job description (text, Markdown, PDF, DOCX, HTML, an ATS job object "
                                              "as JSON) or a role spec (YAML/JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of YAML.")] = False,
) -> None:
    """Print the role spec derived from a job description, for a recruiter to check and edit."""
    import yaml

    from .pipeline import default_engine
    from .roles import role_to_spec

    role_, _spec, warnings = _load_role_or_exit(file)
    spec = role_to_spec(role_, default_engine().taxonomy)
    if as_json:
        sys.stdout.write(json.dumps(spec, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100))
    for w in warnings:
        Console(stderr=True).print(f"[yellow]warning:[/] {w}", highlight=False)


@app.command()
def rank(
    files: Annotated[list[str], typer.Argument(help="Résumé files: PDF, DOCX, text or Markdown.")],
    role_file: Annotated[str, typer.Option("--role", help="Role spec (YAML/JSON) or job description file "
                                                          "(text, Markdown, PDF, DOCX, HTML, ATS job JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with the ranked results.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Compute years as of YYYY-MM-DD (default: today).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for large batches.")] = os.cpu_count() or 1,
) -> None:
    """Rank résumés against a role, with an explained fit report for each."""
    from .pipeline import default_engine, match_profile
    from .serialize import report_to_dict
    from .roles import role_to_spec
    from .scoring import SCORING_VERSION, compile_role

    when = _parse_as_of(as_of)
    role_, _spec, warnings = _load_role_or_exit(role_file)
    engine = default_engine()
    compiled = compile_role(role_, engine.taxonomy)
    parsed = _run_batch(files, when, jobs, parse_profile)
    ok: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for source, result in zip(files, parsed):
        if isinstance(result, dict):
            failed.append({**result, "score": None, "summary": "could not be read", "requirements": []})
            continue
        report = match_profile(result, role_, engine, compiled)
        ok.append({"source": source, **report_to_dict(report, result.text, engine.taxonomy)})
    ok.sort(key=lambda r: -r["score"])  # stable: ties keep input order
    results = ok + failed
    for i, r in enumerate(results, 1):
        r["rank"] = i
    payload = {
        "role": role_to_spec(role_, engine.taxonomy),
        "scoring_version": SCORING_VERSION,
        "taxonomy_version": engine.taxonomy.version,
        "warnings": warnings,
        "results": [{"source": r["source"], "rank": r["rank"], **{k: v for k, v in r.items() if k not in ("source", "rank")}} for r in results],
    }
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        console = _out()
        table = Table(title=f"{role_.title} — {len(role_.groups)} requirement groups", header_style="bold")
        table.add_column("rank", justify="right")
        table.add_column("candidate", overflow="fold")
        table.add_column("score", justify="right")
        for col in ("met", "partial", "missing"):
            table.add_column(col, justify="right")
        table.add_column("required gaps", overflow="ellipsis", no_wrap=True, max_width=48)
        for r in results:
            if "error" in r:
                table.add_row(str(r["rank"]), r["source"], "—", "", "", "", f"[red]{r['error']['code']}[/]")
                continue
            st = [q["status"] for q in r["requirements"]]
            gaps = [q["group"] for q in r["requirements"] if q["required"] and q["status"] != "met"]
            table.add_row(
                str(r["rank"]), r["source"], f"{r['score']:g}", str(st.count("met")), str(st.count("partial")),
                str(st.count("missing")), (", ".join(gaps[:3]) + (f" +{len(gaps) - 3}" if len(gaps) > 3 else "")) or "—",
            )
        console.print(table)
        for w in warnings:
            Console(stderr=True).print(f"[yellow]warning:[/] {w}", highlight=False)
    if failed:
        raise typer.Exit(code=1)


# ------------------------------------------------------------------ taxonomy upkeep

taxonomy_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Growing the taxonomy, with review.")
app.add_typer(taxonomy_app, name="taxonomy")


@taxonomy_app.command("suggest")
def taxonomy_suggest(
    files: Annotated[list[str], typer.Argument(help="Résumé files (PDF, DOCX, text) to look through.")],
    limit: Annotated[int, typer.Option(min=1, help="How many suggestions.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = os.cpu_count() or 1,
) -> None:
    """List the most frequent tools the taxonomy does not know yet (found by the learned detector),
    with examples, for a person to review and add as skills or aliases."""
    results = _run_batch(files, None, jobs, parse_one_with_text)
    ranked = unresolved_suggestions(((r, r.get("_text", ""), r.get("source")) for r in results), limit)
    if as_json:
        sys.stdout.write(json.dumps(ranked, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("name", "résumés", "mentions", "spellings", "example")
    for x in ranked:
        table.add_row(x["name"], str(x["resumes"]), str(x["mentions"]), ", ".join(sorted(x["spellings"]))[:60],
                      (x["examples"][0]["line"] if x["examples"] else "")[:80])
    _out().print(table)
    errors = [r for r in results if "error" in r]
    if errors:
        Console(stderr=True).print(f"[yellow]warning:[/] {len(errors)} file(s) could not be read", highlight=False)


# ------------------------------------------------------------------ batch (Spark; the ``spark`` extra)

batch_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="Bulk parse and rank on Apache Spark (needs the spark extra and Java 17).")
app.add_typer(batch_app, name="batch")
MASTER_HELP = "Spark master URL (local[*]: every core of this machine; spark://host:7077: a cluster)."
#: The name ``skillmatch-api batch export`` gives a tenant's additions, beside the role.json it writes.
ADDITIONS_FILE = "taxonomy-additions.json"
ADDITIONS_HELP = ("A tenant's own taxonomy additions (JSON; skillmatch-api batch export writes taxonomy-additions.json): "
                  "work on the bundled taxonomy extended by them, as the service does for that tenant.")


def _spark_or_exit(master: str, memory: str, *, parse: bool = False):
    """A SparkSession, or a usage error (exit 2) saying what to install."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _usage('the batch commands need PySpark: pip install -e ".[spark]" (and Java 17: apt-get install openjdk-17-jre-headless)')
    from .batch.jobs import spark_session

    try:
        return spark_session(master, memory=memory, parse=parse)
    except Exception as exc:  # noqa: BLE001 - no Java, a bad master URL: a message, not a traceback
        _usage(f"cannot start Spark on {master}: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''} "
               "(is Java 17 installed? apt-get install openjdk-17-jre-headless)")


def _additions_or_exit(path: Path | None) -> TaxonomyAdditions | None:
    """The additions in ``path`` (None: none), or a usage error (exit 2) saying what is wrong with the
    file. Those the bundled taxonomy no longer takes are left out, as the service does, with a warning."""
    from .taxonomy import default_taxonomy

    if path is None:
        return None
    try:
        additions = load_additions(path)
    except TaxonomyAdditionError as exc:
        _usage(exc.message)
    for why in usable_additions(default_taxonomy(), additions)[1]:
        Console(stderr=True).print(f"[yellow]warning:[/] taxonomy addition left out: {why}", highlight=False)
    return additions


def _usage(message: str) -> None:
    Console(stderr=True).print(f"[red]error[/]: {message}", highlight=False)
    raise typer.Exit(code=2)


def _run_job(job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    from .batch.jobs import BatchInputError

    try:
        return job()
    except BatchInputError as exc:
        _usage(str(exc))
    except Exception as exc:  # noqa: BLE001 - Spark's own errors (a path it can't read ...) as one line
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            _usage(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
        raise
    return {}


@batch_app.command("parse")
def batch_parse(
    source: Annotated[Path, typer.Argument(help="A folder of résumés (PDF, DOCX, text; searched recursively) or a "
                                                "Parquet table of (id, bytes or text).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the profile table (a Parquet folder).")],
    master: Annotated[str, typer.Option("--master", help=MASTER_HELP)] = "local[*]",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Compute years as of YYYY-MM-DD (default: today).")] = None,
    input_format: Annotated[str, typer.Option("--format", help="auto, files or parquet.")] = "auto",
    partitions: Annotated[int | None, typer.Option("--partitions", min=1, help="Spark partitions (default: 4 per core).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace --out if it exists.")] = False,
    memory: Annotated[str, typer.Option("--driver-memory", help="Spark driver memory.")] = "2g",
    additions_file: Annotated[Path | None, typer.Option("--additions", help=ADDITIONS_HELP)] = None,
) -> None:
    """Parse many résumés on Spark into a Parquet profile table (a file that can't be read is a row with its error code)."""
    from .batch.jobs import parse_job

    when = _parse_as_of(as_of)
    if input_format not in ("auto", "files", "parquet"):
        _usage(f"--format must be auto, files or parquet, not {input_format!r}")
    additions = _additions_or_exit(additions_file)
    spark = _spark_or_exit(master, memory, parse=True)
    s = _run_job(lambda: parse_job(spark, source, out, as_of=when, fmt=input_format, partitions=partitions,
                                   overwrite=overwrite, additions=additions))
    errors = ", ".join(f"{code} {n}" for code, n in s["errors"].items()) or "none"
    _out().print(f"parsed {s['rows']} résumés into {s['out']}: {s['profiles']} profiles, errors: {errors}; "
                 f"{s['seconds']:.1f} s ({s['rows'] / max(s['seconds'], 1e-9):.1f} résumés/s)", highlight=False)


@batch_app.command("rank")
def batch_rank(
    role_file: Annotated[str, typer.Option("--role", help="Role spec (YAML/JSON) or job description file.")],
    profiles: Annotated[Path, typer.Option("--profiles", help="A profile table (matcher batch parse output).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the ranking table (a Parquet folder).")],
    top: Annotated[int | None, typer.Option("--top", min=1, help="Keep only the K best (unparsed rows left out).")] = None,
    master: Annotated[str, typer.Option("--master", help=MASTER_HELP)] = "local[*]",
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace --out if it exists.")] = False,
    memory: Annotated[str, typer.Option("--driver-memory", help="Spark driver memory.")] = "2g",
    additions_file: Annotated[Path | None, typer.Option("--additions", help=ADDITIONS_HELP)] = None,
) -> None:
    """Rank a profile table against a role on Spark: the scores and order of matcher rank, per-group status."""
    from .batch.jobs import engine_for, rank_job

    additions = _additions_or_exit(additions_file)
    beside = Path(role_file).parent / ADDITIONS_FILE
    if additions is None and beside.is_file():
        Console(stderr=True).print(f"[yellow]warning:[/] {beside} is beside the role: pass it with --additions to rank "
                                   "with the tenant's own taxonomy (skillmatch-api batch import refuses a ranking "
                                   "made without it)", highlight=False)
    role_, _spec, warnings = _load_role_or_exit(role_file, engine_for(None, additions))
    spark = _spark_or_exit(master, memory)
    s = _run_job(lambda: rank_job(spark, role_, profiles, out, top=top, overwrite=overwrite, additions=additions))
    _out().print(f"ranked {s['ranked']} profiles against {s['role']!r} into {s['out']} ({s['errors']} unparsed rows) "
                 f"with taxonomy {s['taxonomy_version']}; {s['seconds']:.1f} s", highlight=False)
    for w in warnings:
        Console(stderr=True).print(f"[yellow]warning:[/] {w}", highlight=False)


def main() -> None:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's problem
    app()
