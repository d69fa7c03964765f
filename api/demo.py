"""The demo: a tenant with keys, the sample role and résumés, a ranked list printed; then serve.

Everything goes through the HTTP API of the real server (uvicorn, called with the standard
library), so the printed list is exactly what ``GET /v1/roles/{id}/ranking`` answers."""

from __future__ import annotations

from pathlib import Path

import typer

REPO = Path(__file__).resolve().parents[1]


def sample_files() -> tuple[list[Path], Path | None]:
    resumes = sorted((REPO / "samples" / "resumes").glob("*"))
    roles = sorted((REPO / "samples" / "roles").glob("*"))
    if not resumes:
        resumes = sorted((REPO / "tests" / "data" / "ranking" / "ml-engineer").glob("*.txt"))
    role = roles[0] if roles else REPO / "tests" / "data" / "jobs" / "ml-engineer-job-page.txt"
    return [p for p in resumes if p.is_file() and not p.name.lower().startswith("readme")], (role if role.exists() else None)


DEMO_ROLES = ("admin", "recruiter", "ats")


def keys_file(settings) -> Path:
    """Where the demo keeps its tenant's keys (mode 0600): beside the SQLite file, or in the working
    directory for another database. The database keeps only their hashes, so a second run can only
    show the keys again if it kept them."""
    url = settings.sqlalchemy_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):]).resolve().with_name("skillmatch-demo-keys.json")
    return Path.cwd() / "skillmatch-demo-keys.json"


def _saved_keys(db, path: Path, tenant_id: str) -> dict[str, str] | None:
    """The kept keys, if every one is still a live key of this tenant."""
    import json

    from .auth import split_token, token_matches
    from .store import queries

    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("tenant_id") != tenant_id or not isinstance(saved.get("keys"), dict):
        return None
    keys = saved["keys"]
    for role in DEMO_ROLES:
        token = keys.get(role)
        key = queries.get_key(db, split_token(token) or "") if isinstance(token, str) else None
        if key is None or key.revoked_at is not None or key.tenant_id != tenant_id or not token_matches(token, key.key_hash):
            return None
    return {r: keys[r] for r in DEMO_ROLES}


def _save_keys(path: Path, tenant_id: str, keys: dict[str, str]) -> None:
    import json
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"tenant_id": tenant_id, "keys": keys}, f, indent=2)


class DemoKeysLost(Exception):
    """The demo tenant exists but its keys were not kept; ``--reset`` mints new ones."""


def demo_keys(state, tenant: str, reset: bool = False) -> tuple[dict[str, str], bool]:
    """The demo tenant's keys and whether they are new. A second run reuses the kept keys; it never
    mints a second set silently. ``reset`` revokes the tenant's keys and mints new ones."""
    from .store import queries

    path = keys_file(state.settings)
    with state.sessions() as db:
        t = queries.get_tenant_by_name(db, tenant)
        if t is not None and not reset:
            kept = _saved_keys(db, path, t.id)
            if kept is not None:
                return kept, False
            raise DemoKeysLost(f"the demo tenant {tenant!r} already exists, but its keys were not kept in {path}; "
                               "run again with --reset to revoke its keys and make new ones")
        if t is None:
            t = queries.create_tenant(db, tenant)
        else:
            for k in queries.list_keys(db, t.id):
                if k.revoked_at is None:
                    queries.revoke_key(db, k)
        keys = {r: queries.create_key(db, t.id, r, f"demo {r}")[1] for r in DEMO_ROLES}
        db.commit()
        _save_keys(path, t.id, keys)
        return keys, True


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body (what a browser or an ATS sends for an upload)."""
    import secrets

    boundary = "skillmatch-demo-" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class _Http:
    """The demo's HTTP client: the standard library against the real server (no test client)."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, *, body: bytes | None = None, ctype: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict]:
        import json
        import urllib.error
        import urllib.request

        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {self.token}", **(headers or {}),
                                              **({"Content-Type": ctype} if ctype else {})})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def upload(self, path: str, p: Path, idempotency_key: str, fields: dict[str, str] | None = None) -> tuple[int, dict]:
        body, ctype = _multipart(fields or {}, "file", p.name, p.read_bytes())
        return self.call("POST", path, body=body, ctype=ctype, headers={"Idempotency-Key": idempotency_key})


def seed_and_print(base: str, keys: dict[str, str], tenant: str, database_url: str, public_base: str) -> None:
    """Upload the sample role and résumés through the HTTP API and print the keys and the ranking
    exactly as ``GET /v1/roles/{id}/ranking`` answers it."""
    resumes, role_file = sample_files()
    http = _Http(base, keys["recruiter"])
    role_id = None
    if role_file is not None:
        status, body = http.upload("/v1/roles", role_file, f"demo-role-{role_file.name}")
        if status >= 300:
            typer.echo(f"role {role_file.name}: {body.get('detail')}", err=True)
        else:
            role_id = body["id"]
    for p in resumes:
        status, body = http.upload("/v1/candidates", p, f"demo-resume-{p.name}", {"name": p.stem})
        if status >= 300:
            typer.echo(f"  {p.name}: {body.get('code')} {body.get('detail')}", err=True)
    typer.echo(f"\nTenant {tenant!r} ({database_url})")
    for role, token in keys.items():
        typer.echo(f"  {role:10s} key: {token}")
    if not role_id:
        return
    _status, rank = http.call("GET", f"/v1/roles/{role_id}/ranking?limit=20")
    typer.echo(f"\nRole {rank['role']['title']!r} (id {role_id}); scoring {rank['scoring_version']}, "
               f"taxonomy {rank['taxonomy_version']}:")
    for item in rank["results"]:
        met = "all required met" if item["all_required_met"] else ""
        typer.echo(f"  {item['rank']:2d}. {item['score']:5.1f}  {item['candidate']['name'] or item['candidate']['id']:40s} {met}")
    typer.echo(f"\nTry:  curl -H 'Authorization: Bearer {keys['recruiter']}' {public_base}/v1/roles/{role_id}/ranking")
    typer.echo(f"Docs: {public_base}/docs")
    typer.echo(f"Web:  {public_base}/web/ (sign in with the recruiter key above; the ranking is at "
               f"{public_base}/web/roles/{role_id})")


def run_demo(host: str = "127.0.0.1", port: int = 8000, serve_after: bool = True, tenant: str = "demo",
             reset: bool = False) -> None:
    """Seed through the real server, then keep serving (or stop, with ``serve_after=False``).

    The server runs in the main thread (so Ctrl-C stops it as usual); a second thread waits for it
    to listen, seeds it over HTTP and prints. Without ``serve_after`` it listens on a free port and
    stops once the ranking is printed."""
    import threading
    import time

    import uvicorn

    from .main import configure_logging, create_app
    from .settings import Settings
    from .state import AppState

    settings = Settings()
    configure_logging("WARNING")
    state = AppState(settings)
    state.migrate()
    try:
        keys, fresh = demo_keys(state, tenant, reset)
    except DemoKeysLost as exc:
        typer.echo(f"skillmatch-api demo: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        state.close()
    typer.echo(("New keys" if fresh else "Keys from the first run (not new)") + f", kept in {keys_file(settings)}")

    server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port if serve_after else 0,
                                           log_config=None, access_log=False, log_level="warning"))
    failure: list[BaseException] = []

    def seed() -> None:
        try:
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if not server.started:
                return
            bound = server.servers[0].sockets[0].getsockname()
            seed_and_print(f"http://{bound[0]}:{bound[1]}", keys, tenant, settings.database_url,
                           f"http://{host}:{bound[1]}")
            if serve_after:
                configure_logging(settings.log_level)  # api.access logs paths without query strings
        except BaseException as exc:  # noqa: BLE001 - reported after the server stops
            failure.append(exc)
            server.should_exit = True
        if not serve_after:
            server.should_exit = True

    seeder = threading.Thread(target=seed, name="demo-seed", daemon=True)
    seeder.start()
    worker = _start_worker() if serve_after else None  # imports, exports and ranking refreshes run as jobs
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it can't bind
        if server.started:
            raise
        server.should_exit = True
        typer.echo(f"skillmatch-api demo: could not listen on {host}:{port}; is another server running there? "
                   "Stop it, or pass --port N.", err=True)
        raise typer.Exit(2) from None
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
    seeder.join(timeout=5)
    if failure:
        raise failure[0]


def _start_worker():
    """``skillmatch-api worker`` beside the demo server (same environment, same database)."""
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "api", "worker"])
