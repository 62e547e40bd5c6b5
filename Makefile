# The README's two commands are `make run` and `make test`. Benchmarks print one JSON object last.
.PHONY: run run-city test test-faults seed seed-city bench-queue bench-pickup bench-metrics bench-seed bench-backoffice bench-booking bench-display bench-city

run:
	scripts/run.sh

run-city:
	scripts/run_city.sh

test:
	scripts/test.sh

test-faults:
	scripts/test_faults.sh

seed:
	scripts/setup.sh && . scripts/env.sh && python -m workstation.commands.seed --reset $(SEED_ARGS)

seed-city:
	$(MAKE) seed SEED_ARGS=--city

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

bench-city:
	scripts/setup.sh dev && scripts/services.sh && . scripts/env.sh && python scripts/bench_city.py
