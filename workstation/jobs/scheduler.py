"""The one scheduler of the installation.

APScheduler 3 cannot share a job store between processes, so exactly one process runs the jobs:
whoever holds the scheduler lock (a file lock beside the SQLite database, or a PostgreSQL advisory
lock). Jobs live in the memory job store and are registered at start; every job is idempotent, so a
missed or repeated run changes nothing twice.
"""

import asyncio
import contextlib
import logging
import os

from apscheduler.schedulers.background import BackgroundScheduler
from filelock import FileLock, Timeout
from sqlalchemy import text

from workstation import db
from workstation.config import DATA_DIR, settings
from workstation.services.messaging import mail_sink

log = logging.getLogger(__name__)
_PG_SCHEDULER_LOCK = 4_711_2027


def build_scheduler() -> BackgroundScheduler:
    """A scheduler with every job module's jobs registered (not started)."""
    scheduler = BackgroundScheduler(timezone="Europe/Berlin", job_defaults={"coalesce": True, "max_instances": 1})
    for register in _job_registrations():
        register(scheduler)
    return scheduler


def _job_registrations() -> list:
    from workstation.jobs import metrics_job, pickup_jobs, retention_job

    return [pickup_jobs.register, metrics_job.register, retention_job.register]


@contextlib.contextmanager
def _scheduler_lock():
    """Yield True if this process may run the scheduler, False if another one already does."""
    if settings().db_url.startswith("postgresql"):
        with db.engine().connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_SCHEDULER_LOCK}).scalar()
            conn.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_SCHEDULER_LOCK})
                    conn.commit()
        return
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(DATA_DIR / "scheduler.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


async def run_scheduler_forever() -> None:
    """Lifespan task of the web app: run the jobs while this process holds the lock.

    On the embedded default (no SMTP server configured) the same process runs the local mail sink,
    so a new user sees the citizens' mails on the Postausgang page. `WORKSTATION_SCHEDULER=off`
    (end-to-end tests) leaves both off so nothing runs behind a test's back.
    """
    if os.environ.get("WORKSTATION_SCHEDULER") == "off":
        return
    with _scheduler_lock() as owner:
        if not owner:
            log.info("scheduler runs in another process")
            return
        sink = mail_sink.start_if_embedded()
        scheduler = build_scheduler()
        scheduler.start()
        log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
        try:
            await asyncio.Event().wait()
        finally:
            scheduler.shutdown(wait=False)
            mail_sink.stop(sink)
