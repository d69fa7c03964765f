#!/usr/bin/env bash
# Install Debian's Java 17 runtime for the Spark batch jobs (matcher batch, tests/batch/), the way
# scripts/postgres.sh installs PostgreSQL. Idempotent: nothing to do if a Java 17+ is on PATH.
# A Debian release without openjdk-17 gets default-jre-headless (Spark 4 runs on Java 17 and 21).
# apt-get's output goes to stderr; a failure exits non-zero. Runs as root (CI) or with sudo.
set -euo pipefail
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
has_java() { command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] 2>/dev/null; }
if has_java; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "java.sh: installing openjdk-17-jre-headless (apt-get)" >&2
$SUDO apt-get update -qq >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq openjdk-17-jre-headless >&2 || $SUDO apt-get install -y -qq default-jre-headless >&2
has_java || { echo "java.sh: no Java 17+ on PATH after apt-get: $(java -version 2>&1 | head -1)" >&2; exit 1; }
