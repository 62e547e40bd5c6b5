"""A demo clock for `make run`: the README's story (Vanessa Graf at 08:00) works at any hour and on any day.

The demo office is seeded for the day of its first start, with that morning's appointments. Started at
night, at the weekend or a week later, the check-in would say "ab 07:45 Uhr" or find no appointment.
So when the seeded demo office is there and the real time is outside that day's morning, the run
command starts the server's clock at 07:55 of the demo day (`WORKSTATION_NOW`), and the header shows
"Demo-Uhr". A configured `WORKSTATION_NOW` wins; `WORKSTATION_DEMO_CLOCK=off` keeps the real clock.
"""

import os
from datetime import date, datetime, time

from sqlmodel import select

from workstation import clock, db
from workstation.models import Visit
from workstation.services.demo.vanessa import VANESSA_BOOKING_CODE

START = time(7, 55)
_MORNING = (time(7, 45), time(12, 0))


def demo_day() -> date | None:
    """The day the demo office was seeded for (the day of Vanessa Graf's 08:00 appointment), if it is there."""
    with db.read_scope() as session:
        slot = session.exec(select(Visit.slot_start).where(Visit.booking_code == VANESSA_BOOKING_CODE)).first()
    return clock.to_local(slot).date() if slot else None


def start_instant(real_now: datetime | None = None) -> datetime | None:
    """Where the demo clock should start (Berlin wall time with offset), or None to keep the real clock."""
    if os.environ.get("WORKSTATION_NOW") or os.environ.get("WORKSTATION_DEMO_CLOCK") == "off":
        return None
    day = demo_day()
    if day is None:
        return None
    local = clock.to_local(real_now or clock.now())
    if local.date() == day and _MORNING[0] <= local.time() <= _MORNING[1]:
        return None
    return datetime.combine(day, START, tzinfo=clock.BERLIN)
