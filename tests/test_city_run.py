"""City mode: web workers never run jobs; exactly one scheduler process does (failover: tests/faults)."""

import asyncio
import subprocess
from pathlib import Path

from workstation.jobs import scheduler

ROOT = Path(__file__).resolve().parents[1]


def test_a_web_worker_of_the_city_starts_no_scheduler(monkeypatch):
    monkeypatch.setenv("WORKSTATION_SCHEDULER", "off")
    taken = []
    monkeypatch.setattr(scheduler.SchedulerHolder, "run", lambda self, stop: taken.append(self))
    asyncio.run(asyncio.wait_for(scheduler.run_scheduler_forever(), timeout=5))
    assert taken == []


def test_the_city_command_starts_one_scheduler_and_workers_without_one():
    commands = [line for line in (ROOT / "scripts/run_city.sh").read_text().splitlines()
                if not line.lstrip().startswith(("#", "echo"))]
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts/run_city.sh")]).returncode == 0
    assert sum("python -m workstation.jobs.run" in line for line in commands) == 1
    workers = next(line for line in commands if "reflex run" in line)
    assert "WORKSTATION_SCHEDULER=off" in workers and "WORKSTATION_SKIP_PREPARE=1" in workers
