"""Free times: where the whole planned duration of an appointment fits one lane.

One query per stretch of days reads the live reservations of the area as integer unit ranges (held,
booked, or cooling off after a cancel — an expired hold or a cooled-off time is free again), ordered by
lane and start; the gaps between them inside each lane's window are the free time. A start is offered
at the beginning of a gap and on every quarter hour inside it, as long as the duration still fits;
the same start on several lanes is offered once (the hold takes the lowest free lane). "First free
times" reads a week at a time and stops as soon as it has enough, so it stays fast over 90 days.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from workstation import clock
from workstation.config import settings
from workstation.models import Reservation
from workstation.services.booking import capacity
from workstation.services.booking.units import from_unit, to_unit, to_unit_ceil

OFFER_EVERY_UNITS = 3
"""Starts inside a gap are offered on the quarter hour (3 units of 5 minutes)."""
CHUNK_DAYS = 7

_R = Reservation.__table__  # type: ignore[attr-defined]


def earliest_start(now: datetime) -> int:
    """The first unit a new appointment may start in (now plus the minimum lead time)."""
    return to_unit_ceil(now + timedelta(minutes=settings().booking_min_lead_minutes))


def occupied(session: Session, office_id: int, area: str, start: int, end: int, now: datetime,
             ignore_hold: str | None = None) -> dict[int, list[tuple[int, int]]]:
    """Live reservations per lane as sorted unit ranges, for appointments starting in [start, end).

    `ignore_hold` (a hold's token hash) leaves out the asker's own hold: it is given back when they hold anew."""
    query = (select(_R.c.lane, _R.c.start_unit, _R.c.end_unit)
             .where(_R.c.office_id == office_id, _R.c.area == area, _R.c.start_unit >= start, _R.c.start_unit < end,
                    or_(_R.c.expires_at.is_(None), _R.c.expires_at > now))
             .order_by(_R.c.lane, _R.c.start_unit))
    if ignore_hold:
        query = query.where(or_(_R.c.hold_hash.is_(None), _R.c.hold_hash != ignore_hold))
    rows = session.connection().execute(query)
    by_lane: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for lane, first, last in rows:
        by_lane[lane].append((first, last))
    return by_lane


def _gaps(window: capacity.Window, taken: list[tuple[int, int]], not_before: int):
    """Free unit ranges of a window, given the lane's sorted reservations."""
    cursor = max(window.start, not_before)
    for first, last in taken:
        if last <= cursor:
            continue
        if first >= window.end:
            break
        if first > cursor:
            yield cursor, first
        cursor = max(cursor, last)
    if cursor < window.end:
        yield cursor, window.end


def starts_in_gap(gap_start: int, gap_end: int, need: int) -> list[int]:
    """Offered starts in a gap: its beginning and every quarter hour after it where `need` units fit."""
    last_start = gap_end - need
    if last_start < gap_start:
        return []
    starts = [gap_start]
    mark = gap_start + (-gap_start) % OFFER_EVERY_UNITS
    if mark == gap_start:
        mark += OFFER_EVERY_UNITS
    starts.extend(range(mark, last_start + 1, OFFER_EVERY_UNITS))
    return starts


def _day_bounds(day: date) -> tuple[int, int]:
    first, last = clock.local_day_bounds(day)
    return to_unit(first), to_unit(last)


def _free_by_day(session: Session, office_id: int, area: str, need: int, days: list[date], now: datetime, *,
                 emergency: bool, lanes: capacity.AreaLanes, first_only: bool = False) -> dict[date, dict[int, int]]:
    """For each day: {start unit: lowest free lane}. `first_only` stops a day at its first fit."""
    if not days:
        return {}
    first = earliest_start(now)
    not_before = first + (-first) % OFFER_EVERY_UNITS  # the lead time never makes an odd start like 10:10
    taken = occupied(session, office_id, area, _day_bounds(days[0])[0], _day_bounds(days[-1])[1], now)
    result: dict[date, dict[int, int]] = {}
    for day in days:
        offers: dict[int, int] = {}
        for window in lanes.windows(day, emergency=emergency):
            for gap_start, gap_end in _gaps(window, taken.get(window.lane, []), not_before):
                for start in starts_in_gap(gap_start, gap_end, need):
                    if start not in offers or window.lane < offers[start]:
                        offers[start] = window.lane
                if first_only and offers:
                    break
            if first_only and offers:
                break
        if offers:
            result[day] = offers
    return result


def _open_days(session: Session, office_id: int, now: datetime, first: date | None = None,
               last: date | None = None) -> list[date]:
    today, horizon_end = capacity.horizon(now)
    first = max(first or today, today)
    last = min(last or horizon_end, horizon_end)
    return capacity.open_days(session, office_id, first, last) if first <= last else []


def first_free(session: Session, office_id: int, area: str, need: int, now: datetime, count: int = 10, *,
               emergency: bool = False) -> list[datetime]:
    """The first `count` free starts (naive UTC) within the horizon, earliest first."""
    lanes = capacity.area_lanes(session, office_id, area)
    days = _open_days(session, office_id, now)
    found: list[datetime] = []
    for i in range(0, len(days), CHUNK_DAYS):
        chunk = _free_by_day(session, office_id, area, need, days[i:i + CHUNK_DAYS], now, emergency=emergency,
                             lanes=lanes)
        for day in sorted(chunk):
            found.extend(from_unit(u) for u in sorted(chunk[day]))
            if len(found) >= count:
                return found[:count]
    return found


def free_on_day(session: Session, office_id: int, area: str, need: int, day: date, now: datetime, *,
                emergency: bool = False) -> list[datetime]:
    """Every free start (naive UTC) on one Berlin day; empty when closed or outside the horizon."""
    days = _open_days(session, office_id, now, day, day)
    lanes = capacity.area_lanes(session, office_id, area)
    offers = _free_by_day(session, office_id, area, need, days, now, emergency=emergency, lanes=lanes)
    return [from_unit(u) for u in sorted(offers.get(day, {}))]


def days_with_free(session: Session, office_id: int, area: str, need: int, now: datetime, first: date | None = None,
                   last: date | None = None, *, emergency: bool = False) -> list[date]:
    """The Berlin days between first and last (default: the whole horizon) with at least one free start."""
    lanes = capacity.area_lanes(session, office_id, area)
    days = _open_days(session, office_id, now, first, last)
    out: list[date] = []
    for i in range(0, len(days), CHUNK_DAYS * 2):
        chunk = days[i:i + CHUNK_DAYS * 2]
        out.extend(sorted(_free_by_day(session, office_id, area, need, chunk, now, emergency=emergency, lanes=lanes,
                                       first_only=True)))
    return out


def free_lanes_at(session: Session, office_id: int, area: str, need: int, start: int, now: datetime, *,
                  emergency: bool = False, ignore_hold: str | None = None) -> list[int]:
    """The lanes (lowest first) on which [start, start + need) is free now (counting the asker's own hold,
    `ignore_hold`, as free); empty if none or not offered."""
    if start < earliest_start(now):
        return []
    day = clock.to_local(from_unit(start)).date()
    if day not in _open_days(session, office_id, now, day, day):
        return []
    lanes = capacity.area_lanes(session, office_id, area)
    taken = occupied(session, office_id, area, *_day_bounds(day), now, ignore_hold)
    free = []
    for window in lanes.windows(day, emergency=emergency):
        if window.start <= start and start + need <= window.end and all(
                last <= start or first >= start + need for first, last in taken.get(window.lane, [])):
            free.append(window.lane)
    return sorted(free)
