"""The 07:45 briefing board: a review of the last office day and today's load.

Yesterday's figures are the controlling figures and nothing else, so the board and the controlling
page can never disagree: the job's stored `DailyMetric` rows, or, before the nightly job has run for
that day, the same computation run now (`metrics.compute_range`) without storing it. The review
names the few visits that stood out; reading those is logged in the audit trail because they point
at individual citizens.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy import func
from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    ApplicationStatus,
    AuditAction,
    BackofficeTask,
    Concern,
    CounterKind,
    DailyMetric,
    Dealer,
    DocumentApplication,
    MetricName,
    Reservation,
    Service,
    TaskStatus,
    Visit,
    VisitKind,
    VisitStatus,
)
from workstation.services import metrics
from workstation.services.briefing.staffing import DeskStaffing, desks_of_day, staffed_counters
from workstation.services.briefing.visit_times import WAIT_TARGET_MIN, of_office, visit_times, visits_of_day
from workstation.services.staff import audit

STANDOUT_COUNT = 3
OVERRUN_MIN_MINUTES = 10
LOOKBACK_DAYS = 14
SATURDAY = 5
# Listed rather than "!= done" so that the status index finds the few open tasks among a year of closed ones.
OPEN_TASK_STATUSES = tuple(s.value for s in TaskStatus if s != TaskStatus.DONE)

OFFICE_TOTAL = ""  # the area of office totals in `DailyMetric`

# Office totals the review shows; if the controlling job stored all of them nothing is computed.
REVIEW_TOTALS = (
    MetricName.CONTACTS_SERVED,
    MetricName.NO_SHOWS,
    MetricName.WAITS_MEASURED,
    MetricName.WAIT_MEAN_MIN,
    MetricName.WAIT_P90_MIN,
    MetricName.WAIT_WITHIN_15_SHARE,
    MetricName.BACKOFFICE_CLOSED,
    MetricName.BACKOFFICE_BACKLOG,
    MetricName.PICKUP_HANDED_OVER,
)
# The controlling job stores 0 for the average of no values; its count tells "no waits" from "0 minutes".
COUNTED_BY = {
    MetricName.WAIT_MEAN_MIN: MetricName.WAITS_MEASURED,
    MetricName.WAIT_P90_MIN: MetricName.WAITS_MEASURED,
    MetricName.WAIT_WITHIN_15_SHARE: MetricName.WAITS_MEASURED,
}


@dataclass(frozen=True)
class Standout:
    """A visit that stood out: a long wait or a service far over its planned time."""

    visit_id: int
    at: datetime
    area: str
    services: str
    minutes: float
    planned_minutes: float | None = None


@dataclass
class Review:
    """The last office day: its controlling figures (stored, or computed now) and what stood out."""

    day: date
    figures: dict[tuple[str, str], float]
    stored: bool
    longest_waits: list[Standout] = field(default_factory=list)
    overruns: list[Standout] = field(default_factory=list)
    closed_counters: list[str] = field(default_factory=list)

    def value(self, metric: MetricName, area: str = OFFICE_TOTAL) -> float | None:
        """One figure, None if there is none (e.g. no waits on that day)."""
        count = COUNTED_BY.get(metric)
        if count is not None and not self.figures.get((area, count)):
            return None
        return self.figures.get((area, metric))

    def served_by_area(self) -> list[tuple[str, int]]:
        """Contacts served per area, largest first."""
        rows = [(area, int(v)) for (area, m), v in self.figures.items() if m == MetricName.CONTACTS_SERVED and area]
        return sorted(rows, key=lambda r: (-r[1], r[0]))


@dataclass(frozen=True)
class HourLoad:
    """Booked appointments starting in one hour, by area, and the counters they need."""

    hour: int
    by_area: dict[str, int]
    booked: int
    booked_minutes: int

    @property
    def counters_needed(self) -> float:
        return self.booked_minutes / 60


@dataclass(frozen=True)
class DealerBatch:
    """A dealer's batch of registrations expected today."""

    at: datetime | None
    dealer: str
    batch_size: int
    status: str


@dataclass
class TodayLoad:
    """What today holds: appointments against staffed counters, quotas, batches, pickups, tasks, desks."""

    day: date
    hours: list[HourLoad]
    appointments: int
    staffed_counters: int
    staffed_dealer_desks: int
    peak_hour: int | None
    emergency_quota: int
    emergencies_so_far: int
    dealer_batches: list[DealerBatch]
    documents_ready: int
    documents_new: int
    tasks_due_today: int
    tasks_overdue: int
    desks: list[DeskStaffing]


def previous_office_day(session: Session, office_id: int, day: date) -> date:
    """The last day before `day` on which the office saw visits (Monday → Friday).

    Without any visits in the last two weeks (a new office) it is the previous weekday.
    """
    start, _ = clock.local_day_bounds(day)
    floor = start - timedelta(days=LOOKBACK_DAYS)
    latest_check_in = session.exec(
        select(func.max(Visit.checked_in_at)).where(
            of_office(Visit.office_id, office_id), Visit.checked_in_at < start, Visit.checked_in_at >= floor
        )
    ).one()
    latest_slot = session.exec(
        select(func.max(Visit.slot_start)).where(
            of_office(Visit.office_id, office_id),
            Visit.slot_start < start,
            Visit.slot_start >= floor,
            Visit.status != VisitStatus.CANCELLED,
        )
    ).one()
    latest = max((t for t in (latest_check_in, latest_slot) if t is not None), default=None)
    if latest is not None:
        return clock.to_local(latest).date()
    previous = day - timedelta(days=1)
    while previous.weekday() >= SATURDAY:
        previous -= timedelta(days=1)
    return previous


def stored_figures(session: Session, office_id: int, day: date) -> dict[tuple[str, str], float]:
    """The controlling job's figures of one day (office and area level, not per service)."""
    rows = session.exec(
        select(DailyMetric).where(
            DailyMetric.office_id == office_id, DailyMetric.day == day, DailyMetric.service_code == ""
        )
    ).all()
    return {(r.area, r.metric): r.value for r in rows}


def computed_figures(office_id: int, day: date) -> dict[tuple[str, str], float]:
    """The controlling figures of one day computed now by the controlling code, not stored.

    Used before the nightly job has stored the day. Not `metrics.refresh`: a page view should not write
    the controlling record (refresh replaces the day of every office, and two boards opened at once
    would race on it); the nightly job stores the day as usual, with the same result.
    """
    frame = metrics.compute_range(day, day).filter(
        (pl.col("office_id") == office_id) & (pl.col("day") == day) & (pl.col("service_code") == "")
    )
    return {(r["area"], r["metric"]): r["value"] for r in frame.iter_rows(named=True)}


def _planned_minutes(session: Session, visit_ids: list[int]) -> dict[int, int]:
    if not visit_ids:
        return {}
    rows = session.exec(
        select(Concern.visit_id, func.sum(Service.planned_minutes))
        .join(Service, Concern.service_id == Service.id)
        .where(col(Concern.visit_id).in_(visit_ids))
        .group_by(Concern.visit_id)
    ).all()
    return {visit_id: int(total or 0) for visit_id, total in rows}


def _service_names(session: Session, visit_ids: list[int]) -> dict[int, str]:
    if not visit_ids:
        return {}
    rows = session.exec(
        select(Concern.visit_id, Service.name)
        .join(Service, Concern.service_id == Service.id)
        .where(col(Concern.visit_id).in_(visit_ids))
        .order_by(Concern.visit_id, Concern.id)
    ).all()
    names: dict[int, list[str]] = {}
    for visit_id, name in rows:
        names.setdefault(visit_id, []).append(name)
    return {visit_id: ", ".join(n) for visit_id, n in names.items()}


def _standouts(session: Session, visits: list[Visit]) -> tuple[list[Standout], list[Standout]]:
    times = visit_times(visits)
    served = [v for v in visits if times[v.id].served]
    waited = [(w, v) for v in visits if (w := times[v.id].wait) is not None]
    long_waits = sorted(((w, v) for w, v in waited if w > WAIT_TARGET_MIN), key=lambda p: (-p[0], p[1].id))[
        :STANDOUT_COUNT
    ]
    planned = _planned_minutes(session, [v.id for v in served])
    factor = settings().overrun_factor
    over = []
    for v in served:
        actual, plan = times[v.id].service, planned.get(v.id)
        if actual is None or not plan:
            continue
        if actual >= plan * factor and actual - plan >= OVERRUN_MIN_MINUTES:
            over.append((actual / plan, actual, plan, v))
    over = sorted(over, key=lambda p: (-p[0], p[3].id))[:STANDOUT_COUNT]
    names = _service_names(session, [v.id for _, v in long_waits] + [p[3].id for p in over])
    waits = [Standout(v.id, clock.to_local(v.checked_in_at), v.area, names.get(v.id, ""), w) for w, v in long_waits]
    overruns = [
        Standout(v.id, clock.to_local(v.started_at), v.area, names.get(v.id, ""), actual, plan)
        for _, actual, plan, v in over
    ]
    return waits, overruns


def _closed_counters(session: Session, office_id: int, day: date, visits: list[Visit]) -> list[str]:
    """Active counters (regular and dealer) nobody was assigned to and nobody was served at."""
    desks = desks_of_day(session, office_id, day)
    used = {v.counter_id for v in visits if v.counter_id is not None}
    return [
        d.counter
        for d in desks
        if d.kind in (CounterKind.REGULAR, CounterKind.DEALER) and not d.staff and d.counter_id not in used
    ]


def _audit_standouts(session: Session, user_id: int | None, standouts: list[Standout]) -> None:
    visit_ids = sorted({s.visit_id for s in standouts})
    if not visit_ids:
        return
    citizens = dict(session.exec(select(Visit.id, Visit.citizen_id).where(col(Visit.id).in_(visit_ids))).all())
    for visit_id in visit_ids:
        audit.record(
            session,
            user_id=user_id,
            action=AuditAction.READ,
            entity="visit",
            entity_id=visit_id,
            citizen_id=citizens.get(visit_id),
            detail="Briefing: Auffälligkeiten des Vortags",
        )


def review(office_id: int, user_id: int | None, today: date | None = None, now: datetime | None = None) -> Review:
    """The last office day before `today` with its controlling figures (computed now if not stored yet)."""
    now = now or clock.now()
    today = today or clock.to_local(now).date()
    with db.session_scope() as session:
        day = previous_office_day(session, office_id, today)
        figures = stored_figures(session, office_id, day)
    stored = all((OFFICE_TOTAL, m) in figures for m in REVIEW_TOTALS)
    if not stored:
        figures = computed_figures(office_id, day)
    with db.session_scope() as session:
        visits = visits_of_day(session, office_id, day)
        waits, overruns = _standouts(session, visits)
        result = Review(
            day=day,
            figures=figures,
            stored=stored,
            longest_waits=waits,
            overruns=overruns,
            closed_counters=_closed_counters(session, office_id, day, visits),
        )
        _audit_standouts(session, user_id, waits + overruns)
    return result


def _hour_loads(session: Session, office_id: int, day: date) -> list[HourLoad]:
    start, end = clock.local_day_bounds(day)
    appointments = session.exec(
        select(Visit).where(
            of_office(Visit.office_id, office_id),
            Visit.kind == VisitKind.APPOINTMENT,
            Visit.status != VisitStatus.CANCELLED,
            Visit.slot_start >= start,
            Visit.slot_start < end,
        )
    ).all()
    planned = _planned_minutes(session, [v.id for v in appointments])
    hours: dict[int, dict[str, int]] = {}
    minutes: dict[int, int] = {}
    for v in appointments:
        hour = clock.to_local(v.slot_start).hour
        hours.setdefault(hour, {})
        hours[hour][v.area] = hours[hour].get(v.area, 0) + 1
        minutes[hour] = minutes.get(hour, 0) + planned.get(v.id, 0)
    return [HourLoad(h, hours[h], sum(hours[h].values()), minutes[h]) for h in sorted(hours)]


def _dealer_batches(session: Session, office_id: int, day: date) -> list[DealerBatch]:
    start, end = clock.local_day_bounds(day)
    rows = session.exec(
        select(Visit, Dealer.name)
        .join(Dealer, col(Visit.dealer_id) == Dealer.id)
        .where(
            of_office(Visit.office_id, office_id),
            Visit.kind == VisitKind.DEALER,
            Visit.status != VisitStatus.CANCELLED,
            func.coalesce(Visit.slot_start, Visit.checked_in_at) >= start,
            func.coalesce(Visit.slot_start, Visit.checked_in_at) < end,
        )
    ).all()
    batches = [
        DealerBatch(
            clock.to_local(v.slot_start or v.checked_in_at) if (v.slot_start or v.checked_in_at) else None,
            name,
            v.batch_size,
            v.status,
        )
        for v, name in rows
    ]
    return sorted(batches, key=lambda b: (b.at is None, b.at or datetime.min, b.dealer))


def _count(session: Session, stmt) -> int:
    return int(session.exec(stmt).one() or 0)


def today_load(
    office_id: int, day: date | None = None, now: datetime | None = None, new_since: date | None = None
) -> TodayLoad:
    """Today's appointments by hour and area against the staffed counters, and what else the day holds.

    `documents_new` counts documents ready for pickup that arrived since the start of `new_since`
    (the reviewed day; default yesterday), so that Monday's board shows what came in over the weekend.
    """
    now = now or clock.now()
    day = day or clock.to_local(now).date()
    start, end = clock.local_day_bounds(day)
    with db.session_scope() as session:
        hours = _hour_loads(session, office_id, day)
        desks = desks_of_day(session, office_id, day)
        peak = max(hours, key=lambda h: (h.booked_minutes, h.booked, -h.hour), default=None)
        emergencies = _count(
            session,
            select(func.count()).where(
                of_office(Visit.office_id, office_id),
                Visit.kind == VisitKind.EMERGENCY,
                Visit.checked_in_at >= start,
                Visit.checked_in_at < end,
            ),
        ) + _count(  # urgent cases staff booked into the emergency lanes for today (services/booking)
            session,
            select(func.count()).select_from(Reservation).join(Visit, col(Visit.id) == Reservation.visit_id).where(
                of_office(Visit.office_id, office_id),
                Reservation.emergency,
                Visit.status != VisitStatus.CANCELLED,
                Visit.slot_start >= start,
                Visit.slot_start < end,
            ),
        )
        doc = DocumentApplication
        ready = (of_office(doc.office_id, office_id), doc.status == ApplicationStatus.ARRIVED)
        since_start, _ = clock.local_day_bounds(new_since or day - timedelta(days=1))
        task = BackofficeTask
        not_done = (of_office(task.office_id, office_id), col(task.status).in_(OPEN_TASK_STATUSES))
        return TodayLoad(
            day=day,
            hours=hours,
            appointments=sum(h.booked for h in hours),
            staffed_counters=staffed_counters(desks, CounterKind.REGULAR),
            staffed_dealer_desks=staffed_counters(desks, CounterKind.DEALER),
            peak_hour=peak.hour if peak else None,
            emergency_quota=settings().emergency_slots_per_day,
            emergencies_so_far=emergencies,
            dealer_batches=_dealer_batches(session, office_id, day),
            documents_ready=_count(session, select(func.count()).where(*ready)),
            documents_new=_count(session, select(func.count()).where(*ready, doc.arrived_at >= since_start)),
            tasks_due_today=_count(session, select(func.count()).where(*not_done, task.due_date == day)),
            tasks_overdue=_count(session, select(func.count()).where(*not_done, task.due_date < day)),
            desks=desks,
        )
