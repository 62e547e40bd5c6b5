"""The definitions of one day's office figures, computed from the recorded visits, tasks and documents.

This is the single place that says what "waiting time", "served" or "p90" mean, so that the briefing
board (which computes a figure when the controlling job has not stored it) and the controlling job
arrive at the same numbers. `DayFigures.as_metrics()` yields them keyed like `DailyMetric` rows.

Definitions:
- A visit belongs to the Berlin calendar day of its check-in, or of its booked start if it never
  checked in (no-shows).
- Contacts served: visits of the day with status finished (a dealer batch counts as one contact).
- No-shows: visits of the day with status no_show.
- Waiting time (of served visits): called − max(checked in, booked start) for visits with a booked
  slot (appointments, dealer slots); called − checked in for walk-ins and emergencies. An early call
  counts as 0 minutes. Visits without a check-in or call time have no waiting time.
- p90: nearest-rank percentile — the value at rank ceil(0.9 · n) of the sorted waits (always an
  observed wait, no interpolation).
- Served within 15 minutes: share of waits ≤ 15 minutes.
- Back-office closed: tasks whose closed_at falls on the day. Backlog: tasks created before the end
  of the day and not closed by then (so the figure can be recomputed for any past day).
- Documents handed out: applications whose handed_over_at falls on the day; arrived: arrived_at on
  the day.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from workstation import clock
from workstation.models import BackofficeTask, DocumentApplication, MetricName, Visit, VisitStatus

WITHIN_MINUTES = 15
P90 = 0.9
OFFICE_TOTAL = ""


def visit_instant(visit: Visit) -> datetime | None:
    """The instant that places a visit on a day: its check-in, else its booked start."""
    return visit.checked_in_at or visit.slot_start


def waiting_minutes(visit: Visit) -> float | None:
    """Minutes from the later of check-in and booked start until the first call (None if not both)."""
    if visit.called_at is None or visit.checked_in_at is None:
        return None
    ready = max(visit.checked_in_at, visit.slot_start) if visit.slot_start else visit.checked_in_at
    return max(0.0, (visit.called_at - ready).total_seconds() / 60)


def service_minutes(visit: Visit) -> float | None:
    """Service time: finished − started (None unless both are recorded)."""
    if visit.started_at is None or visit.finished_at is None:
        return None
    return max(0.0, (visit.finished_at - visit.started_at).total_seconds() / 60)


def percentile_nearest_rank(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the sorted value at rank ceil(share · n); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class WaitSummary:
    """Waiting-time figures of a group of served visits (None where there were no waits)."""

    count: int
    mean: float | None
    p90: float | None
    within_share: float | None


def summarise_waits(waits: Sequence[float]) -> WaitSummary:
    """Mean, nearest-rank p90 and the share ≤ 15 minutes of some waiting times."""
    if not waits:
        return WaitSummary(0, None, None, None)
    within = sum(1 for w in waits if w <= WITHIN_MINUTES)
    return WaitSummary(len(waits), sum(waits) / len(waits), percentile_nearest_rank(waits, P90), within / len(waits))


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
    """All visits placed on a Berlin calendar day (by check-in, else booked start)."""
    start, end = clock.local_day_bounds(day)
    stmt = select(Visit).where(
        Visit.office_id == office_id,
        or_(
            and_(Visit.checked_in_at >= start, Visit.checked_in_at < end),
            and_(Visit.checked_in_at.is_(None), Visit.slot_start >= start, Visit.slot_start < end),
        ),
    )
    return list(session.exec(stmt))


def area_figures(visits: Iterable[Visit]) -> AreaFigures:
    """Served, no-shows and waiting times of a group of visits of one day."""
    visits = list(visits)
    served = [v for v in visits if v.status == VisitStatus.FINISHED]
    waits = [w for w in (waiting_minutes(v) for v in served) if w is not None]
    no_shows = sum(1 for v in visits if v.status == VisitStatus.NO_SHOW)
    return AreaFigures(len(served), no_shows, summarise_waits(waits))


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
    task = BackofficeTask
    figures.backoffice_closed = _count(
        session,
        select(func.count()).where(task.office_id == office_id, task.closed_at >= start, task.closed_at < end),
    )
    figures.backoffice_backlog = _count(
        session,
        select(func.count()).where(
            task.office_id == office_id,
            task.created_at < end,
            or_(task.closed_at.is_(None), task.closed_at >= end),
        ),
    )
    doc = DocumentApplication
    figures.documents_arrived = _count(
        session,
        select(func.count()).where(doc.office_id == office_id, doc.arrived_at >= start, doc.arrived_at < end),
    )
    figures.documents_handed_over = _count(
        session,
        select(func.count()).where(doc.office_id == office_id, doc.handed_over_at >= start, doc.handed_over_at < end),
    )
    return figures
