"""The FastAPI app factory. Importing this module builds nothing: the engine, the database and the
parse workers are set up by the app's lifespan (or handed in by tests)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from matcher import Engine

from . import errors
from .middleware import BodyLimitMiddleware, RequestIdFilter, RequestIdMiddleware
from .settings import Settings
from .workers import ParsePool

DESCRIPTION = """Candidate–role skill matching over HTTP.

Authenticate with an API key in `Authorization: Bearer sk_...` or `X-API-Key: sk_...` (never in the URL).
Keys carry a role: `candidate` (own profile and gap reports), `recruiter` (the tenant's roles, candidates
and rankings), `ats` (match, parse, candidate writes), `admin` (keys). Another tenant's resources answer 404.
Errors are `application/problem+json` with a stable `code`.
"""


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def app_from_env() -> FastAPI:
    """The app of one server process (``uvicorn --factory api.main:app_from_env``; ``skillmatch-api serve
    --workers N`` runs N of them): settings from the environment, logging configured."""
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def create_app(settings: Settings | None = None, *, engine: Engine | None = None, pool: ParsePool | None = None,
               build_engine_on_start: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from .state import AppState

        state = AppState(settings, engine=engine, pool=pool)
        app.state.sm = state
        await run_in_threadpool(state.migrate)
        if build_engine_on_start:
            await run_in_threadpool(state.pool)  # builds the engine, then forks the workers
        try:
            yield
        finally:
            state.close()

    # Swagger UI and ReDoc assets are served from the installed package (/static-offline-docs), not a CDN:
    # /docs works on a machine without internet.
    app: FastAPI = FastAPIOffline(
        title="skillmatch API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[{"name": n} for n in ("candidates", "roles", "ranking", "jobs", "match", "parse", "taxonomy", "keys", "webhooks", "health")],
    )
    errors.install(app)
    from .routes import (audit, candidates, decisions, health, jobs, keys, match, models, parse, ranking, roles, taxonomy,
                         webhooks)

    for r in (audit, candidates, roles, ranking, decisions, models, jobs, match, parse, taxonomy, keys, webhooks, health):
        app.include_router(r.router)
    from . import web

    web.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)  # outermost of ours: every response carries the id
    return app
