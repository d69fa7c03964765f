"""What the background jobs do (``api/jobs.py`` runs them): bulk imports (a ZIP of résumés or a JSON
batch), a role's CSV export, a ranking refresh after a role edit or a taxonomy upgrade (stored
profiles parsed again first), and model retraining. Each is idempotent: an import commits its
candidates with its progress, so a job taken over after a crash goes on where it stopped."""

from __future__ import annotations

import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session

from matcher import SCORING_VERSION, MatcherError

from .. import jobs
from ..errors import ApiError
from ..store.models import Job, utc_iso
from .candidates import store_candidate
from .inputs import ResumeInput
from .learning import model_view, retrain
from .parsing import parse_resume
from .ranking import RankingQuery, _refreshed, whole_ranking
from .roles import role_of_row, role_or_404
from .taxonomy import run_retaxonomy

#: résumés parsed and committed together (one progress step)
IMPORT_CHUNK = 50


def job_view(job: Job) -> dict[str, Any]:
    """``JobOut``."""
    out: dict[str, Any] = {"id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
                           "total": job.total, "attempts": job.attempts, "created_at": utc_iso(job.created_at),
                           "started_at": utc_iso(job.started_at), "finished_at": utc_iso(job.finished_at)}
    if job.result is not None:
        out["result"] = job.result
    if job.error is not None:
        out["error"] = job.error
    if job.kind == "export" and job.status == "succeeded":
        out["download"] = f"/v1/jobs/{job.id}/result"
    return out


# ------------------------------------------------------------------ imports

def import_items(data: bytes, is_zip: bool, settings) -> list[dict[str, Any]]:
    """The résumés of an import: ``{"name", "data"}`` per ZIP member or ``{"text", ...}`` per JSON item.
    Checked entry by entry against the file, total and count limits (a ZIP bomb is refused)."""
    if not is_zip:
        items = json.loads(data)["resumes"]
        return [{"data": (it.get("text") or "").encode("utf-8"), "name": it.get("name"), "external_id": it.get("id")}
                for it in items]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise jobs.JobRefused("invalid_archive", "the upload is not a ZIP archive") from None
    members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith(("__MACOSX/", "."))]
    if len(members) > settings.import_max_files:
        raise jobs.JobRefused("too_many_files", f"{len(members)} files: an import holds at most "
                              f"{settings.import_max_files}")
    out, total = [], 0
    for m in members:
        with zf.open(m) as f:
            blob = f.read(settings.max_file_bytes + 1)  # the declared size may lie: read at most the limit
        total += len(blob)
        if len(blob) > settings.max_file_bytes or total > settings.max_decompressed_bytes:
            raise jobs.JobRefused("archive_too_large", f"{m.filename}: the archive inflates past the limits")
        out.append({"data": blob, "filename": m.filename.rsplit("/", 1)[-1], "external_id": m.filename})
    return out


def _one_import(state, tenant: str, item: dict[str, Any]):
    inp = ResumeInput(data=item["data"], filename=item.get("filename"), name=item.get("name"),
                      external_id=item.get("external_id"))
    try:
        return inp, parse_resume(state, inp, tenant), None
    except (ApiError, MatcherError) as exc:
        return inp, None, {"item": item.get("external_id") or item.get("filename"), "code": getattr(exc, "code", "error"),
                           "detail": str(getattr(exc, "detail", exc))[:300]}


def run_import(state, db: Session, job: Job) -> dict[str, Any]:
    items = import_items(job.payload or b"", job.params.get("format") == "zip", state.settings)
    failed = list((job.result or {}).get("failed", []))
    lanes = state.settings.parse_workers + state.settings.parse_fast_workers
    with ThreadPoolExecutor(max_workers=max(1, lanes)) as ex:
        for start in range(job.progress, len(items), IMPORT_CHUNK):
            for inp, profile, err in ex.map(lambda it: _one_import(state, job.tenant_id, it), items[start:start + IMPORT_CHUNK]):
                if profile is not None:
                    store_candidate(db, job.tenant_id, inp, profile, inp.name)
                else:
                    failed.append(err)
            job.result = {"failed": failed}  # committed with the candidates and the progress
            jobs.progress(db, job, min(start + IMPORT_CHUNK, len(items)), len(items))
    return {"imported": len(items) - len(failed), "failed": failed}


# ------------------------------------------------------------------ exports, refreshes, retraining

def run_export(state, db: Session, job: Job) -> dict[str, Any]:
    from ..web.views import ranking_csv

    row = role_or_404(db, job.tenant_id, job.params["role_id"])
    q = RankingQuery(job.params.get("min_score"), job.params.get("all_required_met"))
    engine = state.engine(job.tenant_id, db)
    labels = [g.label for g in role_of_row(row, engine).groups]
    rows = []
    for r in whole_ranking(db, state, job.tenant_id, row, q, most=state.settings.export_max_rows, page=500,
                           shown_to=job.params.get("key_id")):
        rows.append({"rank": r.rank, "id": r.candidate.id, "name": r.candidate.name or r.candidate.filename or "",
                     "score": r.score.score, "all_required_met": r.score.all_required_met,
                     "summary": r.report["summary"], "statuses": [g["status"] for g in r.report["requirements"]]})
        if len(rows) % 500 == 0:
            jobs.progress(db, job, len(rows))
    job.artifact = ranking_csv(rows, labels).encode("utf-8")
    return {"rows": len(rows), "bytes": len(job.artifact), "role_revision": row.revision}


def run_refresh(state, db: Session, job: Job) -> dict[str, Any]:
    row = role_or_404(db, job.tenant_id, job.params["role_id"])
    _, recomputed = _refreshed(db, state, job.tenant_id, row)
    return {"recomputed": recomputed, "role_revision": row.revision, "scoring_version": SCORING_VERSION,
            "taxonomy_version": state.engine(job.tenant_id, db).taxonomy.version}


def run_retrain(state, db: Session, job: Job) -> dict[str, Any]:
    from matcher import model_from_dict

    row = retrain(db, job.tenant_id)
    db.commit()
    return model_view(row, model_from_dict(row.model))


jobs.KINDS.update({"import": run_import, "export": run_export, "refresh": run_refresh, "retrain": run_retrain,
                  "retaxonomy": run_retaxonomy})


def refresh_key(row, taxonomy_version: str) -> str:
    """One live refresh per role revision and versions."""
    return f"refresh:{row.id}:{row.revision}:{SCORING_VERSION}:{taxonomy_version}"
