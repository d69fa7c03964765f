"""Hand a role's ranking to the batch path (``matcher batch rank`` on Spark) and take the result back.

    skillmatch-api batch export --tenant T --role ROLE_ID --out DIR     DIR/profiles.parquet + DIR/role.json
                                                                        (+ DIR/taxonomy-additions.json)
    matcher batch rank --role DIR/role.json --profiles DIR/profiles.parquet --out ranking.parquet
                       [--additions DIR/taxonomy-additions.json]
    skillmatch-api batch import --tenant T --role ROLE_ID --ranking ranking.parquet

Export writes the candidates whose score for the role is missing or stale (what the service would
otherwise compute itself on the next ranking page), as the profiles it scores (their corrections
applied), in the profile table of ``matcher batch parse``, and the role's spec. A tenant with taxonomy
additions of its own also gets ``taxonomy-additions.json`` (``matcher.additions_to_dict``: all of them,
as stored): ``matcher batch rank --additions`` extends the bundled taxonomy with them as the service
does (``usable_additions``: those a newer bundled taxonomy took are left out), so the role's added
skills resolve and the ranking carries the tenant's taxonomy version. Import stores the ranking's
scores in the ``scores`` cache with the role's current revision, after checking that it was made for
this role as it is now (``role_digest``) and with this scoring and taxonomy version: a ranking made
for another version (say, ranked without ``--additions``) would only be stale at once, and is refused.
Needs pyarrow (the ``spark`` extra).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from matcher import (
    SCORING_VERSION,
    Engine,
    additions_to_dict,
    profile_record,
    profile_schema,
    role_digest,
    role_to_spec,
)

from .state import AppState
from .store import queries
from .store.models import Role as RoleRow
from .usecases.candidates import effective_profiles
from .usecases.ranking import store_scores
from .usecases.roles import role_of_row

#: Candidates turned into profile rows at a time (one query, one Parquet row group).
CHUNK = 1000
#: The tenant's own taxonomy additions, beside the profiles and the role (only for a tenant with some).
ADDITIONS_FILE = "taxonomy-additions.json"
IMPORT_COLUMNS = ("id", "score", "all_required_met", "role_digest", "scoring_version", "taxonomy_version")


class BatchRefused(ValueError):
    """An export or import that can't be done; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    tenant_id: str
    role: RoleRow


def find_target(db: Session, tenant: str, role_id: str) -> Target:
    """The tenant (by name or id) and its role, or BatchRefused."""
    t = queries.find_tenant(db, tenant)
    if t is None:
        raise BatchRefused(f"no tenant {tenant!r}")
    row = queries.get_role(db, t.id, role_id)
    if row is None:
        raise BatchRefused(f"no role {role_id!r} in tenant {t.name}")
    return Target(t.id, row)


def export_profiles(db: Session, state: AppState, target: Target, out: Path) -> dict[str, Any]:
    """Write ``out/profiles.parquet`` (the candidates to score), ``out/role.json`` (the role's spec) and,
    for a tenant with additions of its own, ``out/taxonomy-additions.json`` (``additions`` in the summary:
    its path, else None)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    additions = state.additions(target.tenant_id, db)
    engine = state.engine_for(additions)  # the tenant's taxonomy, as the service scores
    for name in ("profiles.parquet", ADDITIONS_FILE):
        if (out / name).exists():
            raise BatchRefused(f"{out / name} exists: choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    stale = queries.stale_candidates(db, target.tenant_id, target.role, SCORING_VERSION, engine.taxonomy.version)
    schema = profile_schema()
    outdated = 0
    with pq.ParquetWriter(out / "profiles.parquet", schema) as writer:
        for i in range(0, len(stale), CHUNK):
            cands = stale[i:i + CHUNK]
            profiles = effective_profiles(db, engine, cands, with_text=False)
            rows = [profile_record(c.id, c.filename or c.id, p) for c, p in zip(cands, profiles)]
            outdated += sum(c.taxonomy_version != engine.taxonomy.version for c in cands)
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    role = role_of_row(target.role, engine)
    spec = role_to_spec(role, engine.taxonomy)
    (out / "role.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if additions:
        (out / ADDITIONS_FILE).write_text(json.dumps(additions_to_dict(additions), ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    return {"profiles": len(stale), "outdated_taxonomy": outdated, "role_digest": role_digest(role, engine),
            "taxonomy_version": engine.taxonomy.version, "additions": str(out / ADDITIONS_FILE) if additions else None,
            "out": str(out)}


def _read_ranking(path: Path):
    import pyarrow.parquet as pq

    if not path.exists():
        raise BatchRefused(f"no such ranking table: {path}")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - not Parquet, a damaged file: one message
        raise BatchRefused(f"{path} is not a Parquet table: {exc}") from None
    missing = [c for c in IMPORT_COLUMNS if c not in table.column_names]
    if missing:
        raise BatchRefused(f"{path} is not a ranking table (matcher batch rank): no {', '.join(missing)}")
    return table.select(list(IMPORT_COLUMNS)).to_pylist()


def _hint(field: str, want: str) -> str:
    """What to do about a ranking whose ``field`` is not ``want``."""
    if field == "role_digest":
        return "the role changed since it was exported"
    if field == "taxonomy_version" and "+t." in want:  # a tenant with additions of its own
        return f"rank with the tenant's taxonomy additions (matcher batch rank --additions DIR/{ADDITIONS_FILE} from the export)"
    return "rank with this service's engine"


def _check_versions(rows: list[dict[str, Any]], engine: Engine, digest: str) -> None:
    for field, want, what in (("scoring_version", SCORING_VERSION, "scoring version"),
                              ("taxonomy_version", engine.taxonomy.version, "taxonomy version"),
                              ("role_digest", digest, "role")):
        seen = {r[field] for r in rows}
        if seen - {want}:
            raise BatchRefused(f"the ranking was made for {what} {', '.join(sorted(map(str, seen - {want})))}, "
                               f"this service has {want}: {_hint(field, want)}; export and rank again")


def import_ranking(db: Session, state: AppState, target: Target, path: Path) -> dict[str, Any]:
    """Store a batch ranking's scores as the role's cached scores (current revision). Rows without a
    score (résumés that could not be parsed) and ids not in the tenant are counted and left out."""
    engine = state.engine(target.tenant_id, db)  # the tenant's taxonomy, as the service scores
    rows = _read_ranking(path)
    _check_versions(rows, engine, role_digest(role_of_row(target.role, engine), engine))
    scored = [r for r in rows if r["score"] is not None]
    stored = 0
    for i in range(0, len(scored), CHUNK):
        chunk = scored[i:i + CHUNK]
        known = queries.candidates_by_ids(db, target.tenant_id, [r["id"] for r in chunk])
        mine = [(r["id"], float(r["score"]), bool(r["all_required_met"])) for r in chunk if r["id"] in known]
        store_scores(db, state, target.tenant_id, target.role, mine,  # with their candidate.scored events
                     engine.taxonomy.version)
        stored += len(mine)
    db.commit()
    return {"stored": stored, "unscored": len(rows) - len(scored), "unknown": len(scored) - stored,
            "role_revision": target.role.revision}
