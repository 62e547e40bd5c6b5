#!/usr/bin/env bash
# One command to run every test: installs what is missing (venv with test tools, bun, Debian's chromium,
# PostgreSQL and Redis for the concurrency and multi-worker tests), then ruff and pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
if ! command -v chromium >/dev/null; then
  echo "==> installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null || true
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
scripts/services.sh
source scripts/env.sh
echo "==> ruff"
ruff check .
echo "==> pytest"
exec python -m pytest -rs "$@"
