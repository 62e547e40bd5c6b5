#!/usr/bin/env bash
# City mode on one machine: PostgreSQL and Redis, the migrations once, several web workers that never
# run jobs, and exactly one scheduler process (`python -m workstation.jobs.run`). Ctrl-C stops it all.
#
#   make run-city                      # 4 web workers on http://localhost:3000, database workstation_city
#   GRANIAN_WORKERS=8 make run-city    # more workers
#   REFLEX_DB_URL=postgresql+psycopg://user@db:5432/city REFLEX_REDIS_URL=redis://cache:6379/0 make run-city
#
# An empty database gets the demo city (`make seed-city`); see docs/deployment.md for real servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
if [ -z "${REFLEX_DB_URL:-}" ] || [ -z "${REFLEX_REDIS_URL:-}" ]; then
  scripts/services.sh  # local PostgreSQL and Redis, started (or installed) when missing
fi
city_db=${CITY_DATABASE:-workstation_city}
if [ -z "${REFLEX_DB_URL:-}" ]; then
  psql -h 127.0.0.1 -U postgres -Atqc "select 1 from pg_database where datname='$city_db'" | grep -q 1 || \
    psql -h 127.0.0.1 -U postgres -qc "create database $city_db"
  export REFLEX_DB_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$city_db"
fi
export REFLEX_REDIS_URL=${REFLEX_REDIS_URL:-redis://127.0.0.1:6379/1}
export GRANIAN_WORKERS=${GRANIAN_WORKERS:-4}

# 1. The migrations, once, before any worker starts; an empty database gets the demo city.
python -m workstation.commands.seed --city 2>/dev/null || echo "==> database already holds offices: kept as it is"
demo_now=$(python -m workstation.commands.prepare --demo-clock | sed -n 's/^WORKSTATION_NOW=//p')
if [ -n "$demo_now" ]; then
  export WORKSTATION_NOW="$demo_now" WORKSTATION_DEMO_CLOCK=on
  echo "==> Demo-Uhr: Die Workstation läuft ab $demo_now (WORKSTATION_DEMO_CLOCK=off für die echte Uhr)."
fi

# 2. Exactly one scheduler, in its own process (it stands by if another holds the PostgreSQL lock).
python -m workstation.jobs.run &
scheduler_pid=$!
trap 'kill -TERM "$scheduler_pid" 2>/dev/null; wait "$scheduler_pid" 2>/dev/null || true' EXIT
echo "==> scheduler process $scheduler_pid"

# 3. The web workers: no jobs (WORKSTATION_SCHEDULER=off), no start-up work of their own (done in 1.).
echo "==> $GRANIAN_WORKERS web workers, state in $REFLEX_REDIS_URL"
WORKSTATION_SCHEDULER=off WORKSTATION_SKIP_PREPARE=1 reflex run --env prod "$@"
