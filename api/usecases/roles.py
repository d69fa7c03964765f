"""Roles: one of the tenant's roles or a 404, its view, and saving a spec (the JSON API's PUT and
the web role editor save through :func:`save_role`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matcher import Engine, Role, load_role_spec, resolve_spec

from ..errors import NotFound
from ..state import AppState
from ..store import queries
from ..store.models import Role as RoleRow
from .inputs import RoleInput
from .parsing import role_from_input, spec_dict


def role_or_404(db: Session, tenant_id: str, role_id: str) -> RoleRow:
    row = queries.get_role(db, tenant_id, role_id)
    if row is None:
        raise NotFound("role")
    return row


def role_of_row(row: RoleRow, engine: Engine) -> Role:
    return resolve_spec(load_role_spec(row.spec), engine.taxonomy)


def requirement_groups(role: Role, engine: Engine) -> list[dict[str, Any]]:
    """The resolved requirement groups, with the skills' names."""
    return [
        {"label": g.label, "any_of": list(g.any_of), "skills": [engine.taxonomy[s].name for s in g.any_of],
         "free_text": [{"key": t.key, "name": t.name} for t in g.free_text], "required": g.required, "weight": g.weight, "min_years": g.min_years, "source_text": g.source_text}
        for g in role.groups
    ]


def role_view(r: RoleRow, engine: Engine | None = None) -> dict[str, Any]:
    """``RoleOut``: with an engine, the resolved requirements, level and minimum years too."""
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
        out["requirements"] = requirement_groups(role, engine)
        out["level"] = role.level
        out["min_years"] = role.min_years
    return out


def create_role(state: AppState, db: Session, tenant_id: str, inp: RoleInput) -> RoleRow:
    """Blocking: a new role from a spec or a job description (parsed in a worker). Not committed."""
    role, spec, warnings = role_from_input(state, inp, tenant_id)
    return queries.add_role(db, tenant_id, title=role.title, spec=spec, source_text=inp.text, warnings=warnings)


def save_role(db: Session, engine: Engine, tenant_id: str, spec: Any, row: RoleRow | None = None,
              source_text: str | None = None) -> RoleRow:
    """A spec saved as a new role, or as ``row``'s next revision; committed. Raises RoleError
    (nothing written) when the spec can't be used."""
    parsed = load_role_spec(spec)
    role = resolve_spec(parsed, engine.taxonomy)
    if row is None:
        row = queries.add_role(db, tenant_id, title=role.title, spec=spec_dict(parsed), source_text=source_text,
                               warnings=[])
    else:
        queries.update_role(db, row, title=role.title, spec=spec_dict(parsed), warnings=[])
    db.commit()
    return row
