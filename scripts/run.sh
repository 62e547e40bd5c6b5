#!/usr/bin/env bash
# One command to run the workstation: installs what is missing, prepares the SQLite database with the
# demo office on first start, and serves the app (production build) at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
python -m workstation.commands.prepare
exec reflex run --env prod "$@"
