#!/usr/bin/env bash
# Set up, then run the main job on embedded defaults: parse the bundled sample résumés.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/matcher parse samples/resumes/* --as-of 2026-11-01
