"""The engine's front door: ``matcher.__all__`` names the public surface, its examples run, and the
service imports nothing from behind it."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import matcher

REPO = Path(__file__).resolve().parents[2]


def test_the_docstring_examples_run():
    result = doctest.testmod(matcher, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


def test_every_public_name_exists_and_is_listed_once():
    assert len(matcher.__all__) == len(set(matcher.__all__))
    missing = [n for n in matcher.__all__ if not hasattr(matcher, n)]
    assert not missing


def _engine_imports(folder: Path) -> list[str]:
    """Every ``matcher.<something>`` module imported by the Python files under ``folder``."""
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("matcher."):
                found.append(f"{path.relative_to(REPO)}: from {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{path.relative_to(REPO)}: import {a.name}" for a in node.names if a.name.startswith("matcher.")]
    return found


def test_the_service_imports_only_the_public_surface():
    assert _engine_imports(REPO / "api") == []


def test_rank_profiles_agrees_with_match_profile():
    engine = matcher.default_engine()
    texts = ["A\n\nSkills: Python, SQL, Docker", "B\n\nSkills: Java", "C\n\nExperience\nDev, X — 2019 – Present\n- Python",
             "D\n\nSkills: SQL"]
    profiles = [matcher.parse_text(t, engine) for t in texts]
    role, _spec, _w = matcher.load_role_text("Dev\n\nRequirements:\n- Python\n- SQL\n\nNice to have:\n- Docker\n",
                                             engine.skill_matcher)
    ranked = matcher.rank_profiles(profiles, role, engine)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    for r in ranked:
        report = matcher.match_profile(profiles[r.index], role, engine)
        assert r.score == report.score
        assert r.all_required_met == all(g.status == "met" for g in report.groups if g.group.required)
    assert [r.index for r in matcher.rank_profiles(profiles, role, engine, top=2)] == [r.index for r in ranked[:2]]


def test_a_profile_keeps_tools_outside_the_taxonomy_apart_and_round_trips_them(engine):
    import matcher

    text = ("Jo Park\n\nSKILLS\nPython, Telegraf, InfluxDB\n\nEXPERIENCE\nSRE — Acme, Austin TX    2020 – Present\n"
            "• Built monitoring with Telegraf and InfluxDB; Java 8 services.\n")
    p = matcher.parse_text(text, engine)
    keys = {u.key for u in p.unresolved}
    assert "telegraf" in keys and not keys & {s.id for s in p.skills}
    assert all(m.skill_id.startswith("~") for u in p.unresolved for m in u.evidence)
    again = matcher.profile_from_dict(matcher.profile_to_dict(p), p.text)
    assert again.unresolved == p.unresolved and again.skills == p.skills
    java = p.skill("java")
    assert java is not None and "8" in {m.version for m in java.evidence}
    plain = matcher.parse_text(text, matcher.build_engine(detector=False))
    assert plain.unresolved == () and plain.skills == p.skills  # the detector never changes the skills
