# The README's two commands are `make run` and `make test`. Benchmarks print one JSON object last.
.PHONY: run test test-faults seed bench-queue bench-pickup bench-metrics bench-seed bench-backoffice bench-booking bench-display

run:
	scripts/run.sh

test:
	scripts/test.sh

test-faults:
	scripts/test_faults.sh

seed:
	scripts/setup.sh && . scripts/env.sh && python -m workstation.commands.seed --reset

bench-queue:
	scripts/setup.sh dev && . scripts/env.sh && python scripts/bench_queue.py

bench-pickup:
	scripts/setup.sh && . scripts/env.sh && python scripts/bench_pickup.py

bench-metrics:
	scripts/setup.sh && . scripts/env.sh && python scripts/bench_metrics.py

bench-seed:
	scripts/setup.sh && . scripts/env.sh && python scripts/bench_seed.py

bench-backoffice:
	scripts/setup.sh && . scripts/env.sh && python scripts/bench_backoffice.py

bench-booking:
	scripts/setup.sh && . scripts/env.sh && python scripts/bench_booking.py

bench-display:
	scripts/setup.sh dev && . scripts/env.sh && python scripts/bench_display.py
