"""``skillmatch-api``: serve, migrate, create tenants and keys, and the demo.

    skillmatch-api serve [--host 127.0.0.1] [--port 8000]
    skillmatch-api demo  [--port 8000] [--no-serve]     seed a demo tenant, print keys and a ranked list, serve
    skillmatch-api migrate
    skillmatch-api create-tenant NAME
    skillmatch-api create-key --tenant NAME --role recruiter|ats|admin|candidate [--candidate ID] [--name TEXT]
    skillmatch-api batch export --tenant NAME --role ROLE_ID --out DIR     profiles + role (+ the tenant's taxonomy
                                                                           additions) for matcher batch rank
    skillmatch-api batch import --tenant NAME --role ROLE_ID --ranking ranking.parquet

The database is ``DATABASE_URL`` (default: the SQLite file ./skillmatch.db).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from .auth import ROLES

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _state(**overrides):
    from pydantic import ValidationError

    from .settings import Settings
    from .state import AppState

    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        for e in exc.errors():
            typer.echo(f"setting SKILLMATCH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}", err=True)
        raise typer.Exit(2) from None
    state = AppState(settings)
    state.migrate()
    return state


def _tenant(db, name_or_id: str):
    """The tenant of a --tenant option (its name or id); exit 1 with a message when there is none."""
    from .store import queries

    t = queries.find_tenant(db, name_or_id)
    if t is None:
        typer.echo(f"no tenant {name_or_id!r}", err=True)
        raise typer.Exit(1)
    return t


@app.command()
def migrate() -> None:
    """Apply the database migrations."""
    _state()
    typer.echo("database is up to date")


@app.command("create-tenant")
def create_tenant(name: str) -> None:
    """Create a tenant and print its id."""
    from .store import queries

    state = _state()
    with state.sessions() as db:
        if queries.get_tenant_by_name(db, name):
            typer.echo(f"tenant {name!r} exists", err=True)
            raise typer.Exit(1)
        t = queries.create_tenant(db, name)
        db.commit()
        typer.echo(t.id)


@app.command("create-key")
def create_key(
    tenant: Annotated[str, typer.Option(help="tenant name or id")],
    role: Annotated[str, typer.Option(help="|".join(ROLES))],
    candidate: Annotated[str | None, typer.Option(help="candidate id (candidate keys)")] = None,
    name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create an API key; the token is printed once (only its hash is stored)."""
    from .store import queries

    if role not in ROLES:
        typer.echo(f"role must be one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    if (role == "candidate") != (candidate is not None):
        typer.echo("--candidate is required for candidate keys and only for them", err=True)
        raise typer.Exit(2)
    state = _state()
    with state.sessions() as db:
        t = _tenant(db, tenant)
        if candidate and queries.get_candidate(db, t.id, candidate) is None:
            typer.echo(f"no candidate {candidate!r} in tenant {t.name}", err=True)
            raise typer.Exit(1)
        _, token = queries.create_key(db, t.id, role, name, candidate)
        db.commit()
        typer.echo(token)


@app.command()
def retrain(tenant: Annotated[str, typer.Option(help="tenant name or id")]) -> None:
    """Retrain the tenant's learned order from its recruiters' standing decisions."""
    from .errors import ApiError
    from .usecases.learning import retrain as fit

    state = _state()
    with state.sessions() as db:
        t = _tenant(db, tenant)
        try:
            row = fit(db, t.id)
        except ApiError as exc:
            typer.echo(exc.detail, err=True)
            raise typer.Exit(1) from None
        db.commit()
        typer.echo(f"{row.model_version} from {row.n_decisions} decisions")


@app.command("purge-audit-log")
def purge_audit_log() -> None:
    """Delete audit events older than SKILLMATCH_AUDIT_RETENTION_DAYS (default 365, at least 183)."""
    from .store import events

    state = _state()
    with state.sessions() as db:
        n = events.purge_events(db, state.settings.audit_retention_days)
        db.commit()
    typer.echo(f"{n} audit events older than {state.settings.audit_retention_days} days deleted")


def parse_lanes_for(servers: int, env: Mapping[str, str], cores: int | None = None) -> dict[str, str]:
    """Settings for N server processes sharing the machine's cores: unless ``SKILLMATCH_PARSE_WORKERS``
    is set, each gets its share of the cores as parse workers (at least 1; its fast lane for small text
    stays). 2 servers x (2 + 1) parse processes on 2 cores ran 0.64-0.69 of the engine's rate, 2 x (1 + 1)
    0.71-0.72 (docs/performance.md). One server keeps the default."""
    import os

    if servers <= 1 or "SKILLMATCH_PARSE_WORKERS" in env:
        return {}
    cores = cores or len(os.sched_getaffinity(0))
    return {"SKILLMATCH_PARSE_WORKERS": str(max(1, cores // servers))}


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(min=1, help="server processes (uvicorn workers) sharing the port, "
                                                           "the database and the limits")] = 1) -> None:
    """Run the API (migrations are applied on start). With --workers N, uvicorn runs N server
    processes (each with its own engine and parse workers) and restarts one that dies."""
    import os

    import uvicorn

    _state().close()  # migrations once, before the server processes start
    os.environ.update(parse_lanes_for(workers, os.environ))
    # api.access logs paths without query strings: uvicorn's access log is off
    uvicorn.run("api.main:app_from_env", factory=True, host=host, port=port, workers=workers, log_config=None,
                access_log=False)


@app.command()
def worker(threads: Annotated[int | None, typer.Option(min=1, help="jobs run at once "
                                                       "(default SKILLMATCH_WORKER_THREADS)")] = None) -> None:
    """Run background jobs (imports, exports, ranking refreshes, retraining) from the queue in the database."""
    from .jobs import run_worker
    from .main import configure_logging

    # The job worker has no event loop to keep responsive: its parse workers are not niced (on a busy
    # machine that would only slow its jobs, and their lease renewals, behind everyone else's work).
    state = _state(parse_worker_nice=0)
    configure_logging(state.settings.log_level)
    try:
        run_worker(state, threads or state.settings.worker_threads)
    finally:
        state.close()


@app.command()
def demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="keep serving after seeding")] = True,
    tenant: str = "demo",
    reset: Annotated[bool, typer.Option("--reset", help="revoke the demo tenant's keys and make new ones")] = False,
) -> None:
    """Seed a demo tenant (keys, sample role and résumés), print the keys and a ranked list, then serve.
    A second run shows the same keys (kept beside the database); --reset revokes them and makes new ones."""
    from .demo import run_demo

    run_demo(host=host, port=port, serve_after=serve_after, tenant=tenant, reset=reset)


batch_app = typer.Typer(no_args_is_help=True, help="Hand a role's ranking to the Spark batch path (api/batch_io.py).")
app.add_typer(batch_app, name="batch")
TenantName = Annotated[str, typer.Option("--tenant", help="tenant name or id")]
RoleId = Annotated[str, typer.Option("--role", help="role id")]


#: What each batch step prints, from the summary it returns.
BATCH_DONE = {
    "export_profiles": "exported {profiles} profiles ({outdated_taxonomy} parsed under an older taxonomy) and the role "
                       "(digest {role_digest}) to {out}{additions_note}\nnext: matcher batch rank --role {out}/role.json "
                       "--profiles {out}/profiles.parquet --out {out}/ranking.parquet{additions_arg}",
    "import_ranking": "stored {stored} scores for role revision {role_revision} ({unscored} unparsed rows and "
                      "{unknown} unknown candidates left out)",
}


def _batch(tenant: str, role: str, work: str, path: Path) -> None:
    """Run ``api.batch_io.<work>(db, state, target, path)`` on the tenant's role and print what it
    did; a refusal is a message and exit 1, no pyarrow a message and exit 2."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        typer.echo('the batch commands need pyarrow: pip install -e ".[spark]"', err=True)
        raise typer.Exit(2) from None
    from . import batch_io

    state = _state()
    with state.sessions() as db:
        try:
            done = getattr(batch_io, work)(db, state, batch_io.find_target(db, tenant, role), path)
        except batch_io.BatchRefused as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    typer.echo(BATCH_DONE[work].format(**done, **_additions_words(done.get("additions"), done.get("taxonomy_version"))))


def _additions_words(path: str | None, version: str | None) -> dict[str, str]:
    """An export's words for the tenant's own taxonomy additions file (none without additions)."""
    if not path:
        return {"additions_note": "", "additions_arg": ""}
    return {"additions_note": f"\nthe tenant's own taxonomy additions (taxonomy {version}): {path}; pass it to "
                              "matcher batch rank with --additions, or the import will refuse the ranking",
            "additions_arg": f" --additions {path}"}


@batch_app.command("export")
def batch_export(tenant: TenantName, role: RoleId,
                 out: Annotated[Path, typer.Option(help="folder for profiles.parquet, role.json (and "
                                                        "taxonomy-additions.json)")]) -> None:
    """Export the role's unscored or stale candidates as a profile table, the role's spec, and the tenant's
    own taxonomy additions if it has any (for matcher batch rank --additions)."""
    _batch(tenant, role, "export_profiles", out)


@batch_app.command("import")
def batch_import(tenant: TenantName, role: RoleId,
                 ranking: Annotated[Path, typer.Option(help="a ranking table (matcher batch rank output)")]) -> None:
    """Store a batch ranking as the role's cached scores (checked against the role and the versions)."""
    _batch(tenant, role, "import_ranking", ranking)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
