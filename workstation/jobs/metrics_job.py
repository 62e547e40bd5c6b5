"""Nightly controlling figures: yesterday, plus any day of the last weeks that has none yet.

Yesterday is always recomputed (late corrections of its records count); older days only when missing,
e.g. after the server was off. Every run replaces whole days, so running twice changes nothing.
"""

import logging
from datetime import date, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from workstation import clock
from workstation.config import settings
from workstation.services import metrics

log = logging.getLogger(__name__)
JOB_ID = "metrics_nightly"


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days → (first, last) ranges, so a gap of a week is one computation."""
    out: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if out and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def run_nightly() -> list[metrics.RefreshReport]:
    """Compute yesterday and catch up on missing days; returns one report per computed range."""
    yesterday = clock.today() - timedelta(days=1)
    days = [*metrics.missing_days(yesterday, settings().metrics_catchup_days), yesterday]
    reports = []
    for first, last in _ranges(days):
        try:
            reports.append(metrics.refresh(first, last))
        except Exception:  # one range's failure must not keep the other days from being computed
            log.exception("metrics %s..%s could not be computed; the next night tries again", first, last)
    for r in reports:
        log.info("metrics %s..%s: %d figures stored", r.first, r.last, r.rows)
    return reports


def register(scheduler: BaseScheduler) -> None:
    """Run nightly at the configured Berlin time (default 01:30, after midnight's records are final)."""
    at = settings().metrics_job_at
    scheduler.add_job(run_nightly, CronTrigger(hour=at.hour, minute=at.minute, timezone=clock.BERLIN), id=JOB_ID,
                      replace_existing=True, misfire_grace_time=6 * 3600)
