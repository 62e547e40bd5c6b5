"""The demo office's booking: lanes per area over the opening hours, catalogue conflicts, and the claims
of the appointments already booked from today on, so that online booking never overlaps them. The
demo city's further offices get the same, sized down.

The demo day's appointments come from the demo's own generator, not through the engine (the coming
weeks are booked through it, see `bookings_ahead`); here each gets
the lowest lane of its area that is free for its whole slot (as the engine would have placed it).
The few that do not fit (the generator books a little beyond capacity at peaks) keep their visit but
take no lane time.
"""

from datetime import date, time

from sqlalchemy import insert
from sqlmodel import Session, col, select

from workstation import clock
from workstation.models import BookingLane, Office, Reservation, Service, ServiceConflict, SlotClaim, Visit
from workstation.models.enums import VisitStatus
from workstation.services.booking.claims import BOOKED
from workstation.services.booking.units import to_unit
from workstation.services.demo.office import BOOKING_LANES, CONFLICTS, OPENING_MINUTES


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def lane_counts(scale: float = 1.0) -> dict[str, int]:
    """Bookable lanes per area of an office of the demo's size times `scale` (at least two: one stays public)."""
    return {str(area): max(2, round(count * scale)) for area, count in BOOKING_LANES.items()}


def write_booking_setup(session: Session, today: date, office_id: int | None = None,
                        scale: float = 1.0) -> dict[str, int]:
    """Lanes, conflicts and the claims of today's and later booked appointments of one office (default: the only
    one; the demo city's smaller offices pass theirs and their size); returns rows per table."""
    office_id = office_id if office_id is not None else session.exec(select(Office.id)).one()
    counts = lane_counts(scale)
    lanes = [{"office_id": office_id, "area": area, "lane": lane, "weekday": weekday, "opens": _time(opens),
              "closes": _time(closes)}
             for area, count in counts.items() for lane in range(1, count + 1)
             for weekday, (opens, closes) in OPENING_MINUTES.items()]
    session.execute(insert(BookingLane), lanes)
    ids = dict(session.exec(select(Service.code, Service.id).where(Service.office_id == office_id)).all())
    conflicts = [{"service_id": min(ids[a], ids[b]), "other_service_id": max(ids[a], ids[b])}
                 for a, b in CONFLICTS if a in ids and b in ids]  # a foreigners' office has other services
    if conflicts:
        session.execute(insert(ServiceConflict), conflicts)
    return {"bookinglane": len(lanes), "serviceconflict": len(conflicts),
            "reservation": _claim_booked(session, today, office_id, counts)}


def _claim_booked(session: Session, today: date, office_id: int, counts: dict[str, int]) -> int:
    start_of_today = clock.local_day_bounds(today)[0]
    columns = (Visit.id, Visit.office_id, Visit.area, Visit.slot_start, Visit.slot_end, Visit.booked_at)
    visits = session.exec(select(*columns)
                          .where(Visit.office_id == office_id, Visit.status == VisitStatus.BOOKED,
                                 col(Visit.slot_start) >= start_of_today, col(Visit.slot_end).is_not(None))
                          .order_by(Visit.slot_start, Visit.id)).all()
    taken: dict[tuple[str, int], set[int]] = {}
    reservations = []
    for visit_id, office_id, area, start, end, booked_at in visits:
        first, last = to_unit(start), to_unit(end)
        for lane in range(1, counts.get(area, 0) + 1):
            used = taken.setdefault((area, lane), set())
            if not used.intersection(range(first, last)):
                used.update(range(first, last))
                reservations.append({"office_id": office_id, "area": area, "lane": lane, "start_unit": first,
                                     "end_unit": last, "state": BOOKED, "visit_id": visit_id, "request": "",
                                     "emergency": False, "created_at": booked_at or start})
                break
    if not reservations:
        return 0
    session.execute(insert(Reservation), reservations)
    rows = session.exec(select(Reservation.id, Reservation.office_id, Reservation.area, Reservation.lane,
                               Reservation.start_unit, Reservation.end_unit)
                        .where(Reservation.office_id == office_id)).all()
    session.execute(insert(SlotClaim), [
        {"reservation_id": rid, "office_id": oid, "area": area, "lane": lane, "unit": u}
        for rid, oid, area, lane, first, last in rows for u in range(first, last)])
    return len(reservations)
