#!/usr/bin/env bash
# One command to run the workstation: installs what is missing, prepares the SQLite database with the
# demo office on first start, and serves the app (production build) at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
demo_now=$(python -m workstation.commands.prepare --demo-clock | sed -n 's/^WORKSTATION_NOW=//p')
if [ -n "$demo_now" ]; then
  # Outside the demo day's morning the README's story would not work: the server's clock starts at 07:55.
  export WORKSTATION_NOW="$demo_now" WORKSTATION_DEMO_CLOCK=on
  echo "==> Demo-Uhr: Die Workstation läuft ab $demo_now (WORKSTATION_DEMO_CLOCK=off für die echte Uhr)."
fi
exec reflex run --env prod "$@"
