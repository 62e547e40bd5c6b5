"""The lead time as citizens were really offered it: the booking engine's first free online time, recorded.

Each morning (the `lead_time_morning` job, 06:00 Berlin) one `LeadTimeRecord` is taken per office and
area that citizens can book online: the engine's first free start for the area's reference concern,
searched exactly as the public booking page searches (online catalogue, public lanes only — the
emergency quota is never offered online —, Sundays, public holidays and closing days skipped, the
minimum lead time, holds and cancelled times still cooling off counted as taken, the horizon). The
lead time is the calendar days from the morning's day to the day of that start; nothing free within
the horizon records the horizon (a lower bound).

The reference concern of an area is its online-bookable service with the longest planned duration
(ties: the lowest code), booked once. Why that one: any shorter single concern fits every gap it
fits, so the figure reads "by then, a citizen with any single concern of this area got a time" — a
promise that holds for the whole area, exists for every office's catalogue (also a foreigners'
office) and does not drift with the mix of what was booked. The record names the concern and its
minutes, so a reader sees what was measured.

A record is written once per office, area and day: re-running the job (a new scheduler holder, a
catch-up after a restart) leaves the morning's record as it is. Past days cannot be recorded after
the fact — the engine only knows the bookings as they stand now —, so a day without a record has no
lead time ("keine Daten").
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from workstation import clock, db
from workstation.config import settings
from workstation.models import LeadTimeRecord, Office
from workstation.services.booking import capacity, catalogue, search

log = logging.getLogger(__name__)

ENGINE = "engine"
"""`LeadTimeRecord.source` of a record taken from the booking engine."""


@dataclass(frozen=True)
class Reference:
    """The concern an area's lead time is searched for."""

    area: str
    service_id: int
    code: str
    minutes: int


def reference_concerns(session: Session, office_id: int) -> list[Reference]:
    """Per area the office offers online (with at least one public lane): its reference concern."""
    best: dict[str, catalogue.CatalogueEntry] = {}
    for entry in catalogue.listing(session, online=True, office_id=office_id):
        held = best.get(entry.area)
        if held is None or (entry.minutes, held.code) > (held.minutes, entry.code):
            best[entry.area] = entry
    out = []
    for area, entry in sorted(best.items()):
        lanes = capacity.area_lanes(session, office_id, area)
        if any(lane not in lanes.emergency for windows in lanes.by_weekday.values() for lane, _, _ in windows):
            out.append(Reference(area, entry.service_id, entry.code, entry.minutes))
    return out


def lead_days(day: date, first_free_at: datetime | None) -> int:
    """Calendar days from `day` to the Berlin day of the first free start (the horizon when there is none)."""
    if first_free_at is None:
        return settings().booking_horizon_days
    return (clock.to_local(first_free_at).date() - day).days


def offered(session: Session, office_id: int, now: datetime) -> list[dict]:
    """The engine's first free online time of every area of one office at `now`, as record rows."""
    day = clock.to_local(now).date()
    rows = []
    for ref in reference_concerns(session, office_id):
        plan = catalogue.plan(session, [(ref.service_id, 1)], online=True, office_id=office_id)
        found = search.first_free(session, office_id, plan.area, plan.units, now, 1)
        first = found[0] if found else None
        rows.append({"office_id": office_id, "area": ref.area, "day": day, "recorded_at": now,
                     "service_code": ref.code, "minutes": ref.minutes, "first_free_at": first,
                     "lead_days": lead_days(day, first), "source": ENGINE})
    return rows


def save(session: Session, rows: list[dict]) -> int:
    """Insert records, skipping an office, area and day that already has one; returns rows inserted."""
    if not rows:
        return 0
    table = LeadTimeRecord.__table__  # type: ignore[attr-defined]
    dialect = session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = {(r["office_id"], r["area"], r["day"]) for r in rows}
    present = {tuple(k) for k in session.execute(
        select(table.c.office_id, table.c.area, table.c.day).where(
            table.c.day.in_({day for _, _, day in keys}), table.c.office_id.in_({o for o, _, _ in keys})))}
    session.execute(insert(table).on_conflict_do_nothing(), rows)
    return len(keys - present)


def record(now: datetime | None = None, office_ids: Collection[int] | None = None) -> int:
    """Record every office's (or `office_ids`') first free online times of this morning; returns rows added.

    One office's failure (e.g. a catalogue being edited) does not keep the others from being recorded.
    """
    instant = now or clock.now()
    with db.read_scope() as session:
        ids = [i for i in session.execute(select(Office.id).order_by(Office.id)).scalars()
               if office_ids is None or i in office_ids]
    added = 0
    for office_id in ids:
        try:
            with db.read_scope() as session:
                rows = offered(session, office_id, instant)
            with db.session_scope() as session:
                added += save(session, rows)
        except Exception:
            log.exception("lead time of office %s could not be recorded; the next run tries again", office_id)
    return added
