"""What the team lead or the administrator keeps: closing days, bookable lanes, the catalogue's booking rules.

Every change is audited by the caller (`user_id`) and takes effect for new searches at once. Bookings
already made stay where they are: closing a day or removing a lane does not cancel them (the list of
affected bookings is returned so that staff can move them).
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from workstation import clock, db
from workstation.models import BookingLane, ClosingDay, Service, ServiceConflict, Visit
from workstation.models.enums import AuditAction, VisitStatus
from workstation.services.booking import capacity, catalogue
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope
from workstation.services.staff import audit

WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MAX_LANES = 60
MAX_MINUTES = 240
MAX_COUNT = 10


def _bad(message: str) -> BookingError:
    return BookingError("setup", message)


@dataclass(frozen=True)
class LaneRow:
    """One area's lanes on one weekday as the setup page lists them."""

    area: str
    weekday: int
    lanes: int
    opens: str
    closes: str


def lane_rows(office_id: int) -> list[LaneRow]:
    with db.read_scope() as session:
        rows = session.exec(select(BookingLane.area, BookingLane.weekday, func.count(), func.min(BookingLane.opens),
                                   func.max(BookingLane.closes))
                            .where(BookingLane.office_id == office_id)
                            .group_by(BookingLane.area, BookingLane.weekday)
                            .order_by(BookingLane.area, BookingLane.weekday)).all()
    return [LaneRow(area, weekday, n, f"{opens:%H:%M}", f"{closes:%H:%M}") for area, weekday, n, opens, closes in rows]


def set_lanes(office_id: int, area: str, weekday: int, lanes: int, opens: str, closes: str, user_id: int) -> None:
    """Give an area `lanes` bookable counters on a weekday from `opens` to `closes` (0 lanes: none)."""
    try:
        start, end = time.fromisoformat(opens), time.fromisoformat(closes)
    except ValueError as exc:
        raise _bad("Bitte Uhrzeiten wie 08:00 eingeben.") from exc
    if not 0 <= weekday <= 6 or not 0 <= lanes <= MAX_LANES:
        raise _bad(f"Wochentag 0–6 und höchstens {MAX_LANES} Schalter.")
    if lanes and end <= start:
        raise _bad("Das Ende muss nach dem Beginn liegen.")
    with write_scope() as session:
        session.connection().execute(delete(BookingLane).where(
            BookingLane.office_id == office_id, BookingLane.area == area, BookingLane.weekday == weekday))
        session.add_all([BookingLane(office_id=office_id, area=area, lane=n, weekday=weekday, opens=start,
                                     closes=end) for n in range(1, lanes + 1)])
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="bookinglane",
                     detail=f"{area} {WEEKDAY_NAMES[weekday]}: {lanes} Schalter {opens}–{closes}")


def closing_day_rows(office_id: int, now: datetime | None = None) -> list[tuple[str, str]]:
    """Closing days from today on: (ISO date, reason)."""
    today = clock.to_local(now or clock.now()).date()
    with db.read_scope() as session:
        rows = session.exec(select(ClosingDay.day, ClosingDay.reason).where(
            ClosingDay.office_id == office_id, ClosingDay.day >= today).order_by(ClosingDay.day)).all()
    return [(day.isoformat(), reason) for day, reason in rows]


def close_day(office_id: int, day: date, reason: str, user_id: int) -> int:
    """Close a day for bookings; returns how many bookings that day already has (staff move them)."""
    with write_scope() as session:
        capacity.close_day(session, office_id, day, reason[:200])
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="closingday",
                     detail=f"Schließtag {day:%d.%m.%Y} {reason[:200]}")
        return _booked_on(session, office_id, day)


def reopen_day(office_id: int, day: date, user_id: int) -> None:
    with write_scope() as session:
        session.connection().execute(delete(ClosingDay).where(ClosingDay.office_id == office_id,
                                                              ClosingDay.day == day))
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="closingday",
                     detail=f"Schließtag {day:%d.%m.%Y} aufgehoben")


def _booked_on(session: Session, office_id: int, day: date) -> int:
    start, end = clock.local_day_bounds(day)
    return session.exec(select(func.count()).select_from(Visit).where(
        Visit.office_id == office_id, Visit.status == VisitStatus.BOOKED, col(Visit.slot_start) >= start,
        col(Visit.slot_start) < end)).one()


def update_service(office_id: int, service_id: int, minutes: int, max_count: int, documents: str, online: bool,
                   user_id: int) -> None:
    """A service of the office's catalogue: planned minutes, maximum count per appointment, documents (one per
    line), online flag."""
    if not 1 <= minutes <= MAX_MINUTES or not 1 <= max_count <= MAX_COUNT:
        raise _bad(f"Dauer 1–{MAX_MINUTES} Minuten, Anzahl 1–{MAX_COUNT}.")
    with write_scope() as session:
        service = session.get(Service, service_id)
        if service is None or service.office_id != office_id:
            raise _bad("Diese Dienstleistung gibt es nicht.")
        service.planned_minutes, service.max_count = minutes, max_count
        service.documents = "\n".join(line.strip() for line in documents.splitlines() if line.strip())[:2000]
        service.online_bookable = online
        session.add(service)
        online_text = "ja" if online else "nein"
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="service",
                     detail=f"{service.code}: {minutes} Min., höchstens {max_count}, online {online_text}")


def set_conflict(office_id: int, service_id: int, other_id: int, conflicting: bool, user_id: int) -> None:
    """Two services of the office's catalogue may (not) share an appointment."""
    if service_id == other_id:
        raise _bad("Bitte zwei verschiedene Dienstleistungen wählen.")
    a, b = sorted((service_id, other_id))
    with write_scope() as session:
        owned = session.exec(select(func.count()).select_from(Service).where(
            col(Service.id).in_((a, b)), Service.office_id == office_id)).one()
        if owned != 2:
            raise _bad("Diese Dienstleistung gibt es nicht.")
        if conflicting:
            catalogue.add_conflict(session, a, b)
        else:
            session.connection().execute(delete(ServiceConflict).where(ServiceConflict.service_id == a,
                                                                       ServiceConflict.other_service_id == b))
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="serviceconflict",
                     detail=f"{a}/{b}: {'nicht kombinierbar' if conflicting else 'kombinierbar'}")
