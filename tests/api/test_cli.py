"""The CLI: tenants and keys, and the demo (seeds, prints keys and a ranked list)."""

from __future__ import annotations

import re

import pytest

from typer.testing import CliRunner


def test_create_tenant_and_key(tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    r = runner.invoke(app, ["create-tenant", "acme"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["create-tenant", "acme"]).exit_code == 1
    r = runner.invoke(app, ["create-key", "--tenant", "acme", "--role", "recruiter"])
    assert r.exit_code == 0 and re.fullmatch(r"sk_[0-9a-f]+_\S+\n", r.output), r.output
    assert runner.invoke(app, ["create-key", "--tenant", "acme", "--role", "root"]).exit_code == 2
    assert runner.invoke(app, ["create-key", "--tenant", "nope", "--role", "ats"]).exit_code == 1
    assert runner.invoke(app, ["create-key", "--tenant", "acme", "--role", "candidate"]).exit_code == 2


def test_demo_prints_keys_and_a_ranked_list(tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("SKILLMATCH_PARSE_WORKERS", "1")
    r = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert r.exit_code == 0, r.output
    assert re.search(r"recruiter\s+key: sk_", r.output)
    ranks = re.findall(r"^\s+(\d+)\.\s+([\d.]+)\s", r.output, re.MULTILINE)
    assert len(ranks) >= 4
    scores = [float(s) for _, s in ranks]
    assert scores == sorted(scores, reverse=True)


def test_demo_twice_reuses_its_keys_and_reset_makes_new_ones(tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("SKILLMATCH_PARSE_WORKERS", "1")
    keys = re.compile(r"(\w+)\s+key: (sk_\S+)")
    first = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    kept = tmp_path / "skillmatch-demo-keys.json"
    assert kept.exists() and (kept.stat().st_mode & 0o077) == 0  # secrets: owner-only
    second = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert dict(keys.findall(second.output)) == dict(keys.findall(first.output))
    assert "not new" in second.output
    reset = CliRunner().invoke(app, ["demo", "--no-serve", "--reset"])
    assert reset.exit_code == 0, reset.output
    new = dict(keys.findall(reset.output))
    assert set(new.values()).isdisjoint(dict(keys.findall(first.output)).values())
    kept.unlink()  # the kept keys are gone: no second set behind the user's back
    lost = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert lost.exit_code == 2 and "--reset" in lost.output


def test_purge_audit_log_keeps_the_retention_period(tmp_path, monkeypatch):
    from datetime import timedelta

    from api.cli import app
    from api.settings import Settings
    from api.state import AppState
    from api.store import events, queries

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'audit.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    state = AppState(Settings())
    with state.sessions() as db:
        t = queries.create_tenant(db, "acme")
        for days in (10, 200, 400):
            ev = events.add_event(db, t.id, "scores_shown", "k", {"items": []})
            ev.at = queries.now() - timedelta(days=days)
        db.commit()
    r = runner.invoke(app, ["purge-audit-log"])
    assert r.exit_code == 0 and r.output.startswith("1 audit events older than 365 days"), r.output
    monkeypatch.setenv("SKILLMATCH_AUDIT_RETENTION_DAYS", "183")
    assert runner.invoke(app, ["purge-audit-log"]).output.startswith("1 audit events older than 183")
    monkeypatch.setenv("SKILLMATCH_AUDIT_RETENTION_DAYS", "30")  # under six months: refused
    r = runner.invoke(app, ["purge-audit-log"])
    assert r.exit_code == 2 and "SKILLMATCH_AUDIT_RETENTION_DAYS" in r.output


def test_retrain_says_why_the_rule_stands(tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'learn.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["create-tenant", "acme"]).exit_code == 0
    r = runner.invoke(app, ["retrain", "--tenant", "acme"])
    assert r.exit_code == 1 and "0 decisions recorded; a learned order needs 20" in r.output
    assert runner.invoke(app, ["retrain", "--tenant", "nope"]).exit_code == 1


@pytest.mark.parametrize(
    ("servers", "env", "cores", "expected"),
    [
        (1, {}, 2, {}),
        (2, {}, 2, {"SKILLMATCH_PARSE_WORKERS": "1"}),
        (2, {}, 8, {"SKILLMATCH_PARSE_WORKERS": "4"}),
        (4, {}, 2, {"SKILLMATCH_PARSE_WORKERS": "1"}),
        (2, {"SKILLMATCH_PARSE_WORKERS": "3"}, 2, {}),
    ],
    ids=["one-server-keeps-default", "two-servers-two-cores", "two-servers-eight-cores", "more-servers-than-cores",
         "explicit-setting-wins"],
)
def test_server_processes_share_the_cores_as_parse_workers(servers, env, cores, expected):
    from api.cli import parse_lanes_for

    assert parse_lanes_for(servers, env, cores) == expected
