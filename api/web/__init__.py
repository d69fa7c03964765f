"""Web pages for recruiters and candidates, served by the API's own app under ``/web``.

``install(app)`` adds the pages, their static files and the error pages: under ``/web`` an error a
person can cause (a wrong file type, a scan, a file too large, an expired session) is a page with a
plain message, never a stack trace or a JSON body.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from .session import CsrfFailed, SignInRequired, WrongRole

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("api.web")

TITLES = {400: "Bad request", 401: "Please sign in", 403: "Not allowed", 404: "Not found", 408: "Too slow",
          409: "Not yet", 413: "Too large", 415: "Unsupported file", 422: "Can't use that", 429: "Too many requests",
          500: "Something went wrong", 503: "Busy, try again"}


def error_page(request: Request, status: int, code: str, detail: str) -> Response:
    from .pages import render
    from .views import human_message

    return render(request, "error.html", None, status=status, title=TITLES.get(status, "Error"),
                  message=human_message(code, detail), detail=detail, code=code)


def install(app: FastAPI) -> None:
    from . import audit_pages, pages, taxonomy_pages

    app.include_router(pages.router)
    app.include_router(audit_pages.router)
    app.include_router(taxonomy_pages.router)
    app.mount("/web/static", StaticFiles(directory=str(STATIC)), name="web-static")
    app.state.web_error_page = error_page

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired):
        from urllib.parse import quote

        target = "/web/sign-in?" + ("expired=1&" if exc.expired else "")
        if request.method == "GET":
            target += "next=" + quote(request.url.path)
        return RedirectResponse(target.rstrip("&?"), status_code=303)

    @app.exception_handler(WrongRole)
    async def _wrong_role(request: Request, exc: WrongRole):
        return error_page(request, 403, "forbidden",
                          f"This page is for {' or '.join(exc.allowed)} keys; you are signed in with a '{exc.role}' key.")

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed):
        return error_page(request, 403, "csrf_failed", "the form's security token is missing or out of date")
