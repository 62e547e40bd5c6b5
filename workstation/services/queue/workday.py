"""Whether an advisor's workstation shows the customer queue or the back-office list.

The automatic rule, in this order:
1. someone is waiting in a queue this advisor serves, or the advisor is serving someone → queue;
2. the configured hour (`settings().backoffice_from`, 13:00) has passed → back office;
3. none of today's booked appointments is still to come or in the house → back office;
4. otherwise → queue.

An advisor can switch by hand. The choice is stored with the automatic mode of that moment and
holds until the automatic mode changes (13:00 arrives, someone checks in, the last one is served);
then the automatic mode takes over again. A choice from an earlier day never carries over.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, or_, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    Counter,
    CounterKind,
    StaffAssignment,
    StaffUser,
    Visit,
    VisitKind,
    VisitStatus,
    WorkMode,
    WorkModeOverride,
)

_STILL_TO_SERVE = (
    VisitStatus.BOOKED,
    VisitStatus.WAITING,
    VisitStatus.CALLED,
    VisitStatus.IN_SERVICE,
    VisitStatus.PARKED,
)
_WITH_ADVISOR = (VisitStatus.CALLED, VisitStatus.IN_SERVICE)
MANUAL = "Von Hand gewählt"


@dataclass(frozen=True)
class WorkdayState:
    """The mode the workstation shows now, and why (German, for the switch's tooltip)."""

    mode: WorkMode
    automatic_mode: WorkMode
    manual: bool
    reason: str
    customer_waiting: bool


def _now(now: datetime | None) -> datetime:
    return now if now is not None else clock.now()


def _counter_kind(session: Session, user: StaffUser, now: datetime) -> tuple[int | None, str]:
    """The counter the advisor sits at today and its kind (regular if no desk is planned)."""
    assignment = session.exec(
        select(StaffAssignment).where(
            StaffAssignment.user_id == user.id, StaffAssignment.day == clock.to_local(now).date()
        )
    ).first()
    if assignment is None:
        return None, CounterKind.REGULAR
    counter = session.get(Counter, assignment.counter_id)
    return assignment.counter_id, counter.kind if counter else CounterKind.REGULAR


def _served_kinds(kind: str):
    """Visits of the queue a counter kind serves: dealer desks the dealers, the others everyone else."""
    if kind == CounterKind.DEALER:
        return col(Visit.kind) == VisitKind.DEALER
    return col(Visit.kind) != VisitKind.DEALER


@dataclass(frozen=True)
class _Automatic:
    mode: WorkMode
    reason: str
    customer_waiting: bool = False


def _automatic(session: Session, user: StaffUser, now: datetime) -> _Automatic:
    counter_id, kind = _counter_kind(session, user, now)
    day_start, day_end = clock.local_day_bounds(clock.to_local(now).date())
    mine = Visit.office_id == user.office_id

    def exists(*conditions) -> bool:
        return session.exec(select(func.count()).select_from(Visit).where(mine, *conditions)).one() > 0

    for_me = [Visit.advisor_id == user.id]
    if counter_id is not None:
        for_me.append(Visit.counter_id == counter_id)
    waiting = exists(
        Visit.status == VisitStatus.WAITING,
        or_(col(Visit.checked_in_at).is_(None), col(Visit.checked_in_at) >= day_start),
        or_(_served_kinds(kind), *for_me),
    )
    if waiting:
        return _Automatic(WorkMode.QUEUE, "Kundschaft wartet", customer_waiting=True)
    if exists(Visit.advisor_id == user.id, col(Visit.status).in_(_WITH_ADVISOR)):
        return _Automatic(WorkMode.QUEUE, "Kundschaft am Schalter")
    cfg = settings()
    if clock.to_local(now).time() >= cfg.backoffice_from:
        return _Automatic(WorkMode.BACKOFFICE, f"Ab {cfg.backoffice_from:%H:%M} Uhr Nacharbeit")
    latest_checkin = now - timedelta(minutes=cfg.checkin_window_minutes)
    appointments_left = exists(
        col(Visit.kind).in_((VisitKind.APPOINTMENT, VisitKind.DEALER)),
        _served_kinds(kind),
        col(Visit.slot_start) >= day_start,
        col(Visit.slot_start) < day_end,
        col(Visit.status).in_(_STILL_TO_SERVE),
        or_(Visit.status != VisitStatus.BOOKED, col(Visit.slot_start) >= latest_checkin),
    )
    if not appointments_left:
        return _Automatic(WorkMode.BACKOFFICE, "Alle Termine erledigt")
    return _Automatic(WorkMode.QUEUE, "Termine stehen an")


def _staff(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise ValueError(f"unknown or inactive user {user_id}")
    return user


def workday_state(user_id: int, now: datetime | None = None) -> WorkdayState:
    """What the advisor's workstation shows now; an outdated hand-made choice is removed here."""
    now = _now(now)
    with db.session_scope() as session:
        user = _staff(session, user_id)
        auto = _automatic(session, user, now)
        override = session.exec(select(WorkModeOverride).where(WorkModeOverride.user_id == user.id)).first()
        if override is not None:
            same_day = clock.to_local(override.set_at).date() == clock.to_local(now).date()
            if same_day and override.automatic_mode == auto.mode:
                return WorkdayState(WorkMode(override.mode), auto.mode, True, MANUAL, auto.customer_waiting)
            session.delete(override)
        return WorkdayState(auto.mode, auto.mode, False, auto.reason, auto.customer_waiting)


def advisor_mode(user_id: int, now: datetime | None = None) -> WorkMode:
    """ "queue" or "backoffice": where the advisor's workstation belongs now."""
    return workday_state(user_id, now).mode


def switch_mode(user_id: int, mode: str, now: datetime | None = None) -> WorkdayState:
    """The advisor chooses a mode by hand; choosing the automatic mode ends an earlier choice."""
    now = _now(now)
    wanted = WorkMode(mode)
    with db.session_scope() as session:
        user = _staff(session, user_id)
        auto = _automatic(session, user, now)
        override = session.exec(select(WorkModeOverride).where(WorkModeOverride.user_id == user.id)).first()
        if wanted == auto.mode:
            if override is not None:
                session.delete(override)
            return WorkdayState(auto.mode, auto.mode, False, auto.reason, auto.customer_waiting)
        if override is None:
            override = WorkModeOverride(user_id=user.id, mode=wanted, automatic_mode=auto.mode, set_at=now)
        else:
            override.mode, override.automatic_mode, override.set_at = wanted, auto.mode, now
        session.add(override)
        return WorkdayState(wanted, auto.mode, True, MANUAL, auto.customer_waiting)
