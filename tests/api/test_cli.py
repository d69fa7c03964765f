"""The CLI: tenants and keys, and the demo (seeds, prints keys and a ranked list)."""

from __future__ import annotations

import re

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
