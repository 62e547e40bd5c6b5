"""The check-in terminal: a booking code in, a ticket number (or where to go instead) out.

A hand-held scanner types the booking code from the QR code plus Enter. Inside the check-in window
the person is checked in through the same service reception uses (`queue.checkin`), so the counters
and reception see it within the second. Too early: the time the window opens. Too late, unknown,
cancelled or another day: reception, which sees the refused scan in its list. A second scan of a
checked-in code changes nothing and shows the same number. The answers name no person: whoever
stands behind at the terminal may read them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import CheckinAttempt, CheckinRefusal, Visit, VisitStatus
from workstation.services.common import changes
from workstation.services.lobby.devices import Device, take_action_slot
from workstation.services.queue import checkin
from workstation.services.queue.calls import QueueError, hhmm

CHECKED_IN = "checked_in"
ALREADY = "already"
TOO_EARLY = "too_early"
RECEPTION = "reception"
EMPTY = "empty"

REFUSAL_LABELS = {
    CheckinRefusal.UNKNOWN: "Code unbekannt",
    CheckinRefusal.TOO_LATE: "zu spät",
    CheckinRefusal.CANCELLED: "Termin abgesagt",
    CheckinRefusal.OTHER_DAY: "Termin an einem anderen Tag",
    CheckinRefusal.NO_SHOW: "als nicht erschienen vermerkt",
}
ATTEMPTS_LISTED = 10
_CODE_MAX = 40


class TerminalError(ValueError):
    """A refused terminal action; the message is German and shown as it is."""


@dataclass(frozen=True)
class TerminalAnswer:
    """What the terminal shows after a scan: the outcome and the few facts it needs."""

    outcome: str
    ticket: str = ""
    slot: str = ""
    come_back: str = ""
    reason: str = ""


@dataclass(frozen=True)
class AttemptRow:
    """A refused scan as reception's list shows it."""

    id: int
    at: str
    code: str
    reason: str


def _refuse(device: Device, code: str, reason: CheckinRefusal, now: datetime) -> TerminalAnswer:
    with db.session_scope() as session:
        session.add(
            CheckinAttempt(
                office_id=device.office_id, device_id=device.id, at=now, code=code[:_CODE_MAX], reason=reason
            )
        )
    changes.publish(device.office_id)  # reception's list of refused scans refreshes with the queue
    return TerminalAnswer(RECEPTION, reason=reason)


def _classify(device: Device, code: str, now: datetime) -> TerminalAnswer | None:
    """The answer for a code that cannot be checked in now; None when it can."""
    with db.read_scope() as session:
        visit = session.exec(
            select(Visit).where(Visit.booking_code == code, Visit.office_id == device.office_id)
        ).first()
        if visit is None:
            return _refuse(device, code, CheckinRefusal.UNKNOWN, now)
        status, slot_start, ticket = visit.status, visit.slot_start, visit.ticket or ""
    if status == VisitStatus.CANCELLED:
        return _refuse(device, code, CheckinRefusal.CANCELLED, now)
    if status == VisitStatus.NO_SHOW:
        return _refuse(device, code, CheckinRefusal.NO_SHOW, now)
    if status != VisitStatus.BOOKED:
        return TerminalAnswer(ALREADY, ticket=ticket, slot=hhmm(slot_start))
    day_start, day_end = clock.local_day_bounds(clock.to_local(now).date())
    if slot_start is None or not day_start <= slot_start < day_end:
        return _refuse(device, code, CheckinRefusal.OTHER_DAY, now)
    margin = timedelta(minutes=settings().checkin_window_minutes)
    if now < slot_start - margin:
        return TerminalAnswer(TOO_EARLY, slot=hhmm(slot_start), come_back=hhmm(slot_start - margin))
    if now > slot_start + margin:
        return _refuse(device, code, CheckinRefusal.TOO_LATE, now)
    return None


def scan(device: Device, code: str, *, now: datetime | None = None) -> TerminalAnswer:
    """Check in the holder of a booking code at a terminal (see the module's docstring)."""
    now = now or clock.now()
    code = code.strip().upper()[:_CODE_MAX]
    if not code:
        return TerminalAnswer(EMPTY)
    answer = _classify(device, code, now)
    if answer is not None:
        return answer
    try:
        done = checkin.check_in_by_code(device.office_id, code, None, now=now)
    except QueueError:  # checked in (or changed) a moment ago elsewhere: answer as it stands now
        return _classify(device, code, now) or TerminalAnswer(RECEPTION, reason=CheckinRefusal.UNKNOWN)
    with db.read_scope() as session:
        slot = hhmm(session.get(Visit, done.visit_id).slot_start)
    return TerminalAnswer(CHECKED_IN, ticket=done.ticket, slot=slot)


def draw_ticket(device: Device, area: str, *, now: datetime | None = None) -> str:
    """A walk-in's ticket for an area, where the office allows walk-ins at the terminal; one per few
    seconds per terminal, so a double tap draws one number."""
    now = now or clock.now()
    if not settings().terminal_walk_ins:
        raise TerminalError("Ohne Termin melden Sie sich bitte am Empfang.")
    if not take_action_slot(device.id, settings().terminal_ticket_gap_seconds, now=now):
        raise TerminalError("Ihre Nummer wurde gerade gezogen – bitte einen Moment warten.")
    try:
        return checkin.draw_walk_in_ticket(device.office_id, area, now=now).ticket
    except QueueError as err:
        raise TerminalError(err.message) from err


def recent_attempts(office_id: int, *, now: datetime | None = None) -> list[AttemptRow]:
    """Today's refused scans at the terminals, newest first, for reception."""
    now = now or clock.now()
    day_start, day_end = clock.local_day_bounds(clock.to_local(now).date())
    with db.read_scope() as session:
        rows = session.exec(
            select(CheckinAttempt)
            .where(CheckinAttempt.office_id == office_id, CheckinAttempt.at >= day_start, CheckinAttempt.at < day_end)
            .order_by(CheckinAttempt.id.desc())
            .limit(ATTEMPTS_LISTED)
        ).all()
        return [AttemptRow(a.id, hhmm(a.at), a.code, REFUSAL_LABELS.get(a.reason, a.reason)) for a in rows]
