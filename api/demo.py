"""The demo: a tenant with keys, the sample role and résumés, a ranked list printed; then serve.

Everything goes through the HTTP API (in-process TestClient) so the printed list is exactly what
``GET /v1/roles/{id}/ranking`` answers."""

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


def run_demo(host: str = "127.0.0.1", port: int = 8000, serve_after: bool = True, tenant: str = "demo",
             reset: bool = False) -> None:
    from fastapi.testclient import TestClient

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

    resumes, role_file = sample_files()
    app = create_app(settings)
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {keys['recruiter']}"}
        role_id = None
        if role_file is not None:
            r = client.post("/v1/roles", headers={**h, "Idempotency-Key": f"demo-role-{role_file.name}"},
                            files={"file": (role_file.name, role_file.read_bytes())})
            if r.status_code >= 300:
                typer.echo(f"role {role_file.name}: {r.json().get('detail')}", err=True)
            else:
                role_id = r.json()["id"]
        for p in resumes:
            r = client.post("/v1/candidates", headers={**h, "Idempotency-Key": f"demo-resume-{p.name}"},
                            files={"file": (p.name, p.read_bytes())}, data={"name": p.stem})
            if r.status_code >= 300:
                typer.echo(f"  {p.name}: {r.json().get('code')} {r.json().get('detail')}", err=True)
        typer.echo(f"\nTenant {tenant!r} ({settings.database_url})")
        for role, token in keys.items():
            typer.echo(f"  {role:10s} key: {token}")
        if role_id:
            rank = client.get(f"/v1/roles/{role_id}/ranking", headers=h, params={"limit": 20}).json()
            typer.echo(f"\nRole {rank['role']['title']!r} (id {role_id}); scoring {rank['scoring_version']}, "
                       f"taxonomy {rank['taxonomy_version']}:")
            for item in rank["results"]:
                met = "all required met" if item["all_required_met"] else ""
                typer.echo(f"  {item['rank']:2d}. {item['score']:5.1f}  {item['candidate']['name'] or item['candidate']['id']:40s} {met}")
            base = f"http://{host}:{port}"
            typer.echo(f"\nTry:  curl -H 'Authorization: Bearer {keys['recruiter']}' {base}/v1/roles/{role_id}/ranking")
            typer.echo(f"Docs: {base}/docs")
            typer.echo(f"Web:  {base}/web/ (sign in with the recruiter key above; the ranking is at "
                       f"{base}/web/roles/{role_id})")
    if serve_after:
        import uvicorn

        configure_logging(settings.log_level)
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)  # api.access logs paths without query strings
