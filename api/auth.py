"""API keys: ``sk_<id>_<secret>``; only sha256(token) is stored, looked up by its public id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import Depends


class KeyRole(str, Enum):
    candidate = "candidate"  # only their own profile and gap reports
    recruiter = "recruiter"  # the tenant's roles, candidates, rankings
    ats = "ats"  # match / parse / candidate writes for the tenant
    admin = "admin"  # keys
    auditor = "auditor"  # the bias audit and the audit log; the only role that reads self-identification in bulk


ROLES = tuple(r.value for r in KeyRole)


def new_token() -> tuple[str, str, str]:
    """(key id, full token to show once, its hash to store)."""
    key_id = secrets.token_hex(6)
    token = f"sk_{key_id}_{secrets.token_urlsafe(32)}"
    return key_id, token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def split_token(token: str) -> str | None:
    """The key id of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sk" or not parts[1] or not parts[2] or len(token) > 200:
        return None
    return parts[1]


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def live_key(db, token: str):
    """The stored key of a well-formed, unrevoked token whose hash matches, else None: the one key
    check (API requests, web sign-in, the demo's kept keys)."""
    from .store import queries

    key_id = split_token(token)
    key = queries.get_key(db, key_id) if key_id else None
    if key is None or key.revoked_at is not None or not token_matches(token, key.key_hash):
        return None
    return key


def role_guard(who: Callable[..., Any], allowed: tuple[str, ...],
               deny: Callable[[str, tuple[str, ...]], Exception]) -> Callable[..., Any]:
    """The one role guard: a dependency giving ``who`` (an API key, a web user) when its ``role`` is
    allowed, else raising ``deny(role, allowed)`` (403 for the API, an error page for /web)."""

    async def guard(caller: Any) -> Any:  # no I/O: on the event loop, not a threadpool hop
        if caller.role not in allowed:
            raise deny(caller.role, allowed)
        return caller

    guard.__annotations__["caller"] = Annotated[Any, Depends(who)]  # a real object: ``who`` is local
    return guard
