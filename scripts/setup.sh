#!/usr/bin/env bash
# Installs what is missing for running the app: Python venv with pinned packages, bun 1.4.4.
# Idempotent: a second run only checks. Usage: scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'

req=requirements.txt
[ "${1:-}" = dev ] && req=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)-$(basename "$req")
if [ ! -f "$stamp" ]; then
  echo "==> installing Python packages ($req)"
  .venv/bin/pip install -q --disable-pip-version-check -r "$req"
  touch "$stamp"
fi

# Reflex 0.10.1 needs Node >= 22.22 for npm; bun from the npm registry works with the machine's Node.
if [ ! -x .tools/node_modules/.bin/bun ]; then
  echo "==> installing bun 1.4.4 into .tools"
  command -v npm >/dev/null || { echo "npm is required (apt-get install nodejs npm)"; exit 1; }
  npm install --prefix .tools --no-audit --no-fund bun@1.4.4 >/dev/null
fi
