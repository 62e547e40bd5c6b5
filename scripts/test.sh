#!/usr/bin/env bash
# One command to run every test: installs what is missing (venv with test tools, bun, Debian's chromium,
# PostgreSQL and Redis for the concurrency and multi-worker tests), then ruff and pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
# Debian's chromium for the browser tests; the sqlite3 tool for the metrics' fast read path.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null || true
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
scripts/services.sh
source scripts/env.sh
echo "==> ruff"
ruff check .
echo "==> pytest"
exec python -m pytest -rs "$@"
