"""The fault suite: every scenario counts what a citizen or an advisor would notice.

`make test` runs each scenario once, short; `make test-faults` (scripts/test_faults.sh) sets
`WORKSTATION_FAULT_REPS` for more repetitions and `WORKSTATION_FAULT_REPORT` to a JSON-lines file
that collects one line per scenario run; the script prints them merged as one JSON object last.
"""

import json
import os
from pathlib import Path

import pytest


def fault_reps(short: int = 1) -> int:
    """How often a scenario repeats: `short` in `make test`, more in `make test-faults`."""
    return max(short, int(os.environ.get("WORKSTATION_FAULT_REPS", short)))


@pytest.fixture
def fault_report():
    """Record a scenario's figures, e.g. `fault_report("greylist_rcpt", expected=…, delivered=…, duplicates=…,
    lost=…)`; written to `WORKSTATION_FAULT_REPORT` when that is set."""

    def record(scenario: str, **figures) -> None:
        path = os.environ.get("WORKSTATION_FAULT_REPORT")
        if path:
            with Path(path).open("a", encoding="utf-8") as out:
                out.write(json.dumps({"scenario": scenario, **figures}) + "\n")
        print(f"fault scenario {scenario}: {json.dumps(figures)}")

    return record
