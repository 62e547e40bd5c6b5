"""What the counter and reception screens list: the floor's queue, its load and each counter's focus.

The floor overview is the same for every screen of one office and counter kind, so it is cached
per change version (see `changes`) and minute: 24 screens refreshing after one change cost one
database read, not 24.
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    Concern,
    Counter,
    CounterKind,
    Service,
    Visit,
    VisitKind,
    VisitStatus,
)
from workstation.services.common import changes
from workstation.services.queue.calls import ACTIVE_STATUSES, hhmm, person_label, visit_kinds_for

KIND_LABELS = {
    VisitKind.APPOINTMENT: "Termin",
    VisitKind.WALK_IN: "Spontan",
    VisitKind.EMERGENCY: "Notfall",
    VisitKind.DEALER: "Händler",
}
STATUS_LABELS = {
    VisitStatus.BOOKED: "gebucht",
    VisitStatus.WAITING: "wartet",
    VisitStatus.CALLED: "aufgerufen",
    VisitStatus.IN_SERVICE: "in Bearbeitung",
    VisitStatus.PARKED: "geparkt",
    VisitStatus.FINISHED: "erledigt",
    VisitStatus.NO_SHOW: "nicht erschienen",
    VisitStatus.CANCELLED: "abgesagt",
}


@dataclass(frozen=True)
class QueueRow:
    """One person on the floor as the queue list shows them."""

    visit_id: int
    version: int
    name: str
    kind: str
    kind_label: str
    services: str
    slot: str
    arrived: str
    waiting_min: int
    status: str
    status_label: str
    place: str
    batch_size: int


@dataclass(frozen=True)
class FloorLoad:
    """The load of the floor in a few numbers."""

    waiting: int
    expected: int
    serving: int
    counters_busy: int
    counters_open: int
    longest_wait_min: int
    mean_wait_min: int


@dataclass(frozen=True)
class CounterFocus:
    """Whom a counter screen shows in its panel: the visit at the counter, else the next in line."""

    mode: str
    visit_id: int
    version: int


NO_FOCUS = CounterFocus("", 0, 0)


@dataclass(frozen=True)
class FloorOverview:
    """Everything a queue screen lists, for one office and counter kind, and each counter's focus."""

    waiting: list[QueueRow]
    expected: list[QueueRow]
    at_counters: list[QueueRow]
    parked: list[QueueRow]
    load: FloorLoad
    focus_by_counter: dict[int, CounterFocus]




def _minutes(since: datetime | None, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60)) if since else 0


def services_by_visit(session: Session, visit_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {vid: [] for vid in visit_ids}
    if visit_ids:
        rows = session.exec(
            select(Concern.visit_id, Service.name).join(Service, Service.id == Concern.service_id)
            .where(Concern.visit_id.in_(visit_ids)).order_by(Concern.id)
        ).all()
        for visit_id, name in rows:
            names[visit_id].append(name)
    return names


def _rows(session: Session, visits: list[Visit], now: datetime, counters: dict[int, Counter]) -> list[QueueRow]:
    services = services_by_visit(session, [v.id for v in visits])
    rows = []
    for visit in visits:
        if visit.status in ACTIVE_STATUSES and visit.counter_id in counters:
            place = counters[visit.counter_id].name
        elif visit.status == VisitStatus.PARKED:
            place = visit.park_room or ""
        elif visit.status == VisitStatus.WAITING and visit.counter_id in counters:
            place = f"für {counters[visit.counter_id].name}"
        else:
            place = ""
        waited_from = visit.checked_in_at
        if visit.status in ACTIVE_STATUSES:
            waited_from = visit.started_at or visit.called_at
        elif visit.status == VisitStatus.PARKED:
            waited_from = visit.parked_at
        rows.append(QueueRow(
            visit_id=visit.id,
            version=visit.version,
            name=person_label(session, visit),
            kind=visit.kind,
            kind_label=KIND_LABELS.get(visit.kind, visit.kind),
            services=", ".join(services[visit.id]),
            slot=hhmm(visit.slot_start),
            arrived=hhmm(visit.checked_in_at),
            waiting_min=_minutes(waited_from, now),
            status=visit.status,
            status_label=STATUS_LABELS.get(visit.status, visit.status),
            place=place,
            batch_size=visit.batch_size,
        ))
    return rows


def _display_order(visit: Visit) -> tuple:
    rank = {VisitKind.EMERGENCY: 0, VisitKind.APPOINTMENT: 1}.get(VisitKind(visit.kind), 2)
    when = visit.slot_start if visit.kind == VisitKind.APPOINTMENT else visit.checked_in_at
    return rank, when or datetime.min, visit.id


def call_order(visit: Visit, counter_id: int) -> tuple:
    """Python twin of `queue.waiting_query`'s ORDER BY, to show every counter its next person.

    The claim itself stays in SQL (atomic); tests check that both orders agree.
    """
    if visit.kind == VisitKind.EMERGENCY:
        rank = 0
    elif visit.counter_id == counter_id:
        rank = 1
    elif visit.kind == VisitKind.APPOINTMENT:
        rank = 2
    else:
        rank = 3
    when = visit.slot_start if visit.kind == VisitKind.APPOINTMENT else visit.checked_in_at
    return rank, when or datetime.min, visit.id


def _focus_by_counter(counters: dict[int, Counter], waiting: list[Visit], active: list[Visit]) -> dict:
    focus = {}
    for counter_id in counters:
        mine = next((v for v in active if v.counter_id == counter_id), None)
        if mine is not None:
            focus[counter_id] = CounterFocus("active", mine.id, mine.version)
            continue
        candidates = [v for v in waiting if v.counter_id in (None, counter_id)]
        upcoming = min(candidates, key=lambda v, c=counter_id: call_order(v, c), default=None)
        focus[counter_id] = CounterFocus("next", upcoming.id, upcoming.version) if upcoming else NO_FOCUS
    return focus


def _build_overview(office_id: int, counter_kind: str, now: datetime) -> FloorOverview:
    day_start, day_end = clock.local_day_bounds(clock.to_local(now).date())
    kinds = visit_kinds_for(counter_kind)
    serving_kind = CounterKind.DEALER if counter_kind == CounterKind.DEALER else CounterKind.REGULAR
    with db.read_scope() as session:
        counters = {c.id: c for c in session.exec(
            select(Counter).where(Counter.office_id == office_id, Counter.kind == serving_kind, Counter.active)
        ).all()}
        today = session.exec(
            select(Visit).where(
                Visit.office_id == office_id,
                Visit.kind.in_(kinds),
                Visit.status.in_((VisitStatus.WAITING, *ACTIVE_STATUSES, VisitStatus.PARKED)),
                Visit.checked_in_at >= day_start,
            )
        ).all()
        expected_visits = session.exec(
            select(Visit).where(
                Visit.office_id == office_id,
                Visit.kind.in_(kinds),
                Visit.status == VisitStatus.BOOKED,
                Visit.slot_start >= now - timedelta(minutes=settings().checkin_window_minutes),
                Visit.slot_start < day_end,
            ).order_by(Visit.slot_start).limit(40)
        ).all()
        waiting = sorted((v for v in today if v.status == VisitStatus.WAITING), key=_display_order)
        at_counters = sorted((v for v in today if v.status in ACTIVE_STATUSES), key=lambda v: v.called_at or now)
        parked = sorted((v for v in today if v.status == VisitStatus.PARKED), key=lambda v: v.parked_at or now)
        waiting_rows = _rows(session, waiting, now, counters)
        result = FloorOverview(
            waiting=waiting_rows,
            expected=_rows(session, list(expected_visits), now, counters),
            at_counters=_rows(session, at_counters, now, counters),
            parked=_rows(session, parked, now, counters),
            load=FloorLoad(
                waiting=len(waiting_rows),
                expected=len(expected_visits),
                serving=len(at_counters),
                counters_busy=len({v.counter_id for v in at_counters}),
                counters_open=len(counters),
                longest_wait_min=max((r.waiting_min for r in waiting_rows), default=0),
                mean_wait_min=round(sum(r.waiting_min for r in waiting_rows) / len(waiting_rows))
                if waiting_rows else 0,
            ),
            focus_by_counter=_focus_by_counter(counters, waiting, at_counters),
        )
    return result


_cache_lock = threading.Lock()
_cache: dict[tuple[str, int, str], tuple[tuple[int, datetime], FloorOverview]] = {}
_build_locks: dict[tuple[str, int, str], threading.Lock] = {}


def floor_overview(office_id: int, counter_kind: str, *, now: datetime | None = None) -> FloorOverview:
    """The queue screen's lists and load; shared by all screens until the next change or minute.

    After a change every open screen asks at once: one of them reads the database, the others wait
    for it and share the result.
    """
    now = now or clock.now()
    key = (settings().db_url, office_id, counter_kind)
    stamp = (changes.version(office_id), now.replace(second=0, microsecond=0))
    with _cache_lock:
        hit = _cache.get(key)
        build_lock = _build_locks.setdefault(key, threading.Lock())
    if hit is not None and hit[0] == stamp:
        return hit[1]
    with build_lock:
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        overview = _build_overview(office_id, counter_kind, now)
        with _cache_lock:
            _cache[key] = (stamp, overview)
    return overview

