"""Turning a held time into a booking: an ordinary `Visit` with its `Concern` rows, a code and a change link.

`confirm` is the citizen's path: contact checks, consent, the rate limit, then in one transaction the
hold (it must exist and be unexpired), the proof of work (spent once), the limit per e-mail address,
the visit, its concerns, the reservation turned into a booking, the change token's hash and the
confirmation mail. Any refusal rolls the whole transaction back: nothing is stored.
`book_for_caller` is the staff path (phone or desk, e-mail optional, optionally into the emergency
quota): the same rules of catalogue and capacity, claimed and booked in one transaction.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, select

from workstation import clock, db
from workstation.models import BookingAccess, Citizen, Concern, Office, Reservation, Visit
from workstation.models.enums import BookingChannel, ConcernStatus, VisitKind, VisitStatus
from workstation.services.booking import catalogue, claims, contact, holds, limits, mails
from workstation.services.booking.catalogue import Plan
from workstation.services.booking.contact import Contact
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope
from workstation.services.booking.units import from_unit
from workstation.services.common import changes

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""No 0/O, 1/I/L, 2/Z, 5/S, 8/B: read out on the phone or typed from paper the code stays unambiguous."""
CODE_LENGTH = 6

HOLD_GONE = BookingError("hold_expired", "Die Reservierung der Zeit ist abgelaufen oder ungültig. Bitte wählen Sie "
                         "die Zeit erneut.", "The reservation of this time has expired or is not valid. Please choose "
                         "the time again.")
NO_CONSENT = BookingError("consent", "Bitte bestätigen Sie die Einwilligung zur Verarbeitung Ihrer Angaben.",
                          "Please confirm your consent to the processing of your details.")


@dataclass(frozen=True)
class Booked:
    """A booking as the confirmation page and the staff screen show it."""

    visit_id: int
    code: str
    token: str
    start: datetime
    end: datetime
    concerns: list[str]
    documents: list[str]
    office_name: str
    office_city: str
    opening_hours: str


def concern_labels(plan: Plan) -> list[str]:
    return [f"{c.name} × {c.count}" if c.count > 1 else c.name for c in plan.concerns]


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(Visit.id).where(Visit.booking_code == code)).first() is None:
            return code


def _serialise_address(session: Session, office_id: int, email: str) -> None:
    """On PostgreSQL, bookings for one address and office wait for each other (the per-address limit holds)."""
    if session.connection().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                                     {"k": f"booking:{office_id}:{email}"})


def _create(session: Session, reservation: Reservation, plan: Plan, person: Contact, channel: str,
            now: datetime) -> Booked:
    """Visit, concerns, the booked reservation, the change token and the confirmation mail."""
    citizen = Citizen(first_name=person.first_name, last_name=person.last_name, email=person.email,
                      phone=person.phone, created_at=now)
    session.add(citizen)
    session.flush()
    start, end = from_unit(reservation.start_unit), from_unit(reservation.end_unit)
    visit = Visit(office_id=reservation.office_id, kind=VisitKind.APPOINTMENT, status=VisitStatus.BOOKED,
                  area=plan.area, citizen_id=citizen.id, booking_code=_new_code(session), channel=channel,
                  booked_at=now, slot_start=start, slot_end=end)
    session.add(visit)
    session.flush()
    for concern in plan.concerns:
        for _ in range(concern.count):
            session.add(Concern(visit_id=visit.id, service_id=concern.service_id, status=ConcernStatus.PLANNED))
    claims.book(session, reservation.id, visit.id)
    token = holds.new_token()
    session.add(BookingAccess(visit_id=visit.id, token_hash=holds.token_hash(token), created_at=now))
    office = session.get(Office, reservation.office_id)
    if person.email:
        mails.queue_confirmation(session, mails.MailFacts(
            visit.id, 0, person.email, visit.booking_code, start, end, concern_labels(plan), plan.documents, token),
            office, now)
    return Booked(visit.id, visit.booking_code, token, start, end, concern_labels(plan), plan.documents,
                  office.name, office.city, office.opening_hours)


def _held(session: Session, hold_token: str, now: datetime) -> Reservation:
    """The unexpired hold behind a token, or HOLD_GONE."""
    reservation = session.exec(select(Reservation).where(
        Reservation.hold_hash == holds.token_hash(hold_token or ""), Reservation.state == claims.HELD)).first()
    if reservation is None or reservation.expires_at is None or reservation.expires_at <= now:
        raise HOLD_GONE
    return reservation


def confirm(hold_token: str, first_name: str, last_name: str, email: str, phone: str | None, consent: bool,
            pow_payload: str, client: str, now: datetime | None = None) -> Booked:
    """Book the held time for the person; raises `BookingError` (nothing stored) on any refusal."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.BOOK, instant)
    person = contact.check(first_name, last_name, email, phone)
    if not consent:
        raise NO_CONSENT
    with db.read_scope() as session:  # reading outside the write transaction keeps the writers' turns short
        held = _held(session, hold_token, instant)
        plan = catalogue.plan(session, catalogue.parse_request(held.request), online=True, office_id=held.office_id)
    with write_scope() as session:
        reservation = _held(session, hold_token, instant)
        _serialise_address(session, reservation.office_id, person.email or "")
        limits.spend_challenge(session, pow_payload, instant)
        limits.check_active_bookings(session, reservation.office_id, person.email or "", instant)
        booked = _create(session, reservation, plan, person, BookingChannel.ONLINE, instant)
    changes.publish(reservation.office_id)
    return booked


def book_for_caller(office_id: int, items: Sequence[tuple[int, int]], start: datetime, first_name: str,
                    last_name: str, email: str | None = None, phone: str | None = None, *,
                    channel: str = BookingChannel.PHONE, emergency: bool = False,
                    now: datetime | None = None) -> Booked:
    """Staff book for a caller or a person at the desk (e-mail optional; `emergency` uses the quota lanes)."""
    instant = now or clock.now()
    person = contact.check(first_name, last_name, email, phone, email_required=False)
    with write_scope() as session:
        plan = catalogue.plan(session, items, online=False, office_id=office_id)
        reservation_id = holds.take_time(session, office_id, plan, start, instant, state=claims.BOOKED,
                                         expires_at=None, emergency=emergency)
        reservation = session.get(Reservation, reservation_id)
        booked = _create(session, reservation, plan, person, channel, instant)
    changes.publish(office_id)
    return booked
