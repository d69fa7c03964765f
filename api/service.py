"""What routes do with the engine: read inputs, parse in workers, resolve roles, rank and report."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from matcher.documents.normalize import clean_label
from matcher.errors import MatcherError, RoleError
from matcher.pipeline import Engine, match_profile
from matcher.report import report_to_dict
from matcher.roles import RoleSpec, load_role_spec, resolve_spec
from matcher.scoring import (
    SCORING_VERSION,
    CompiledRole,
    compile_role,
    group_credits,
    profiles_to_matrix,
    scores_from_credits,
)
from matcher.serialize import profile_from_dict, profile_to_dict
from matcher.types import Profile, Role

from . import jsonresume
from .errors import ApiError
from .state import AppState
from .store import queries
from .store.models import Candidate
from .store.models import Role as RoleRow
from .workers import ParseFailed

# ------------------------------------------------------------------ request bodies

class ResumeJSON(BaseModel):
    """A résumé as JSON: plain/Markdown ``text``, or a JSON Resume document in ``resume``."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, description="Résumé text (plain or Markdown).")
    resume: dict[str, Any] | None = Field(default=None, description="A JSON Resume document (jsonresume.org).")
    name: str | None = Field(default=None, max_length=300)
    external_id: str | None = Field(default=None, max_length=300)
    as_of: date | None = Field(default=None, description="Date that 'Present' means; default today.")


@dataclass
class ResumeInput:
    data: bytes
    filename: str | None = None
    content_type: str | None = None
    name: str | None = None
    external_id: str | None = None
    as_of: date | None = None
    keep_document: bool = True

    def fingerprint_parts(self) -> list[bytes]:
        meta = json.dumps([self.filename, self.name, self.external_id, str(self.as_of)]).encode()
        return [self.data, meta]


@dataclass
class RoleInput:
    """One way of giving a role: a spec, a stored role's id, or a job description as text (HTML and
    escaped HTML are detected), as HTML (``html``), as an ATS job object (``job``: Greenhouse,
    Lever, USAJOBS or ``{title, description}``) or as a file (PDF, DOCX, text, HTML, job JSON)."""

    spec: dict[str, Any] | None = None
    text: str | None = None
    file: bytes | None = None
    role_id: str | None = None
    html: str | None = None
    job: dict[str, Any] | None = None
    filename: str | None = None

    def job_bytes(self) -> tuple[bytes, str | None]:
        """The job description as bytes for the parse worker, with a file name that says its shape."""
        if self.job is not None:
            return json.dumps(self.job).encode("utf-8"), "job.json"
        if self.html is not None:
            return self.html.encode("utf-8"), "job.html"
        if self.file is not None:
            return self.file, self.filename
        return (self.text or "").encode("utf-8"), None


#: The keys a request may use to give a role (exactly one of them).
ROLE_KEYS = ("role_id", "role_spec", "job_text", "job_html", "job")


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)  # the last value of each field
    files: dict[str, list[UploadFile]] = field(default_factory=dict)
    multi: Any = None  # the parsed form itself (``getlist`` for fields sent more than once)


def invalid(detail: str) -> ApiError:
    return ApiError(422, "invalid_request", detail)


MAX_FILENAME = 255


def safe_content_type(value: str | None) -> str | None:
    """An upload's declared content type as stored: control and format characters dropped, at most 100 characters."""
    return clean_label(value or "", max_len=100) or None


def safe_filename(name: str | None) -> str | None:
    """An upload's file name as stored and echoed: its last path component (``/`` or ``\\``),
    control and format characters (NUL: ``cv.pdf\\x00.exe`` -> ``cv.pdf.exe``; bidi overrides:
    ``Ann \\u202efdp.exe`` -> ``Ann fdp.exe``) dropped, at most
    :data:`MAX_FILENAME` characters keeping a short extension; None when nothing is left. The name
    is only a label: formats are detected from the bytes and nothing is written under this name."""
    if not name:
        return None
    base = clean_label(re.split(r"[/\\]", name)[-1])
    if base in ("", ".", ".."):
        return None
    if len(base) > MAX_FILENAME:
        stem, dot, ext = base.rpartition(".")
        keep = f".{ext}" if dot and stem and len(ext) <= 16 else ""
        base = base[: MAX_FILENAME - len(keep)] + keep
    return base


def _meta(value: str | None, what: str, max_len: int = 300) -> str | None:
    """A free-text upload field (name, external id) as stored: control and format characters
    dropped (the databases refuse NUL; bidi overrides reorder what a person reads), over
    ``max_len`` is a 422 like the JSON body's limit."""
    if value is None:
        return None
    if len(value) > max_len:
        raise invalid(f"{what} is longer than {max_len} characters")
    value = clean_label(value)
    if len(value) > max_len:
        raise invalid(f"{what} is longer than {max_len} characters")
    return value


def content_kind(request: Request) -> str:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        return "multipart"
    if ctype in ("application/json", "") or ctype.endswith("+json"):
        return "json"
    raise ApiError(415, "unsupported_media_type", f"send multipart/form-data or application/json, not {ctype!r}")


async def read_form(request: Request, state: AppState, max_files: int = 1, max_fields: int = 50) -> Form:
    s = state.settings
    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=s.max_file_bytes)
    out = Form(multi=form)
    for k, v in form.multi_items():
        if isinstance(v, UploadFile):
            out.files.setdefault(k, []).append(v)
        else:
            out.fields[k] = v
    return out


def bad_json(detail: str) -> ApiError:
    return ApiError(400, "invalid_json", detail)


def parse_json(body: bytes | str) -> Any:
    """A JSON body, or a 400 ``invalid_json`` problem for anything the parser can't take: a syntax
    error, bytes that aren't UTF-8, nesting deeper than the parser's recursion limit, a number too
    long to convert."""
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_json(f"body is not valid JSON: {exc}") from None
    except RecursionError:
        raise bad_json("body is not usable JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer over Python's digit limit
        raise bad_json(f"body is not usable JSON: {exc}") from None


async def read_json(request: Request) -> Any:
    body = await request.body()
    if not body:
        raise invalid("empty request body")
    return parse_json(body)


async def file_bytes(upload: UploadFile, state: AppState) -> bytes:
    limit = state.settings.max_file_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "document_too_large", f"file is over {limit} bytes")
    return data


def _as_of(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid("as_of must be YYYY-MM-DD") from None


def resume_from_json(obj: Any) -> ResumeInput:
    if isinstance(obj, dict) and "text" not in obj and "resume" not in obj and jsonresume.looks_like_json_resume(obj):
        obj = {"resume": obj}
    try:
        body = ResumeJSON.model_validate(obj)
    except ValidationError as exc:
        raise invalid("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])) from None
    if (body.text is None) == (body.resume is None):
        raise invalid("give exactly one of 'text' or 'resume' (JSON Resume)")
    if body.resume is not None:
        text = jsonresume.to_text(body.resume)
        name = body.name or ((body.resume.get("basics") or {}).get("name") if isinstance(body.resume.get("basics"), dict) else None)
        return ResumeInput(text.encode("utf-8"), None, "application/json", _meta(name, "name"),
                           _meta(body.external_id, "external_id"), body.as_of, keep_document=False)
    return ResumeInput(body.text.encode("utf-8"), None, "text/plain", _meta(body.name, "name"),
                       _meta(body.external_id, "external_id"), body.as_of, keep_document=False)


async def resume_from_form(form: Form, state: AppState, field_name: str = "file") -> ResumeInput:
    files = form.files.get(field_name) or []
    if len(files) != 1:
        if "text" in form.fields:
            return ResumeInput(form.fields["text"].encode("utf-8"), None, "text/plain",
                               _meta(form.fields.get("name"), "name"), _meta(form.fields.get("external_id"), "external_id"),
                               _as_of(form.fields.get("as_of")), keep_document=False)
        raise invalid(f"multipart upload needs one file in field '{field_name}'")
    up = files[0]
    return ResumeInput(await file_bytes(up, state), safe_filename(up.filename), safe_content_type(up.content_type),
                       _meta(form.fields.get("name"), "name"), _meta(form.fields.get("external_id"), "external_id"),
                       _as_of(form.fields.get("as_of")))


async def read_resume(request: Request, state: AppState) -> ResumeInput:
    if content_kind(request) == "multipart":
        return await resume_from_form(await read_form(request, state), state)
    return resume_from_json(await read_json(request))


# ------------------------------------------------------------------ parsing (in worker processes)

def _raise_parse(exc: ParseFailed) -> None:
    raise ApiError(exc.status, exc.code, exc.message) from None


def parse_resume(state: AppState, inp: ResumeInput) -> Profile:
    """Blocking: run in a thread. Raises ApiError / MatcherError."""
    try:
        return state.pool().run("profile", inp.data, inp.as_of)
    except ParseFailed as exc:
        _raise_parse(exc)


def role_from_input(state: AppState, inp: RoleInput) -> tuple[Role, dict[str, Any], list[str]]:
    """Blocking. (resolved role, the editable spec as stored, warnings)."""
    engine = state.engine()
    if inp.spec is not None:
        spec = load_role_spec(inp.spec)
        return resolve_spec(spec, engine.taxonomy), spec_dict(spec), []
    data, filename = inp.job_bytes()
    if not data.strip():
        raise RoleError("the job description is empty")
    try:
        role, spec, warnings = state.pool().run("role", data, filename)
    except ParseFailed as exc:
        _raise_parse(exc)
    return role, spec_dict(spec), list(warnings)


def spec_dict(spec: RoleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude_none=True)


def role_of_row(row: RoleRow, engine: Engine) -> Role:
    return resolve_spec(load_role_spec(row.spec), engine.taxonomy)


def role_input_from_fields(fields: dict[str, Any], files: dict[str, list[UploadFile]] | None = None) -> RoleInput:
    """From JSON keys / form fields: ``role_id``, ``role_spec`` (object or JSON/YAML string), ``job_text``,
    ``job_html``, ``job`` (an ATS job object, or its JSON as a form field) or the file ``job_file``."""
    given = [k for k in ROLE_KEYS if fields.get(k) not in (None, "")]
    if files and files.get("job_file"):
        given.append("job_file")
    if len(given) != 1:
        raise invalid("give exactly one of role_id, role_spec, job_text, job_html, job or job_file")
    k = given[0]
    if k == "role_id":
        return RoleInput(role_id=str(fields["role_id"]))
    if k == "role_spec":
        spec = fields["role_spec"]
        if isinstance(spec, str):
            from matcher.roles import parse_spec_text

            spec = parse_spec_text(spec)
            if spec is None:
                raise RoleError("role_spec is not a YAML/JSON role spec with 'requirements'")
        return RoleInput(spec=spec)
    if k in ("job_text", "job_html"):
        if not isinstance(fields[k], str):
            raise invalid(f"{k} must be a string")
        return RoleInput(text=fields[k]) if k == "job_text" else RoleInput(html=fields[k])
    if k == "job":
        job = fields["job"]
        if isinstance(job, str):  # a form field carries the object as JSON
            job = parse_json(job)
        if not isinstance(job, dict):
            raise invalid("job must be an object (a Greenhouse, Lever or USAJOBS job, or {title, description})")
        return RoleInput(job=job)
    return RoleInput(file=b"")  # filled by the caller from the upload


# ------------------------------------------------------------------ views

def candidate_view(c: Candidate, with_profile: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "external_id": c.external_id,
        "filename": c.filename,
        "status": c.status,
        "created_at": c.created_at.isoformat() if c.created_at else None,
        "taxonomy_version": c.taxonomy_version,
        "skills": len(c.profile.get("skills", [])),
        "experience_years": c.profile.get("experience_years"),
    }
    if with_profile:
        out["profile"] = c.profile
    return out


def role_view(r: RoleRow, engine: Engine | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id,
        "title": r.title,
        "revision": r.revision,
        "spec": r.spec,
        "warnings": list(r.warnings or []),
        "created_at": r.created_at.isoformat() if r.created_at else None,
        "updated_at": r.updated_at.isoformat() if r.updated_at else None,
    }
    if engine is not None:
        role = role_of_row(r, engine)
        out["requirements"] = [
            {"label": g.label, "any_of": list(g.any_of), "skills": [engine.taxonomy[s].name for s in g.any_of],
             "required": g.required, "weight": g.weight, "min_years": g.min_years, "source_text": g.source_text}
            for g in role.groups
        ]
        out["level"] = role.level
        out["min_years"] = role.min_years
    return out


def report_view(profile: Profile, role: Role, engine: Engine, compiled: CompiledRole | None = None) -> dict[str, Any]:
    report = match_profile(profile, role, engine, compiled)
    out = report_to_dict(report, profile.text, engine.taxonomy)
    out["scoring_version"] = report.scoring_version
    out["taxonomy_version"] = report.taxonomy_version
    out["all_required_met"] = all(r["status"] == "met" for r in out["requirements"] if r["required"])
    return out


def profile_view(profile: Profile, source: str | None = None) -> dict[str, Any]:
    return profile_to_dict(profile, source)


# ------------------------------------------------------------------ ranking (vectorized)

def scores_and_required_met(pm, compiled: CompiledRole) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``pm``: the score, and whether every required group's status is "met"
    (as in the fit report). One pass over the matrix for both."""
    credits, met = group_credits(pm, compiled)
    required = [g for g, plan in enumerate(compiled.plans) if plan.required]
    all_met = met[:, required].all(axis=1) if required else np.ones(pm.n, dtype=bool)
    return scores_from_credits(pm, compiled, credits), all_met


def required_met(pm, compiled: CompiledRole) -> np.ndarray:
    """For each row of ``pm``: every required group's status is "met"."""
    return scores_and_required_met(pm, compiled)[1]


def effective_profiles(db: Session, engine: Engine, cands: list[Candidate], with_text: bool = True,
                       fixes: dict[str, list] | None = None) -> list[Profile]:
    """The profiles that are scored: as parsed, with each candidate's own corrections applied
    (``fixes``: ``queries.corrections_of`` for these candidates, when the caller already has it)."""
    from matcher.corrections import Correction, apply_corrections

    if fixes is None:
        fixes = queries.corrections_of(db, cands[0].tenant_id, [c.id for c in cands]) if cands else {}
    return [
        apply_corrections(profile_from_dict(c.profile, c.text if with_text else ""),
                          [Correction(r.skill_id, r.action, r.years) for r in fixes.get(c.id, ())], engine.taxonomy)
        for c in cands
    ]


def reparse_outdated(state: AppState, db: Session, cands: list[Candidate]) -> int:
    """Profiles parsed under another taxonomy are parsed again from the stored document (or the
    stored text for text uploads), in the workers; one that fails keeps its old profile."""
    engine = state.engine()
    n = 0
    for c in cands:
        if c.taxonomy_version == engine.taxonomy.version:
            continue
        try:
            as_of = date.fromisoformat(c.profile["as_of"]) if c.profile.get("as_of") else None
            profile = state.pool().run("profile", c.document if c.document else c.text.encode("utf-8"), as_of)
        except (ParseFailed, MatcherError):
            continue
        queries.replace_profile(db, c, profile_to_dict(profile), profile.text, profile.taxonomy_version)
        n += 1
    return n


def refresh_scores(db: Session, state: AppState, tenant_id: str, row: RoleRow) -> tuple[CompiledRole, int]:
    """Recompute the stale scores of ``row`` (new candidates, new role revision, new scoring or
    taxonomy version; profiles from an older taxonomy are parsed again first). Returns the
    compiled role and how many scores were recomputed."""
    engine = state.engine()
    role = role_of_row(row, engine)
    compiled = compile_role(role, engine.taxonomy)
    stale = queries.stale_candidates(db, tenant_id, row, SCORING_VERSION, engine.taxonomy.version)
    if stale:
        reparse_outdated(state, db, stale)
        profiles = effective_profiles(db, engine, stale, with_text=False)
        pm = profiles_to_matrix(profiles, engine.taxonomy)
        scores, met = scores_and_required_met(pm, compiled)
        queries.upsert_scores(db, tenant_id, row, [(c.id, float(s), bool(m)) for c, s, m in zip(stale, scores, met)],
                              SCORING_VERSION, engine.taxonomy.version)
    return compiled, len(stale)


@dataclass(frozen=True)
class RankedRow:
    rank: int  # by score, whatever the page's sort order
    score: Any  # the Score row
    candidate: Candidate
    report: dict[str, Any]  # report_view of the candidate's effective profile


def ranked_page(db: Session, state: AppState, tenant_id: str, row: RoleRow, *, min_score: float | None = None,
                all_required_met: bool | None = None, limit: int = 20, offset: int = 0,
                order: str = "score") -> tuple[int, int, list[RankedRow]]:
    """Refresh stale scores, then one page of the ranking with full fit reports (built for that
    page only). Returns (total after filters, scores recomputed, rows). Commits the refreshed scores."""
    from sqlalchemy.exc import IntegrityError

    engine = state.engine()
    try:
        compiled, recomputed = refresh_scores(db, state, tenant_id, row)
        db.commit()
    except IntegrityError:  # a concurrent request stored the same scores first: use them
        db.rollback()
        compiled, recomputed = refresh_scores(db, state, tenant_id, row)
        db.commit()
    total, scores = queries.ranked_scores(db, tenant_id, row.id, min_score=min_score,
                                          all_required_met=all_required_met, limit=limit, offset=offset, order=order)
    cands = queries.candidates_by_ids(db, tenant_id, [s.candidate_id for s in scores])
    profiles = effective_profiles(db, engine, [cands[s.candidate_id] for s in scores])
    out = []
    for i, (s, profile) in enumerate(zip(scores, profiles)):
        rank = offset + i + 1 if order == "score" else queries.score_rank(db, row.id, s.score)
        out.append(RankedRow(rank, s, cands[s.candidate_id], report_view(profile, compiled.role, engine, compiled)))
    return total, recomputed, out


# ------------------------------------------------------------------ idempotency

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



async def threaded(fn, *args, **kwargs):
    return await run_in_threadpool(fn, *args, **kwargs)
