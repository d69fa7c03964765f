"""Annotated dependencies: the app state, a db session, the engine, the caller's API key and role guards."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from matcher import Engine

from .auth import keys_generation, live_key, role_guard
from .errors import ApiError, Forbidden, Unauthorized
from .settings import Settings
from .state import AppState
from .store.models import Candidate
from .store.models import Role as RoleRow
from .usecases import candidates, roles


async def get_state(request: Request) -> AppState:  # async: a plain function would cost a threadpool hop
    return request.app.state.sm


State = Annotated[AppState, Depends(get_state)]


async def get_settings(state: State) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_db(state: State) -> AsyncIterator[Session]:
    """A session for the request. Opening one does no I/O, and neither does closing one that holds no
    connection (the key check and the match path hand theirs back early): then no threadpool hop."""
    db = state.sessions()
    try:
        yield db
    except BaseException:
        await _off_loop_if_connected(db, db.rollback)
        raise
    finally:
        await _off_loop_if_connected(db, db.close)


async def _off_loop_if_connected(db: Session, fn) -> None:
    if db.in_transaction():  # a connection to give back (a rollback round trip): off the event loop
        await run_in_threadpool(fn)
    else:
        fn()


DB = Annotated[Session, Depends(get_db)]


def get_engine(state: State) -> Engine:
    return state.engine()


EngineDep = Annotated[Engine, Depends(get_engine)]


@dataclass(frozen=True)
class KeyInfo:
    id: str
    tenant_id: str
    role: str
    candidate_id: str | None


_QUERY_KEY_NAMES = {"api_key", "apikey", "api-key", "key", "token", "access_token", "x-api-key", "x_api_key", "auth"}
_TOKEN_LIKE = re.compile(r"\bsk_[0-9a-f]+_")


_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer sk_...`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: sk_...`")


async def current_key(
    request: Request,
    db: DB,
    _b: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
    _k: Annotated[str | None, Security(_api_key_header)] = None,
) -> KeyInfo:
    """The caller's key (the two security schemes document the headers in OpenAPI / Swagger UI). A key
    verified in the last ``key_cache_seconds`` is answered on the event loop; otherwise it is read in a
    thread."""
    token = _token_of(request)
    state: AppState = request.app.state.sm
    info = state.key_cache.get(token)
    if info is None:
        info = await run_in_threadpool(_look_up_key, state, db, token)
    if state.limits.in_memory:
        state.limits.check_key(info.id)  # 429 past the key's requests a minute
    else:
        await run_in_threadpool(state.limits.check_key, info.id)
    return info


def _token_of(request: Request) -> str:
    authorization = request.headers.get("authorization")
    x_api_key = request.headers.get("x-api-key")
    for name, value in request.query_params.multi_items():
        if name.lower() in _QUERY_KEY_NAMES or _TOKEN_LIKE.search(value):
            raise ApiError(400, "api_key_in_query",
                           "API keys are accepted only in the Authorization or X-API-Key header, never in the URL; "
                           "this key should now be considered leaked")
    token = None
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized("Authorization must be 'Bearer <key>'")
        token = value.strip()
    elif x_api_key:
        token = x_api_key.strip()
    if not token:
        raise Unauthorized()
    return token


def _look_up_key(state: AppState, db: Session, token: str) -> KeyInfo:
    generation = keys_generation()
    key = live_key(db, token)
    if key is None:
        db.rollback()
        raise Unauthorized("invalid or revoked API key")
    info = KeyInfo(id=key.id, tenant_id=key.tenant_id, role=key.role, candidate_id=key.candidate_id)
    state.key_cache.put(key.id, key.key_hash, info, generation)
    # End the lookup's transaction: the connection goes back to the pool while the body is read
    # (a slow upload must not hold one of the connections every other request needs).
    db.rollback()
    return info


CurrentKey = Annotated[KeyInfo, Depends(current_key)]


def _forbidden(role: str, allowed: tuple[str, ...]) -> Forbidden:
    return Forbidden(f"a '{role}' key may not use this endpoint (allowed: {', '.join(allowed)})")


def allow(*roles: str, extra: dict[str, Any] | None = None, parses: bool = False) -> dict[str, Any]:
    """Route kwargs: the role guard and its OpenAPI trace (``x-allowed-roles``, read by the access test);
    ``parses=True`` for routes that parse in the worker pool (the caller's parse slot is held meanwhile)."""
    return {
        "dependencies": [Depends(role_guard(current_key, tuple(roles), _forbidden)), *([Depends(parse_slot)] if parses else [])],
        "openapi_extra": {"x-allowed-roles": list(roles), **(extra or {})},
    }


IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200,
           description="Retrying with the same key (same tenant, same request) returns the stored response "
                       "instead of creating a duplicate."),
]


#: Pagination bounds: a page is at most 100 items and the offset at most a million (past that a
#: database integer can overflow, and no client pages that far; filter instead).
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"items to skip (at most {MAX_OFFSET:,})")]


async def parse_slot(state: State, key: CurrentKey) -> AsyncIterator[None]:
    """Holds one of the caller's parse slots for the request (429 when the key has none left), so
    one key can't fill the parse lanes every tenant shares. No I/O: on the event loop."""
    with state.limits.parse_slot(key.id):
        yield



def role_or_404(role_id: str, db: DB, key: CurrentKey) -> RoleRow:
    """The role of the path in the key's tenant (404 otherwise)."""
    return roles.role_or_404(db, key.tenant_id, role_id)


StoredRole = Annotated[RoleRow, Depends(role_or_404)]


def candidate_or_404(candidate_id: str, db: DB, key: CurrentKey) -> Candidate:
    """The candidate of the path if this key may see it (its tenant; a candidate key only its own)."""
    return candidates.candidate_or_404(db, key.tenant_id, candidate_id,
                                       own=key.candidate_id if key.role == "candidate" else None)


StoredCandidate = Annotated[Candidate, Depends(candidate_or_404)]
