#!/usr/bin/env bash
# Set up, then run every test: the engine tests, the API tests twice (SQLite and a real PostgreSQL
# that scripts/postgres.sh installs from Debian's packages and starts) and the browser tests (Debian's
# Chromium, installed by scripts/browser.sh) and the Spark batch tests (the spark extra and Debian's Java 17,
# scripts/java.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install --quiet -e ".[test,spark]"   # PySpark for tests/batch (the spark extra)
bash scripts/java.sh                     # Debian's Java 17 for Spark (tests/batch)
bash scripts/audit.sh                    # dependency audit: a known vulnerability fails the run (exit 1)
bash scripts/browser.sh                  # Debian's Chromium for tests/web (Playwright drives it; no download)
PG_EXPORT=$(bash scripts/postgres.sh)   # installs/starts PostgreSQL; a failure stops the script (set -e)
eval "$PG_EXPORT"                        # exports SKILLMATCH_TEST_POSTGRES_URL
.venv/bin/python -m pytest -n 2 --dist loadgroup -q "$@"   # loadgroup: the browser tests share one server
