# The README's two commands are `make run` and `make test`; benchmarks print one JSON object last.
.PHONY: run test seed bench-queue bench-pickup bench-metrics

run:
	scripts/run.sh

test:
	scripts/test.sh

seed:
	scripts/setup.sh && . scripts/env.sh && python -m workstation.commands.seed --reset
