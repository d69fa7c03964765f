"""Every error leaves as problem+json (RFC 9457) with a stable ``code``; engine errors map to HTTP here."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher import (
    DocumentTooLarge,
    MatcherError,
    RoleError,
    TaxonomyConflict,
    UnsupportedFormat,
)

from .schemas import Problem

log = logging.getLogger("api")

PROBLEM = "application/problem+json"
TYPE_BASE = "https://skillmatch.dev/problems/"


class ApiError(StarletteHTTPException):
    """An error of the API itself, raised anywhere (also from ASGI middleware / receive())."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.code = code
        self.extra = extra or {}


class NotFound(ApiError):
    def __init__(self, what: str = "resource") -> None:
        super().__init__(404, "not_found", f"{what} not found")


class Forbidden(ApiError):
    def __init__(self, detail: str = "this key's role may not use this endpoint") -> None:
        super().__init__(403, "forbidden", detail)


class Unauthorized(ApiError):
    def __init__(self, detail: str = "a valid API key is required") -> None:
        super().__init__(401, "unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "body_too_large", f"request body is over {limit} bytes")


class BodyTimeout(ApiError):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, "body_timeout", f"the request body was not received within {seconds:g} s")


#: engine error class -> HTTP status (anything else from matcher is 422)
ENGINE_STATUS: list[tuple[type[MatcherError], int]] = [
    (UnsupportedFormat, 415),
    (DocumentTooLarge, 413),
    (RoleError, 422),
    (TaxonomyConflict, 409),
]

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 408: "body_timeout", 409: "conflict", 413: "body_too_large",
                415: "unsupported_media_type",
                422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}


#: What FastAPI says when its own JSON body parsing fails with anything but a syntax error.
FRAMEWORK_BODY_ERROR = "There was an error parsing the body"


def engine_status(exc: MatcherError) -> int:
    for cls, status in ENGINE_STATUS:
        if isinstance(exc, cls):
            return status
    return 422


def problem(status: int, code: str, detail: str, *, title: str | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def error_fields(exc: BaseException) -> tuple[int, str, str]:
    """(HTTP status, stable code, detail) of any exception: the one mapping, for JSON and pages."""
    if isinstance(exc, ApiError):
        return exc.status_code, exc.code, str(exc.detail)
    if isinstance(exc, MatcherError):
        return engine_status(exc), exc.code, exc.message
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == FRAMEWORK_BODY_ERROR:
            return 400, "invalid_json", "body is not usable JSON (nested too deeply, not UTF-8, or a number too long)"
        return exc.status_code, STATUS_CODES.get(exc.status_code, "http_error"), str(exc.detail)
    return 500, "internal_error", "internal server error"


def problem_for_exception(exc: BaseException) -> JSONResponse:
    status, code, detail = error_fields(exc)
    headers = getattr(exc, "headers", None)
    extra = exc.extra if isinstance(exc, ApiError) else dict(getattr(exc, "details", None) or {})
    return problem(status, code, detail, headers=headers, **extra)


def _web_page(request: Request, exc: BaseException, fields: tuple[int, str, str] | None = None):
    """Under /web, errors are pages for people (``api.web.error_page``), not problem+json."""
    page = getattr(request.app.state, "web_error_page", None)
    if page is None or not request.url.path.startswith("/web"):
        return None
    resp = page(request, *(fields or error_fields(exc)))
    for k, v in (getattr(exc, "headers", None) or {}).items():
        resp.headers[k] = v
    return resp


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _web_page(request, exc) or problem_for_exception(exc)

    @app.exception_handler(MatcherError)
    async def _matcher(request: Request, exc: MatcherError):
        return _web_page(request, exc) or problem_for_exception(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()[:20]
        ]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
        if any(e["type"] == "json_invalid" for e in errors):  # a JSON syntax error: the body itself is bad
            return (_web_page(request, exc, (400, "invalid_json", detail))
                    or problem(400, "invalid_json", f"body is not valid JSON: {detail}", errors=errors))
        return (_web_page(request, exc, (422, "invalid_request", detail or "invalid request"))
                or problem(422, "invalid_request", detail or "invalid request", errors=errors))

    # Unhandled exceptions are answered by RequestIdMiddleware (inside Starlette's ServerErrorMiddleware,
    # so the 500 still carries X-Request-ID).


#: OpenAPI description of a problem response, for ``responses=`` on routes.
def problem_schema(description: str, code: str, status: int) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            PROBLEM: {
                "schema": Problem.model_json_schema(),
                "example": {"type": TYPE_BASE + code, "title": HTTPStatus(status).phrase, "status": status,
                            "detail": description, "code": code}
            }
        },
    }


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: problem_schema("missing or invalid API key", "unauthorized", 401),
    403: problem_schema("this key's role may not use this endpoint", "forbidden", 403),
    404: problem_schema("not found in this key's tenant", "not_found", 404),
    422: problem_schema("invalid request", "invalid_request", 422),
}


def invalid_request(detail: str) -> ApiError:
    return ApiError(422, "invalid_request", detail)
