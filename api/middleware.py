"""Pure ASGI middleware: request IDs (and access logs), and the request-body byte and time limits."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import time
import uuid

from .errors import BodyTimeout, BodyTooLarge, problem

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
log = logging.getLogger("api.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class _TrackedSend:
    """Passes messages on to ``send`` and notes whether the response has started: until it has,
    a failure can still be answered with an error response of its own; after, it can't."""

    def __init__(self, send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


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

        tracked = _TrackedSend(send_with_id)
        try:
            await self.app(scope, receive, tracked)
        except Exception:  # an unhandled error still answers problem+json carrying the request id
            logging.getLogger("api").exception("unhandled error")
            status["code"] = 500
            if not tracked.started:
                await _send_problem(send_with_id, 500, "internal_error", "internal server error", scope)
        finally:
            log.info("%s %s %s %.1fms", scope.get("method"), scope.get("path"), status["code"],
                     (time.perf_counter() - t0) * 1000)
            request_id_var.reset(token)


#: when neither the middleware nor the app's settings say (``Settings.body_read_timeout_seconds``)
DEFAULT_BODY_READ_TIMEOUT = 120.0


class BodyLimitMiddleware:
    """Counts request-body bytes as ``receive()`` delivers them (chunked uploads included) and stops
    at ``max_bytes`` with 413; a declared Content-Length past the cap is refused before reading.

    The whole body must also arrive within ``read_timeout`` seconds of the request's start (408
    ``body_timeout``), so a slow-trickle upload can't hold a request open for ever (uvicorn has no
    body timeout of its own). Without ``read_timeout`` the app's settings give it
    (``scope["app"].state.sm.settings``). Waiting for a disconnect after the body is not timed."""

    def __init__(self, app, max_bytes: int, read_timeout: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    def _read_timeout(self, scope) -> float:
        if self.read_timeout is not None:
            return self.read_timeout
        state = getattr(getattr(scope.get("app"), "state", None), "sm", None)
        return float(getattr(getattr(state, "settings", None), "body_read_timeout_seconds", DEFAULT_BODY_READ_TIMEOUT))

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
                    return await _send_413(send, limit, scope)
        received = 0
        body_done = False
        timeout = self._read_timeout(scope)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout if timeout > 0 else None

        async def counting_receive():
            nonlocal received, body_done
            if body_done or deadline is None:
                message = await receive()
            else:
                try:
                    message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.001))
                except TimeoutError:
                    raise BodyTimeout(timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                body_done = not message.get("more_body", False)
            return message

        tracked = _TrackedSend(send)
        try:
            await self.app(scope, counting_receive, tracked)
        except BodyTooLarge:
            if not tracked.started:
                await _send_413(send, limit, scope)
        except BodyTimeout as exc:
            if not tracked.started:
                await _send_problem(send, 408, exc.code, str(exc.detail), scope)


def _wants_page(scope) -> bool:
    """A person's browser on the web pages (not a script with ``Accept: application/json``)."""
    if not str(scope.get("path", "")).startswith("/web"):
        return False
    accept = next((v for k, v in scope.get("headers", ()) if k == b"accept"), b"")
    return b"application/json" not in accept


async def _send_problem(send, status: int, code: str, detail: str, scope=None) -> None:
    """problem+json; under /web, for a browser, the web pages' own error page (never a stack trace)."""
    if scope is not None and _wants_page(scope):
        from starlette.requests import Request

        from .web import error_page

        page = error_page(Request(scope), status, code, detail)
    else:
        page = problem(status, code, detail)
    body, ctype = page.body, page.headers["content-type"].encode("latin-1")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def _send_413(send, limit: int, scope=None) -> None:
    await _send_problem(send, 413, "body_too_large", f"request body is over {limit} bytes", scope)
