#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/web/), which drive /usr/bin/chromium through
# Playwright; no Playwright browser is ever downloaded. Idempotent: nothing to do if it is there.
# Silent on success; on failure apt-get's output is shown and the exit status is non-zero.
# Runs as root (CI) or with sudo.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
fail() { echo "browser.sh: $*" >&2; cat "$LOG" >&2; exit 1; }
$SUDO apt-get update -qq >"$LOG" 2>&1 || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >>"$LOG" 2>&1 \
  || fail "apt-get install chromium failed"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing after installing the chromium package"
# The Debian wrapper script may print a harmless "[: ... unexpected operator" on stderr; only the status counts.
"$CHROMIUM" --version >>"$LOG" 2>&1 || fail "$CHROMIUM --version failed"
