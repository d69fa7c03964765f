"""Reading requests: a résumé (file, text or JSON Resume) or a role (id, spec, job text, HTML, ATS job
object or file) from a multipart form or a JSON body, with the limits and the cleaning of labels."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from matcher import RoleError, clean_label, parse_spec_text

from .. import jsonresume
from ..errors import ApiError
from ..state import AppState

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


#: JSON bodies past this size are decoded in a thread (a 20 MB body takes the event loop ~100 ms)
JSON_ON_LOOP_BYTES = 256 * 1024


async def read_json(request: Request) -> Any:
    body = await request.body()
    if not body:
        raise invalid("empty request body")
    if len(body) > JSON_ON_LOOP_BYTES:
        return await run_in_threadpool(parse_json, body)
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


async def role_input_from_form(form: Form, state: AppState) -> RoleInput:
    """A role from form fields, or from the uploaded ``job_file``."""
    inp = role_input_from_fields(form.fields, form.files)
    if inp.file is not None:
        up = form.files["job_file"][0]
        inp.file, inp.filename = await file_bytes(up, state), safe_filename(up.filename)
    return inp


async def read_match(request: Request, state: AppState) -> tuple[ResumeInput, RoleInput]:
    """``POST /v1/match``: one résumé and one role, as a form (a file each, or fields) or as JSON."""
    if content_kind(request) == "multipart":
        form = await read_form(request, state, max_files=2)
        return await resume_from_form(form, state), await role_input_from_form(form, state)
    obj = await read_json(request)
    if not isinstance(obj, dict):
        raise invalid("body must be an object")
    role = role_input_from_fields(obj)
    return resume_from_json({k: v for k, v in obj.items() if k not in ROLE_KEYS}), role


#: One résumé of a batch: its id, and what was read or why it can't be.
BatchInput = tuple[str, ResumeInput | None, ApiError | None]


async def read_batch(request: Request, state: AppState) -> tuple[list[BatchInput], RoleInput]:
    """``POST /v1/match/batch``: up to ``max_batch`` résumés (files, or JSON items) and one role. An
    item that can't be read is kept with its error (it does not fail the batch)."""
    limit = state.settings.max_batch
    inputs: list[BatchInput] = []
    if content_kind(request) == "multipart":
        form = await read_form(request, state, max_files=limit + 1)
        role = await role_input_from_form(form, state)
        for i, up in enumerate(form.files.get("files") or []):
            inputs.append((up.filename or str(i), ResumeInput(await file_bytes(up, state), up.filename), None))
    else:
        obj = await read_json(request)
        if not isinstance(obj, dict) or not isinstance(obj.get("resumes"), list):
            raise invalid("body needs 'resumes' (a list) and one of role_id / role_spec / job_text / job_html / job")
        if len(obj["resumes"]) > limit:  # before any item is looked at
            raise batch_too_large(limit)
        role = role_input_from_fields(obj)
        inputs = [_batch_item(i, item) for i, item in enumerate(obj["resumes"])]
    if not inputs:
        raise invalid("no résumés given")
    if len(inputs) > limit:
        raise batch_too_large(limit)
    return inputs, role


def batch_too_large(limit: int) -> ApiError:
    return ApiError(413, "batch_too_large", f"at most {limit} résumés per batch")


def _batch_item(i: int, item: Any) -> BatchInput:
    ident = str(item.get("id", i)) if isinstance(item, dict) else str(i)
    try:
        return ident, resume_from_json({k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item), None
    except ApiError as exc:
        return ident, None, exc


#: The JSON keys of ``POST /v1/roles`` (exactly one of them).
NEW_ROLE_KEYS = ("spec", "job_text", "job_html", "job")


async def read_new_role(request: Request, state: AppState) -> tuple[RoleInput, list[bytes]]:
    """``POST /v1/roles``: a file in the field ``file``, or JSON with exactly one of
    :data:`NEW_ROLE_KEYS`. Returns the role input and what fingerprints the request."""
    if content_kind(request) == "multipart":
        form = await read_form(request, state)
        files = form.files.get("file") or []
        if len(files) != 1:
            raise invalid("multipart role upload needs one file in field 'file'")
        inp = RoleInput(file=await file_bytes(files[0], state), filename=safe_filename(files[0].filename))
        return inp, [b"file", inp.file, (inp.filename or "").encode()]
    obj = await read_json(request)
    if not isinstance(obj, dict) or len([k for k in NEW_ROLE_KEYS if k in obj]) != 1 or set(obj) - set(NEW_ROLE_KEYS):
        raise invalid("send exactly one of 'spec' (object), 'job_text' (string: text, Markdown or HTML), "
                      "'job_html' (string) or 'job' (an ATS job object)")
    return _new_role_from_json(obj), [json.dumps(obj, sort_keys=True).encode()]


def _new_role_from_json(obj: dict[str, Any]) -> RoleInput:
    if "spec" in obj:
        return RoleInput(spec=obj["spec"])
    if "job" in obj:
        if not isinstance(obj["job"], dict):
            raise invalid("job must be an object (a Greenhouse, Lever or USAJOBS job, or {title, description})")
        return RoleInput(job=obj["job"])
    k = "job_text" if "job_text" in obj else "job_html"
    if not isinstance(obj[k], str):
        raise invalid(f"{k} must be a string")
    return RoleInput(text=obj[k]) if k == "job_text" else RoleInput(html=obj[k])
