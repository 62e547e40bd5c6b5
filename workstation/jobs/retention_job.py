"""Nightly retention run (Löschfristen, docs/data-protection.md): erase what is due, log what was done.

The run itself is idempotent and commits batch by batch, so a missed night, a repeated run or a run
cut short by a restart changes nothing twice; the next run finishes the rest.
"""

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from workstation import clock
from workstation.config import settings
from workstation.services.privacy import retention

log = logging.getLogger(__name__)
JOB_ID = "retention_nightly"


def run_nightly() -> retention.RetentionReport:
    """Apply the retention table once; the report (rows per rule) goes to the log and to RetentionRun."""
    try:
        report = retention.run()
    except Exception:
        log.exception("Löschlauf abgebrochen; der nächste Lauf setzt fort")
        raise
    log.info("%s (%d Datensätze)", report, report.total)
    return report


def register(scheduler: BaseScheduler) -> None:
    """Run nightly at the configured Berlin time (default 02:30, after the controlling figures at 01:30)."""
    at = settings().retention_job_at
    scheduler.add_job(run_nightly, CronTrigger(hour=at.hour, minute=at.minute, timezone=clock.BERLIN), id=JOB_ID,
                      replace_existing=True, misfire_grace_time=6 * 3600, max_instances=1, coalesce=True)
