"""A fit report as the API shows it (``FitReport``). Imports only the engine: the parse workers build
reports too (``api/workers.py``, the ``match`` task), so a match's report crosses the pipe instead of its profile."""

from __future__ import annotations

from typing import Any

from matcher import CompiledRole, Engine, Profile, Role, match_profile, report_to_dict


def report_view(profile: Profile, role: Role, engine: Engine, compiled: CompiledRole | None = None) -> dict[str, Any]:
    """``FitReport``: the engine's report with its versions and whether every required group is met."""
    report = match_profile(profile, role, engine, compiled)
    out = report_to_dict(report, profile.text, engine.taxonomy)
    out["scoring_version"] = report.scoring_version
    out["taxonomy_version"] = report.taxonomy_version
    out["all_required_met"] = all(r["status"] == "met" for r in out["requirements"] if r["required"])
    return out
