"""The visits of one office day and their waiting and service minutes, for the board's "Auffällig" list.

The day's figures themselves (served, waits, p90, backlog, …) come only from the controlling metrics
(`services/metrics`); this module adds what the board shows beyond them: which single visits waited
longest or overran. Their minutes are computed with the controlling job's own polars expressions
(`metrics.visit_rules.waiting_minutes`, `service_minutes`, `served`), so a visit the job leaves out of
its averages (a bad record) is not named here either, and "over 15 minutes" is the job's target.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlmodel import Session, select

from workstation import clock
from workstation.models import Visit
from workstation.services.metrics import compute, visit_rules

WAIT_TARGET_MIN = compute.WAIT_TARGET_MIN


def of_office(column, office_id: int):
    """`column == office_id`, written so that SQLite uses the time-range index instead.

    Without statistics SQLite prefers the office_id index, which for a one-office database means
    reading every row of the year; `+ 0` keeps the filter but takes the column out of index choice.
    PostgreSQL plans by statistics and is not affected.
    """
    return column + 0 == office_id


def visits_of_day(session: Session, office_id: int, day: date) -> list[Visit]:
    """All visits placed on a Berlin calendar day as the controlling job places them: by booked start,
    else by check-in.

    Two range queries rather than one OR, so that each can use its timestamp index.
    """
    start, end = clock.local_day_bounds(day)
    booked = select(Visit).where(
        of_office(Visit.office_id, office_id), Visit.slot_start >= start, Visit.slot_start < end
    )
    unbooked = select(Visit).where(
        of_office(Visit.office_id, office_id),
        Visit.checked_in_at >= start,
        Visit.checked_in_at < end,
        Visit.slot_start.is_(None),
    )
    return [*session.exec(booked), *session.exec(unbooked)]


@dataclass(frozen=True)
class VisitTimes:
    """One visit's minutes as the controlling job counts them (None where it counts none)."""

    served: bool
    wait: float | None
    service: float | None


def visit_times(visits: list[Visit]) -> dict[int, VisitTimes]:
    """Served flag, waiting and service minutes per visit id, by the controlling job's definitions."""
    schema = {"visit_id": pl.Int64, **{c: pl.Datetime("us") for c in visit_rules.VISIT_TIME_COLUMNS}}
    rows = [[v.id, *(getattr(v, c) for c in visit_rules.VISIT_TIME_COLUMNS)] for v in visits]
    # The ORM has read every timestamp already, so none of these is malformed.
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(pl.lit(False).alias("malformed")).select(
        "visit_id",
        visit_rules.served().alias("served"),
        visit_rules.waiting_minutes().alias("wait"),
        visit_rules.service_minutes().alias("service"),
    )
    return {r[0]: VisitTimes(*r[1:]) for r in frame.iter_rows()}
