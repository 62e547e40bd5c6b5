"""Each morning: the booking engine's first free online time per office and area, for the lead time.

Taken before the doors open (default 06:00 Berlin), so the figure is "what a citizen searching this
morning was offered". A scheduler that starts later the same day (restart, failover) takes it then
— within the grace period of 12 hours; the record's time says when. Re-running changes nothing: the
first record of an office, area and day stays (see `metrics.lead_time`).
"""

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from workstation import clock
from workstation.config import settings
from workstation.services.metrics import lead_time

log = logging.getLogger(__name__)
JOB_ID = "lead_time_morning"
GRACE_SECONDS = 12 * 3600


def record_lead_times() -> int:
    """Record this morning's first free times of every office; returns the records added."""
    added = lead_time.record()
    log.info("Vorlaufzeit: %d Einträge erfasst", added)
    return added


def register(scheduler: BaseScheduler) -> None:
    """Run every morning at the configured Berlin time."""
    at = settings().lead_time_at
    scheduler.add_job(record_lead_times, CronTrigger(hour=at.hour, minute=at.minute, timezone=clock.BERLIN),
                      id=JOB_ID, replace_existing=True, misfire_grace_time=GRACE_SECONDS)
