"""The scheduler under faults on PostgreSQL: exactly one process runs the jobs, and one always does.

Each scenario starts real `python -m workstation.jobs.run` processes against a fresh test database,
with short lock checks and the test-only heartbeat job (WORKSTATION_SCHEDULER_HEARTBEAT): every run
appends "<pid> <term> <start> <end>" to a file. A (pid, term) is one holding period of one process;
`schedulers_running_max` is the largest number of holding periods whose job runs overlap in time.
"""

import itertools
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.faults.conftest import fault_reps
from workstation import clock
from workstation.config import PROJECT_ROOT
from workstation.jobs import scheduler

WAIT = 45.0  # generous bound for a process to start and take over on a busy machine
TICK = 0.4


@pytest.fixture
def spawn(pg_db, tmp_path):
    """Start scheduler processes on the test database; all are killed at teardown, whatever happened."""
    procs: list[subprocess.Popen] = []
    beats = tmp_path / "heartbeat.log"
    metrics_at = (clock.to_local(clock.now()) + timedelta(hours=12)).strftime("%H:%M")
    env = {
        **os.environ,
        "REFLEX_DB_URL": pg_db,
        "WORKSTATION_DATA_DIR": str(tmp_path / "data"),
        "WORKSTATION_SMTP_HOST": "127.0.0.1",  # no embedded mail sink in these processes
        "WORKSTATION_METRICS_AT": metrics_at,  # the nightly job stays out of the window
        "WORKSTATION_SCHEDULER_CHECK_SECONDS": "0.5",
        "WORKSTATION_SCHEDULER_STANDBY_SECONDS": "0.5",
        "WORKSTATION_SCHEDULER_HEARTBEAT": str(beats),
        "WORKSTATION_SCHEDULER_HEARTBEAT_SECONDS": str(TICK),
        "WORKSTATION_SCHEDULER_HEARTBEAT_BUSY": "0.2",
    }

    def start(name: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "workstation.jobs.run"], cwd=PROJECT_ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    start.beats = beats
    start.logs = tmp_path
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _runs(beats: Path) -> list[tuple[int, int, float, float]]:
    if not beats.exists():
        return []
    rows = []
    for line in beats.read_text().splitlines():
        pid, term, start, end = line.split()
        rows.append((int(pid), int(term), float(start), float(end)))
    return rows


def _wait_for(condition, what: str, logs: Path):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tails = {p.name: p.read_text()[-2000:] for p in logs.glob("*.log") if p.name != "heartbeat.log"}
    raise AssertionError(f"not within {WAIT}s: {what}; logs: {tails}")


def _running_max(runs) -> int:
    """Largest number of holding periods (pid, term) whose job runs overlap: each period spans from
    its first run's start to its last run's end."""
    spans: dict[tuple[int, int], list[float]] = defaultdict(lambda: [float("inf"), 0.0])
    for pid, term, start, end in runs:
        span = spans[(pid, term)]
        span[0], span[1] = min(span[0], start), max(span[1], end)
    edges = sorted([(s, 1) for s, _ in spans.values()] + [(e, -1) for _, e in spans.values()],
                   key=lambda edge: (edge[0], edge[1]))
    running = best = 0
    for _, step in edges:
        running += step
        best = max(best, running)
    return best


def _lock_backends(db_url: str) -> list[int]:
    """Server pids of the sessions that hold the scheduler's advisory lock in this database."""
    eng = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            return list(conn.execute(text(
                "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objid::bigint = :k "
                "AND d.datname = current_database()"), {"k": scheduler._PG_SCHEDULER_LOCK}).scalars())
    finally:
        eng.dispose()


def _terminate(db_url: str, backend_pid: int) -> None:
    eng = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": backend_pid})
    finally:
        eng.dispose()


def _ticks_after(beats: Path, moment: float, pids=None) -> list:
    return [r for r in _runs(beats) if r[2] > moment and (pids is None or r[0] in pids)]


def test_scheduler_lock_terminated(spawn, pg_db, fault_report):
    for _ in range(fault_reps(1)):
        _lock_terminated_once(spawn, pg_db, fault_report)


def _lock_terminated_once(spawn, pg_db, fault_report) -> None:
    first = spawn("first")
    _wait_for(lambda: [r for r in _runs(spawn.beats) if r[0] == first.pid], "first process runs jobs",
              spawn.logs)
    backends = _wait_for(lambda: _lock_backends(pg_db), "the lock is held", spawn.logs)
    assert len(backends) == 1
    terminated_at = time.time()
    _terminate(pg_db, backends[0])
    second = spawn("second")
    # jobs go on (in whichever process took the lock again) and the second process is up
    _wait_for(lambda: len(_ticks_after(spawn.beats, terminated_at)) >= 3, "jobs run again", spawn.logs)
    _wait_for(lambda: "scheduler standby" in (spawn.logs / "second.log").read_text() or
              _ticks_after(spawn.beats, terminated_at, {second.pid}), "second process started", spawn.logs)
    _wait_for(lambda: "scheduler lock lost" in (spawn.logs / "first.log").read_text(),
              "the first process noticed the loss", spawn.logs)
    time.sleep(6 * TICK)
    runs = _runs(spawn.beats)
    running_max = _running_max(runs)
    late = [r for r in runs if r[0] == first.pid and r[1] == 1 and r[2] > terminated_at + 0.05]
    fault_report("scheduler_lock_terminated", schedulers_running_max=running_max,
                 runs_after_loss_in_lost_term=len(late), runs=len(runs))
    assert late == [], "a job started in a holding period whose lock was already gone"
    assert running_max == 1
    assert len(_lock_backends(pg_db)) == 1
    for proc in (first, second):
        proc.send_signal(signal.SIGTERM)
    for proc in (first, second):
        assert proc.wait(timeout=WAIT) == 0
    spawn.beats.unlink(missing_ok=True)


def test_scheduler_kill9(spawn, pg_db, fault_report):
    for _ in range(fault_reps(1)):
        _kill9_once(spawn, fault_report)


def _kill9_once(spawn, fault_report) -> None:
    holder = spawn("holder")
    _wait_for(lambda: len([r for r in _runs(spawn.beats) if r[0] == holder.pid]) >= 2, "holder runs jobs",
              spawn.logs)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    killed_at = time.time()
    last_old = max(r[3] for r in _runs(spawn.beats) if r[0] == holder.pid)
    b, c = spawn("b"), spawn("c")
    new = _wait_for(lambda: _ticks_after(spawn.beats, killed_at, {b.pid, c.pid}), "a standby takes over",
                    spawn.logs)
    takeover = min(r[2] for r in new) - killed_at
    time.sleep(8 * TICK)
    after = _ticks_after(spawn.beats, killed_at)
    runs = _runs(spawn.beats)
    running_max = _running_max(runs)
    takers = {r[0] for r in after}
    gaps = sorted(r[2] for r in after)
    fault_report("scheduler_kill9", schedulers_running_max=running_max, takeover_seconds_max=round(takeover, 2),
                 takers_max=len(takers), ticks_after_takeover=len(after))
    assert running_max == 1
    assert len(takers) == 1, f"both standbys ran jobs: {takers}"
    assert len(after) >= 4, "the job did not keep running after the takeover"
    assert max(later - earlier for earlier, later in itertools.pairwise(gaps)) < 5 * TICK + 2, "ticks were missed"
    assert last_old < min(gaps)
    for proc in (b, c):
        proc.send_signal(signal.SIGTERM)
    for proc in (b, c):
        assert proc.wait(timeout=WAIT) == 0
    spawn.beats.unlink(missing_ok=True)


def test_heartbeat_is_not_registered_without_its_setting(monkeypatch):
    monkeypatch.delenv(scheduler.HEARTBEAT_ENV, raising=False)
    ids = {job.id for job in scheduler.build_scheduler().get_jobs()}
    assert scheduler.HEARTBEAT_JOB_ID not in ids
