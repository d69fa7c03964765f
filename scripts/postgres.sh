#!/usr/bin/env bash
# Install PostgreSQL if missing (Debian package), start a cluster on localhost, create the test user and
# database, and print the URL as an export line on stdout (everything else goes to stderr):
#
#     eval "$(bash scripts/postgres.sh)"    # sets SKILLMATCH_TEST_POSTGRES_URL
#
# Idempotent: re-running finds the cluster running and the user/db present. Runs as root (CI) or
# with sudo. Settings: SKILLMATCH_PG_USER / SKILLMATCH_PG_PASSWORD / SKILLMATCH_PG_DB.
set -euo pipefail
PG_USER=${SKILLMATCH_PG_USER:-skillmatch}
PG_PASSWORD=${SKILLMATCH_PG_PASSWORD:-skillmatch}
PG_DB=${SKILLMATCH_PG_DB:-skillmatch_test}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
log() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  log "installing postgresql (apt-get)"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  log "creating cluster $VERSION/main"
  $SUDO pg_createcluster "$VERSION" main >&2
fi
STATUS=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}')
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')
if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/main on port $PORT"
  $SUDO pg_ctlcluster "$VERSION" main start >&2
fi
for _ in $(seq 1 60); do
  if pg_isready -q -h localhost -p "$PORT"; then break; fi
  sleep 0.5
done
pg_isready -h localhost -p "$PORT" >&2

as_postgres() { $SUDO runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$PORT" "$@"; }
if [ "$(as_postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != "1" ]; then
  log "creating user $PG_USER"
  as_postgres -c "CREATE ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD' CREATEDB" >&2
fi
if [ "$(as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  as_postgres -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >&2
fi
echo "export SKILLMATCH_TEST_POSTGRES_URL=postgresql+psycopg://$PG_USER:$PG_PASSWORD@localhost:$PORT/$PG_DB"
