"""Idempotent creation: a retried request with the same ``Idempotency-Key`` (same tenant, same
request) gets the stored response instead of creating a duplicate."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..store import queries


def fingerprint(path: str, parts: list[bytes]) -> str:
    h = hashlib.sha256(path.encode())
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()


def replay(db: Session, tenant_id: str, key: str | None, fp: str) -> JSONResponse | None:
    """The stored response of an earlier request with this key, or None. Called before anything is
    written; on None the read transaction (the key lookup, this one) is ended, so the request gives
    its database connection back while it waits for a parse worker: uploads queued behind slow
    documents must not hold the pool (15 connections) that every other request needs."""
    rec = queries.get_idempotent(db, tenant_id, key) if key else None
    if rec is None:
        db.rollback()
        return None
    if rec.fingerprint != fp:
        raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used with a different request")
    return JSONResponse(rec.response, status_code=rec.status_code, headers={"Idempotent-Replayed": "true"})


def commit_created(db: Session, tenant_id: str, key: str | None, fp: str, status: int, body: dict[str, Any],
                   resource_type: str, resource_id: str) -> JSONResponse:
    """Store the idempotent response with the created row in one transaction, then commit. A
    concurrent request that stored the same key first wins: this one is rolled back and replays it."""
    if key and not queries.save_idempotent(db, tenant_id, key, fp, status, body, resource_type, resource_id):
        db.rollback()
        again = replay(db, tenant_id, key, fp)
        if again is not None:
            return again
        # the winner's record is gone again (erased meanwhile): this row was rolled back, never ack it
        raise ApiError(409, "idempotency_conflict", "a concurrent request with this Idempotency-Key interfered; retry")
    db.commit()
    return JSONResponse(body, status_code=status)


def create_once(db: Session, tenant_id: str, key: str | None, request: tuple[str, list[bytes]], resource_type: str,
                create: Callable[[], tuple[str, dict[str, Any]]]) -> JSONResponse:
    """Blocking. The stored response when this key was seen, else ``create()`` (-> the new row's
    id and its body) answered 201 and stored under the key in the same transaction. ``request``:
    (path, parts) of :func:`fingerprint`, hashed here, in the caller's thread (an upload can be
    megabytes: not on the event loop)."""
    fp = fingerprint(*request)
    again = replay(db, tenant_id, key, fp)
    if again is not None:
        return again
    resource_id, body = create()
    return commit_created(db, tenant_id, key, fp, 201, body, resource_type, resource_id)
