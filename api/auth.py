"""API keys: ``sk_<id>_<secret>``; only sha256(token) is stored, looked up by its public id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
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


#: bumped when a key is revoked or deleted in this process: every key cache here forgets what it holds
_keys_generation = 0
_generation_lock = threading.Lock()


def _bump_keys_generation(*_: Any) -> None:
    global _keys_generation
    with _generation_lock:
        _keys_generation += 1


def keys_changed(db=None) -> None:
    """A key was revoked or deleted: the key caches of this process forget what they hold, now and
    again when ``db`` commits (a request may have re-read the key before the change was committed)."""
    _bump_keys_generation()
    if db is not None:
        from sqlalchemy import event

        event.listen(db, "after_commit", _bump_keys_generation, once=True)


class KeyCache:
    """Keys recently verified, by key id: the stored hash and what a request needs of the key. A hit
    still checks the token against the stored hash; an entry lives ``ttl`` seconds, so a key revoked by
    another server process stops working there within ``ttl`` (in this process, at once). ``ttl`` 0: off."""

    def __init__(self, ttl: float, size: int = 4096) -> None:
        self.ttl, self.size = ttl, size
        self._entries: dict[str, tuple[str, Any, float, int]] = {}

    def get(self, token: str) -> Any:
        key_id = split_token(token)
        entry = self._entries.get(key_id) if key_id else None
        if entry is None:
            return None
        stored_hash, value, expires, generation = entry
        if generation != _keys_generation or time.monotonic() > expires:
            self._entries.pop(key_id, None)
            return None
        return value if token_matches(token, stored_hash) else None

    def put(self, key_id: str, stored_hash: str, value: Any, generation: int) -> None:
        """``generation``: :func:`keys_generation` read before the key was looked up."""
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key_id] = (stored_hash, value, time.monotonic() + self.ttl, generation)


def keys_generation() -> int:
    return _keys_generation


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
