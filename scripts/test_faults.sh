#!/usr/bin/env bash
# The long fault run: every scenario of tests/faults with more repetitions; prints one JSON object last
# with, per scenario, expected/delivered/duplicates/lost (summed over repetitions) and schedulers_running_max.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
scripts/services.sh
source scripts/env.sh
report=$(mktemp)
trap 'rm -f "$report"' EXIT
WORKSTATION_FAULT_REPS=${WORKSTATION_FAULT_REPS:-5} WORKSTATION_FAULT_REPORT=$report \
  python -m pytest -q -p no:cacheprovider tests/faults "$@"
python scripts/fault_summary.py "$report"
