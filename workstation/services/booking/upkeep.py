"""The booking's scheduled steps: reminders before the appointment, and clearing spent holds and limits.

Reminder: `WORKSTATION_BOOKING_REMINDER_DAYS` (1) days before the appointment's day, from
`WORKSTATION_BOOKING_REMINDER_AT` (10:00) on, for every booking still booked whose booking was made
before that moment (a booking made later just got its confirmation). The outbox row's dedupe key
(booking, sequence) makes it exactly once however often the job runs; a cancel or move cancels an
unsent reminder, and a cancelled booking is never picked.
"""

from datetime import datetime, timedelta

from sqlmodel import col, select

from workstation import clock
from workstation.config import settings
from workstation.models import BookingAccess, Citizen, Notification, Office, Visit
from workstation.models.enums import VisitStatus
from workstation.services.booking import catalogue, claims, limits, mails
from workstation.services.booking.bookings import concern_labels
from workstation.services.booking.txn import write_scope
from workstation.services.booking.units import to_unit
from workstation.services.common.insert_ignore import insert_ignoring_duplicates


def reminder_due_at(slot_start: datetime) -> datetime:
    """When the reminder of an appointment becomes due (naive UTC)."""
    conf = settings()
    day = clock.to_local(slot_start).date() - timedelta(days=conf.booking_reminder_days)
    return clock.to_utc(datetime.combine(day, conf.booking_reminder_at))


def queue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due and not yet queued; returns how many were new."""
    instant = now or clock.now()
    ahead = instant + timedelta(days=settings().booking_reminder_days + 1)
    with write_scope() as session:
        due = session.exec(
            select(Visit, BookingAccess.sequence, Citizen.email)
            .join(BookingAccess, col(BookingAccess.visit_id) == Visit.id)
            .join(Citizen, col(Citizen.id) == Visit.citizen_id)
            .where(Visit.status == VisitStatus.BOOKED, col(Visit.cancelled_at).is_(None),
                   col(Visit.slot_start) > instant, col(Visit.slot_start) <= ahead, col(Citizen.email).is_not(None))
        ).all()
        rows = []
        offices: dict[int, Office] = {}
        for visit, sequence, email in due:
            moment = reminder_due_at(visit.slot_start)
            if moment > instant or (visit.booked_at is not None and visit.booked_at >= moment):
                continue
            plan = catalogue.describe(session, catalogue.visit_request(session, visit.id))
            office = offices.setdefault(visit.office_id, session.get(Office, visit.office_id))
            facts = mails.MailFacts(visit.id, sequence, email, visit.booking_code, visit.slot_start, visit.slot_end,
                                    concern_labels(plan), plan.documents)
            rows.append(mails.reminder_row(facts, office, instant))
        return insert_ignoring_duplicates(session, Notification, rows)


PAST_CLAIMS_KEPT = timedelta(days=1)


def clear_spent(now: datetime | None = None) -> int:
    """Delete expired holds, cooled-off times, claims of past days, spent challenges and old rate-limit entries."""
    instant = now or clock.now()
    with write_scope() as session:
        past = claims.purge_past(session, to_unit(instant - PAST_CLAIMS_KEPT))
        return claims.purge_dead(session, instant) + past + limits.purge(session, instant)
