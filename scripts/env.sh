# Environment for running Reflex here (sourced by the run and test scripts).
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
