"""skillmatch engine: résumé bytes -> Document -> mentions -> Profile -> score against a Role.

This module is the engine's one public surface: the service (``api/``), the CLI, the benches and
any batch job import from here, never from the modules behind it. Build an :class:`Engine` once
(it compiles the taxonomy's phrase matcher) and pass it to every call.

Parse a résumé and read its skills:

>>> import matcher
>>> engine = matcher.default_engine()
>>> profile = matcher.parse_text(
...     "Jane Doe\\n\\nExperience\\nML Engineer, Acme — Jan 2020 – Present\\n"
...     "- Trained PyTorch models on Kubernetes\\n\\nSkills: Python, SQL", engine)
>>> sorted(s.id for s in profile.skills)[:4]
['kubernetes', 'python', 'pytorch', 'sql']

A role from a job description in any shape (text, Markdown, HTML, an ATS job object, a PDF):

>>> role, spec, warnings = matcher.load_role(
...     b"<h1>ML Engineer</h1><h3>Requirements</h3><ul><li>PyTorch</li><li>SQL</li></ul>"
...     b"<p><b>Nice to have</b></p><ul><li>JAX</li></ul>", engine, filename="job.html")
>>> [(g.any_of, g.required) for g in role.groups]
[(('pytorch',), True), (('sql',), True), (('jax',), False)]

Score and explain one candidate, or rank many at once (the same scores, vectorized):

>>> report = matcher.match_profile(profile, role, engine)
>>> [(g.group.label, g.status) for g in report.groups]
[('PyTorch', 'met'), ('SQL', 'met'), ('JAX', 'partial')]
>>> other = matcher.parse_text("Bob\\n\\nSkills: Java", engine)
>>> [(r.index, r.score == report.score) for r in matcher.rank_profiles([other, profile], role, engine)]
[(1, True), (0, False)]

Values cross process and storage boundaries as plain dicts:

>>> again = matcher.profile_from_dict(matcher.profile_to_dict(profile), profile.text)
>>> again.skills == profile.skills
True
>>> matcher.report_to_dict(report, profile.text, engine.taxonomy)["requirements"][0]["status"]
'met'

Every error the engine raises on purpose is a :class:`MatcherError` with a stable ``code``:

>>> try:
...     matcher.load_role_text("We are hiring a friendly person.", engine.skill_matcher)
... except matcher.RoleError as exc:
...     exc.code
'invalid_role'
"""

from __future__ import annotations

from .batch import profile_record, profile_schema, role_digest
from .corrections import Correction, apply_corrections
from .documents import ReadLimits, is_container, read_document
from .documents.normalize import clean_label
from .errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    MatcherError,
    NoTextLayer,
    RoleError,
    TaxonomyAdditionError,
    TaxonomyConflict,
    TaxonomyError,
    UnreadableDocument,
    UnsupportedFormat,
)
from .job_input import job_text, job_text_from_bytes
from .learning import (
    DECISIONS,
    FEATURE_NAMES,
    MIN_DECISIONS,
    Contribution,
    Decision,
    LearnedModel,
    ModelError,
    NotEnoughDecisions,
    ReportFeatures,
    explain,
    feature_matrix,
    features_from_report,
    fit_model,
    learned_order,
    model_from_dict,
    model_to_dict,
)
from .pipeline import (
    Engine,
    Ranked,
    build_engine,
    default_engine,
    load_role,
    match_profile,
    parse_bytes,
    parse_document,
    parse_text,
    rank_profiles,
    score_profiles,
)
from .redact import name_line, person_name, personal_spans
from .roles import (
    MAX_LABEL,
    MAX_REQUIREMENTS,
    MAX_TITLE,
    RequirementSpec,
    RoleSpec,
    load_role_spec,
    load_role_text,
    parse_spec_text,
    resolve_spec,
    role_to_spec,
)
from .report import Change, what_would_change
from .scoring import SCORING_VERSION, CompiledRole, compile_role
from .serialize import profile_from_dict, profile_to_dict, report_from_dict, report_to_dict
from .taxonomy import Skill, Taxonomy, default_taxonomy, load_taxonomy
from .taxonomy_additions import (
    AliasAddition,
    SkillAddition,
    TaxonomyAdditions,
    additions_from_dict,
    additions_to_dict,
    extend_engine,
    extend_taxonomy,
    load_additions,
    unresolved_suggestions,
    usable_additions,
)
from .types import (
    LEVELS,
    Document,
    FitReport,
    GroupResult,
    Profile,
    ProfileSkill,
    RequirementGroup,
    Role,
    SkillMention,
)

__all__ = [
    # building the engine
    "Engine", "build_engine", "default_engine", "ReadLimits", "Taxonomy", "Skill", "default_taxonomy", "load_taxonomy",
    # a taxonomy grown by one's own aliases and skills (a tenant's), with its derived version
    "TaxonomyAdditions", "AliasAddition", "SkillAddition", "extend_taxonomy", "extend_engine", "usable_additions",
    "unresolved_suggestions", "additions_to_dict", "additions_from_dict", "load_additions",
    # résumés
    "read_document", "is_container", "parse_bytes", "parse_text", "parse_document", "Document", "Profile", "ProfileSkill",
    "SkillMention", "Correction", "apply_corrections",
    # roles
    "load_role", "load_role_text", "load_role_spec", "resolve_spec", "role_to_spec", "parse_spec_text", "job_text",
    "job_text_from_bytes", "Role", "RoleSpec", "RequirementSpec", "RequirementGroup", "LEVELS", "MAX_TITLE", "MAX_LABEL",
    "MAX_REQUIREMENTS",
    # scoring and reports
    "match_profile", "score_profiles", "rank_profiles", "Ranked", "compile_role", "CompiledRole", "FitReport",
    "GroupResult", "SCORING_VERSION", "Change", "what_would_change",
    # learning from recruiter decisions
    "ReportFeatures", "FEATURE_NAMES", "features_from_report", "feature_matrix", "Decision", "DECISIONS",
    "MIN_DECISIONS", "fit_model",
    "LearnedModel", "NotEnoughDecisions", "model_to_dict", "model_from_dict", "explain", "Contribution", "learned_order",
    # serialization
    "profile_to_dict", "profile_from_dict", "report_to_dict", "report_from_dict",
    # the batch tables (Spark jobs: matcher batch; pyarrow for the schema)
    "profile_record", "profile_schema", "role_digest",
    # text shown to people
    "clean_label", "name_line", "person_name", "personal_spans",
    # errors
    "MatcherError", "DocumentError", "UnsupportedFormat", "EncryptedDocument", "NoTextLayer", "UnreadableDocument",
    "EmptyDocument", "DocumentTooLarge", "TaxonomyError", "TaxonomyAdditionError", "TaxonomyConflict", "RoleError",
    "ModelError",
]
