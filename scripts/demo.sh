#!/usr/bin/env bash
# Set up, then run the main job on embedded defaults (SQLite file, bundled taxonomy, sample data):
# seed a demo tenant with the sample roles and résumés, print its API keys and a ranked list, and
# serve the API on http://127.0.0.1:8000 (OpenAPI docs at /docs). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/skillmatch-api demo "$@"
