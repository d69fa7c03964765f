"""Every response the API tests see is checked against the app's own OpenAPI document.

``conftest.py`` wraps ``TestClient.request`` (every client of every API test, the shared one and
the ones tests build for apps of their own) with :func:`check_response`. For a documented ``/v1``
operation and status, the JSON body must validate against the operation's response schema for the
response's content type; a 2xx answer of a ``/v1`` operation must be documented at all (status and
content type). Undocumented error statuses (a 429 or 503 on any route) are only counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

#: What the checks saw in this test process: "validated", "no_schema", "undocumented", "not_api".
SEEN: Counter[str] = Counter()


class ResponseSchemaError(AssertionError):
    """A response that its OpenAPI operation does not describe."""


@dataclass
class _Operation:
    pattern: re.Pattern[str]
    method: str
    path: str
    responses: dict[str, Any]


@dataclass
class SpecIndex:
    spec: dict[str, Any]
    operations: list[_Operation] = field(default_factory=list)

    @classmethod
    def of(cls, spec: dict[str, Any]) -> SpecIndex:
        out = cls(spec)
        for path, ops in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
            for method, op in ops.items():
                out.operations.append(_Operation(pattern, method.upper(), path, op.get("responses", {})))
        # a literal path beats a template (/v1/match/batch before /v1/match/{x}, were there one)
        out.operations.sort(key=lambda o: o.path.count("{"))
        return out

    def find(self, method: str, path: str) -> _Operation | None:
        return next((o for o in self.operations if o.method == method and o.pattern.match(path)), None)

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        return Draft202012Validator({**schema, "components": self.spec.get("components", {})})


_INDEX: dict[int, SpecIndex] = {}


def index_of(app) -> SpecIndex:
    key = id(app)
    if key not in _INDEX:
        _INDEX[key] = SpecIndex.of(app.openapi())
    return _INDEX[key]


def check_response(app, method: str, path: str, status: int, content_type: str, body: bytes) -> str:
    """Validate one response against ``app``'s OpenAPI; returns what was done (a :data:`SEEN` key)."""
    if not hasattr(app, "openapi") or (not path.startswith("/v1") and path not in ("/healthz", "/readyz")):
        return _seen("not_api")
    op = index_of(app).find(method.upper(), path)
    if op is None:
        return _seen("undocumented")
    documented = op.responses.get(str(status)) or op.responses.get("default")
    ok = 200 <= status < 300
    if documented is None:
        if ok and path.startswith("/v1"):
            raise ResponseSchemaError(f"{method} {op.path}: status {status} is not in the OpenAPI document")
        return _seen("undocumented")
    if status == 204 or not body:
        if body:
            raise ResponseSchemaError(f"{method} {op.path}: a 204 with a body")
        return _seen("validated")
    ctype = content_type.split(";")[0].strip().lower()
    media = (documented.get("content") or {}).get(ctype)
    if media is None or "schema" not in media:
        if ok and path.startswith("/v1"):
            raise ResponseSchemaError(f"{method} {op.path} {status}: no schema for {ctype!r} in the OpenAPI document")
        return _seen("no_schema")
    instance = json.loads(body) if ctype.endswith("json") else body.decode("utf-8")  # text/csv: a string
    errors = sorted(index_of(app).validator(media["schema"]).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        lines = [f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:5]]
        raise ResponseSchemaError(f"{method} {path} {status} does not match its OpenAPI schema:\n" + "\n".join(lines))
    return _seen("validated")


def _seen(what: str) -> str:
    SEEN[what] += 1
    return what


def install(client_class) -> Any:
    """Wrap ``client_class.request`` so every response is checked; returns the original to restore."""
    original = client_class.request
    if getattr(original, "_openapi_checked", False):
        return original

    def request(self, method, url, *args, **kwargs):
        response = original(self, method, url, *args, **kwargs)
        for r in [*response.history, response]:
            check_response(self.app, r.request.method, r.request.url.path, r.status_code,
                           r.headers.get("content-type", ""), r.content)
        return response

    request._openapi_checked = True  # type: ignore[attr-defined]
    client_class.request = request
    return original
