"""Bookable capacity: which lanes of an area are open on which day and from when to when.

- A lane is one counter's bookable window in an area on a weekday (`BookingLane`); one appointment
  must fit one lane as a whole.
- The emergency quota: per area the share of lanes from the setting (`WORKSTATION_BOOKING_EMERGENCY_SHARE`,
  "0.1" or per area "vehicles=0.2,*=0.1"), rounded up to whole lanes and never all of them, is kept
  back — the highest lane numbers. Citizens are never offered those lanes; staff book urgent cases
  into them and only into them.
- Sundays, the public holidays of the office's state (`holidays`, `WORKSTATION_HOLIDAY_SUBDIV`) and the
  office's closing days are closed; nothing lies beyond the horizon (`WORKSTATION_BOOKING_HORIZON_DAYS`).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workstation import clock
from workstation.config import settings
from workstation.models import BookingLane, ClosingDay
from workstation.services.booking.units import to_unit

SUNDAY = 6
_L = BookingLane.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Window:
    """A lane's bookable time on one day, in units [start, end)."""

    lane: int
    start: int
    end: int


def emergency_share(area: str, raw: str | None = None) -> float:
    """The share of an area's lanes kept back for emergencies (from the setting)."""
    text = settings().booking_emergency_share if raw is None else raw
    shares: dict[str, float] = {}
    for part in text.split(","):
        key, sep, value = part.strip().rpartition("=")
        if part.strip():
            shares[key.strip() if sep else "*"] = float(value)
    return min(max(shares.get(area, shares.get("*", 0.0)), 0.0), 1.0)


def emergency_lanes(lanes: list[int], share: float) -> set[int]:
    """The highest `ceil(n × share)` lane numbers, never all lanes (a single lane stays public)."""
    ordered = sorted(set(lanes))
    if share <= 0 or len(ordered) < 2:
        return set()
    count = min(len(ordered) - 1, math.ceil(len(ordered) * share))
    return set(ordered[len(ordered) - count:])


@dataclass(frozen=True)
class AreaLanes:
    """The windows of an area per weekday, split into public lanes and emergency lanes."""

    by_weekday: dict[int, list[tuple[int, time, time]]]
    emergency: frozenset[int]

    def windows(self, day: date, *, emergency: bool) -> list[Window]:
        """The lanes' windows on a day: public lanes, or with `emergency` the quota lanes only."""
        out = []
        for lane, opens, closes in self.by_weekday.get(day.weekday(), ()):
            if (lane in self.emergency) != emergency:
                continue
            start = to_unit(clock.to_utc(datetime.combine(day, opens)))
            end = to_unit(clock.to_utc(datetime.combine(day, closes)))
            if end > start:
                out.append(Window(lane, start, end))
        return out


def area_lanes(session: Session, office_id: int, area: str) -> AreaLanes:
    """Every lane window of an area, with its emergency lanes (read as plain rows: every hold and search
    needs them, and building ORM objects for a hundred windows cost more than the rest of the read)."""
    rows = session.connection().execute(
        sa_select(_L.c.lane, _L.c.weekday, _L.c.opens, _L.c.closes)
        .where(_L.c.office_id == office_id, _L.c.area == area).order_by(_L.c.lane, _L.c.opens)).all()
    by_weekday: dict[int, list[tuple[int, time, time]]] = {}
    for lane, weekday, opens, closes in rows:
        by_weekday.setdefault(weekday, []).append((lane, opens, closes))
    quota = emergency_lanes([row.lane for row in rows], emergency_share(area))
    return AreaLanes(by_weekday, frozenset(quota))


@lru_cache(maxsize=16)
def _public_holidays(subdivision: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=subdivision, years=year).keys())


def is_public_holiday(day: date, subdivision: str | None = None) -> bool:
    return day in _public_holidays(subdivision or settings().holiday_subdivision, day.year)


def closing_days(session: Session, office_id: int, first: date, last: date) -> set[date]:
    return set(session.exec(select(ClosingDay.day).where(ClosingDay.office_id == office_id,
                                                         ClosingDay.day >= first, ClosingDay.day <= last)))


def horizon(now: datetime) -> tuple[date, date]:
    """First and last bookable Berlin day: today up to the horizon."""
    today = clock.to_local(now).date()
    return today, today + timedelta(days=settings().booking_horizon_days)


def open_days(session: Session, office_id: int, first: date, last: date) -> list[date]:
    """Days from first to last (inclusive) that are not Sunday, public holiday or closing day."""
    closed = closing_days(session, office_id, first, last)
    subdivision = settings().holiday_subdivision
    days = []
    day = first
    while day <= last:
        if day.weekday() != SUNDAY and day not in closed and not is_public_holiday(day, subdivision):
            days.append(day)
        day += timedelta(days=1)
    return days


def close_day(session: Session, office_id: int, day: date, reason: str = "") -> None:
    """Close a day for bookings (idempotent); bookings already made stay and must be moved by staff."""
    exists = session.exec(select(ClosingDay.id).where(ClosingDay.office_id == office_id,
                                                      ClosingDay.day == day)).first()
    if exists is None:
        session.add(ClosingDay(office_id=office_id, day=day, reason=reason))
