"""The batch tables, without Spark: a profile as one Parquet row, rows scored in columns, a ranking row.

The Spark jobs (``jobs.py``) and the service's export/import (``api/batch_io.py``) build and read the
same rows through these functions, so the profile table a job writes and the one the service
exports are the same table. pyarrow is imported only where a schema is asked for (the ``spark``
extra brings it); everything else here is plain Python and numpy.

Scoring from columns uses the features the engine's vectorized path itself builds a matrix from
(``scoring.skill_features``: source bits, years in tenths, months since last use; computed once, at
parse time, against the profile's own ``as_of``), so a batch score is the number ``matcher rank``
prints for the same résumé: the matrix is built from the same integers and scored by the same
functions (``group_credits``, ``scores_from_credits``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import numpy as np

from ..pipeline import Engine
from ..roles import role_to_spec
from ..scoring import (
    SCORING_VERSION,
    STATUSES,
    UNRESOLVED_PREFIX,
    CompiledRole,
    ProfileMatrix,
    group_credits,
    quantize_years,
    scored_skills,
    scores_from_credits,
    skill_features,
)
from ..serialize import month, profile_from_dict, profile_to_dict
from ..taxonomy import Taxonomy
from ..types import Profile, ProfileSkill, Role

#: Columns of the profile table, in order (``profile_schema`` gives their types).
PROFILE_COLUMNS = (
    "id", "source", "error_code", "error_message", "profile_json", "experience_years", "experience10", "as_of",
    "taxonomy_version", "scoring_version", "skills",
)
#: Columns of the ranking table, in order (``ranking_schema`` gives their types).
RANKING_COLUMNS = (
    "rank", "id", "source", "score", "all_required_met", "groups", "error_code", "role_title", "role_digest",
    "scoring_version", "taxonomy_version", "profile_taxonomy_version",
)
#: The skill fields scoring reads (``skill_features``), all the rank job hands its workers of a current table.
SCORING_FIELDS = ("skill_id", "bits", "years10", "months")
STATUS = np.array(STATUSES, dtype=object)  # scoring.STATUSES: missing, partial, listed_only, met, matched_unresolved


def profile_schema():
    """The profile table (``matcher batch parse`` output, ``skillmatch-api batch export`` output)."""
    import pyarrow as pa

    skill = pa.struct([
        ("skill_id", pa.string()), ("name", pa.string()), ("category", pa.string()), ("years", pa.float64()),
        ("last_used", pa.string()), ("sources", pa.list_(pa.string())),
        ("bits", pa.int32()), ("years10", pa.int32()), ("months", pa.int32()),
    ])
    return pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("error_code", pa.string()), ("error_message", pa.string()),
        ("profile_json", pa.string()), ("experience_years", pa.float64()), ("experience10", pa.int32()),
        ("as_of", pa.string()), ("taxonomy_version", pa.string()), ("scoring_version", pa.string()),
        ("skills", pa.list_(skill)),
    ])


def ranking_schema(with_rank: bool = True):
    """The ranking table (``matcher batch rank`` output, read back by ``skillmatch-api batch-import``)."""
    import pyarrow as pa

    group = pa.struct([("label", pa.string()), ("required", pa.bool_()), ("status", pa.string())])
    fields = [
        ("rank", pa.int64()), ("id", pa.string()), ("source", pa.string()), ("score", pa.float64()),
        ("all_required_met", pa.bool_()), ("groups", pa.list_(group)), ("error_code", pa.string()),
        ("role_title", pa.string()), ("role_digest", pa.string()), ("scoring_version", pa.string()),
        ("taxonomy_version", pa.string()), ("profile_taxonomy_version", pa.string()),
    ]
    return pa.schema(fields if with_rank else fields[1:])


def skill_rows(profile: Profile) -> list[dict[str, Any]]:
    """The ``skills`` structs of a profile row: one per skill scoring sees (``scored_skills``: the
    taxonomy's skills, then each unresolved mention as ``~key``, category ``unresolved``, which only
    free-text requirements read), with the features scoring reads."""
    rows = []
    for s in scored_skills(profile):
        bits, years10, months = skill_features(s, profile.as_of)
        rows.append({"skill_id": s.id, "name": s.name, "category": s.category, "years": s.years,
                     "last_used": month(s.last_used), "sources": list(s.sources),
                     "bits": bits, "years10": years10, "months": months})
    return rows


def profile_record(id: str, source: str, profile: Profile) -> dict[str, Any]:
    """One profile as a row of the profile table: its ``matcher parse --json`` object as JSON, and its
    skills flattened (``skill_rows``)."""
    as_dict = profile_to_dict(profile, source)
    return {
        "id": id, "source": source, "error_code": None, "error_message": None,
        "profile_json": json.dumps(as_dict, ensure_ascii=False), "experience_years": profile.experience_years,
        "experience10": quantize_years(profile.experience_years), "as_of": profile.as_of.isoformat(),
        "taxonomy_version": profile.taxonomy_version, "scoring_version": SCORING_VERSION,
        "skills": skill_rows(profile),
    }


def error_record(id: str, source: str, code: str, message: str) -> dict[str, Any]:
    """A file that could not be read, as a row of the profile table (no profile, the error's code)."""
    return {"id": id, "source": source, "error_code": code, "error_message": message, "profile_json": None,
            "experience_years": None, "experience10": None, "as_of": None, "taxonomy_version": None,
            "scoring_version": None, "skills": None}


def role_digest(role: Role, engine: Engine) -> str:
    """A short fingerprint of what a role asks for (its spec), so an import can tell that a ranking
    was made for the role as it is now."""
    spec = json.dumps(role_to_spec(role, engine.taxonomy), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]


def _skill_lists(batch) -> tuple[np.ndarray, dict[str, Any]]:
    """(offsets per row, the flattened values of each ``SCORING_FIELDS`` field) of every row of a
    profile-table batch: from its ``skills`` structs, or from one list column per field (the rank
    job's narrow read: ``skills.skill_id`` as ``skill_id`` ...). Rows without skills (errors) have none."""
    import pyarrow.compute as pc

    names = batch.schema.names
    if "skills" in names:
        lists = batch.column(names.index("skills"))
        flat = pc.list_flatten(lists)
        fields = {f: flat.field(f) for f in SCORING_FIELDS}
    else:
        lists = batch.column(names.index("skill_id"))
        fields = {f: pc.list_flatten(batch.column(names.index(f))) for f in SCORING_FIELDS}
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), fields


def _column_index(skill_ids, taxonomy: Taxonomy) -> tuple[dict[str, int], np.ndarray]:
    """The column of each skill id, via the ids' dictionary: the taxonomy's columns, then one per
    unresolved key (``~key``) of the batch, as ``profiles_to_matrix`` lays them out; -1 for an id
    the taxonomy doesn't know."""
    encoded = skill_ids.dictionary_encode()
    names = encoded.dictionary.to_pylist()
    index = {s.id: i for i, s in enumerate(taxonomy)}
    for sid in sorted(n for n in names if n and n.startswith(UNRESOLVED_PREFIX)):
        index[sid] = len(index)
    lut = np.array([index.get(s, -1) for s in names] + [-1], dtype=np.int64)
    return index, lut[encoded.indices.to_numpy(zero_copy_only=False)]


def feature_matrix(batch, taxonomy: Taxonomy) -> ProfileMatrix:
    """The engine's profile matrix of every row of a profile-table batch, from the stored skill
    features (rows without a profile are empty rows). Unresolved mentions (``~key``) are columns of
    their own; other skills the taxonomy doesn't know are left out (as the engine does)."""
    import pyarrow.compute as pc
    from scipy import sparse

    offsets, flat = _skill_lists(batch)
    index, cols = _column_index(flat["skill_id"], taxonomy)
    keep = cols >= 0
    indptr = np.concatenate([[0], np.cumsum(keep)])[offsets]
    shape = (batch.num_rows, len(index))
    ci = cols[keep].astype(np.int32)

    def mk(name: str, dtype) -> sparse.csc_matrix:
        values = flat[name].to_numpy(zero_copy_only=False)[keep].astype(dtype)
        return sparse.csr_matrix((values, ci, indptr), shape=shape).tocsc()

    exp10 = pc.fill_null(batch.column(batch.schema.get_field_index("experience10")), 0)
    return ProfileMatrix(index, mk("bits", np.uint8), mk("years10", np.uint16), mk("months", np.uint16),
                         exp10.to_numpy(zero_copy_only=False).astype(np.int32))


def score_matrix(pm: ProfileMatrix, compiled: CompiledRole) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, all required met, status per group as an index into ``STATUS``), one row per profile:
    the numbers and statuses ``match_profile`` reports (tests hold them equal)."""
    gc = group_credits(pm, compiled)
    scores = scores_from_credits(pm, compiled, gc)
    required = [g for g, plan in enumerate(compiled.plans) if plan.required]
    met = gc.status_met()
    all_met = met[:, required].all(axis=1) if required else np.ones(pm.n, dtype=bool)
    return scores, all_met, gc.status.astype(np.int8)


def _per_row_lists(values, ok: np.ndarray, n: int, g: int):
    """An ``n``-row list column whose rows ``ok`` hold ``g`` consecutive ``values`` each; null elsewhere."""
    import pyarrow as pa

    lengths = np.zeros(n, dtype=np.int32)
    lengths[ok] = g
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32))
    mask = np.ones(n, dtype=bool)
    mask[ok] = False
    return pa.ListArray.from_arrays(offsets, values, mask=pa.array(mask))


def _groups_column(role: Role, status: np.ndarray, ok: np.ndarray, n: int):
    """list<struct<label, required, status>> for ``n`` rows; the rows not in ``ok`` are null."""
    import pyarrow as pa

    labels = pa.array([x.label for x in role.groups] * len(ok), type=pa.string())
    required = pa.array([x.required for x in role.groups] * len(ok), type=pa.bool_())
    values = pa.StructArray.from_arrays([labels, required, pa.array(STATUS[status.reshape(-1)], type=pa.string())],
                                        names=["label", "required", "status"])
    return _per_row_lists(values, ok, n, len(role.groups))


def _spread(values: np.ndarray, ok: np.ndarray, n: int, type_):
    """``values`` of the rows ``ok`` as an ``n``-row Arrow column, null elsewhere."""
    import pyarrow as pa

    mask = np.ones(n, dtype=bool)
    mask[ok] = False
    full = np.zeros(n, dtype=values.dtype)
    full[ok] = values
    return pa.array(full, type=type_, mask=mask)


def _score_rows(batch, compiled: CompiledRole, taxonomy: Taxonomy):
    """(the batch with current features, the rows with a profile, and their scores, all-required-met
    and group statuses)."""
    import pyarrow.compute as pc

    batch = refresh_features(batch)
    ok = np.nonzero(pc.is_null(batch.column(batch.schema.get_field_index("error_code")))
                    .to_numpy(zero_copy_only=False))[0]
    scores, all_met, status = score_matrix(feature_matrix(batch, taxonomy), compiled)
    return batch, ok, scores[ok], all_met[ok], status[ok]


def score_batch(batch, role: Role, compiled: CompiledRole, engine: Engine, digest: str):
    """One Arrow batch of the profile table scored into ranking columns (all but ``rank``): rows
    with an error keep its code and get no score. Features stored under another scoring version
    are computed again from the flattened skills first (``refresh_features``)."""
    import pyarrow as pa

    batch, ok, scores, all_met, status = _score_rows(batch, compiled, engine.taxonomy)
    n = batch.num_rows
    col = batch.column

    def const(value: str):
        return pa.array([value] * n, type=pa.string())

    columns = [col(batch.schema.get_field_index("id")), col(batch.schema.get_field_index("source")),
               _spread(scores, ok, n, pa.float64()), _spread(all_met, ok, n, pa.bool_()),
               _groups_column(role, status, ok, n), col(batch.schema.get_field_index("error_code")),
               const(role.title), const(digest), const(SCORING_VERSION), const(engine.taxonomy.version),
               col(batch.schema.get_field_index("taxonomy_version"))]
    return pa.RecordBatch.from_arrays(columns, schema=ranking_schema(with_rank=False))


def scored_schema():
    """What the rank job's workers hand back per profile: the ranking row without the columns that
    are the same on every row (role, versions) and with each group's status as its code (an index
    into ``scoring.STATUSES``, ``status``); the job sorts these narrow rows and widens them after."""
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("score", pa.float64()), ("all_required_met", pa.bool_()),
        ("status", pa.list_(pa.int8())), ("error_code", pa.string()), ("profile_taxonomy_version", pa.string()),
    ])


def score_codes(batch, compiled: CompiledRole, taxonomy: Taxonomy):
    """One Arrow batch of the profile table (whole, or the rank job's narrow read) scored into
    ``scored_schema`` rows. Needs only the taxonomy (no parser), so a rank worker starts in a blink."""
    import pyarrow as pa

    batch, ok, scores, all_met, status = _score_rows(batch, compiled, taxonomy)
    n = batch.num_rows
    col = batch.column
    codes = _per_row_lists(pa.array(status.reshape(-1), type=pa.int8()), ok, n, status.shape[1])
    columns = [col(batch.schema.get_field_index("id")), col(batch.schema.get_field_index("source")),
               _spread(scores, ok, n, pa.float64()), _spread(all_met, ok, n, pa.bool_()), codes,
               col(batch.schema.get_field_index("error_code")), col(batch.schema.get_field_index("taxonomy_version"))]
    return pa.RecordBatch.from_arrays(columns, schema=scored_schema())


def refresh_features(batch):
    """The batch with every skill's features computed again on rows written under another scoring
    version; unchanged when none are. A row with its ``profile_json`` (the rank job reads it for
    such a table) gets its skills again from the profile (``skill_rows``: a table of a scoring
    before 2.1.0 has no ``~key`` rows, so its free-text requirements are met as ``matcher rank``
    meets them); one without gets each stored skill's features from its sources, years and last use."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if "scoring_version" not in batch.schema.names or not pc.any(pc.not_equal(
            batch.column(batch.schema.get_field_index("scoring_version")), SCORING_VERSION)).as_py():
        return batch
    rows = batch.to_pylist()
    for row in rows:
        if row["scoring_version"] in (None, SCORING_VERSION):
            continue
        row["scoring_version"] = SCORING_VERSION
        if row.get("profile_json"):
            row["skills"] = skill_rows(profile_from_dict(json.loads(row["profile_json"])))
            continue
        as_of = date.fromisoformat(row["as_of"])
        for s in row["skills"]:
            last = date.fromisoformat(s["last_used"] + "-01") if s["last_used"] else None
            skill = ProfileSkill(s["skill_id"], s["name"], s["category"], s["years"], last, (), tuple(s["sources"]))
            s["bits"], s["years10"], s["months"] = skill_features(skill, as_of)
    return pa.RecordBatch.from_pylist(rows, schema=batch.schema)
