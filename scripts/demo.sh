#!/usr/bin/env bash
# Set up, then run the main job on embedded defaults: parse the bundled sample résumés and rank
# them for the sample role (the ML-engineer job page the project started from).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/matcher parse samples/resumes/* --as-of 2026-11-01
.venv/bin/matcher rank --role samples/roles/ml-engineer-job-page.txt samples/resumes/* --as-of 2026-11-01
