#!/usr/bin/env bash
# Install Debian's Java 17 runtime for the Spark batch jobs (matcher batch, tests/batch/), as
# scripts/postgres.sh does for PostgreSQL. Idempotent: nothing to do if a Java 17+ is on PATH.
# (Debian releases without openjdk-17 get default-jre-headless: Spark 4 runs on Java 17 and 21.)
# Silent on success; on failure apt-get's output is shown and the exit status is non-zero.
# Runs as root (CI) or with sudo.
set -euo pipefail
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] 2>/dev/null; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
fail() { echo "java.sh: $*" >&2; cat "$LOG" >&2; exit 1; }
$SUDO apt-get update -qq >"$LOG" 2>&1 || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >>"$LOG" 2>&1 \
  || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >>"$LOG" 2>&1 \
  || fail "apt-get install openjdk-17-jre-headless failed"
command -v java >/dev/null 2>&1 || fail "java is missing after installing openjdk-17-jre-headless"
[ "$(java_major)" -ge 17 ] || fail "java on PATH is not Java 17+: $(java -version 2>&1 | head -1)"
