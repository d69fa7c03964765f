"""The HTTP boundary's types: what every ``/v1`` operation answers, as Pydantic models.

Routes declare these with ``response_model=`` (see :func:`typed`), so the OpenAPI document tells an
ATS exactly what comes back and a client can be generated from it. The bodies are the engine's JSON
views (``matcher`` serialization: "add fields, never rename or remove them"), so every model of
engine output allows extra keys: a field the engine adds later passes through unchanged.

Numbers keep the type they were computed with (:data:`Number`: an ``int`` stays ``5``, a float
stays ``5.5``), so a typed response is byte-for-byte the hand-built dict it replaced.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

#: A JSON number, serialized as computed (no int -> float widening).
Number = Annotated[float | int, WithJsonSchema({"type": "number"})]


def typed(model: type[BaseModel]) -> dict[str, Any]:
    """Route kwargs for a typed response: keys the handler did not give are left out, not null."""
    return {"response_model": model, "response_model_exclude_unset": True}


class _Open(BaseModel):
    """Engine output: the documented fields, and any the engine adds later."""

    model_config = ConfigDict(extra="allow")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ problems

class Problem(_Open):
    """An error (RFC 9457 problem+json) with a stable ``code``; some carry more fields (``errors``)."""

    type: str
    title: str
    status: int
    detail: str
    code: str


# ------------------------------------------------------------------ profiles (engine output)

class Mention(_Open):
    skill_id: str = Field(description="Differs from the skill's id for a variant ('PySpark' for Apache Spark).")
    text: str
    start: int
    end: int
    section: str | None = None
    position: int | None = None
    source: str | None = None
    page: int | None = Field(default=None, description="PDF page of the mention (PDF uploads only).")
    version: str | None = Field(default=None, description="The version written after the name ('Java 8').")


class ProfileSkill(_Open):
    """A skill found in the résumé, with the mentions that show it."""

    id: str
    name: str
    category: str | None = None
    years: Number | None = None
    last_used: str | None = Field(default=None, description="YYYY-MM")
    sources: list[str] = []
    evidence: list[Mention] = []


class ProfilePosition(_Open):
    index: int
    title: str | None = None
    organization: str | None = None
    start: str | None = Field(default=None, description="YYYY-MM")
    end: str | None = Field(default=None, description="YYYY-MM")
    current: bool = False
    date_text: str | None = None
    span: list[int] = []
    section: str | None = None
    skills: list[str] = []


class ProfileSection(_Open):
    kind: str
    heading: str | None = None
    start: int
    end: int


class ProfilePage(_Open):
    number: int
    start: int
    end: int


class FreeTextTerm(_Open):
    """A requirement alternative outside the taxonomy, met by a résumé mention with the same ``key``."""

    key: str = Field(description="The normalized name (the key unresolved mentions are grouped by).")
    name: str


class UnresolvedSkill(_Open):
    key: str = Field(description="The normalized name that ties spellings together.")
    name: str
    evidence: list[Mention]


class Profile(_Open):
    """A parsed résumé: skills with evidence, positions, sections."""

    source: str | None = Field(default=None, description="The uploaded file's name (parse only).")
    experience_years: Number | None = None
    skills: list[ProfileSkill]
    positions: list[ProfilePosition] = []
    sections: list[ProfileSection] = []
    warnings: list[str] = []
    interests: list[Any] = []
    hidden_skills: list[Any] = []
    unresolved: list[UnresolvedSkill] = Field(default=[], description="Tools the learned detector found that the "
                                              "taxonomy does not know: shown; scored only against a "
                                              "requirement's free_text alternative with the same key.")
    as_of: str | None = Field(default=None, description="YYYY-MM-DD: the date 'Present' meant.")
    pages: list[ProfilePage] = []
    taxonomy_version: str | None = None


# ------------------------------------------------------------------ fit reports (engine output)

class MatchedSkill(_Open):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    skill_id: str
    name: str
    kind: str
    for_: str | None = Field(default=None, alias="for", description="The requirement skill it counts for.")
    strength: Number
    depth: Number
    years: Number | None = None
    last_used: str | None = None
    sources: list[str] = []
    reason: str | None = None


class EvidenceLine(Mention):
    line: str = Field(description="The résumé line the mention stands on.")


class RequirementResult(_Open):
    group: str
    any_of: list[str]
    free_text: list[FreeTextTerm] = Field(default=[], description="Alternatives outside the taxonomy, matched by name.")
    required: bool
    weight: Number | None = Field(default=None, description="The group's weight in the role.")
    status: Literal["met", "listed_only", "partial", "missing", "matched_unresolved"] = Field(
        description="met (shown in use), listed_only (named only in a skills list), partial (a related skill), "
                    "matched_unresolved (matched by name, not in the taxonomy: a free_text alternative met by a "
                    "mention the taxonomy does not know) or missing")
    credit: Number | None = Field(default=None, description="0-1: strength x depth of the best match.")
    matched: list[MatchedSkill]
    evidence: list[EvidenceLine]
    points: Number
    max_points: Number
    advice: str | None = None


class FitReport(_Open):
    """A candidate against a role: score, per-requirement status with evidence, advice."""

    score: Number
    summary: str
    experience_years: Number | None = None
    experience_points: Number
    experience_max_points: Number
    knocked_out: bool
    requirements: list[RequirementResult]
    scoring_version: str
    taxonomy_version: str
    all_required_met: bool


# ------------------------------------------------------------------ candidates

class CandidateSummary(_Closed):
    id: str
    name: str | None
    external_id: str | None
    filename: str | None
    status: str = Field(description="parsed, or invited (no résumé yet)")
    created_at: str | None
    taxonomy_version: str
    skills: int = Field(description="How many skills were found.")
    experience_years: Number | None


class CandidateOut(CandidateSummary):
    profile: Profile


class CandidatePage(_Closed):
    total: int
    limit: int
    offset: int
    items: list[CandidateSummary]


class CandidateReport(_Closed):
    candidate_id: str
    role_id: str
    role_revision: int
    report: FitReport


# ------------------------------------------------------------------ roles

class RequirementOut(_Closed):
    label: str
    any_of: list[str]
    skills: list[str] = Field(description="The skills' names.")
    free_text: list[FreeTextTerm] = Field(default=[], description="Alternatives outside the taxonomy: met by a "
                                          "résumé mention with the same normalized name (status matched_unresolved).")
    required: bool
    weight: Number
    min_years: Number | None
    source_text: str | None


class RoleOut(_Closed):
    id: str
    title: str
    revision: int
    spec: dict[str, Any] = Field(description="The editable role spec (PUT it back after editing).")
    warnings: list[str]
    created_at: str | None
    updated_at: str | None
    requirements: list[RequirementOut] | None = Field(default=None, description="Resolved requirements (single role only).")
    level: str | None = None
    min_years: Number | None = None


class RolePage(_Closed):
    total: int
    limit: int
    offset: int
    items: list[RoleOut]


# ------------------------------------------------------------------ ranking and matching

class RoleRef(_Closed):
    id: str
    title: str
    revision: int


class RoleTitle(_Closed):
    title: str


class RankedCandidate(_Closed):
    id: str
    name: str | None
    external_id: str | None
    filename: str | None


class Learned(_Closed):
    """The learned order's view of a candidate, beside the rule score."""

    p_advance: float = Field(description="P(advance) from the tenant's model of its recruiters' decisions.")
    model_version: str
    reasons: list[str] = Field(description="The features that move it most, in words, with their effect (log-odds).")


class ModelOut(_Closed):
    model_version: str
    trained_at: str | None
    n_decisions: int
    class_counts: dict[str, int]
    calibration: str
    features: list[str]


class RankedItem(_Closed):
    rank: int
    candidate: RankedCandidate
    score: Number
    all_required_met: bool
    scoring_version: str
    taxonomy_version: str
    report: FitReport
    learned: Learned | None = Field(default=None, description="Present when the tenant has a learned model.")


class RankingOut(_Closed):
    role: RoleRef
    scoring_version: str
    taxonomy_version: str
    total: int
    limit: int
    offset: int
    recomputed: int = Field(description="Scores recomputed for this request (stale ones).")
    order: Literal["score", "learned"] = "score"
    model: ModelOut | None = Field(default=None, description="The learned model in use, if the tenant has one.")
    results: list[RankedItem]
    stale: bool = Field(default=False, description="True: too many scores were stale to recompute inline; this "
                        "is the last complete ranking while `refresh_job_id` runs.")
    stale_age_seconds: Number | None = Field(default=None, description="Age of the ranking served when stale.")
    refresh_job_id: str | None = None


class MatchOut(_Closed):
    role: RoleTitle
    scoring_version: str
    taxonomy_version: str
    report: FitReport


class BatchItem(_Closed):
    """One résumé of a batch: its score and report, or the problem that stopped it."""

    id: str
    score: Number | None = None
    report: FitReport | None = None
    error: Problem | None = Field(default=None, description="Why this résumé could not be read (it is listed last).")


class BatchOut(_Closed):
    role: RoleTitle
    scoring_version: str
    taxonomy_version: str
    results: list[BatchItem] = Field(description="Best first; the failed ones last.")


class ParseOut(_Closed):
    profile: Profile
    text: str


# ------------------------------------------------------------------ taxonomy, keys, health

class SkillOut(_Closed):
    id: str
    name: str
    category: str
    aliases: list[str]


class SkillSearch(_Closed):
    taxonomy_version: str
    items: list[SkillOut]


class KeyOut(_Closed):
    id: str
    role: str
    name: str
    candidate_id: str | None
    created_at: str | None
    revoked: bool


class NewKey(KeyOut):
    token: str = Field(description="The key itself: shown once, never again.")


class KeyList(_Closed):
    items: list[KeyOut]


class Health(_Closed):
    status: str


class Readiness(_Closed):
    status: str = Field(description="ready or not_ready")
    checks: dict[str, str]
    taxonomy_version: str | None = None
    jobs: dict[str, int] | None = Field(default=None, description="queued_jobs (queue depth) and live_workers.")


# ------------------------------------------------------------------ recruiter decisions

DecisionKind = Literal["advance", "reject", "hire"]
#: Why a decision was made: job-related reasons only (no free-text field is ever learned from).
ReasonCode = Literal[
    "meets_requirements", "strong_experience", "missing_required_skill", "insufficient_experience",
    "skills_not_shown_in_use", "overqualified", "position_filled", "candidate_withdrew", "other",
]


class DecisionIn(_Closed):
    """A decision on one candidate for this role."""

    candidate_id: str = Field(max_length=64)
    decision: DecisionKind
    reason_code: ReasonCode | None = None
    note: str | None = Field(default=None, max_length=2000, description="For people only: never scored or learned from.")


class DecisionOut(_Closed):
    id: str
    role_id: str
    candidate_id: str
    decision: DecisionKind
    reason_code: str | None
    note: str | None
    score: Number = Field(description="The rule score the decision was made on.")
    scoring_version: str
    taxonomy_version: str
    model_version: str | None = Field(description="The learned model in use when it was made (if any).")
    role_revision: int
    actor: str = Field(description="The API key (id) that made it.")
    inputs_hash: str = Field(description="sha256 of the profile, corrections, role spec and revision scored.")
    override: bool = Field(description="Against the automated assessment (advance without every required group "
                           "met, or reject with every one met); such a decision needs a reason_code.")
    created_at: str
    undone_at: str | None
    undone_by: str | None
    report: FitReport | None = Field(default=None, description="The fit report it was made on (single decision only).")


class DecisionPage(_Closed):
    total: int
    limit: int
    offset: int
    items: list[DecisionOut]


# ------------------------------------------------------------------ fairness operations

Sex = Literal["female", "male", "decline_to_answer"]
RaceEthnicity = Literal[
    "hispanic_or_latino", "white", "black_or_african_american", "native_hawaiian_or_pacific_islander", "asian",
    "american_indian_or_alaska_native", "two_or_more_races", "decline_to_answer",
]


class SelfIdentificationIn(_Closed):
    """Voluntary; never seen by scoring, ranking, reports, learning or recruiters."""

    sex: Sex
    race_ethnicity: RaceEthnicity


class SelfIdentificationOut(_Closed):
    given: bool
    sex: str | None
    race_ethnicity: str | None
    updated_at: str | None


class ImpactRow(_Closed):
    category: str
    n: int
    share: float
    scored_above_median: int
    scoring_rate: float | None
    scoring_impact_ratio: float | None
    selected: int
    selection_rate: float | None
    selection_impact_ratio: float | None
    small: bool = Field(description="Under small_share of the pairs: left out of the highest rate.")
    unknown: bool = Field(description="No answer or declined: counted, never compared.")


class AuditVersions(_Closed):
    scoring: list[str]
    taxonomy: list[str]
    model: str | None


class ImpactRatios(_Closed):
    role_id: str | None
    roles: int
    from_: str | None = Field(alias="from")
    to: str | None
    roles_stale: int = Field(default=0, description="Roles whose refresh was queued (too many stale scores to "
                             "refresh inline): their last complete scores are counted.")
    applicants: int = Field(description="(candidate, role) pairs scored.")
    selected: int
    versions: AuditVersions
    sex: list[ImpactRow]
    race_ethnicity: list[ImpactRow]
    intersectional: list[ImpactRow]
    small_share: float


class AuditEventOut(_Closed):
    id: int
    kind: str
    role_id: str | None
    candidate_id: str | None
    actor: str
    at: str
    payload: dict[str, Any]


class AuditEventPage(_Closed):
    limit: int
    offset: int
    items: list[AuditEventOut]


# ------------------------------------------------------------------ jobs

class JobError(_Open):
    code: str
    detail: str


class JobOut(_Closed):
    """A background job (``GET /v1/jobs/{id}``): queued, running, succeeded or failed."""

    id: str
    kind: Literal["import", "export", "refresh", "retrain", "retaxonomy"]
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: int = Field(description="Items done (résumés imported, rows written).")
    total: int | None = None
    attempts: int = Field(description="Deliveries so far (retries and take-overs after a worker died count).")
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    error: JobError | None = Field(default=None, description="Why it failed (or, while queued again, the "
                                   "error it will be retried after).")
    download: str | None = Field(default=None, description="An export's CSV, once it succeeded.")


class ExportOut(_Closed):
    """An export job's file as JSON (``Accept: text/csv`` gets the file itself)."""

    job_id: str
    rows: int
    csv: str


# ------------------------------------------------------------------ webhooks

class WebhookOut(_Closed):
    """A registered webhook."""

    id: str
    url: str
    events: list[Literal["job.completed", "job.failed", "candidate.scored"]]
    created_at: str | None = None


class NewWebhook(WebhookOut):
    secret: str = Field(description="The HMAC-SHA256 signing secret: shown this once.")


class WebhookList(_Closed):
    items: list[WebhookOut]


class DeliveryAttempt(_Closed):
    at: str | None = None
    status_code: int | None = None
    error: str | None = None
    duration_ms: int


class Delivery(_Closed):
    """One event for the webhook and where its delivery stands."""

    id: str
    event_id: str = Field(description="Sent as X-Skillmatch-Event-Id; the same on every retry.")
    event: str
    status: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None = None
    last_error: str | None = None
    next_attempt_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    payload: dict[str, Any] = Field(description="The event's data: ids, scores and statuses only.")
    attempt_log: list[DeliveryAttempt]


class DeliveryList(_Closed):
    webhook_id: str
    total: int
    limit: int
    offset: int
    items: list[Delivery]


# ------------------------------------------------------------------ a tenant's own taxonomy (/v1/taxonomy)

class OwnAlias(_Closed):
    """An alias the tenant added: ``name`` names ``skill_id`` (``skill_name``) in its taxonomy."""

    id: str
    skill_id: str
    name: str
    skill_name: str | None = None
    created_at: str | None
    created_by: str


class OwnSkill(_Closed):
    """A skill the tenant added (its id starts with ``x-``), with the aliases that name it."""

    id: str
    skill_id: str
    name: str
    category: str | None
    created_at: str | None
    created_by: str
    aliases: list[OwnAlias] = []


class TenantTaxonomy(_Closed):
    base_version: str = Field(description="The bundled taxonomy's version.")
    taxonomy_version: str = Field(description="The tenant's: the bundled version, and `+t.<digest of its "
                                  "additions>` when it has any. Every profile and score records the one it was made with.")
    categories: dict[str, str]
    skills: list[OwnSkill]
    aliases: list[OwnAlias] = Field(description="Aliases of bundled skills (those of the tenant's own skills are listed "
                                    "with them).")
    unusable: list[str] = Field(description="Additions a newer bundled taxonomy took (a name it now has): left out, "
                                "and why. Remove them.")
    rescore_job_id: str | None = Field(description="The tenant's re-score after a change, while it is queued or running.")


class TaxonomyChange(_Closed):
    item: OwnSkill | OwnAlias | None = None
    taxonomy_version: str
    rescore_job_id: str = Field(description="The job (`GET /v1/jobs/{id}`) that parses the tenant's candidates again "
                                "and refreshes every role's scores; other tenants are untouched.")


class Suggestion(_Closed):
    key: str
    name: str = Field(description="The most common spelling.")
    resumes: int
    mentions: int
    spellings: dict[str, int]
    examples: list[dict[str, Any]]


class SuggestionList(_Closed):
    taxonomy_version: str
    items: list[Suggestion]
