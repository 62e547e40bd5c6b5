"""Seed data: the lead time records of the demo's past year, simulated from its own appointments.

The controlling lead time comes from the booking engine's morning record (`metrics.lead_time`), and
the engine only knows the bookings as they stand now: a past morning cannot be asked again. The demo's
year of history was generated, not booked, so these records are the demo's simulation of the engine
on each past morning, marked `source = "demo"`: at 06:00 of the day, the appointments booked by then
and not cancelled by then (a cancelled time counts as taken while it cools off) are placed on the
area's public lanes as the engine does (lowest lane whose time is free; one that fits nowhere takes no
time), and the first open day with a gap for the reference concern after the minimum lead time gives
the lead time. The office's lanes of today stand for the whole year. Today's record is the engine's
own (`record_today`, after the seeding transaction), never simulated.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from workstation import clock
from workstation.config import settings
from workstation.models import BookingLane, Visit, VisitKind
from workstation.services.booking import capacity
from workstation.services.booking.search import OFFER_EVERY_UNITS, earliest_start
from workstation.services.booking.units import from_unit, to_unit, units_for
from workstation.services.demo.context import REFERENCE_HOUR
from workstation.services.metrics import lead_time

SOURCE = "demo"
MORNING = time(6)


def _appointments(session: Session, office_id: int, first: date, last: date) -> dict[tuple[str, date], list]:
    """Appointments with a slot on `first`..`last`, per area and Berlin day: (start, end, booked, gone) units/times."""
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    cooling = timedelta(minutes=settings().booking_cooling_minutes)
    rows = session.execute(
        select(Visit.area, Visit.slot_start, Visit.slot_end, Visit.booked_at, Visit.cancelled_at)
        .where(Visit.office_id == office_id, Visit.kind == VisitKind.APPOINTMENT, Visit.slot_start >= start,
               Visit.slot_start < end, Visit.slot_end.is_not(None), Visit.booked_at.is_not(None))
        .order_by(Visit.slot_start))
    out: dict[tuple[str, date], list] = defaultdict(list)
    for area, slot_start, slot_end, booked_at, cancelled_at in rows:
        gone = cancelled_at + cooling if cancelled_at is not None else None
        out[(area, clock.to_local(slot_start).date())].append((to_unit(slot_start), to_unit(slot_end), booked_at, gone))
    return out


def _first_start(windows: list[capacity.Window], live: list[tuple[int, int]], need: int,
                 not_before: int) -> int | None:
    """The first unit where `need` units fit a public lane once the live appointments (in start order) are placed."""
    lanes = {w.lane: w for w in windows}
    placed: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for first, last in live:
        for lane in sorted(lanes):
            w = lanes[lane]
            if w.start <= first and last <= w.end and (not placed[lane] or placed[lane][-1][1] <= first):
                placed[lane].append((first, last))
                break
    starts = []
    for lane, w in lanes.items():
        cursor = max(w.start, not_before)
        for first, last in [*placed[lane], (w.end, w.end)]:
            if first - cursor >= need:
                starts.append(cursor)
                break
            cursor = max(cursor, last)
    return min(starts, default=None)


def _simulated(day: date, open_days: list[date], lanes: capacity.AreaLanes, booked: dict, area: str,
               need: int) -> datetime | None:
    """The first free start (naive UTC) of the area as the engine would have offered it at 06:00 of `day`."""
    as_of = clock.to_utc(datetime.combine(day, MORNING))
    first = earliest_start(as_of)
    not_before = first + (-first) % OFFER_EVERY_UNITS
    horizon_end = capacity.horizon(as_of)[1]
    for d in open_days:
        if d < day:
            continue
        if d > horizon_end:
            break
        live = [(a, b) for a, b, booked_at, gone in booked.get((area, d), ())
                if booked_at <= as_of and (gone is None or gone > as_of)]
        start = _first_start(lanes.windows(d, emergency=False), live, need, not_before)
        if start is not None:
            return from_unit(start)
    return None


def write_history(session: Session, today: date, days: int) -> int:
    """Seed records of the `days` mornings before `today` for every office with online booking; returns rows."""
    horizon = settings().booking_horizon_days
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    offices = session.execute(select(BookingLane.office_id).distinct().order_by(BookingLane.office_id)).scalars()
    rows = []
    for office_id in list(offices):
        open_days = capacity.open_days(session, office_id, first, last + timedelta(days=horizon))
        booked = _appointments(session, office_id, first, last + timedelta(days=horizon))
        for ref in lead_time.reference_concerns(session, office_id):
            lanes = capacity.area_lanes(session, office_id, ref.area)
            for n in range(days):
                day = first + timedelta(days=n)
                free = _simulated(day, open_days, lanes, booked, ref.area, units_for(ref.minutes))
                rows.append({"office_id": office_id, "area": ref.area, "day": day,
                             "recorded_at": clock.to_utc(datetime.combine(day, MORNING)), "service_code": ref.code,
                             "minutes": ref.minutes, "first_free_at": free, "lead_days": lead_time.lead_days(day, free),
                             "source": SOURCE})
    return lead_time.save(session, rows)


def record_today(today: date) -> int:
    """Today's records from the booking engine itself, at the demo world's moment (07:00 of `today`)."""
    return lead_time.record(clock.to_utc(datetime.combine(today, time(REFERENCE_HOUR))))
