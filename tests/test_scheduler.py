"""Exactly one process runs the scheduled jobs."""

import threading
import time

from sqlalchemy import text

from workstation import db
from workstation.jobs import booking_jobs, metrics_job, scheduler


def test_only_the_first_holder_of_the_lock_runs_the_jobs(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setattr(scheduler, "DATA_DIR", tmp_path)
    with scheduler._scheduler_lock() as first, scheduler._scheduler_lock() as second:
        assert (first, second) == (True, False)
    with scheduler._scheduler_lock() as again:
        assert again is True


def test_postgres_advisory_lock_admits_one_holder(pg_db):
    with scheduler._scheduler_lock() as first, scheduler._scheduler_lock() as second:
        assert (first, second) == (True, False)


def test_every_job_module_is_registered():
    ids = {job.id for job in scheduler.build_scheduler().get_jobs()}
    assert {"pickup_ingest_inbox", "pickup_send_outbox", "pickup_deadlines", metrics_job.JOB_ID,
            booking_jobs.REMINDER_JOB_ID, booking_jobs.CLEAR_JOB_ID} <= ids


def test_a_job_refuses_to_start_without_the_lock():
    ran = []
    job = scheduler._guarded(lambda: ran.append(1), "x", lambda: False)
    assert job() is None and ran == []
    assert scheduler._guarded(lambda: ran.append(1) or "done", "x", lambda: True)() == "done"


class _FakeLock(scheduler.SchedulerLock):
    def __init__(self, state: dict) -> None:
        self.state = state

    def try_acquire(self) -> bool:
        if self.state["free"]:
            self.state["free"], self.state["held"] = False, True
            self.state["acquired"] += 1
            return True
        return False

    def held(self) -> bool:
        return self.state["held"]

    def release(self) -> None:
        self.state["held"], self.state["free"] = False, True


def test_the_holder_stops_its_jobs_when_the_lock_is_lost_and_takes_it_again(tmp_path, monkeypatch):
    monkeypatch.setattr(scheduler, "_job_registrations", lambda: [])
    beats = tmp_path / "beats"
    monkeypatch.setenv(scheduler.HEARTBEAT_ENV, str(beats))
    monkeypatch.setenv("WORKSTATION_SCHEDULER_HEARTBEAT_SECONDS", "0.1")
    monkeypatch.setenv("WORKSTATION_SCHEDULER_HEARTBEAT_BUSY", "0")
    state = {"free": True, "held": False, "acquired": 0}
    holder = scheduler.SchedulerHolder(check_seconds=0.05, standby_seconds=0.05,
                                       lock_factory=lambda: _FakeLock(state), with_mail_sink=False)
    stop = threading.Event()
    thread = threading.Thread(target=holder.run, args=(stop,))
    thread.start()
    try:
        assert holder.holding.wait(10)
        _wait(lambda: beats.exists() and beats.read_text().strip())
        state["held"] = False  # lost (e.g. the connection was terminated); not free for us until released
        _wait(lambda: not holder.holding.is_set())
        lost_at = time.time()
        _wait(lambda: state["acquired"] == 2)  # released on loss, then taken again from standby
        _wait(lambda: holder.holding.is_set())
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    runs = [line.split() for line in beats.read_text().splitlines()]
    assert not [r for r in runs if r[1] == "1" and float(r[2]) > lost_at]
    assert {r[1] for r in runs} <= {"1", "2"}


def _wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_postgres_lock_counts_as_lost_when_its_connection_is_terminated(pg_db):
    lock = scheduler.PgAdvisoryLock()
    assert lock.try_acquire() and lock.held()
    with db.engine().connect() as conn:
        pid = conn.execute(text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = :k"),
                           {"k": scheduler._PG_SCHEDULER_LOCK}).scalar_one()
        conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        conn.commit()
    assert lock.held() is False
    other = scheduler.PgAdvisoryLock()
    assert other.try_acquire()
    other.release()
    lock.release()


def test_file_lock_counts_as_held_from_the_job_threads(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setattr(scheduler, "DATA_DIR", tmp_path)
    lock = scheduler.FileSchedulerLock()
    assert lock.try_acquire()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(lock.held()))
    thread.start()
    thread.join()
    lock.release()
    assert seen == [True] and lock.held() is False
