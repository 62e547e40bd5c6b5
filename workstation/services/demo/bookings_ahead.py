"""The demo office's appointments of the coming weeks, booked through the booking engine.

Every appointment after the demo day is claimed on a lane with `booking.claims.take` and recorded with
`booking.bookings.record` — the same rows an online or phone booking makes (person, visit, concerns,
the booked reservation, the change token; no mail) — so the free times a citizen sees, the emergency
lanes and the lead time all come from the engine itself, not from a separate estimate.

How full a day is follows how far ahead people book. The public lanes of the next `FULL_DAYS` working
days are taken completely (no gap a concern of the area fits into), so the first free time of a
typical concern lies on the fourth working day — Offenbach's lead time of 4 days in 2022 (seed 000).
After that the share booked halves every `HALF_LIFE_DAYS` working days, down to a few appointments
in the eighth week. The emergency lanes stay free: staff book urgent cases into them.
"""

import random
import string
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from workstation import clock
from workstation.config import settings
from workstation.models import Service, Visit
from workstation.models.enums import BookingChannel
from workstation.services.booking import bookings, capacity, catalogue, claims, search
from workstation.services.booking.catalogue import Plan
from workstation.services.booking.contact import Contact
from workstation.services.booking.errors import BookingError
from workstation.services.booking.units import to_unit
from workstation.services.demo.names import FIRST_NAMES, LAST_NAMES, ascii_slug

FULL_DAYS = 3
FIRST_PARTLY_FILL = 0.85
HALF_LIFE_DAYS = 3
WORKING_DAYS_AHEAD = 40
SECOND_CONCERN_SHARE = 0.2
PHONE_SHARE = 0.25
_PART_AHEAD = 31
_S, _V = Service.__table__, Visit.__table__  # type: ignore[attr-defined]


def _plans(session: Session, office_id: int, rng: random.Random) -> dict[str, list[Plan]]:
    """Plans of one and of two concerns per area, from the office's online-bookable services."""
    rows = session.connection().execute(select(_S.c.id, _S.c.area).where(
        _S.c.office_id == office_id, _S.c.active.is_(True), _S.c.online_bookable.is_(True)).order_by(_S.c.id)).all()
    by_area: dict[str, list[int]] = {}
    for service_id, area in rows:
        by_area.setdefault(area, []).append(service_id)
    plans: dict[str, list[Plan]] = {}
    for area, ids in by_area.items():
        requests = [[(i, 1)] for i in ids] + [[(i, 1), (rng.choice(ids), 1)] for i in ids]
        for request in requests:
            try:
                plan = catalogue.plan(session, request, online=True, office_id=office_id)
            except BookingError:  # a pair the catalogue does not allow together
                continue
            if plan.area == area:
                plans.setdefault(area, []).append(plan)
    return plans


def _fill(k: int) -> float:
    """Share of the public lane time booked on the k-th working day from the demo day (0: the day itself)."""
    return 1.0 if k <= FULL_DAYS else FIRST_PARTLY_FILL * 0.5 ** ((k - FULL_DAYS - 1) / HALF_LIFE_DAYS)


class _Booker:
    """Books one appointment at a time through the engine's transaction core, reproducibly."""

    def __init__(self, session: Session, office_id: int, today: date, rng: random.Random) -> None:
        self.session, self.office_id, self.rng = session, office_id, rng
        self.morning = clock.to_utc(datetime.combine(today, time(7)))
        self.codes = set(session.connection().execute(select(_V.c.booking_code)
                                                      .where(_V.c.booking_code.is_not(None))).scalars())
        self.made = 0

    def _code(self) -> str:
        while True:
            code = "".join(self.rng.choice(bookings.CODE_ALPHABET) for _ in range(bookings.CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _person(self) -> Contact:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        tag = "".join(self.rng.choice(string.digits) for _ in range(3))
        email = f"{ascii_slug(first)}.{ascii_slug(last)}{tag}@example.org".lower()
        return Contact(first, last, email, None)

    def book(self, plan: Plan, area: str, lane: int, start: int, working_days_ahead: int) -> None:
        booked_at = self.morning - timedelta(minutes=self.rng.randint(30, 60 * 24 * max(1, 12 - working_days_ahead)))
        reservation = claims.take(self.session, office_id=self.office_id, area=area, lane=lane, start=start,
                                  end=start + plan.units, state=claims.BOOKED, now=booked_at)
        channel = BookingChannel.PHONE if self.rng.random() < PHONE_SHARE else BookingChannel.ONLINE
        bookings.record(self.session, bookings.Claimed(reservation, self.office_id, start, start + plan.units), plan,
                        self._person(), channel, booked_at, mail=False, code=self._code())
        self.made += 1


def _free_stretches(window: capacity.Window, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The unclaimed unit ranges of a lane's window (the demo day's own appointments hold theirs already)."""
    out, cursor = [], window.start
    for first, last in taken:
        if last <= cursor or first >= window.end:
            continue
        if first > cursor:
            out.append((cursor, first))
        cursor = max(cursor, last)
    if cursor < window.end:
        out.append((cursor, window.end))
    return out


def book_ahead(session: Session, office_id: int, today: date, seed: int) -> int:
    """Book the demo day's remaining public lane time and the coming working days of an office through the
    engine; returns how many appointments."""
    rng = random.Random(seed * 1000 + _PART_AHEAD)
    plans = _plans(session, office_id, rng)
    booker = _Booker(session, office_id, today, rng)
    lanes = {area: capacity.area_lanes(session, office_id, area) for area in plans}
    days = capacity.open_days(session, office_id, today, today + timedelta(days=settings().booking_horizon_days))
    first_unit = to_unit(clock.local_day_bounds(today)[0])
    taken = {area: search.occupied(session, office_id, area, first_unit, first_unit + 10 ** 6, booker.morning)
             for area in plans}
    for k, day in enumerate(days[:WORKING_DAYS_AHEAD + 1]):
        fill = _fill(k)
        for area, area_plans in plans.items():
            shortest = min(p.units for p in area_plans)
            for window in lanes[area].windows(day, emergency=False):
                for unit, end in _free_stretches(window, taken[area].get(window.lane, [])):
                    while end - unit >= shortest:
                        plan = rng.choice(area_plans)
                        if unit + plan.units > end:  # the stretch's last minutes: the longest plan that still fits
                            plan = max((p for p in area_plans if unit + p.units <= end), key=lambda p: p.units)
                        if rng.random() < fill:
                            booker.book(plan, area, window.lane, unit, k)
                        unit += plan.units
    return booker.made
