"""The tenant's own taxonomy, for admin keys: its aliases and skills listed, added and removed, and the
tools its candidates mention that it does not know yet, offered as one-click additions. The same use
cases as ``/v1/taxonomy``; a refused addition is shown on the page with the engine's reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from matcher import TaxonomyAdditionError

from ..deps import DB, State
from ..errors import ApiError
from ..usecases import taxonomy as uc
from .pages import _form, redirect, render
from .session import Admin, WebUser

router = APIRouter(prefix="/web")

SUGGESTIONS = 15
SAVED = {"alias": "Alias added.", "skill": "Skill added.", "removed": "Removed."}


def _page(request: Request, state, db, user: WebUser, status: int = 200, **extra) -> HTMLResponse:
    view = uc.taxonomy_view(state, db, user.tenant_id)
    return render(request, "taxonomy.html", user, status=status, t=view,
                  suggestions=uc.suggestions(state, db, user.tenant_id, SUGGESTIONS), **extra)


@router.get("/taxonomy", response_class=HTMLResponse)
def taxonomy_page(request: Request, state: State, db: DB, user: Admin, saved: str | None = None) -> HTMLResponse:
    return _page(request, state, db, user, notice=SAVED.get(saved or ""))


@router.post("/taxonomy")
async def taxonomy_submit(request: Request, state: State, db: DB, user: Admin) -> Response:
    f = (await _form(request, user, max_files=0)).fields
    # queries, a tenant engine's build (~0.65 s) and the suggestions' scan: off the event loop
    return await run_in_threadpool(_apply, request, state, db, user, f)


def _apply(request: Request, state, db, user: WebUser, f: dict) -> Response:
    action = f.get("action")
    try:
        if action == "add_alias":
            uc.add_alias(state, db, user.tenant_id, user.key_id, f.get("skill") or "", f.get("alias") or "")
        elif action == "add_skill":
            aliases = [a.strip() for a in (f.get("aliases") or "").split(",") if a.strip()]
            uc.add_skill(state, db, user.tenant_id, user.key_id, f.get("name") or "", f.get("category") or "", aliases)
        elif action in ("remove_alias", "remove_skill"):
            uc.remove_addition(state, db, user.tenant_id, action.removeprefix("remove_"), f.get("id") or "")
        else:
            raise ApiError(422, "invalid_request", "choose what to do")
    except TaxonomyAdditionError as exc:
        db.rollback()
        return _page(request, state, db, user, status=409 if exc.code == "taxonomy_conflict" else 422,
                     problem=exc.message, form=f)
    return redirect("/web/taxonomy?saved=" + ("removed" if action.startswith("remove") else action.removeprefix("add_")))
