"""What the counter and reception screens list: the floor's queue, its load and each counter's focus.

The floor overview is the same for every screen of one office and counter kind, so it is cached
per change version (see `changes`): 24 screens refreshing after one change cost one database read,
not 24. It is read with a fixed number of set-based queries (visits joined with their citizen or
dealer, the services of all of them at once), so its cost does not grow by a query per person.

The minutes a person has waited are not part of a row: a row carries the minute it counts from
(`since`, minutes since the epoch) and the load the current minute, so the screens work the
minutes out themselves and a row stays equal, and is not sent again, while nothing happens to it.
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    Citizen,
    Concern,
    Counter,
    CounterKind,
    Dealer,
    Service,
    Visit,
    VisitKind,
    VisitStatus,
)
from workstation.services.common import changes
from workstation.services.queue.calls import ACTIVE_STATUSES, hhmm, visit_kinds_for, waiting_query

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
    since: int  # the minute the shown time counts from (minutes since the epoch, UTC); 0: none
    status: str
    status_label: str
    place: str
    batch_size: int
    ticket: str = ""


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
    minute: int = 0  # the minute these figures are for (minutes since the epoch, UTC): see `QueueRow.since`


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


def epoch_minute(when: datetime | None) -> int:
    """A stored (naive UTC) instant as whole minutes since the epoch; 0 for none."""
    return int((when - _EPOCH).total_seconds() // 60) if when else 0


def minutes_waited(row: QueueRow, minute: int) -> int:
    """The minutes a row shows at `minute` (the screens compute the same from `since`)."""
    return max(0, minute - row.since) if row.since else 0


_EPOCH = datetime(1970, 1, 1)




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


_FLOOR_STATUSES = (VisitStatus.WAITING, *ACTIVE_STATUSES, VisitStatus.PARKED)
EXPECTED_LISTED = 40
"""How many of the appointments still to come the list shows (the load figure counts all of them)."""


@dataclass(frozen=True)
class _FloorVisit:
    """What a queue row needs of a visit and its person, read in one joined query."""

    id: int
    version: int
    kind: str
    status: str
    counter_id: int | None
    park_room: str | None
    slot_start: datetime | None
    checked_in_at: datetime | None
    called_at: datetime | None
    started_at: datetime | None
    parked_at: datetime | None
    batch_size: int
    citizen_found: int | None
    first_name: str | None
    last_name: str | None
    dealer_found: int | None
    dealer_name: str | None
    redirected_from_counter_id: int | None
    ticket: str | None

    @property
    def label(self) -> str:
        """The twin of `calls.person_label`, from the joined columns."""
        if self.citizen_found is not None:
            return f"{self.first_name} {self.last_name}".strip()
        if self.dealer_found is not None:
            return self.dealer_name or ""
        return self.ticket or f"Nr. {self.id}"


def _floor_query(*where):
    """Visits with their citizen's or dealer's name: one statement, however many people are on the floor."""
    return (
        select(Visit.id, Visit.version, Visit.kind, Visit.status, Visit.counter_id, Visit.park_room,
               Visit.slot_start, Visit.checked_in_at, Visit.called_at, Visit.started_at, Visit.parked_at,
               Visit.batch_size, Citizen.id, Citizen.first_name, Citizen.last_name, Dealer.id, Dealer.name,
               Visit.redirected_from_counter_id, Visit.ticket)
        .select_from(Visit)
        .outerjoin(Citizen, Citizen.id == Visit.citizen_id)
        .outerjoin(Dealer, Dealer.id == Visit.dealer_id)
        .where(*where)
    )


def _services_of(session: Session, *where) -> dict[int, list[str]]:
    """The service names of every visit the conditions select, in booking order: one statement."""
    names: dict[int, list[str]] = {}
    rows = session.exec(
        select(Concern.visit_id, Service.name)
        .join(Service, Service.id == Concern.service_id)
        .join(Visit, Visit.id == Concern.visit_id)
        .where(*where).order_by(Concern.id)
    ).all()
    for visit_id, name in rows:
        names.setdefault(visit_id, []).append(name)
    return names


def _rows(visits: list[_FloorVisit], services: dict[int, list[str]], counters: dict[int, Counter],
          previous: dict[int, QueueRow]) -> list[QueueRow]:
    """Queue rows; a row equal to the one the last overview had is that very object, so screens
    comparing their lists with the new ones find them unchanged at a glance."""
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
        row = QueueRow(
            visit_id=visit.id,
            version=visit.version,
            name=visit.label,
            kind=visit.kind,
            kind_label=KIND_LABELS.get(visit.kind, visit.kind),
            services=", ".join(services.get(visit.id, ())),
            slot=hhmm(visit.slot_start),
            arrived=hhmm(visit.checked_in_at),
            since=epoch_minute(waited_from),
            status=visit.status,
            status_label=STATUS_LABELS.get(visit.status, visit.status),
            place=place,
            batch_size=visit.batch_size,
            ticket=visit.ticket or "",
        )
        old = previous.get(visit.id)
        rows.append(old if old == row else row)
    return rows


def _same_list(rows: list[QueueRow], old: list[QueueRow] | None) -> list[QueueRow]:
    """The last overview's list object when nothing in it changed (cheap to compare for every screen)."""
    return old if old is not None and old == rows else rows


def _display_order(visit: _FloorVisit) -> tuple:
    rank = {VisitKind.EMERGENCY: 0, VisitKind.APPOINTMENT: 1}.get(VisitKind(visit.kind), 2)
    when = visit.slot_start if visit.kind == VisitKind.APPOINTMENT else visit.checked_in_at
    return rank, when or datetime.min, visit.id


def call_order(visit: Visit | _FloorVisit, counter_id: int) -> tuple:
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


def _focus_by_counter(counters: dict[int, Counter], waiting: list[_FloorVisit], active: list[_FloorVisit]) -> dict:
    focus = {}
    for counter_id in counters:
        mine = next((v for v in active if v.counter_id == counter_id), None)
        if mine is not None:
            focus[counter_id] = CounterFocus("active", mine.id, mine.version)
            continue
        candidates = [v for v in waiting
                      if v.counter_id in (None, counter_id) and v.redirected_from_counter_id != counter_id]
        upcoming = min(candidates, key=lambda v, c=counter_id: call_order(v, c), default=None)
        focus[counter_id] = CounterFocus("next", upcoming.id, upcoming.version) if upcoming else NO_FOCUS
    return focus


def _build_overview(office_id: int, counter_kind: str, now: datetime,
                    previous: FloorOverview | None = None) -> FloorOverview:
    """Six statements whatever the number of people: counters, the floor's visits with their names,
    the next expected ones and how many are expected in all, and the services of each group."""
    day_start, day_end = clock.local_day_bounds(clock.to_local(now).date())
    kinds = visit_kinds_for(counter_kind)
    serving_kind = CounterKind.DEALER if counter_kind == CounterKind.DEALER else CounterKind.REGULAR
    on_floor = (Visit.office_id == office_id, Visit.kind.in_(kinds), Visit.status.in_(_FLOOR_STATUSES),
                Visit.checked_in_at >= day_start)
    with db.read_scope() as session:
        counters = {c.id: c for c in session.exec(
            select(Counter).where(Counter.office_id == office_id, Counter.kind == serving_kind, Counter.active)
        ).all()}
        today = [_FloorVisit(*row) for row in session.exec(_floor_query(*on_floor)).all()]
        expected_where = (
            Visit.office_id == office_id,
            Visit.kind.in_(kinds),
            Visit.status == VisitStatus.BOOKED,
            Visit.slot_start >= now - timedelta(minutes=settings().checkin_window_minutes),
            Visit.slot_start < day_end,
        )
        expected_visits = [_FloorVisit(*row) for row in session.exec(
            _floor_query(*expected_where).order_by(Visit.slot_start).limit(EXPECTED_LISTED)
        ).all()]
        # The list shows the next ones; the figure counts all of the day still to come.
        expected_total = session.exec(select(func.count()).select_from(Visit).where(*expected_where)).one()
        services = _services_of(session, *on_floor)
        services.update(_services_of(session, Visit.id.in_([v.id for v in expected_visits])))
    waiting = sorted((v for v in today if v.status == VisitStatus.WAITING), key=_display_order)
    at_counters = sorted((v for v in today if v.status in ACTIVE_STATUSES), key=lambda v: v.called_at or now)
    parked = sorted((v for v in today if v.status == VisitStatus.PARKED), key=lambda v: v.parked_at or now)
    old_rows = {} if previous is None else {
        r.visit_id: r for rows in (previous.waiting, previous.expected, previous.at_counters, previous.parked)
        for r in rows}
    waiting_rows = _same_list(_rows(waiting, services, counters, old_rows), previous and previous.waiting)
    minute = epoch_minute(now)
    waited = [minutes_waited(r, minute) for r in waiting_rows]
    return FloorOverview(
        waiting=waiting_rows,
        expected=_same_list(_rows(expected_visits, services, counters, old_rows), previous and previous.expected),
        at_counters=_same_list(_rows(at_counters, services, counters, old_rows), previous and previous.at_counters),
        parked=_same_list(_rows(parked, services, counters, old_rows), previous and previous.parked),
        load=FloorLoad(
            waiting=len(waiting_rows),
            expected=expected_total,
            serving=len(at_counters),
            counters_busy=len({v.counter_id for v in at_counters}),
            counters_open=len(counters),
            longest_wait_min=max(waited, default=0),
            mean_wait_min=round(sum(waited) / len(waited)) if waited else 0,
            minute=minute,
        ),
        focus_by_counter=_focus_by_counter(counters, waiting, at_counters),
    )


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
        overview = _build_overview(office_id, counter_kind, now, hit[1] if hit is not None else None)
        with _cache_lock:
            _cache[key] = (stamp, overview)
    return overview



def counter_focus(office_id: int, counter_id: int, counter_kind: str, *, now: datetime | None = None) -> CounterFocus:
    """One counter's focus read straight from the database (two small indexed queries): what a counter
    screen shows right after its own click, without waiting for the floor overview's rebuild.

    The same answer as `floor_overview(...).focus_by_counter[counter_id]`: the visit called to or served
    at the counter, else the first in `calls.waiting_query`'s order (the order `call_next` claims in).
    """
    now = now or clock.now()
    day_start, _ = clock.local_day_bounds(clock.to_local(now).date())
    with db.read_scope() as session:
        active = session.exec(
            select(Visit.id, Visit.version).where(
                Visit.counter_id == counter_id, Visit.office_id == office_id,
                Visit.kind.in_(visit_kinds_for(counter_kind)), Visit.status.in_(ACTIVE_STATUSES),
                Visit.checked_in_at >= day_start,
            ).order_by(Visit.id).limit(1)
        ).first()
        if active is not None:
            return CounterFocus("active", active.id, active.version)
        upcoming = session.exec(waiting_query(office_id, counter_id, counter_kind, now).limit(1)).first()
    return CounterFocus("next", upcoming.id, upcoming.version) if upcoming is not None else NO_FOCUS
