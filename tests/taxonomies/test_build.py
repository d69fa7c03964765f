"""The bundled taxonomy is reproducible from the repo alone: the build over the vendored sources
(``taxonomies/sources``) gives ``skills.json`` byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_build_from_the_vendored_sources_reproduces_skills_json(tmp_path):
    out = tmp_path / "skills.json"
    r = subprocess.run([sys.executable, "-m", "taxonomies.build", "--out", str(out)], cwd=REPO, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.read_bytes() == (REPO / "taxonomies" / "skills.json").read_bytes()


def test_the_build_refuses_a_data_folder_missing_an_input(tmp_path):
    r = subprocess.run([sys.executable, "-m", "taxonomies.build", "--data", str(tmp_path), "--out",
                        str(tmp_path / "x.json")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and not (tmp_path / "x.json").exists()
