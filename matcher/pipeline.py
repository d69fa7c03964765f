"""Wiring only: bytes -> Document -> sections/positions -> mentions -> Profile -> FitReport.

Each step lives in its own module as a plain function of typed values; this module calls them in
order. An ``Engine`` bundles what is expensive to build (the taxonomy and its compiled matcher) so
callers build it once and pass it in; tests build small ones from a small taxonomy.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .detector import Detector, default_detector, detect_mentions
from .documents import ReadLimits, read_document
from .extraction import SkillMatcher, build_skill_matcher, extract_mentions, skills_in_texts
from .job_input import job_text_from_bytes
from .profile import build_profile
from .report import build_report
from .roles import RoleSpec, load_role_text
from .scoring import (
    CompiledRole,
    compile_role,
    group_credits,
    profiles_to_matrix,
    score_profile,
    scores_from_credits,
)
from .sections import find_positions, find_sections
from .taxonomy import Taxonomy, default_taxonomy
from .types import Document, FitReport, Profile, Role


@dataclass(frozen=True)
class Engine:
    """The built, reusable parts of the engine. Cheap to pass around; expensive to build."""

    taxonomy: Taxonomy
    skill_matcher: SkillMatcher
    limits: ReadLimits = field(default_factory=ReadLimits)
    #: The learned mention detector (tools outside the taxonomy become ``Profile.unresolved``); None: off.
    detector: Detector | None = None


def build_engine(taxonomy: Taxonomy | None = None, *, limits: ReadLimits | None = None,
                 detector: bool = True) -> Engine:
    """The engine on ``taxonomy`` (default: the bundled one), with the shipped mention detector
    unless ``detector=False`` (then only taxonomy skills are found, ~1/3 less parse time)."""
    taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
    return Engine(taxonomy=taxonomy, skill_matcher=build_skill_matcher(taxonomy), limits=limits or ReadLimits(),
                  detector=default_detector() if detector else None)


@functools.cache
def default_engine() -> Engine:
    """The engine on the bundled taxonomy, built on first use and then shared."""
    return build_engine()


def parse_document(document: Document, engine: Engine, as_of: date | None = None) -> Profile:
    as_of = as_of or date.today()
    sections = find_sections(document)
    positions = find_positions(document, sections)
    doc = engine.skill_matcher.nlp.make_doc(document.text)
    mentions = extract_mentions(document, sections, positions, engine.skill_matcher, doc=doc)
    detected = (detect_mentions(doc, engine.detector, skill_matcher=engine.skill_matcher, sections=sections,
                                text=document.text)
                if engine.detector is not None else ())
    hidden = skills_in_texts((h.text for h in document.hidden), engine.skill_matcher) if document.hidden else []
    return build_profile(
        document, sections, positions, mentions, engine.taxonomy, as_of, hidden_skills=hidden, detected=detected
    )


def parse_bytes(data: bytes, engine: Engine, as_of: date | None = None) -> Profile:
    """Read a résumé file's bytes (PDF, DOCX, text) and build its profile. Raises DocumentError."""
    return parse_document(read_document(data, limits=engine.limits), engine, as_of)


def parse_text(text: str, engine: Engine, as_of: date | None = None) -> Profile:
    """Build a profile from résumé text (plain or Markdown)."""
    return parse_bytes(text.encode("utf-8"), engine, as_of)


def load_role(data: bytes, engine: Engine, *, filename: str | None = None,
              content_type: str | None = None) -> tuple[Role, RoleSpec, list[str]]:
    """A role from a spec file (YAML/JSON) or a job description in any shape: text, Markdown, PDF,
    DOCX, HTML (also entity-escaped), or an ATS job object as JSON (``job_input.job_text_from_bytes``)."""
    text = job_text_from_bytes(data, filename=filename, content_type=content_type, limits=engine.limits)
    return load_role_text(text, engine.skill_matcher)


def match_profile(profile: Profile, role: Role, engine: Engine, compiled: CompiledRole | None = None) -> FitReport:
    """Score one profile against a role and explain it."""
    compiled = compiled or compile_role(role, engine.taxonomy)
    return build_report(profile, compiled, score_profile(profile, compiled), engine.taxonomy)


def score_profiles(profiles: Sequence[Profile], role: Role | CompiledRole, engine: Engine) -> tuple[np.ndarray, np.ndarray]:
    """Vectorized scoring of many profiles against one role: (scores, all_required_met), one row per
    profile, equal to what :func:`match_profile` reports for each (a property test holds them equal).
    ``all_required_met`` is True where every required group's status is "met"."""
    compiled = role if isinstance(role, CompiledRole) else compile_role(role, engine.taxonomy)
    pm = profiles_to_matrix(profiles, engine.taxonomy)
    gc = group_credits(pm, compiled)
    required = [g for g, plan in enumerate(compiled.plans) if plan.required]
    all_met = gc.status_met()[:, required].all(axis=1) if required else np.ones(pm.n, dtype=bool)
    return scores_from_credits(pm, compiled, gc), all_met


@dataclass(frozen=True)
class Ranked:
    """One place in a ranking: which profile (its index in the input), its score and whether it
    meets every required group."""

    index: int
    score: float
    all_required_met: bool


def rank_profiles(profiles: Sequence[Profile], role: Role | CompiledRole, engine: Engine,
                  top: int | None = None) -> list[Ranked]:
    """The profiles best first (ties keep input order), at most ``top`` of them."""
    if not profiles:
        return []
    scores, met = score_profiles(profiles, role, engine)
    order = np.argsort(-scores, kind="stable")
    if top is not None:
        order = order[: max(0, top)]
    return [Ranked(int(i), float(scores[i]), bool(met[i])) for i in order]
