"""The definitions of one day's office figures, computed from the recorded visits, tasks and documents.

This is the one place in the web app that says what "waiting time", "served" or "p90" mean, so that
the briefing board (which computes a figure when the controlling job has not stored it) gives the
same numbers as the controlling job (`services/metrics/compute.py`, polars). The definitions below
follow that job's; `DayFigures.as_metrics()` yields the figures keyed like `DailyMetric` rows.

Definitions:
- A visit belongs to the Berlin calendar day of its booked start, or of its check-in if it had no
  booked slot (walk-ins, emergencies).
- Contacts served: visits of the day with a finish time (a dealer batch counts as one contact).
- No-shows: visits of the day with status no_show or a no-show time.
- Waiting time (every visit of the day that was called): called − max(checked in, booked start) for
  visits with a booked slot (appointments, dealer slots); called − checked in for walk-ins and
  emergencies. An early call counts as 0 minutes.
- Bad records (called before checked in; finished before started) keep counting as served, but their
  times enter no average.
- p90: linear interpolation between closest ranks (as `numpy.percentile` / polars
  `quantile(0.9, "linear")`): position 0.9 · (n − 1) in the sorted waits.
- Served within 15 minutes: share of waits ≤ 15 minutes.
- Back-office closed: tasks whose closed_at falls on the day. Backlog: tasks created by the end of
  the day and not closed by then (so the figure can be recomputed for any past day). A task closed
  before it was created is a bad record and left out of both.
- Documents arrived / handed out: arrived_at / handed_over_at on the day (a document handed over
  before it arrived is a bad record and left out of both).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from workstation import clock
from workstation.models import BackofficeTask, DocumentApplication, MetricName, Visit, VisitStatus

WITHIN_MINUTES = 15
P90 = 0.9
OFFICE_TOTAL = ""


def of_office(column, office_id: int):
    """`column == office_id`, written so that SQLite uses the time-range index instead.

    Without statistics SQLite prefers the office_id index, which for a one-office database means
    reading every row of the year; `+ 0` keeps the filter but takes the column out of index choice.
    PostgreSQL plans by statistics and is not affected.
    """
    return column + 0 == office_id


def visit_instant(visit: Visit) -> datetime | None:
    """The instant that places a visit on a day: its booked start, else its check-in."""
    return visit.slot_start or visit.checked_in_at


def is_served(visit: Visit) -> bool:
    """A contact served: the visit has a finish time."""
    return visit.finished_at is not None


def is_no_show(visit: Visit) -> bool:
    """The person did not come (or did not answer the calls)."""
    return visit.status == VisitStatus.NO_SHOW or visit.no_show_at is not None


def waiting_minutes(visit: Visit) -> float | None:
    """Minutes from the later of check-in and booked start until the first call.

    None if not both recorded, or for a bad record (called before checked in).
    """
    if visit.called_at is None or visit.checked_in_at is None or visit.called_at < visit.checked_in_at:
        return None
    ready = max(visit.checked_in_at, visit.slot_start) if visit.slot_start else visit.checked_in_at
    return max(0.0, (visit.called_at - ready).total_seconds() / 60)


def service_minutes(visit: Visit) -> float | None:
    """Service time: finished − started (None unless both are recorded, or finished before started)."""
    if visit.started_at is None or visit.finished_at is None or visit.finished_at < visit.started_at:
        return None
    return (visit.finished_at - visit.started_at).total_seconds() / 60


def percentile_linear(values: Sequence[float], share: float) -> float | None:
    """Percentile with linear interpolation at position share · (n − 1) of the sorted values; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class WaitSummary:
    """Waiting-time figures of a group of served visits (None where there were no waits)."""

    count: int
    mean: float | None
    p90: float | None
    within_share: float | None


def summarise_waits(waits: Sequence[float]) -> WaitSummary:
    """Mean, p90 (linear) and the share ≤ 15 minutes of some waiting times."""
    if not waits:
        return WaitSummary(0, None, None, None)
    within = sum(1 for w in waits if w <= WITHIN_MINUTES)
    return WaitSummary(len(waits), sum(waits) / len(waits), percentile_linear(waits, P90), within / len(waits))


@dataclass(frozen=True)
class AreaFigures:
    """Visit figures of one area (or of the whole office)."""

    served: int
    no_shows: int
    waits: WaitSummary


@dataclass
class DayFigures:
    """One day's figures: per area and office totals, plus back office and pickup desk."""

    day: date
    areas: dict[str, AreaFigures] = field(default_factory=dict)
    total: AreaFigures = field(default_factory=lambda: AreaFigures(0, 0, summarise_waits([])))
    backoffice_closed: int = 0
    backoffice_backlog: int = 0
    documents_arrived: int = 0
    documents_handed_over: int = 0

    def as_metrics(self) -> dict[tuple[str, MetricName], float]:
        """The figures keyed by (area, metric) as the controlling job stores them; absent values left out."""
        out: dict[tuple[str, MetricName], float] = {}
        for area, figures in [*self.areas.items(), (OFFICE_TOTAL, self.total)]:
            out[(area, MetricName.CONTACTS_SERVED)] = figures.served
            out[(area, MetricName.NO_SHOWS)] = figures.no_shows
            for name, value in (
                (MetricName.WAIT_MEAN_MIN, figures.waits.mean),
                (MetricName.WAIT_P90_MIN, figures.waits.p90),
                (MetricName.WAIT_WITHIN_15_SHARE, figures.waits.within_share),
            ):
                if value is not None:
                    out[(area, name)] = value
        out[(OFFICE_TOTAL, MetricName.BACKOFFICE_CLOSED)] = self.backoffice_closed
        out[(OFFICE_TOTAL, MetricName.BACKOFFICE_BACKLOG)] = self.backoffice_backlog
        out[(OFFICE_TOTAL, MetricName.PICKUP_ARRIVED)] = self.documents_arrived
        out[(OFFICE_TOTAL, MetricName.PICKUP_HANDED_OVER)] = self.documents_handed_over
        return out


def visits_of_day(session: Session, office_id: int, day: date) -> list[Visit]:
    """All visits placed on a Berlin calendar day (by booked start, else check-in).

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


def area_figures(visits: Iterable[Visit]) -> AreaFigures:
    """Served, no-shows and waiting times of a group of visits of one day."""
    visits = list(visits)
    waits = [w for w in (waiting_minutes(v) for v in visits) if w is not None]
    return AreaFigures(sum(map(is_served, visits)), sum(map(is_no_show, visits)), summarise_waits(waits))


def _count(session: Session, stmt) -> int:
    return int(session.exec(stmt).one() or 0)


def compute_day(session: Session, office_id: int, day: date, visits: list[Visit] | None = None) -> DayFigures:
    """Every figure of one day computed from the records (pass `visits` if already loaded)."""
    if visits is None:
        visits = visits_of_day(session, office_id, day)
    start, end = clock.local_day_bounds(day)
    figures = DayFigures(day=day)
    by_area: dict[str, list[Visit]] = {}
    for visit in visits:
        by_area.setdefault(visit.area, []).append(visit)
    figures.areas = {area: area_figures(group) for area, group in sorted(by_area.items())}
    figures.total = area_figures(visits)
    task, doc = BackofficeTask, DocumentApplication
    task_ok = (of_office(task.office_id, office_id), or_(task.closed_at.is_(None), task.closed_at >= task.created_at))
    doc_ok = (
        of_office(doc.office_id, office_id),
        or_(doc.handed_over_at.is_(None), doc.arrived_at.is_(None), doc.arrived_at <= doc.handed_over_at),
    )
    figures.backoffice_closed = _count(
        session, select(func.count()).where(*task_ok, task.closed_at >= start, task.closed_at < end)
    )
    figures.backoffice_backlog = _count(
        session,
        select(func.count()).where(
            *task_ok, task.created_at < end, or_(task.closed_at.is_(None), task.closed_at >= end)
        ),
    )
    figures.documents_arrived = _count(
        session, select(func.count()).where(*doc_ok, doc.arrived_at >= start, doc.arrived_at < end)
    )
    figures.documents_handed_over = _count(
        session, select(func.count()).where(*doc_ok, doc.handed_over_at >= start, doc.handed_over_at < end)
    )
    return figures
