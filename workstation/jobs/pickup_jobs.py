"""The pickup desk's scheduled work: read the Bundesdruckerei inbox, send the outbox, reminders.

Each function is idempotent and safe to run after a crash half-way; `register` adds them to the one
scheduler process with `max_instances=1` so a slow run is never overlapped by the next.
"""

import logging

from workstation.config import settings
from workstation.services.messaging import outbox
from workstation.services.pickup import desk as pickup
from workstation.services.pickup.feed import inbox

log = logging.getLogger(__name__)


def ingest_inbox() -> inbox.InboxReport:
    """Apply every complete file in the Versandavis inbox."""
    report = inbox.process_inbox()
    if report.files:
        log.info("Versandavis: %s", report)
    return report


def send_outbox() -> outbox.SendReport:
    """Send notifications that are due (new ones and retries)."""
    report = outbox.send_due()
    if report.sent or report.retrying or report.failed:
        log.info("Postausgang: %s", report)
    return report


def pickup_deadlines() -> tuple[int, int]:
    """Reminders after the reminder period, back-office tasks after the holding period."""
    reminders = pickup.enqueue_reminders()
    tasks = pickup.raise_holding_tasks()
    if reminders or tasks:
        log.info("Abholfristen: %s Erinnerungen, %s Rückgabe-Aufgaben", reminders, tasks)
    return reminders, tasks


def register(scheduler) -> None:
    """Add the pickup jobs to an APScheduler 3 scheduler (intervals from the settings)."""
    conf = settings()
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(ingest_inbox, "interval", minutes=conf.bdr_ingest_minutes, id="pickup_ingest_inbox", **common)
    scheduler.add_job(send_outbox, "interval", seconds=conf.outbox_send_seconds, id="pickup_send_outbox", **common)
    scheduler.add_job(pickup_deadlines, "interval", hours=1, id="pickup_deadlines", **common)
