"""Staff book for a caller or a person at the desk: every active service, optionally into the emergency lanes.

The rules are the citizens' (catalogue, lanes, closed days, horizon, one lane per appointment, the
database's claims); only the online-only parts fall away: no proof of work, no rate limit, e-mail optional.
"""

from collections.abc import Sequence
from datetime import date, datetime

from workstation import clock, db
from workstation.services.booking import catalogue, search


def catalogue_rows(office_id: int) -> list[dict]:
    """Every active service of the office (also those not bookable online) with its count choices."""
    with db.read_scope() as session:
        entries = catalogue.listing(session, online=False, office_id=office_id)
    return [{"id": str(e.service_id), "name": e.name, "minutes": str(e.minutes),
             "options": [str(n) for n in range(e.max_count + 1)]} for e in entries]


def free_times(office_id: int, items: Sequence[tuple[int, int]], *, emergency: bool, day: date | None = None,
               now: datetime | None = None, count: int = 12) -> list[datetime]:
    """The next free starts (or all of one day), in the public lanes or, with `emergency`, the quota lanes."""
    instant = now or clock.now()
    with db.read_scope() as session:
        plan = catalogue.plan(session, items, online=False, office_id=office_id)
        if day is not None:
            return search.free_on_day(session, office_id, plan.area, plan.units, day, instant,
                                      emergency=emergency)
        return search.first_free(session, office_id, plan.area, plan.units, instant, count,
                                 emergency=emergency)
