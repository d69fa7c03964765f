"""ATS job objects -> line-structured text (a step of ``job_input``): a Greenhouse job-board job,
a Lever posting, a USAJOBS record (search-API item, bare descriptor, scraped or flat record) and a
generic ``{title, description}``. The keys each one is read by are data at the top of this module."""

from __future__ import annotations

import html as html_lib
from collections.abc import Mapping
from typing import Any, Literal

from .documents.normalize import normalize_chars
from .errors import RoleError
from .job_html import html_to_text, looks_like_html, unescaped_markup

__all__ = ["ACCEPTED_KEYS_MESSAGE", "classify", "job_text_from_object", "one_line", "usajobs_parts"]

#: Mapping keys for one ATS job, in order of preference.
TITLE_KEY = "title"
TITLE_ALTERNATES = ("job_title", "name")
DESCRIPTION_KEY = "description"
DESCRIPTION_ALTERNATES = ("body", "text", "content")
#: A Lever posting: ``text`` is the title; these keys tell it apart from a generic object.
LEVER_MARKERS = frozenset(
    {"lists", "descriptionPlain", "descriptionBody", "descriptionBodyPlain", "additional", "additionalPlain",
     "hostedUrl", "categories", "opening", "openingPlain"}
)  # fmt: skip
#: Lever's description fields, first non-empty wins: (key, holds HTML?).
LEVER_DESCRIPTIONS = (("description", True), ("descriptionPlain", False), ("descriptionBody", True),
                      ("descriptionBodyPlain", False))  # fmt: skip
LEVER_ADDITIONAL = (("additional", True), ("additionalPlain", False))
#: Keys one job may be wrapped in ({"job": {...}}); keys that hold a list of jobs.
WRAPPER_KEYS = ("job", "posting", "data")
LIST_KEYS = ("jobs", "postings", "data", "results", "items")
#: Keys only a role spec has: such a mapping is passed on to roles.py unchanged.
SPEC_MARKER_KEYS = frozenset({"requirements", "requirement", "groups", "any_of"})
#: Keys a role spec shares with a job object; without a description such a mapping is a (broken) spec.
SPEC_KEYS = frozenset({"title", "level", "min_years", "years_knockout"})



#: USAJOBS: the search API wraps one job as {"MatchedObjectId", "MatchedObjectDescriptor"}.
USAJOBS_DESCRIPTOR_KEY = "MatchedObjectDescriptor"
USAJOBS_TITLE_KEY = "PositionTitle"
#: Where a descriptor keeps more sections (``UserArea.Details``); a scraped record's sections.
USAJOBS_DETAILS_PATH = ("UserArea", "Details")
USAJOBS_SCRAPED_SECTIONS_KEY = "content_sections"
USAJOBS_SCRAPED_TITLE_KEY = "all_headers"  # its first entry is the title
#: A flat record (``usajobs_historical``-style): needs these keys besides a title.
USAJOBS_FLAT_MARKER = "control_number"
#: (keys, heading) in output order; the first key present wins, the same heading is written once.
#: Conditions of employment (citizenship, background check, selective service) are not skills:
#: their heading is one roles.py reads as noise.
USAJOBS_SECTIONS = (
    (("JobSummary", "Summary", "summary"), "Summary"),
    (("MajorDuties", "duties"), "Duties"),
    (("QualificationSummary", "qualifications"), "Qualifications"),
    (("KeyRequirements",), "Conditions of employment"),
    (("Requirements",), "Conditions of employment"),
    (("Education", "education"), "Education"),
    (("Evaluations",), "How you will be evaluated"),
)
#: Descriptor fields for the one-sentence details line: (label, key, sub-key of each list entry).
USAJOBS_META = (("Organization", "OrganizationName", None), ("Location", "PositionLocation", "LocationName"),
                ("Organization", "organization", None), ("Location", "location", None))  # fmt: skip
USAJOBS_MAX_LOCATIONS = 5


def _either(keys: tuple[str, ...]) -> str:
    quoted = [repr(k) for k in keys]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


ACCEPTED_KEYS_MESSAGE = (
    f"a job object needs a title ({_either((TITLE_KEY, *TITLE_ALTERNATES))}; Lever: 'text') and a description "
    f"({_either((DESCRIPTION_KEY, *DESCRIPTION_ALTERNATES))}; Lever: "
    f"{_either(tuple(k for k, _ in LEVER_DESCRIPTIONS))} and 'lists'), "
    "or it is a role spec with 'title' and 'requirements'"
)


# --------------------------------------------------------------------------------------------
# ATS job objects
# --------------------------------------------------------------------------------------------


def _body_text(value: str) -> str:
    """A description field: HTML (raw or escaped) converted, plain text kept as written."""
    if looks_like_html(value) or unescaped_markup(value) is not None:
        return html_to_text(value).strip()
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def one_line(value: str) -> str:
    return " ".join(normalize_chars(html_lib.unescape(value)).split())


def _str_field(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RoleError(f"job field {key!r} must be text, not {type(value).__name__}")
    return value if value.strip() else None


def _pick(obj: Mapping[str, Any], key: str, alternates: tuple[str, ...], what: str) -> str | None:
    """``obj[key]`` if set, else the one value the alternates agree on (two different ones: error)."""
    value = _str_field(obj, key)
    if value is not None:
        return value
    found = {k: v for k in alternates if (v := _str_field(obj, k)) is not None}
    if len(set(found.values())) > 1:
        raise RoleError(f"ambiguous job {what}: both {' and '.join(repr(k) for k in found)} are set; "
                        f"send it as {key!r}")
    return next(iter(found.values()), None)


def _names(value: Any) -> list[str]:
    """'Remote', {'name': 'Remote'} or a list of either -> the names."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, Mapping) else item
        if isinstance(name, str) and name.strip():
            out.append(one_line(name))
    return out


def _meta_line(obj: Mapping[str, Any]) -> str | None:
    """Location / department / commitment as one sentence (it ends with a full stop, so roles.py
    never takes it for a heading)."""
    cats = obj.get("categories") if isinstance(obj.get("categories"), Mapping) else {}
    fields = (
        ("Location", _names(obj.get("location")) or _names(cats.get("location"))),
        ("Department", _names(obj.get("departments")) or _names(obj.get("department"))
         or _names(cats.get("department")) or _names(cats.get("team"))),
        ("Employment type", _names(cats.get("commitment"))),
    )  # fmt: skip
    parts = [f"{label}: {', '.join(values)}." for label, values in fields if values]
    return " ".join(parts) or None


def classify(obj: Mapping[str, Any]) -> Literal["spec", "lever", "job", "partial_spec"] | None:
    keys = {str(k) for k in obj}
    if keys & SPEC_MARKER_KEYS:
        return "spec"
    if "text" in keys and not ({TITLE_KEY, *TITLE_ALTERNATES} & keys) and keys & (LEVER_MARKERS | {"description"}):
        return "lever"
    has_title = bool({TITLE_KEY, *TITLE_ALTERNATES} & keys)
    has_body = bool({DESCRIPTION_KEY, *DESCRIPTION_ALTERNATES} & keys)
    if has_title and has_body:
        return "job"
    if keys & SPEC_KEYS:
        return "partial_spec"
    return None


def _unwrap(obj: Any) -> Any:
    """{"job": {...}} -> {...}; a list of jobs (bare or under "jobs"/"data"...) is an error."""
    if isinstance(obj, list):
        if obj and all(isinstance(x, Mapping) for x in obj):
            raise RoleError(f"a list of {len(obj)} jobs: send one job at a time")
        raise RoleError(f"a JSON array is not a job: {ACCEPTED_KEYS_MESSAGE}")
    if isinstance(obj, Mapping) and classify(obj) is None:
        for key in LIST_KEYS:
            if isinstance(obj.get(key), list):
                raise RoleError(f"a list of {len(obj[key])} jobs under {key!r}: send one job at a time")
        for key in WRAPPER_KEYS:
            if isinstance(obj.get(key), Mapping):
                return obj[key]
    return obj


def _lever_parts(obj: Mapping[str, Any]) -> list[str]:
    parts: list[str] = []
    for key, is_html in LEVER_DESCRIPTIONS:
        value = _str_field(obj, key)
        if value is not None:
            parts.append(html_to_text(value).strip() if is_html else _body_text(value))
            break
    lists = obj.get("lists") or []
    if not isinstance(lists, list):
        raise RoleError("Lever 'lists' must be a list of {text, content} objects")
    for entry in lists:
        if not isinstance(entry, Mapping):
            raise RoleError("Lever 'lists' must be a list of {text, content} objects")
        heading = _str_field(entry, "text")
        content = _str_field(entry, "content")
        block = [f"## {one_line(heading)}"] if heading else []
        if content:
            block.append(html_to_text(content).strip())
        if block:
            parts.append("\n\n".join(block))
    for key, is_html in LEVER_ADDITIONAL:
        value = _str_field(obj, key)
        if value is not None:
            parts.append(html_to_text(value).strip() if is_html else _body_text(value))
            break
    return parts


def job_text_from_object(obj: Any) -> str:
    """One ATS job object -> ``# Title`` + details + the converted description.

    Greenhouse (``title``, ``content`` as escaped HTML, ``location.name``, ``departments``), Lever
    (``text`` as the title, ``description``/``descriptionPlain``, ``lists`` of ``{text, content}``
    read as ``## text`` + bullets, ``additional``) and generic ``{title, description}`` objects
    (see the module docstring for the accepted keys). Raises RoleError for a list of jobs, a role
    spec, or a mapping that is not a job."""
    if isinstance(obj, Mapping) and (usajobs := usajobs_parts(obj)) is not None:
        return _usajobs_text(usajobs)
    obj = _unwrap(obj)
    if not isinstance(obj, Mapping):
        raise RoleError(f"a job must be a JSON object, not {type(obj).__name__}: {ACCEPTED_KEYS_MESSAGE}")
    kind = classify(obj)
    if kind in ("spec", "partial_spec"):
        raise RoleError("this object is a role spec (it has 'requirements'/'title'/'level'), not a job posting: "
                        "load it as a spec")
    if kind is None:
        keys = ", ".join(repr(str(k)) for k in list(obj)[:10]) or "none"
        raise RoleError(f"not a job object (keys: {keys}): {ACCEPTED_KEYS_MESSAGE}")
    if kind == "lever":
        title = _str_field(obj, "text")
        parts = _lever_parts(obj)
    else:
        title = _pick(obj, TITLE_KEY, TITLE_ALTERNATES, "title")
        body = _pick(obj, DESCRIPTION_KEY, DESCRIPTION_ALTERNATES, "description")
        parts = [_body_text(body)] if body else []
    if not title:
        raise RoleError(f"the job object has an empty title: {ACCEPTED_KEYS_MESSAGE}")
    meta = _meta_line(obj)
    body_parts = [p for p in parts if p]
    if not body_parts:
        raise RoleError("the job object has an empty description")
    return "\n\n".join([f"# {one_line(title)}", *([meta] if meta else []), *body_parts]) + "\n"



# --------------------------------------------------------------------------------------------
# USAJOBS records
# --------------------------------------------------------------------------------------------


def usajobs_parts(obj: Mapping[str, Any]) -> tuple[str | None, list[Mapping[str, Any]], Mapping[str, Any]] | None:
    """(title, mappings that hold sections, the mapping with the details) of a USAJOBS record, or None."""
    desc = obj.get(USAJOBS_DESCRIPTOR_KEY)
    if isinstance(desc, Mapping):
        obj = desc
    if USAJOBS_TITLE_KEY in obj:
        title = obj.get(USAJOBS_TITLE_KEY)
        holders: list[Mapping[str, Any]] = [obj]
        details: Any = obj
        for key in USAJOBS_DETAILS_PATH:
            details = details.get(key) if isinstance(details, Mapping) else None
        if isinstance(details, Mapping):
            holders.append(details)
        return (title if isinstance(title, str) else None), holders, obj
    sections = obj.get(USAJOBS_SCRAPED_SECTIONS_KEY)
    if isinstance(sections, Mapping) and USAJOBS_FLAT_MARKER in obj:
        headers = obj.get(USAJOBS_SCRAPED_TITLE_KEY)
        title = headers[0] if isinstance(headers, list) and headers and isinstance(headers[0], str) else None
        return title, [sections], obj
    if USAJOBS_FLAT_MARKER in obj and isinstance(obj.get(TITLE_KEY), str) and any(
            k in obj for keys, _ in USAJOBS_SECTIONS for k in keys if k.islower()):
        return obj[TITLE_KEY], [obj], obj
    return None


def _usajobs_section(value: Any) -> str | None:
    if isinstance(value, str):
        return _body_text(value) or None
    if isinstance(value, list):
        items = [one_line(v) for v in value if isinstance(v, str) and v.strip()]
        return "\n".join(f"- {item}" for item in items) or None
    return None


def _usajobs_text(parts: tuple[str | None, list[Mapping[str, Any]], Mapping[str, Any]]) -> str:
    title, holders, record = parts
    if not title or not title.strip():
        raise RoleError("the USAJOBS record has no PositionTitle")
    blocks = [f"# {one_line(title)}"]
    meta = []
    for label, key, sub in USAJOBS_META:
        value = record.get(key)
        if isinstance(value, str):
            value = value.split(";")  # a flat record's locations are one string
        names = [v.get(sub) if sub and isinstance(v, Mapping) else v
                 for v in (value if isinstance(value, list) else [value])][:USAJOBS_MAX_LOCATIONS]
        names = [one_line(n) for n in names if isinstance(n, str) and n.strip()]
        if names and not any(m.startswith(f"{label}:") for m in meta):
            meta.append(f"{label}: {'; '.join(names)}.")
    if meta:
        blocks.append(" ".join(meta))
    sections: dict[str, list[str]] = {}
    for keys, heading in USAJOBS_SECTIONS:
        for holder in holders:
            body = next((b for k in keys if (b := _usajobs_section(holder.get(k)))), None)
            if body:
                sections.setdefault(heading, []).append(body)
                break
    if not sections:
        raise RoleError("the USAJOBS record has no duties, qualifications or requirements text")
    for heading, bodies in sections.items():
        blocks.append(f"## {heading}")
        blocks.extend(bodies)
    return "\n\n".join(blocks) + "\n"

