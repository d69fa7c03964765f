"""Pure ASGI middleware: request IDs (and access logs), and the request-body byte limit."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from http import HTTPStatus

from .errors import TYPE_BASE, BodyTooLarge

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
log = logging.getLogger("api.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Takes ``X-Request-ID`` (if well-formed) or makes one; echoes it and logs one line per request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = None
        for k, v in scope.get("headers", ()):
            if k == b"x-request-id":
                incoming = v.decode("latin-1")
                break
        rid = incoming if incoming and _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        status = {"code": 500}
        t0 = time.perf_counter()

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((b"x-request-id", rid.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        started = False

        async def send_tracking(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_id(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:  # an unhandled error still answers problem+json carrying the request id
            logging.getLogger("api").exception("unhandled error")
            status["code"] = 500
            if not started:
                await _send_problem(send_with_id, 500, "internal_error", "internal server error")
        finally:
            log.info("%s %s %s %.1fms", scope.get("method"), scope.get("path"), status["code"],
                     (time.perf_counter() - t0) * 1000)
            request_id_var.reset(token)


class BodyLimitMiddleware:
    """Counts request-body bytes as ``receive()`` delivers them (chunked uploads included) and stops
    at ``max_bytes`` with 413; a declared Content-Length past the cap is refused before reading."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_bytes
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = 0
                if declared > limit:
                    return await _send_413(send, limit)
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send, limit)


async def _send_problem(send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"type": TYPE_BASE + code, "title": HTTPStatus(status).phrase, "status": status,
                       "detail": detail, "code": code}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def _send_413(send, limit: int) -> None:
    await _send_problem(send, 413, "body_too_large", f"request body is over {limit} bytes")
