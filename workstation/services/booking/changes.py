"""Cancel or move a booking from the link in the mail, until `WORKSTATION_BOOKING_CHANGE_UNTIL_HOURS` before.

The link carries a 128-bit token; only its SHA-256 is stored (`BookingAccess`). A cancelled booking's
time is not free at once: it cools off for `WORKSTATION_BOOKING_COOLING_MINUTES` (30), so nobody can
hand a time over to a buyer by cancelling and rebooking it. Moving takes a new held time for the same
concerns; the old time cools off, the visit keeps its code, and the calendar entry is updated (same
UID, next SEQUENCE). A used link for a cancelled booking says so and changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import BookingAccess, Citizen, Office, Reservation, Visit
from workstation.models.enums import VisitStatus
from workstation.services.booking import catalogue, claims, holds, mails
from workstation.services.booking.bookings import HOLD_GONE, concern_labels
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope
from workstation.services.booking.units import from_unit
from workstation.services.common import changes as change_signals

UNKNOWN = BookingError("unknown_link", "Dieser Link ist ungültig. Bitte nutzen Sie den Link aus Ihrer "
                       "Terminbestätigung.", "This link is not valid. Please use the link from your confirmation.")
CANCELLED = BookingError("cancelled", "Dieser Termin ist bereits abgesagt.", "This appointment has already been "
                         "cancelled.")


@dataclass(frozen=True)
class BookingView:
    """A booking as the cancel/move page shows it."""

    code: str
    start: datetime
    end: datetime
    concerns: list[str]
    documents: list[str]
    request: list[tuple[int, int]]
    cancelled: bool
    changeable: bool
    office_name: str
    office_code: str


def _too_late() -> BookingError:
    hours = settings().booking_change_until_hours
    return BookingError("too_late", f"Absagen und Verlegen ist nur bis {hours} Stunden vor dem Termin möglich. Bitte "
                        "rufen Sie uns an.", f"Cancelling and moving is possible only until {hours} hours before the "
                        "appointment. Please call us.")


def _load(session: Session, token: str, *, lock: bool = False) -> tuple[BookingAccess, Visit]:
    digest = holds.token_hash(token or "")
    access = session.exec(select(BookingAccess).where(BookingAccess.token_hash == digest)).first()
    if access is None:
        raise UNKNOWN
    query = select(Visit).where(Visit.id == access.visit_id)
    visit = session.exec(query.with_for_update() if lock else query).one()
    if visit.booking_code is None:  # erased by the retention run: the appointment is long past
        raise UNKNOWN
    return access, visit


def _changeable(visit: Visit, now: datetime) -> bool:
    return (visit.status == VisitStatus.BOOKED and visit.cancelled_at is None and visit.slot_start is not None
            and visit.slot_start - now >= timedelta(hours=settings().booking_change_until_hours))


def _view(session: Session, visit: Visit, now: datetime) -> BookingView:
    request = catalogue.visit_request(session, visit.id)
    plan = catalogue.describe(session, request)
    office = session.get(Office, visit.office_id)
    return BookingView(visit.booking_code, visit.slot_start, visit.slot_end, concern_labels(plan), plan.documents,
                       request, visit.cancelled_at is not None, _changeable(visit, now), office.name, office.code)


def lookup(token: str, now: datetime | None = None) -> BookingView:
    """The booking behind a change link (raises UNKNOWN for a wrong or erased link)."""
    with db.read_scope() as session:
        _access, visit = _load(session, token)
        return _view(session, visit, now or clock.now())


def _facts(session: Session, visit: Visit, access: BookingAccess, view: BookingView,
           token: str | None = None) -> mails.MailFacts | None:
    email = session.exec(select(Citizen.email).where(Citizen.id == visit.citizen_id)).first()
    if not email:
        return None
    return mails.MailFacts(visit.id, access.sequence, email, visit.booking_code, visit.slot_start, visit.slot_end,
                           view.concerns, view.documents, token)


def cancel(token: str, now: datetime | None = None) -> BookingView:
    """Cancel the booking; its time comes back online after the cooling-off period."""
    instant = now or clock.now()
    with write_scope() as session:
        access, visit = _load(session, token, lock=True)
        if visit.cancelled_at is not None:
            raise CANCELLED
        if not _changeable(visit, instant):
            raise _too_late()
        visit.status = VisitStatus.CANCELLED
        visit.cancelled_at = instant
        visit.version += 1
        session.add(visit)
        claims.cool_off(session, visit.id, instant + timedelta(minutes=settings().booking_cooling_minutes))
        view = _view(session, visit, instant)
        facts = _facts(session, visit, access, view)
        if facts is not None:
            mails.queue_cancellation(session, facts, session.get(Office, visit.office_id), instant)
        else:
            mails.cancel_pending_reminders(session, visit.id)
        office_id = visit.office_id
    change_signals.publish(office_id)
    return view


def move(token: str, hold_token: str, now: datetime | None = None) -> BookingView:
    """Move the booking to a time held for the same concerns; the old time cools off."""
    instant = now or clock.now()
    with write_scope() as session:
        access, visit = _load(session, token, lock=True)
        if visit.cancelled_at is not None:
            raise CANCELLED
        if not _changeable(visit, instant):
            raise _too_late()
        held = session.exec(select(Reservation).where(Reservation.hold_hash == holds.token_hash(hold_token or ""),
                                                      Reservation.state == claims.HELD)).first()
        if held is None or held.expires_at is None or held.expires_at <= instant:
            raise HOLD_GONE
        if sorted(catalogue.parse_request(held.request)) != sorted(catalogue.visit_request(session, visit.id)):
            raise BookingError("other_concerns", "Die gehaltene Zeit gehört zu anderen Anliegen.",
                               "The held time belongs to other services.")
        claims.cool_off(session, visit.id, instant + timedelta(minutes=settings().booking_cooling_minutes))
        claims.book(session, held.id, visit.id)
        visit.slot_start, visit.slot_end = from_unit(held.start_unit), from_unit(held.end_unit)
        visit.area = held.area
        visit.version += 1
        access.sequence += 1
        session.add_all([visit, access])
        mails.cancel_pending_reminders(session, visit.id)
        view = _view(session, visit, instant)
        facts = _facts(session, visit, access, view, token)
        if facts is not None:
            mails.queue_confirmation(session, facts, session.get(Office, visit.office_id), instant)
        office_id = visit.office_id
    change_signals.publish(office_id)
    return view

