"""API keys: ``sk_<id>_<secret>``; only sha256(token) is stored, looked up by its public id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import Enum


class KeyRole(str, Enum):
    candidate = "candidate"  # only their own profile and gap reports
    recruiter = "recruiter"  # the tenant's roles, candidates, rankings
    ats = "ats"  # match / parse / candidate writes for the tenant
    admin = "admin"  # keys


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
