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


def run_demo(host: str = "127.0.0.1", port: int = 8000, serve_after: bool = True, tenant: str = "demo") -> None:
    from fastapi.testclient import TestClient

    from .main import configure_logging, create_app
    from .settings import Settings
    from .state import AppState
    from .store import queries

    settings = Settings()
    configure_logging("WARNING")
    state = AppState(settings)
    state.migrate()
    with state.sessions() as db:
        t = queries.get_tenant_by_name(db, tenant) or queries.create_tenant(db, tenant)
        keys = {r: queries.create_key(db, t.id, r, f"demo {r}")[1] for r in ("admin", "recruiter", "ats")}
        db.commit()
    state.close()

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
