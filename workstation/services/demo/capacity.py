"""Bookable capacity of the demo office, derived from its own year of bookings.

Each area gets, per weekday, the 35th percentile of the appointments booked for that weekday as its
slots: quiet days keep free slots, busy weeks fill up. With the demo's booking habits (most bookings a
few days ahead) the lead time to the next free slot comes out at about 1.5 days on average, up to 6 —
shorter than Offenbach's 4 days of 2022, because the demo books closer to the day.
"""

import math
from collections import defaultdict

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session, select

from workstation import clock
from workstation.models import BookingCapacity, Office, Visit, VisitKind

CAPACITY_PERCENTILE = 35


def write_capacity(session: Session, office_id: int | None = None) -> int:
    """Insert BookingCapacity rows of one office (default: the only one) for every area and weekday."""
    office_id = office_id if office_id is not None else session.exec(select(Office.id)).one()
    per_day: dict[tuple[str, int], dict] = defaultdict(lambda: defaultdict(int))
    rows = session.exec(
        select(Visit.area, Visit.slot_start).where(
            Visit.office_id == office_id, Visit.kind == VisitKind.APPOINTMENT, Visit.slot_start.is_not(None),
            Visit.cancelled_at.is_(None),
        )
    )
    for area, slot_start in rows:
        local_day = clock.to_local(slot_start).date()
        per_day[(area, local_day.weekday())][local_day] += 1
    capacity = [
        {"office_id": office_id, "area": area, "weekday": weekday,
         "slots": math.ceil(np.percentile(list(days.values()), CAPACITY_PERCENTILE))}
        for (area, weekday), days in sorted(per_day.items())
    ]
    if capacity:
        session.execute(insert(BookingCapacity), capacity)
    return len(capacity)
