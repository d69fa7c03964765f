#!/usr/bin/env bash
# Install what the benches need beyond the Python packages (idempotent): wrk, the C HTTP load generator
# that bench/bench_serving.py drives (a Python load generator on the same cores takes the CPU the server
# needs). Runs as root (CI) or with sudo.
#
#     bash scripts/bench_tools.sh
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench_tools.sh: installing wrk (apt-get)" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2
fi
wrk --version 2>&1 | head -1 >&2 || true
