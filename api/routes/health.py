"""Liveness and readiness (no key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import State
from ..schemas import Health, Readiness, typed
from ..store import queries

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up", **typed(Health))
async def healthz() -> dict[str, str]:  # on the event loop: never queued behind the threadpool
    return {"status": "ok"}


@router.get("/readyz", summary="Database reachable and engine built",
            responses={503: {"description": "not ready", "model": Readiness}}, **typed(Readiness))
def readyz(state: State) -> Any:
    checks: dict[str, str] = {}
    try:
        with state.sessions() as db:
            queries.ping(db)
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["database"] = f"error: {type(exc).__name__}"
    checks["engine"] = "ok" if state.engine_ready else "building"
    body: dict[str, Any] = {"checks": checks}
    try:
        from ..jobs import queue_health

        body["jobs"] = queue_health(state)  # informative: a server without a worker is still ready
    except Exception as exc:  # noqa: BLE001
        checks["jobs"] = f"error: {type(exc).__name__}"
    if state.engine_ready:
        body["taxonomy_version"] = state.engine().taxonomy.version
    ok = all(v == "ok" for v in checks.values())
    body["status"] = "ready" if ok else "not_ready"
    return JSONResponse(body, status_code=200 if ok else 503)
