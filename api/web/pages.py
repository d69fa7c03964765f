"""The web pages: sign-in, recruiter pages (roles, ranking, fit reports) and candidate pages
(profile, corrections, gap reports). Server-rendered; the little JavaScript there is only adds
autocomplete and upload progress. Pages call the same use cases as the JSON API (``api.usecases``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from matcher import LEVELS as ENGINE_LEVELS
from matcher import (
    SCORING_VERSION,
    MatcherError,
    RoleError,
    clean_label,
    personal_spans,
)

from ..deps import DB, State
from ..errors import ApiError, NotFound, error_fields
from ..store import queries
from ..usecases.candidates import (
    CorrectionRefused,
    CorrectionRequest,
    candidate_or_404,
    candidate_view,
    correct_skill,
    replace_resume,
    require_resume,
    store_candidate,
)
from ..usecases.inputs import (
    ResumeInput,
    RoleInput,
    file_bytes,
    read_form,
    safe_content_type,
    safe_filename,
)
from ..usecases.parsing import parse_resume, role_from_input, threaded
from ..usecases.events import request_review
from ..usecases.ranking import (
    RankingQuery,
    candidate_report,
    gap_changes,
    log_report_shown,
    model_out,
    ranked_page,
    tenant_model,
    whole_ranking,
)
from ..usecases.decisions import REASON_LABELS, decision_from_form, record_decision, standing, undo
from ..usecases.roles import role_of_row, role_or_404
from ..usecases.roles import save_role as save_spec
from . import views
from .session import (
    COOKIE,
    CandidateUser,
    CsrfFailed,
    Recruiter,
    User,
    WebUser,
    check_csrf,
    set_blind,
    sign_in,
    sign_out,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))
router = APIRouter(prefix="/web", include_in_schema=False)

PAGE_SIZE = 20
MAX_PAGE = 100_000  # past it a page number is nonsense (and would overflow the database's offset)
MAX_UPLOAD_FILES = 20
LEVELS = ("", *ENGINE_LEVELS)  # the editor's choices: none, then the engine's seniority levels


#: Pages load scripts and styles from /web/static only; nothing may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def render(request: Request, template: str, user: WebUser | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.update(request=request, user=user, csrf=user.csrf if user else "", blind=bool(user and user.blind))
    return templates.TemplateResponse(request, template, ctx, status_code=status, headers=SECURITY_HEADERS)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(value: str | None) -> str | None:
    return value if value and value.startswith("/web/") and not value.startswith("//") and "\\" not in value else None


def home_of(role: str) -> str:
    return {"recruiter": "/web/roles", "candidate": "/web/me", "auditor": "/web/audit",
            "admin": "/web/taxonomy"}.get(role, "/web/key-not-for-web")


def check_same_site(request: Request) -> None:
    """A form post from another site is refused (sign-in included, which has no CSRF token yet):
    the browser's ``Sec-Fetch-Site``, else ``Origin``, must name this site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site not in ("same-origin", "none"):
            raise CsrfFailed()
        return
    origin = request.headers.get("origin")  # "null" (a sandboxed or opaque origin) never matches
    if origin is not None and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise CsrfFailed()


async def _form(request: Request, user: WebUser, max_files: int = 1, max_fields: int = 50):
    check_same_site(request)
    form = await read_form(request, request.app.state.sm, max_files=max_files, max_fields=max_fields)
    check_csrf(user, form.fields.get("csrf") or request.headers.get("x-csrf-token"))
    return form


# ------------------------------------------------------------------ sign-in

@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def web_home(request: Request, db: DB) -> Response:
    from .session import SignInRequired, current_user

    try:
        user = current_user(request, db)
    except SignInRequired:
        return redirect("/web/sign-in")
    return redirect(home_of(user.role))


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, expired: int = 0, next: str | None = None) -> HTMLResponse:
    msg = "Your session has expired. Sign in again." if expired else None
    return render(request, "sign_in.html", None, message=msg, next=_safe_next(next) or "")


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in_submit(request: Request, state: State, db: DB) -> Response:
    check_same_site(request)
    state.limits.check_sign_in(request.client.host if request.client else "unknown")
    form = await request.form(max_files=0, max_fields=5)
    token = str(form.get("api_key") or "")
    got = sign_in(db, token, state.settings.web_session_minutes) if token else None
    if got is not None:
        sign_out(db, request.cookies.get(COOKIE))  # a new session never reuses (or keeps) the old one
    if got is None:
        return render(request, "sign_in.html", None, status=401, next=_safe_next(str(form.get("next") or "")) or "",
                      error="That API key is not valid (or it was revoked). Check it and try again.")
    cookie, role = got
    resp = redirect(_safe_next(str(form.get("next") or "")) or home_of(role))
    resp.set_cookie(COOKIE, cookie, max_age=state.settings.web_session_minutes * 60, httponly=True,
                    secure=state.settings.web_cookie_secure, samesite="lax", path="/web")
    return resp


@router.post("/sign-out")
async def sign_out_submit(request: Request, db: DB, user: User) -> Response:
    await _form(request, user, max_files=0)
    sign_out(db, request.cookies.get(COOKIE))
    resp = redirect("/web/sign-in")
    resp.delete_cookie(COOKIE, path="/web")
    return resp


@router.get("/key-not-for-web", response_class=HTMLResponse)
def key_not_for_web(request: Request, user: User) -> HTMLResponse:
    return render(request, "error.html", user, status=403, title="This key is for the API",
                  message=f"A '{user.role}' key works with the HTTP API, not these pages. "
                          "Sign in with a recruiter or candidate key.", code="forbidden")


@router.post("/blind")
async def toggle_blind(request: Request, db: DB, user: Recruiter) -> Response:
    form = await _form(request, user, max_files=0)
    set_blind(db, user, form.fields.get("on") == "1")
    return redirect(_safe_next(form.fields.get("next")) or "/web/roles")


@router.get("/taxonomy/suggest")
def suggest(state: State, user: User, q: str = "") -> JSONResponse:
    q = q.strip()[:100]
    if not q:
        return JSONResponse({"items": []})
    tax = state.engine(user.tenant_id).taxonomy
    return JSONResponse({"items": [{"id": s.id, "name": s.name, "category": tax.categories.get(s.category, s.category)}
                                   for s in tax.search(q, 12)]})


# ------------------------------------------------------------------ recruiter: roles

@router.get("/roles", response_class=HTMLResponse)
def roles_page(request: Request, db: DB, user: Recruiter, page: int = 1) -> HTMLResponse:
    page = min(max(1, page), MAX_PAGE)
    total, rows = queries.list_roles(db, user.tenant_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render(request, "roles.html", user, roles=rows, total=total, page=page,
                  pages=max(1, -(-total // PAGE_SIZE)))


@router.get("/roles/new", response_class=HTMLResponse)
def new_role_page(request: Request, user: Recruiter) -> HTMLResponse:
    return render(request, "role_new.html", user)


@router.post("/roles/new", response_class=HTMLResponse)
async def new_role_submit(request: Request, state: State, user: Recruiter) -> HTMLResponse:
    form = await _form(request, user)
    text = (form.fields.get("job_text") or "").strip()
    files = [f for f in form.files.get("job_file", []) if f.filename]
    try:
        if files:
            inp = RoleInput(file=await file_bytes(files[0], state), filename=safe_filename(files[0].filename))
        elif text:
            inp = RoleInput(text=text)
        else:
            raise ApiError(422, "invalid_request", "Paste a job description or choose a file.")
        with state.limits.parse_slot(user.key_id):
            _role_value, spec, warnings = await threaded(role_from_input, state, inp, user.tenant_id)
    except (ApiError, MatcherError) as exc:
        status, code, detail = error_fields(exc)
        hints = getattr(exc, "details", None) or {}
        if isinstance(exc, RoleError) and "sections" in hints:
            # Nothing found: an empty draft to fill in, with what was seen, instead of a dead end.
            rf = views.RoleForm(title=str(hints.get("role_title") or ""))
            return render(request, "role_edit.html", user, status=422, form=rf, role=None, levels=LEVELS,
                          source_text=text if not files else "", warnings=views.no_requirement_hints(hints))
        return render(request, "role_new.html", user, status=status, job_text=text,
                      error=views.human_message(code, detail), detail=detail, code=code)
    rf = views.form_from_spec(spec, state.engine(user.tenant_id).taxonomy)
    return render(request, "role_edit.html", user, form=rf, role=None, warnings=warnings, levels=LEVELS,
                  source_text=text if not files else "")


@router.get("/roles/{role_id}/edit", response_class=HTMLResponse)
def edit_role_page(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> HTMLResponse:
    row = _role(db, user, role_id)
    rf = views.form_from_spec(row.spec, state.engine(user.tenant_id, db).taxonomy)
    return render(request, "role_edit.html", user, form=rf, role=row, warnings=list(row.warnings or []), levels=LEVELS,
                  source_text="")


@router.post("/roles/save", response_class=HTMLResponse)
async def save_role(request: Request, state: State, db: DB, user: Recruiter) -> Response:
    form = await _form(request, user, max_files=0, max_fields=2000)
    fields = form.multi
    row = _role(db, user, str(fields.get("role_id"))) if fields.get("role_id") else None
    rf = views.form_from_fields(fields)
    source_text = str(fields.get("source_text") or "")
    if not rf.errors:
        try:
            row = save_spec(db, state.engine(user.tenant_id, db), user.tenant_id, views.spec_from_form(rf), row, source_text or None)
        except RoleError as exc:
            rf.errors.extend(views.role_error_lines(exc))
    if rf.errors:
        return render(request, "role_edit.html", user, status=422, form=rf, role=row, warnings=[], levels=LEVELS,
                      source_text=source_text)
    return redirect(f"/web/roles/{row.id}")


def _role(db, user: WebUser, role_id: str):
    return role_or_404(db, user.tenant_id, role_id)


# ------------------------------------------------------------------ recruiter: ranking

def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    try:
        min_score = float(q.get("min_score")) if q.get("min_score") else None
        if min_score is not None and not 0 <= min_score <= 100:
            raise ValueError
    except ValueError:
        raise ApiError(422, "invalid_request", "Minimum score must be a number from 0 to 100.") from None
    sort = q.get("sort") if q.get("sort") in (*queries.RANK_ORDERS, "learned") else "score"
    try:
        page = min(max(1, int(q.get("page") or 1)), MAX_PAGE)
    except ValueError:
        page = 1
    return {"min_score": min_score, "all_met": q.get("all_met") == "1", "sort": sort, "page": page}


def _query(f: dict[str, Any]) -> RankingQuery:
    return RankingQuery(f["min_score"], True if f["all_met"] else None, f["sort"])


def _requirement_labels(row, engine) -> list[dict[str, Any]]:
    role = role_of_row(row, engine)
    return [{"label": g.label, "required": g.required,
             "names": [engine.taxonomy[s].name for s in g.any_of] + [f"{t.name} (by name)" for t in g.free_text]}
            for g in role.groups]


@router.get("/roles/{role_id}", response_class=HTMLResponse)
def ranking_page(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> HTMLResponse:
    return _render_ranking(request, state, db, user, _role(db, user, role_id))


def _render_ranking(request, state, db, user, row, status: int = 200, **extra) -> HTMLResponse:
    f = _filters(request)
    found = tenant_model(db, user.tenant_id)
    total, _, rows = ranked_page(db, state, user.tenant_id, row, _query(f), PAGE_SIZE, (f["page"] - 1) * PAGE_SIZE,
                                 shown_to=user.key_id, found=found)
    base = {k: v for k, v in (("min_score", f["min_score"]), ("all_met", "1" if f["all_met"] else None),
                              ("sort", f["sort"] if f["sort"] != "score" else None)) if v is not None}
    items = [{"rank": r.rank, "id": r.candidate.id, "name": views.display_name(r.candidate, user.blind),
              "score": r.score.score, "all_required_met": r.score.all_required_met,
              "summary": r.report["summary"], "requirements": r.report["requirements"],
              "own": any("candidate" in m["sources"] for q in r.report["requirements"] for m in q["matched"]),
              "learned": r.learned}
             for r in rows]
    decided = standing(db, user.tenant_id, row, [it["id"] for it in items])
    for it in items:
        it["decision"] = decided.get(it["id"])
    return render(request, "ranking.html", user, status=status, role=row, items=items, total=total, f=f,
                  reasons=REASON_LABELS, here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
                  model=model_out(found),
                  pages=max(1, -(-total // PAGE_SIZE)), query=urlencode(base),
                  requirements=_requirement_labels(row, state.engine(user.tenant_id, db)), max_file_mb=state.settings.max_file_bytes / 1e6,
                  max_files=MAX_UPLOAD_FILES, **extra)


@router.get("/roles/{role_id}/ranking.csv")
def ranking_csv(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> Response:
    row = _role(db, user, role_id)
    f = _filters(request)
    out = [{"rank": r.rank, "id": r.candidate.id, "name": views.display_name(r.candidate, user.blind),
                 "score": r.score.score, "all_required_met": r.score.all_required_met, "summary": r.report["summary"],
                 "statuses": [q["status"] for q in r.report["requirements"]]} for r in whole_ranking(db, state, user.tenant_id, row, _query(f), shown_to=user.key_id)]
    labels = [r["label"] for r in _requirement_labels(row, state.engine(user.tenant_id, db))]
    name = "".join(c if c.isascii() and c.isalnum() else "-" for c in row.title.lower())[:60].strip("-") or "role"
    return Response(views.ranking_csv(out, labels), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="ranking-{name}.csv"'})


async def _store_upload(state: State, db, user: WebUser, up: UploadFile) -> dict[str, Any]:
    """Parse one uploaded résumé and store it as a candidate; an error becomes a message."""
    name = safe_filename(up.filename) or "résumé"
    ctype = safe_content_type(up.content_type)
    db.rollback()  # give the connection back while this waits for a parse worker (the pool is shared)
    try:
        data = await file_bytes(up, state)
        inp = ResumeInput(data, name, ctype)
        with state.limits.parse_slot(user.key_id):
            profile = await threaded(parse_resume, state, inp, user.tenant_id)
    except (ApiError, MatcherError) as exc:
        status, code, detail = error_fields(exc)
        return {"file": name, "ok": False, "status": status, "code": code,
                "message": views.human_message(code, detail), "detail": detail}

    def store():
        cand = store_candidate(db, user.tenant_id, inp, profile, None)  # the name comes from the résumé
        db.commit()
        return cand

    cand = await threaded(store)
    return {"file": name, "ok": True, "id": cand.id, "skills": len(profile.skills),
            "message": f"Read {len(profile.skills)} skills."}


@router.post("/roles/{role_id}/upload")
async def upload_resumes(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> Response:
    row = _role(db, user, role_id)
    form = await _form(request, user, max_files=MAX_UPLOAD_FILES)
    files = [f for f in form.files.get("files", []) if f.filename]
    wants_json = "application/json" in request.headers.get("accept", "")
    if not files:
        if wants_json:
            return JSONResponse({"code": "invalid_request", "message": "Choose one or more files."}, status_code=422)
        return await threaded(_render_ranking, request, state, db, user, row, status=422,
                              upload_error="Choose one or more files.")
    results = [await _store_upload(state, db, user, up) for up in files]
    if wants_json:
        ok = all(r["ok"] for r in results)
        status = 200 if ok else results[0].get("status", 422)
        return JSONResponse({"results": results}, status_code=status,
                            headers={"Retry-After": "1"} if status == 429 else None)
    return await threaded(_render_ranking, request, state, db, user, row,
                          status=200 if all(r["ok"] for r in results) else 422, upload_results=results)


@router.post("/roles/{role_id}/invite", response_class=HTMLResponse)
async def invite_candidate(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> HTMLResponse:
    row = _role(db, user, role_id)
    form = await _form(request, user, max_files=0)
    name = clean_label(form.fields.get("name") or "", max_len=300) or None
    cand = queries.add_invited_candidate(db, user.tenant_id, row, name, state.engine(user.tenant_id, db).taxonomy.version)
    _, token = queries.create_key(db, user.tenant_id, "candidate", f"invited to {row.title}"[:200], cand.id)
    db.commit()
    return render(request, "invited.html", user, role=row, name=name, token=token)


# ------------------------------------------------------------------ recruiter: decisions

@router.post("/roles/{role_id}/decisions")
async def decide(request: Request, role_id: str, state: State, db: DB, user: Recruiter) -> Response:
    row = _role(db, user, role_id)
    form = await _form(request, user, max_files=0)
    d = decision_from_form(form.fields)
    cand = candidate_or_404(db, user.tenant_id, d.candidate_id)
    record_decision(db, state, user.tenant_id, user.key_id, row, cand, decision=d.decision,
                    reason_code=d.reason_code, note=d.note)
    db.commit()
    return redirect(_safe_next(form.fields.get("next")) or f"/web/roles/{row.id}")


@router.post("/roles/{role_id}/decisions/{decision_id}/undo")
async def undo_decision(request: Request, role_id: str, decision_id: str, db: DB, user: Recruiter) -> Response:
    row = _role(db, user, role_id)
    form = await _form(request, user, max_files=0)
    undo(db, user.tenant_id, row, decision_id, user.key_id)
    db.commit()
    return redirect(_safe_next(form.fields.get("next")) or f"/web/roles/{row.id}")


# ------------------------------------------------------------------ recruiter: one report

def _report_context(db, state, cand, row, blind: bool) -> dict[str, Any]:
    engine = state.engine(cand.tenant_id, db)
    fixes = queries.corrections_of(db, cand.tenant_id, [cand.id])
    profile, report = candidate_report(db, engine, cand, row, fixes)
    evidence = []
    for i, q in enumerate(report["requirements"]):
        for e in q["evidence"]:
            evidence.append((e["start"], e["end"], i))
            if blind:
                e["line"] = views.redact_line(e["line"], cand.name)
        for m in q["matched"]:
            m["own"] = "candidate" in m["sources"]
    hidden = personal_spans(cand.text, cand.name) if blind else []
    segments = views.highlight(cand.text, evidence, hidden)
    anchors: dict[int, str] = {}
    for s in segments:
        if s.kind == "mark" and s.req is not None:
            anchors.setdefault(s.req, s.anchor)
    names = {sid: engine.taxonomy[sid].name for q in report["requirements"] for sid in q["any_of"]}
    removed = [engine.taxonomy[c.skill_id].name for c in fixes.get(cand.id, [])
               if c.action == "remove" and c.skill_id in engine.taxonomy]
    return {"report": report, "segments": segments, "anchors": anchors, "names": names, "removed": removed,
            "scoring_version": SCORING_VERSION, "warnings": profile.warnings, "fixes": fixes,
            "unresolved": [u.name for u in profile.unresolved]}


@router.get("/roles/{role_id}/candidates/{candidate_id}", response_class=HTMLResponse)
def report_page(request: Request, role_id: str, candidate_id: str, state: State, db: DB, user: Recruiter) -> HTMLResponse:
    row = _role(db, user, role_id)
    cand = candidate_or_404(db, user.tenant_id, candidate_id)
    require_resume(cand)
    ctx = _report_context(db, state, cand, row, user.blind)
    log_report_shown(db, cand, row, ctx["report"], user.key_id, ctx.pop("fixes"))
    return render(request, "report.html", user, role=row, cand=cand, name=views.display_name(cand, user.blind),
                  audience="recruiter", decision=standing(db, user.tenant_id, row, [cand.id]).get(cand.id),
                  reasons=REASON_LABELS, here=str(request.url.path), **ctx)


# ------------------------------------------------------------------ candidate pages

def _me(db, user: WebUser):
    return candidate_or_404(db, user.tenant_id, user.candidate_id or "")


@router.get("/me", response_class=HTMLResponse)
def me_view(request: Request, state: State, db: DB, user: CandidateUser) -> HTMLResponse:
    return me_page(request, state, db, user)


def me_page(request: Request, state, db, user: WebUser, status: int = 200, **extra: Any) -> HTMLResponse:
    cand = _me(db, user)
    engine = state.engine(user.tenant_id, db)
    fixes = queries.corrections_of(db, user.tenant_id, [cand.id]).get(cand.id, [])
    groups, removed = views.profile_groups(cand.profile, cand.text, fixes, engine.taxonomy) \
        if cand.status == "parsed" else ([], [])
    return render(request, "me.html", user, status=status, cand=cand, groups=groups, removed=removed,
                  roles=queries.invited_roles(db, cand), view=candidate_view(cand, with_profile=False),
                  warnings=cand.profile.get("warnings", []), max_file_mb=state.settings.max_file_bytes / 1e6,
                  unresolved=[u["name"] for u in cand.profile.get("unresolved", [])], **extra)


@router.post("/me/resume", response_class=HTMLResponse)
async def me_upload(request: Request, state: State, db: DB, user: CandidateUser) -> Response:
    cand = _me(db, user)
    form = await _form(request, user)
    files = [f for f in form.files.get("file", []) if f.filename]
    if not files:
        return me_page(request, state, db, user, status=422, error="Choose a file to upload.")
    up = files[0]
    db.rollback()  # give the connection back while this waits for a parse worker (the pool is shared)
    try:
        inp = ResumeInput(await file_bytes(up, state), safe_filename(up.filename), safe_content_type(up.content_type))
        with state.limits.parse_slot(user.key_id):
            profile = await threaded(parse_resume, state, inp, user.tenant_id)
    except (ApiError, MatcherError) as exc:
        status, code, detail = error_fields(exc)
        return await threaded(me_page, request, state, db, user, status=status,
                              error=views.human_message(code, detail), detail=detail, code=code)
    cand = _me(db, user)  # again: it may have been erased while the file was parsed (then 404)
    replace_resume(db, cand, inp, profile, None)
    return redirect("/web/me")


@router.post("/me/skills", response_class=HTMLResponse)
async def me_correct(request: Request, state: State, db: DB, user: CandidateUser) -> Response:
    cand = _me(db, user)
    form = await _form(request, user, max_files=0)
    req = CorrectionRequest(form.fields.get("action"), form.fields.get("skill") or "", form.fields.get("years"))
    try:
        correct_skill(db, state.engine(user.tenant_id, db), cand, req)
    except CorrectionRefused as exc:
        return me_page(request, state, db, user, status=422, error=str(exc))
    return redirect("/web/me")


@router.get("/me/roles/{role_id}", response_class=HTMLResponse)
def me_gap(request: Request, role_id: str, state: State, db: DB, user: CandidateUser) -> HTMLResponse:
    cand = _me(db, user)
    if not queries.is_invited(db, cand, role_id):
        raise NotFound("role")
    row = _role(db, user, role_id)
    require_resume(cand, "upload your résumé first")
    ctx = _report_context(db, state, cand, row, False)
    log_report_shown(db, cand, row, ctx["report"], user.key_id, ctx.pop("fixes"))
    return render(request, "report.html", user, role=row, cand=cand, name="Your résumé", audience="candidate",
                  changes=[str(c) for c in gap_changes(db, state.engine(user.tenant_id, db), cand, row)],
                  review_sent=request.query_params.get("review") == "sent", **ctx)


@router.post("/me/roles/{role_id}/review")
async def me_review(request: Request, role_id: str, db: DB, user: CandidateUser) -> Response:
    cand = _me(db, user)
    if not queries.is_invited(db, cand, role_id):
        raise NotFound("role")
    row = _role(db, user, role_id)
    form = await _form(request, user, max_files=0)
    request_review(db, cand, row, user.key_id, form.fields.get("message") or "")
    db.commit()
    return redirect(f"/web/me/roles/{row.id}?review=sent")


@router.get("/notice", response_class=HTMLResponse)
def notice(request: Request) -> HTMLResponse:
    """What the tool is, the data it uses and how to ask for a human review (no sign-in needed)."""
    return render(request, "notice.html", None)
