"""The one scheduler of the installation.

APScheduler 3 cannot share a job store between processes, so exactly one process runs the jobs:
whoever holds the scheduler lock (a file lock beside the SQLite database, or a PostgreSQL advisory
lock held on one dedicated connection). Jobs live in the memory job store and are registered at
start; every job is idempotent, so a missed or repeated run changes nothing twice.

Every process that may run jobs (each web worker, or `python -m workstation.jobs.run`) runs
`SchedulerHolder.run`:

- standby: try to take the lock every `scheduler_standby_seconds`;
- holder: start the jobs, run the interval jobs (and a nightly job whose time passed within its
  grace period) once at once, since the previous holder may have died before running them; then
  check every `scheduler_check_seconds` that the lock is still held — on PostgreSQL by asking
  `pg_locks` on the lock's own connection, any error counts as lost. On loss the scheduler is shut
  down without waiting and the process goes back to standby.
- every job run is guarded: a job refuses to start unless this process holds the lock at that
  moment (on PostgreSQL checked live, not from a flag). A run that already started when the lock
  was lost runs to its end; jobs are idempotent, so the next holder repeating it is harmless.
"""

import asyncio
import contextlib
import functools
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from filelock import FileLock, Timeout
from sqlalchemy import text

from workstation import db
from workstation.config import DATA_DIR, settings
from workstation.services.messaging import mail_sink

log = logging.getLogger(__name__)
_PG_SCHEDULER_LOCK = 4_711_2027  # < 2**31: pg_locks shows it as classid 0, objid = the key, objsubid 1

# Test-only observable job: with WORKSTATION_SCHEDULER_HEARTBEAT=<file> every holder appends one line
# "<pid> <term> <start> <end>" (time.time() seconds) per run to that file.
HEARTBEAT_ENV = "WORKSTATION_SCHEDULER_HEARTBEAT"
HEARTBEAT_JOB_ID = "scheduler_heartbeat"


class SchedulerLock:
    """The right to run the jobs; `held()` must be cheap enough to ask before every job run."""

    def try_acquire(self) -> bool:
        raise NotImplementedError

    def held(self) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class PgAdvisoryLock(SchedulerLock):
    """A session-level advisory lock on one dedicated connection (autocommit, never idle in a transaction).

    The lock lives exactly as long as the server session: if the connection is terminated, the
    server releases the lock at once, and `held()` on that connection fails — which counts as lost.
    """

    _HELD_SQL = text(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
        "AND classid = 0 AND objid::bigint = :k AND objsubid = 1"
    )

    def __init__(self, key: int = _PG_SCHEDULER_LOCK) -> None:
        self.key = key
        self._conn = None
        self._guard = threading.Lock()  # the watcher and the job threads share the connection

    def try_acquire(self) -> bool:
        with self._guard:
            try:
                conn = db.engine().connect().execution_options(isolation_level="AUTOCOMMIT")
            except Exception as exc:
                log.warning("scheduler lock: database not reachable: %s", exc.__class__.__name__)
                return False
            try:
                got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
            except Exception as exc:
                log.warning("scheduler lock: %s", exc.__class__.__name__)
                _discard(conn)
                return False
            if not got:
                conn.close()
                return False
            self._conn = conn
            return True

    def held(self) -> bool:
        with self._guard:
            if self._conn is None:
                return False
            try:
                return self._conn.execute(self._HELD_SQL, {"k": self.key}).first() is not None
            except Exception as exc:  # a terminated or broken connection: the server dropped the lock
                log.warning("scheduler lock check failed (%s): lock counts as lost", exc.__class__.__name__)
                _discard(self._conn)
                self._conn = None
                return False

    def release(self) -> None:
        with self._guard:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                conn.close()
            except Exception:
                _discard(conn)


def _discard(conn) -> None:
    """Drop a connection that must not go back to the pool (it may still hold the lock, or be dead)."""
    with contextlib.suppress(Exception):
        conn.invalidate()
    with contextlib.suppress(Exception):
        conn.close()


class FileSchedulerLock(SchedulerLock):
    """A file lock beside the SQLite database; the operating system releases it when the process dies."""

    def __init__(self) -> None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(DATA_DIR / "scheduler.lock"))
        self._mine = False

    def try_acquire(self) -> bool:
        if self._mine:
            return True
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        self._mine = True
        return True

    def held(self) -> bool:
        # Not `FileLock.is_locked`: filelock keeps that per thread, and jobs ask from their own threads.
        # The operating system's lock stays ours until we release it or the process ends.
        return self._mine

    def release(self) -> None:
        if self._mine:
            self._mine = False
            self._lock.release()


def make_lock() -> SchedulerLock:
    """The lock that fits the configured database."""
    if settings().db_url.startswith("postgresql"):
        return PgAdvisoryLock()
    return FileSchedulerLock()


@contextlib.contextmanager
def _scheduler_lock():
    """Yield True if this process may run the scheduler, False if another one already does."""
    lock = make_lock()
    got = lock.try_acquire()
    try:
        yield got
    finally:
        if got:
            lock.release()


def _guarded(fn: Callable, job_id: str, may_run: Callable[[], bool]) -> Callable:
    """A job function that refuses to start unless this process holds the scheduler lock right now."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if not may_run():
            log.warning("job %s not started: this process does not hold the scheduler lock", job_id)
            return None
        log.debug("job %s runs", job_id)
        return fn(*args, **kwargs)

    return run


def build_scheduler(may_run: Callable[[], bool] | None = None, term: int = 0) -> BackgroundScheduler:
    """A scheduler with every job module's jobs registered (not started).

    With `may_run`, every job is wrapped so that it starts only while `may_run()` is true.
    """
    scheduler = BackgroundScheduler(timezone="Europe/Berlin", job_defaults={"coalesce": True, "max_instances": 1})
    for register in _job_registrations():
        register(scheduler)
    if os.environ.get(HEARTBEAT_ENV):
        _register_heartbeat(scheduler, term)
    if may_run is not None:
        for job in scheduler.get_jobs():
            job.modify(func=_guarded(job.func, job.id, may_run))
    return scheduler


def _job_registrations() -> list:
    from workstation.jobs import booking_jobs, lead_time_job, metrics_job, pickup_jobs, retention_job

    return [pickup_jobs.register, metrics_job.register, retention_job.register, booking_jobs.register,
            lead_time_job.register]


def _register_heartbeat(scheduler: BackgroundScheduler, term: int) -> None:
    path = os.environ[HEARTBEAT_ENV]
    every = float(os.environ.get("WORKSTATION_SCHEDULER_HEARTBEAT_SECONDS", "1"))
    busy = float(os.environ.get("WORKSTATION_SCHEDULER_HEARTBEAT_BUSY", "0.2"))

    def heartbeat() -> None:
        started = time.time()
        time.sleep(busy)  # a job that takes a moment, so two schedulers' runs would overlap
        line = f"{os.getpid()} {term} {started:.3f} {time.time():.3f}\n"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    scheduler.add_job(heartbeat, IntervalTrigger(seconds=every), id=HEARTBEAT_JOB_ID, max_instances=1,
                      coalesce=True, replace_existing=True)


def _catch_up(scheduler: BackgroundScheduler, now: datetime) -> None:
    """A new holder does at once what the previous one may have missed: every interval job, and a
    timed job whose last time lies within its misfire grace period (all jobs are idempotent)."""
    for job in scheduler.get_jobs():
        if isinstance(job.trigger, IntervalTrigger):
            job.modify(next_run_time=now)
            continue
        grace = job.misfire_grace_time
        if grace:
            last = job.trigger.get_next_fire_time(None, now - timedelta(seconds=grace))
            if last is not None and last <= now:
                job.modify(next_run_time=now)


class SchedulerHolder:
    """Standby until the lock is free, then run the jobs while it is held; see the module docstring."""

    def __init__(self, *, check_seconds: float | None = None, standby_seconds: float | None = None,
                 lock_factory: Callable[[], SchedulerLock] = make_lock, with_mail_sink: bool = True) -> None:
        conf = settings()
        self.check_seconds = check_seconds if check_seconds is not None else conf.scheduler_check_seconds
        self.standby_seconds = standby_seconds if standby_seconds is not None else conf.scheduler_standby_seconds
        self.lock_factory = lock_factory
        self.with_mail_sink = with_mail_sink
        self.term = 0  # how often this process took the lock
        self.holding = threading.Event()

    def run(self, stop: threading.Event) -> None:
        """Alternate between standby and holding until `stop` is set; releases everything on return."""
        log.info("scheduler standby (pid %s)", os.getpid())
        while not stop.is_set():
            lock = self.lock_factory()
            if lock.try_acquire():
                try:
                    self._hold(lock, stop)
                finally:
                    lock.release()
            stop.wait(self.standby_seconds)

    def _hold(self, lock: SchedulerLock, stop: threading.Event) -> None:
        self.term += 1
        scheduler = build_scheduler(lock.held, self.term)
        sink = mail_sink.start_if_embedded() if self.with_mail_sink else None
        scheduler.start(paused=True)
        _catch_up(scheduler, datetime.now(scheduler.timezone))
        scheduler.resume()
        self.holding.set()
        log.info("scheduler holds the lock (pid %s, term %s) and runs %d jobs", os.getpid(), self.term,
                 len(scheduler.get_jobs()))
        try:
            while not stop.wait(self.check_seconds):
                if not lock.held():
                    log.warning("scheduler lock lost (pid %s, term %s): jobs stopped, back to standby",
                                os.getpid(), self.term)
                    return
        finally:
            self.holding.clear()
            scheduler.shutdown(wait=False)
            mail_sink.stop(sink)
            if stop.is_set():
                log.info("scheduler stopped (pid %s)", os.getpid())


async def run_scheduler_forever() -> None:
    """Lifespan task of the web app: standby, and run the jobs while this process holds the lock.

    On the embedded default (no SMTP server configured) the holder also runs the local mail sink,
    so a new user sees the citizens' mails on the Postausgang page. `WORKSTATION_SCHEDULER=off`
    (end-to-end tests) leaves both off so nothing runs behind a test's back.
    """
    if os.environ.get("WORKSTATION_SCHEDULER") == "off":
        return
    stop = threading.Event()
    thread = threading.Thread(target=SchedulerHolder().run, args=(stop,), name="scheduler-holder", daemon=True)
    thread.start()
    try:
        await asyncio.Event().wait()
    finally:
        stop.set()
        await asyncio.to_thread(thread.join, 10)


def main() -> None:
    """`python -m workstation.jobs.run`: only the scheduler, until SIGTERM or SIGINT."""
    logging.basicConfig(level=os.environ.get("WORKSTATION_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        log.info("signal %s: stopping the scheduler", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    SchedulerHolder().run(stop)
