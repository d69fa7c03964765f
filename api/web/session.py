"""Browser sessions: sign in with an API key, then a random token in an HTTP-only cookie.

The cookie (``sm_session``) holds a random token; the database keeps only its sha256, the API key
it stands for, a CSRF token and the blind-review switch. The API key itself never goes back to the
browser. A session ends at sign-out, at expiry (``SKILLMATCH_WEB_SESSION_MINUTES``), or when its key
is revoked or its candidate erased. Every form that changes something carries the CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ..auth import live_key, role_guard
from ..deps import DB, State
from ..store import queries

COOKIE = "sm_session"


class SignInRequired(Exception):
    """No (valid) session: the page answers with a redirect to sign-in."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("sign-in required")
        self.expired = expired


class WrongRole(Exception):
    """Signed in, but this page is for another kind of key."""

    def __init__(self, role: str, allowed: tuple[str, ...]) -> None:
        super().__init__(role)
        self.role = role
        self.allowed = allowed


class CsrfFailed(Exception):
    pass


@dataclass(frozen=True)
class WebUser:
    session_hash: str
    key_id: str
    tenant_id: str
    role: str
    candidate_id: str | None
    csrf: str
    blind: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def sign_in(db: Session, token: str, minutes: int) -> tuple[str, str] | None:
    """(cookie value, role) for a valid, unrevoked API key; None otherwise. Commits."""
    key = live_key(db, token.strip())
    if key is None:
        return None
    cookie = secrets.token_urlsafe(32)
    queries.purge_web_sessions(db)
    queries.add_web_session(db, _hash(cookie), key.id, secrets.token_urlsafe(24),
                            datetime.now(UTC) + timedelta(minutes=minutes))
    db.commit()
    return cookie, key.role


def sign_out(db: Session, cookie: str | None) -> None:
    if cookie:
        queries.delete_web_session(db, _hash(cookie))
        db.commit()


def current_user(request: Request, db: DB) -> WebUser:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise SignInRequired()
    ws = queries.get_web_session(db, _hash(cookie))
    if ws is None:
        raise SignInRequired(expired=True)
    if _aware(ws.expires_at) < datetime.now(UTC):
        queries.delete_web_session(db, ws.id_hash)
        db.commit()
        raise SignInRequired(expired=True)
    key = queries.get_key(db, ws.key_id)
    if key is None or key.revoked_at is not None:
        raise SignInRequired(expired=True)
    request.app.state.sm.limits.check_key(key.id)  # a web session spends its key's requests a minute
    return WebUser(ws.id_hash, key.id, key.tenant_id, key.role, key.candidate_id, ws.csrf, bool(ws.blind))


User = Annotated[WebUser, Depends(current_user)]


Recruiter = Annotated[WebUser, Depends(role_guard(current_user, ("recruiter",), WrongRole))]
CandidateUser = Annotated[WebUser, Depends(role_guard(current_user, ("candidate",), WrongRole))]
Auditor = Annotated[WebUser, Depends(role_guard(current_user, ("auditor",), WrongRole))]
Admin = Annotated[WebUser, Depends(role_guard(current_user, ("admin",), WrongRole))]


def check_csrf(user: WebUser, sent: str | None) -> None:
    if not sent or not hmac.compare_digest(sent, user.csrf):
        raise CsrfFailed()


def set_blind(db: Session, user: WebUser, on: bool) -> None:
    ws = queries.get_web_session(db, user.session_hash)
    if ws is not None:
        ws.blind = on
        db.commit()


__all__ = ["COOKIE", "CandidateUser", "CsrfFailed", "Recruiter", "SignInRequired", "State", "User", "WebUser",
           "WrongRole", "check_csrf", "current_user", "set_blind", "sign_in", "sign_out"]
