"""Fit reports and rankings: one report, and a role's ranking with cached scores refreshed
(vectorized, ``matcher.score_profiles``) and full reports built only for the page asked for."""

from __future__ import annotations

import hashlib
from datetime import UTC
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher import (
    SCORING_VERSION,
    Change,
    CompiledRole,
    Engine,
    Profile,
    compile_role,
    score_profiles,
    what_would_change,
)

from .. import webhooks
from ..errors import ApiError
from ..state import AppState
from ..store import queries
from ..store.models import Candidate, utcnow
from ..store.models import Role as RoleRow
from .candidates import effective_profiles, reparse_outdated
from .events import log_scores_shown
from .learning import current_model, learned_view, model_view
from .reports import report_view
from .roles import role_of_row


def inputs_hash(cand: Candidate, row: RoleRow, fixes: dict[str, list] | None = None) -> str:
    """sha256 of everything a score is computed from besides the versions: the stored profile, the
    candidate's corrections, the role spec and its revision (the decision log's reproducibility key)."""
    own = sorted((r.skill_id, r.action, r.years) for r in (fixes or {}).get(cand.id, ()))
    blob = json.dumps({"profile": cand.profile, "corrections": own, "spec": row.spec, "revision": row.revision},
                      sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def candidate_report(db: Session, engine: Engine, cand: Candidate, row: RoleRow,
                     fixes: dict[str, list] | None = None) -> tuple[Profile, dict[str, Any]]:
    """A stored candidate's report for a stored role (their corrections applied)."""
    profile = effective_profiles(db, engine, [cand], fixes=fixes)[0]
    return profile, report_view(profile, role_of_row(row, engine), engine)


def refresh_scores(db: Session, state: AppState, tenant_id: str, row: RoleRow) -> tuple[CompiledRole, int]:
    """Recompute the stale scores of ``row`` (new candidates, new role revision, new scoring or
    taxonomy version; profiles from an older taxonomy are parsed again first). Returns the
    compiled role and how many scores were recomputed."""
    own = state.additions(tenant_id, db)  # read once: parse, score and stamp with the same taxonomy
    engine = state.engine_for(own)
    compiled = state.compiled(role_of_row(row, engine), engine)
    stale = queries.stale_candidates(db, tenant_id, row, SCORING_VERSION, engine.taxonomy.version)
    if stale:
        reparse_outdated(state, db, stale, own)
        scores, met = score_profiles(effective_profiles(db, engine, stale, with_text=False), compiled, engine)
        store_scores(db, state, tenant_id, row, [(c.id, float(s), bool(m)) for c, s, m in zip(stale, scores, met)],
                     engine.taxonomy.version)
    return compiled, len(stale)


def store_scores(db: Session, state: AppState, tenant_id: str, row: RoleRow,
                 fresh: list[tuple[str, float, bool]], taxonomy_version: str) -> None:
    """Store (candidate id, score, all required met) as the role's current scores, computed on the taxonomy
    ``taxonomy_version``, with a ``candidate.scored`` webhook event each: every score the service stores
    passes here. Not committed."""
    queries.upsert_scores(db, tenant_id, row, fresh, SCORING_VERSION, taxonomy_version)
    webhooks.emit(state, db, tenant_id, "candidate.scored", [
        {"candidate_id": cid, "role_id": row.id, "role_revision": row.revision, "score": score,
         "all_required_met": met_all, "scoring_version": SCORING_VERSION, "taxonomy_version": taxonomy_version}
        for cid, score, met_all in fresh])


def tenant_model(db: Session, tenant_id: str) -> Any:
    """The tenant's learned model (``learning.current_model``: its row and the model), or None: looked up
    once per request and handed to ``ranked_page`` (``found``) and ``model_out``."""
    return current_model(db, tenant_id)


def model_out(found: Any) -> dict[str, Any] | None:
    """``ModelOut`` of ``tenant_model``'s answer, or None."""
    return model_view(*found) if found else None


def gap_changes(db: Session, engine: Engine, cand: Candidate, row: RoleRow) -> tuple[Change, ...]:
    """What would change a candidate's outcome for a role (``matcher.what_would_change``)."""
    profile = effective_profiles(db, engine, [cand], with_text=False)[0]
    return what_would_change(profile, compile_role(role_of_row(row, engine), engine.taxonomy), engine.taxonomy)


def log_report_shown(db: Session, cand: Candidate, row: RoleRow, report: dict[str, Any], actor: str,
                     fixes: dict[str, list] | None = None) -> None:
    """Log one report's score as shown to ``actor`` (a recruiter, or the candidate themself)."""
    log_scores_shown(db, cand.tenant_id, actor, row, [{"candidate_id": cand.id, "score": report["score"],
                                                       "inputs_hash": inputs_hash(cand, row, fixes)}],
                     {"scoring_version": report["scoring_version"], "taxonomy_version": report["taxonomy_version"]})
    db.commit()


@dataclass(frozen=True)
class RankedRow:
    rank: int  # by score, whatever the page's sort order
    score: Any  # the Score row
    candidate: Candidate
    report: dict[str, Any]  # report_view of the candidate's effective profile
    learned: dict[str, Any] | None = None  # learning.learned_view, when the tenant has a model


@dataclass(frozen=True)
class RankingQuery:
    min_score: float | None = None
    all_required_met: bool | None = None
    order: str = "score"


#: The learned order ranks every candidate of the role inline (one fit report each, ~2 ms): up to this many.
LEARNED_INLINE_MAX = 5000


def _refreshed(db: Session, state: AppState, tenant_id: str, row: RoleRow) -> tuple[CompiledRole, int]:
    try:
        compiled, recomputed = refresh_scores(db, state, tenant_id, row)
        db.commit()
    except IntegrityError:  # a concurrent request stored the same scores first: use them
        db.rollback()
        compiled, recomputed = refresh_scores(db, state, tenant_id, row)
        db.commit()
    return compiled, recomputed


def _rows(db: Session, engine: Engine, tenant_id: str, compiled: CompiledRole, scores, fixes) -> list[RankedRow]:
    """Rows (rank 0 for now) with full reports for these scores."""
    cands = queries.candidates_by_ids(db, tenant_id, [s.candidate_id for s in scores])
    profiles = effective_profiles(db, engine, [cands[s.candidate_id] for s in scores], fixes=fixes)
    return [RankedRow(0, s, cands[s.candidate_id], report_view(p, compiled.role, engine, compiled))
            for s, p in zip(scores, profiles, strict=True)]


def _learned_page(db: Session, engine: Engine, tenant_id: str, row: RoleRow, compiled: CompiledRole, q: RankingQuery,
                  found, limit: int, offset: int) -> tuple[int, list[RankedRow], dict[str, list]]:
    """Every candidate of the role ordered by the learned P(advance); one page of them (and the
    candidates' corrections)."""
    if found is None:
        raise ApiError(409, "no_learned_model", "the tenant has no learned model yet: record decisions, then retrain")
    total, scores = queries.ranked_scores(db, tenant_id, row.id, min_score=q.min_score, all_required_met=q.all_required_met,
                                          limit=LEARNED_INLINE_MAX + 1, offset=0)
    if total > LEARNED_INLINE_MAX:
        raise ApiError(422, "learned_order_too_large", f"{total} candidates: the learned order ranks at most "
                       f"{LEARNED_INLINE_MAX:,} inline; narrow it with min_score or all_required_met")
    fixes = queries.corrections_of(db, tenant_id, [s.candidate_id for s in scores])
    rows = _rows(db, engine, tenant_id, compiled, scores, fixes)
    model_row, model = found
    views = [learned_view(model, model_row.model_version, r.report) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: -views[i]["p_advance"])[offset:offset + limit]
    return total, [replace(rows[i], rank=queries.score_rank(db, row.id, rows[i].score.score), learned=views[i])
                   for i in order], fixes


def freshen(db: Session, state: AppState, tenant_id: str, row: RoleRow) -> dict[str, Any] | None:
    """None when the role's scores may be refreshed inline (at most ``ranking_inline_max`` stale);
    else a refresh job is queued (one per role revision and versions) and the last ranking is what
    a page shows: ``{"stale": true, "stale_age_seconds", "refresh_job_id"}``."""
    from .. import jobs
    from .jobs import refresh_key

    taxonomy_version = state.engine(tenant_id, db).taxonomy.version
    if queries.count_stale(db, tenant_id, row, SCORING_VERSION, taxonomy_version) <= state.settings.ranking_inline_max:
        return None
    job = jobs.submit(state, db, tenant_id, "refresh", {"role_id": row.id}, dedupe_key=refresh_key(row, taxonomy_version))
    last = queries.last_scored(db, row.id)
    age = (utcnow() - (last if last.tzinfo else last.replace(tzinfo=UTC))).total_seconds() if last else None
    return {"stale": True, "stale_age_seconds": round(age, 1) if age is not None else None, "refresh_job_id": job.id}


#: ``ranked_page``'s ``found`` when the caller has not looked the tenant's learned model up.
LOOK_UP: Any = object()


def ranked_page(db: Session, state: AppState, tenant_id: str, row: RoleRow, q: RankingQuery, limit: int = 20,
                offset: int = 0, shown_to: str | None = None, refresh: bool = True,
                found: Any = LOOK_UP) -> tuple[int, int, list[RankedRow]]:
    """Refresh stale scores, then one page of the ranking with full fit reports (built for that
    page only; every candidate's for the learned order). Returns (total after filters, scores
    recomputed, rows). Commits the refreshed scores; with ``shown_to`` (the key that will see them)
    logs the scores shown, with their inputs hashes. ``found``: the tenant's ``current_model``, when
    the caller has it already."""
    engine = state.engine(tenant_id, db)
    compiled, recomputed = (_refreshed(db, state, tenant_id, row) if refresh
                            else (state.compiled(role_of_row(row, engine), engine), 0))
    found = current_model(db, tenant_id) if found is LOOK_UP else found
    total, out, fixes = _page(db, engine, tenant_id, row, compiled, q, found, limit, offset)
    _log_shown(db, shown_to, tenant_id, row, engine, q, found, out, fixes)
    return total, recomputed, out


def _page(db: Session, engine: Engine, tenant_id: str, row: RoleRow, compiled: CompiledRole, q: RankingQuery, found,
          limit: int, offset: int) -> tuple[int, list[RankedRow], dict[str, list]]:
    if q.order == "learned":
        return _learned_page(db, engine, tenant_id, row, compiled, q, found, limit, offset)
    total, scores = queries.ranked_scores(db, tenant_id, row.id, min_score=q.min_score,
                                          all_required_met=q.all_required_met, limit=limit, offset=offset,
                                          order=q.order)
    fixes = queries.corrections_of(db, tenant_id, [s.candidate_id for s in scores])
    out = _rows(db, engine, tenant_id, compiled, scores, fixes)
    return total, [replace(r, rank=offset + i + 1 if q.order == "score" else queries.score_rank(db, row.id, r.score.score),
                           learned=learned_view(found[1], found[0].model_version, r.report) if found else None)
                   for i, r in enumerate(out)], fixes


def _log_shown(db: Session, shown_to: str | None, tenant_id: str, row: RoleRow, engine: Engine, q: RankingQuery, found,
               out: list[RankedRow], fixes: dict[str, list]) -> None:
    if shown_to is None:
        return
    log_scores_shown(db, tenant_id, shown_to, row, [
        {"candidate_id": r.candidate.id, "rank": r.rank, "score": r.score.score,
         "inputs_hash": inputs_hash(r.candidate, row, fixes),
         **({"p_advance": r.learned["p_advance"]} if r.learned else {})} for r in out],
        {"scoring_version": SCORING_VERSION, "taxonomy_version": engine.taxonomy.version,
         "model_version": found[0].model_version if found else None, "order": q.order})
    db.commit()


def whole_ranking(db: Session, state: AppState, tenant_id: str, row: RoleRow, q: RankingQuery,
                  most: int = 10_000, page: int = 100, shown_to: str | None = None) -> Iterator[RankedRow]:
    """The ranking, at most ``most`` rows (the CSV exports): stale scores refreshed and the learned
    model looked up once, then page by page (the learned order, which ranks every candidate to make
    any page, in one page)."""
    engine = state.engine(tenant_id, db)
    compiled, _ = _refreshed(db, state, tenant_id, row)
    found = current_model(db, tenant_id)
    page = most if q.order == "learned" else page
    offset = 0
    while offset < most:
        total, rows, fixes = _page(db, engine, tenant_id, row, compiled, q, found, min(page, most - offset), offset)
        _log_shown(db, shown_to, tenant_id, row, engine, q, found, rows, fixes)
        yield from rows
        offset += page
        if offset >= total:
            break


def ranking_body(state: AppState, row: RoleRow, total: int, recomputed: int, rows: list[RankedRow], limit: int,
                 offset: int, order: str = "score", model: dict[str, Any] | None = None,
                 db: Session | None = None) -> dict[str, Any]:
    """``RankingOut``. ``db``: the request's session (the tenant's additions are read on it, not on a
    second connection)."""
    return {
        "role": {"id": row.id, "title": row.title, "revision": row.revision},
        "scoring_version": SCORING_VERSION,
        "taxonomy_version": state.engine(row.tenant_id, db).taxonomy.version,
        "total": total,
        "limit": limit,
        "offset": offset,
        "recomputed": recomputed,
        "order": order,
        **({"model": model} if model else {}),
        "results": [
            {
                "rank": r.rank,
                "candidate": {"id": r.candidate.id, "name": r.candidate.name, "external_id": r.candidate.external_id,
                              "filename": r.candidate.filename},
                "score": r.score.score,
                "all_required_met": r.score.all_required_met,
                "scoring_version": r.score.scoring_version,
                "taxonomy_version": r.score.taxonomy_version,
                "report": r.report,
                **({"learned": r.learned} if r.learned else {}),
            }
            for r in rows
        ],
    }
