"""The booking's scheduled work: reminders before appointments, and clearing spent holds and limits.

Both steps are idempotent (the reminder's outbox key is unique per booking and time), so a run
repeated by a new scheduler holder changes nothing twice.
"""

import logging

from workstation.services.booking import upkeep

log = logging.getLogger(__name__)
REMINDER_JOB_ID = "booking_reminders"
CLEAR_JOB_ID = "booking_clear_spent"


def queue_reminders() -> int:
    """Queue the reminders that are due (sent by the outbox job)."""
    queued = upkeep.queue_reminders()
    if queued:
        log.info("Terminerinnerungen: %s", queued)
    return queued


def clear_spent() -> int:
    """Remove expired holds, cooled-off times, spent challenges and old rate-limit entries."""
    return upkeep.clear_spent()


def register(scheduler) -> None:
    """Add the booking jobs to an APScheduler 3 scheduler."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(queue_reminders, "interval", minutes=15, id=REMINDER_JOB_ID, **common)
    scheduler.add_job(clear_spent, "interval", minutes=5, id=CLEAR_JOB_ID, **common)
