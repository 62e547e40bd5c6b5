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

from sqlalchemy import insert, text
from sqlalchemy import select as sa_select
from sqlmodel import Session

from workstation import clock, db
from workstation.models import BookingAccess, Citizen, Concern, Office, Reservation, Visit
from workstation.models.enums import BookingChannel, ConcernStatus, VisitKind, VisitStatus
from workstation.services.booking import catalogue, claims, contact, holds, limits, mails
from workstation.services.booking.catalogue import Plan
from workstation.services.booking.contact import Contact
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope
from workstation.services.booking.units import from_unit, to_unit
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
    office_address: str = ""


def concern_labels(plan: Plan) -> list[str]:
    return [f"{c.name} × {c.count}" if c.count > 1 else c.name for c in plan.concerns]


def _columns(model) -> dict:
    """A table's column defaults as the model declares them (its rows are written with Core, see `record`)."""
    return {name: field.default for name, field in model.model_fields.items() if name != "id"}


_VISIT, _CITIZEN = _columns(Visit), _columns(Citizen)
_V, _CI, _CO, _A, _O, _R = (m.__table__ for m in (Visit, Citizen, Concern, BookingAccess, Office, Reservation))  # type: ignore[attr-defined]


# Statements built once, values passed as parameters: building `insert(...).values(...)` anew per booking cost
# more Python time (bind parameters, cache keys) than executing it.
_NEW_CITIZEN, _NEW_VISIT = insert(_CI).returning(_CI.c.id), insert(_V).returning(_V.c.id)
_NEW_CONCERN, _NEW_ACCESS = insert(_CO), insert(_A)


def _insert(session: Session, statement, defaults: dict, **values) -> int:
    return session.connection().execute(statement, {**defaults, **values}).scalar_one()


def _new_code(session: Session) -> str:
    conn = session.connection()
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if conn.execute(sa_select(_V.c.id).where(_V.c.booking_code == code)).first() is None:
            return code


def _serialise_address(session: Session, office_id: int, email: str) -> None:
    """On PostgreSQL, bookings for one address and office wait for each other (the per-address limit holds)."""
    if session.connection().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                                     {"k": f"booking:{office_id}:{email}"})


@dataclass(frozen=True)
class Claimed:
    """A reservation that became (or becomes) a booking: its id, office and lane units."""

    id: int
    office_id: int
    start_unit: int
    end_unit: int


def record(session: Session, reservation: Claimed, plan: Plan, person: Contact, channel: str, now: datetime, *,
           mail: bool = True, code: str | None = None) -> Booked:
    """The booking's rows in the caller's transaction: person, visit, concerns, the reservation booked, the
    change token and (with an e-mail and `mail`) the confirmation. Plain Core statements, a dozen in all:
    this runs while the writer's turn is held, and the demo seeder books thousands of appointments with it
    (with its own reproducible, unused `code`)."""
    conn = session.connection()
    citizen_id = _insert(session, _NEW_CITIZEN, _CITIZEN, first_name=person.first_name, last_name=person.last_name,
                         email=person.email, phone=person.phone, created_at=now)
    start, end = from_unit(reservation.start_unit), from_unit(reservation.end_unit)
    code = code or _new_code(session)
    visit_id = _insert(session, _NEW_VISIT, _VISIT, office_id=reservation.office_id, kind=VisitKind.APPOINTMENT,
                       status=VisitStatus.BOOKED, area=plan.area, citizen_id=citizen_id, booking_code=code,
                       channel=channel, booked_at=now, slot_start=start, slot_end=end)
    conn.execute(_NEW_CONCERN, [{"visit_id": visit_id, "service_id": c.service_id, "status": ConcernStatus.PLANNED,
                                "not_done_reason": ""} for c in plan.concerns for _ in range(c.count)])
    claims.book(session, reservation.id, visit_id)
    token = holds.new_token()
    conn.execute(_NEW_ACCESS, {"visit_id": visit_id, "token_hash": holds.token_hash(token), "sequence": 0,
                               "created_at": now})
    office = conn.execute(sa_select(_O.c.name, _O.c.city, _O.c.opening_hours, _O.c.address)
                          .where(_O.c.id == reservation.office_id)).one()
    if person.email and mail:
        mails.queue_confirmation(session, mails.MailFacts(
            visit_id, 0, person.email, code, start, end, concern_labels(plan), plan.documents, token), office, now)
    return Booked(visit_id, code, token, start, end, concern_labels(plan), plan.documents,
                  office.name, office.city, office.opening_hours, office.address)


def _held(session: Session, hold_token: str, now: datetime) -> tuple[Claimed, str]:
    """The unexpired hold behind a token and its stored request, or HOLD_GONE."""
    row = session.connection().execute(
        sa_select(_R.c.id, _R.c.office_id, _R.c.start_unit, _R.c.end_unit, _R.c.expires_at, _R.c.request)
        .where(_R.c.hold_hash == holds.token_hash(hold_token or ""), _R.c.state == claims.HELD)).first()
    if row is None or row.expires_at is None or row.expires_at <= now:
        raise HOLD_GONE
    return Claimed(row.id, row.office_id, row.start_unit, row.end_unit), row.request


def confirm(hold_token: str, first_name: str, last_name: str, email: str, phone: str | None, consent: bool,
            pow_payload: str, client: str, now: datetime | None = None) -> Booked:
    """Book the held time for the person; raises `BookingError` (nothing stored) on any refusal."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.BOOK, instant)
    person = contact.check(first_name, last_name, email, phone)
    if not consent:
        raise NO_CONSENT
    with db.read_scope() as session:  # reading outside the write transaction keeps the writers' turns short
        held, request = _held(session, hold_token, instant)
        plan = catalogue.plan(session, catalogue.parse_request(request), online=True, office_id=held.office_id)
    with write_scope() as session:
        reservation, _request = _held(session, hold_token, instant)
        _serialise_address(session, reservation.office_id, person.email or "")
        limits.spend_challenge(session, pow_payload, instant)
        limits.check_active_bookings(session, reservation.office_id, person.email or "", instant)
        booked = record(session, reservation, plan, person, BookingChannel.ONLINE, instant)
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
        unit = to_unit(start)
        booked = record(session, Claimed(reservation_id, office_id, unit, unit + plan.units), plan, person, channel,
                        instant)
    changes.publish(office_id)
    return booked
