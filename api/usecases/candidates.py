"""Candidates: one of the tenant's candidates or a 404, their view, storing an upload (the JSON API
and the web pages store through :func:`store_candidate` / :func:`replace_resume`), the profile that
is scored (parsed, with the candidate's own corrections) and the corrections themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from matcher import (
    Correction,
    Engine,
    MatcherError,
    Profile,
    TaxonomyAdditions,
    apply_corrections,
    person_name,
    profile_from_dict,
    profile_to_dict,
)

from ..errors import ApiError, NotFound
from ..state import AppState
from ..store import queries
from ..store.models import Candidate
from ..workers import ParseFailed
from .inputs import ResumeInput


def candidate_or_404(db: Session, tenant_id: str, candidate_id: str, own: str | None = None) -> Candidate:
    """The tenant's candidate; with ``own`` (a candidate key's candidate) only that one."""
    cand = None if own is not None and own != candidate_id else queries.get_candidate(db, tenant_id, candidate_id)
    if cand is None:
        raise NotFound("candidate")
    return cand


def require_resume(cand: Candidate, detail: str = "this candidate has not uploaded a résumé yet") -> None:
    if cand.status != "parsed":
        raise ApiError(409, "no_resume", detail)


def candidate_view(c: Candidate, with_profile: bool = True) -> dict[str, Any]:
    """``CandidateOut`` (``CandidateSummary`` without the profile)."""
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


def profile_view(profile: Profile, source: str | None = None) -> dict[str, Any]:
    return profile_to_dict(profile, source)


def store_candidate(db: Session, tenant_id: str, inp: ResumeInput, profile: Profile, name: str | None) -> Candidate:
    """A parsed upload stored as a new candidate (the document only when ``inp.keep_document``). Not committed.
    Without a ``name`` the résumé's own name line gives it ("PRIYA RAMASWAMY"), as on the pages."""
    name = name or person_name(profile.text[:400])
    return queries.add_candidate(
        db, tenant_id, profile=profile_view(profile), text=profile.text, taxonomy_version=profile.taxonomy_version,
        document=inp.data if inp.keep_document else None, filename=inp.filename, content_type=inp.content_type,
        name=name, external_id=inp.external_id,
    )


def replace_resume(db: Session, cand: Candidate, inp: ResumeInput, profile: Profile, name: str | None) -> None:
    """A candidate's own new résumé: profile, text and document replaced, scores dropped; committed."""
    queries.replace_document(db, cand, profile=profile_view(profile), text=profile.text,
                             taxonomy_version=profile.taxonomy_version, document=inp.data, filename=inp.filename,
                             content_type=inp.content_type)
    if not cand.name:
        cand.name = name or person_name(profile.text[:400])
    db.commit()


def effective_profiles(db: Session, engine: Engine, cands: list[Candidate], with_text: bool = True,
                       fixes: dict[str, list] | None = None) -> list[Profile]:
    """The profiles that are scored: as parsed, with each candidate's own corrections applied
    (``fixes``: ``queries.corrections_of`` for these candidates, when the caller already has it)."""
    if fixes is None:
        fixes = queries.corrections_of(db, cands[0].tenant_id, [c.id for c in cands]) if cands else {}
    return [
        apply_corrections(profile_from_dict(c.profile, c.text if with_text else ""),
                          [Correction(r.skill_id, r.action, r.years) for r in fixes.get(c.id, ())], engine.taxonomy)
        for c in cands
    ]


def reparse_outdated(state: AppState, db: Session, cands: list[Candidate],
                     own: TaxonomyAdditions | None = None) -> int:
    """Profiles parsed under another taxonomy than their tenant's are parsed again from the stored
    document (or the stored text for text uploads), in the workers; one that fails keeps its old profile.
    ``own``: the tenant's additions when the caller has read them (so it scores on the same taxonomy)."""
    if not cands:
        return 0
    own = own if own is not None else state.additions(cands[0].tenant_id, db)
    engine = state.engine_for(own)
    n = 0
    for c in cands:
        if c.taxonomy_version == engine.taxonomy.version:
            continue
        try:
            as_of = date.fromisoformat(c.profile["as_of"]) if c.profile.get("as_of") else None
            profile = state.pool().run("profile", c.document if c.document else c.text.encode("utf-8"), as_of,
                                       taxonomy=own)
        except (ParseFailed, MatcherError):
            continue
        queries.replace_profile(db, c, profile_to_dict(profile), profile.text, profile.taxonomy_version)
        n += 1
    return n


# ------------------------------------------------------------------ corrections

class CorrectionRefused(ValueError):
    """A correction that can't be made; the message is for the candidate."""


@dataclass(frozen=True)
class CorrectionRequest:
    action: str | None  # "add", "remove" or "undo"
    skill: str  # a skill id, name or alias as typed
    years: str | None = None  # for "add": years of use, as typed


def correct_skill(db: Session, engine: Engine, cand: Candidate, req: CorrectionRequest) -> None:
    """A candidate's correction of their parsed profile, stored apart from it; committed. Adding a
    skill they removed restores it. Raises :class:`CorrectionRefused` with a message to show."""
    tax = engine.taxonomy
    raw = req.skill.strip()
    skill = tax.get(raw) or tax.resolve(raw)
    if skill is None and raw:
        hits = tax.search(raw, 1)
        skill = hits[0] if hits and hits[0].name.lower() == raw.lower() else None
    action = req.action
    if action not in ("add", "remove", "undo") or skill is None:
        hint = ""
        if raw and action == "add":
            hits = tax.search(raw, 3)
            hint = (" Did you mean " + ", ".join(h.name for h in hits) + "?") if hits else ""
        raise CorrectionRefused(f"'{raw}' is not a skill we know.{hint}" if raw else "Choose a skill.")
    fixes = {c.skill_id: c.action for c in queries.corrections_of(db, cand.tenant_id, [cand.id]).get(cand.id, [])}
    if action == "add" and skill.id in {sk["id"] for sk in cand.profile.get("skills", [])}:
        if fixes.get(skill.id) != "remove":
            raise CorrectionRefused(f"{skill.name} is already in your profile.")
        action = "undo"  # adding back a skill the candidate removed restores it
    years = None
    if action == "add" and req.years:
        try:
            years = max(0.0, min(50.0, float(req.years)))
        except ValueError:
            raise CorrectionRefused("Years must be a number.") from None
    queries.set_correction(db, cand, skill.id, None if action == "undo" else action, years)
    db.commit()
