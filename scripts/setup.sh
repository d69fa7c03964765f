#!/usr/bin/env bash
# Create .venv and install the project with its test extras. Idempotent; needs only Python 3.11 + pip.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip setuptools  # the venv's bundled setuptools has known advisories
.venv/bin/python -m pip install --quiet -e ".[test]"
