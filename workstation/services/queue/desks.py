"""Which counter an advisor sits at today (the counter a screen calls to)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from workstation import clock, db
from workstation.models import Counter, StaffAssignment, StaffUser
from workstation.services.queue.calls import SERVING_COUNTERS, QueueError


@dataclass(frozen=True)
class Desk:
    """A counter that can call people, and who sits there today."""

    counter_id: int
    name: str
    kind: str
    room: str
    taken_by: str


def desks(office_id: int, *, now: datetime | None = None) -> list[Desk]:
    """The office's active serving counters with today's occupant."""
    day = clock.to_local(now or clock.now()).date()
    with db.read_scope() as session:
        counters = session.exec(
            select(Counter).where(Counter.office_id == office_id, Counter.active, Counter.kind.in_(SERVING_COUNTERS))
            .order_by(Counter.kind, Counter.id)
        ).all()
        taken = dict(session.exec(
            select(StaffAssignment.counter_id, StaffUser.display_name)
            .join(StaffUser, StaffUser.id == StaffAssignment.user_id)
            .where(StaffAssignment.day == day)
        ).all())
    return [Desk(c.id, c.name, c.kind, c.room, taken.get(c.id, "")) for c in counters]


def take_counter(user_id: int, counter_id: int, *, now: datetime | None = None) -> Desk:
    """Sit down at a counter for today; a counter another advisor took today is refused."""
    day = clock.to_local(now or clock.now()).date()
    with db.session_scope() as session:
        counter = session.exec(select(Counter).where(Counter.id == counter_id).with_for_update()).first()
        me = session.get(StaffUser, user_id)
        if me is not None and counter is not None and counter.office_id != me.office_id:
            counter = None  # another office's counter is as unknown here as one that does not exist
        if counter is None or not counter.active or counter.kind not in SERVING_COUNTERS:
            raise QueueError("Dieser Schalter ist nicht in Betrieb.")
        other = session.exec(
            select(StaffUser.display_name).join(StaffAssignment, StaffAssignment.user_id == StaffUser.id)
            .where(StaffAssignment.day == day, StaffAssignment.counter_id == counter_id,
                   StaffAssignment.user_id != user_id)
        ).first()
        if other is not None:
            raise QueueError(f"{counter.name} ist heute schon von {other} besetzt.")
        mine = session.exec(
            select(StaffAssignment).where(StaffAssignment.day == day, StaffAssignment.user_id == user_id)
        ).first()
        if mine is None:
            mine = StaffAssignment(day=day, user_id=user_id, counter_id=counter_id)
        mine.counter_id = counter_id
        session.add(mine)
        return Desk(counter.id, counter.name, counter.kind, counter.room, me.display_name if me else "")


def my_counter(user_id: int, *, now: datetime | None = None) -> Desk | None:
    """The counter the advisor took today, if any."""
    day = clock.to_local(now or clock.now()).date()
    with db.read_scope() as session:
        row = session.exec(
            select(Counter, StaffUser.display_name)
            .join(StaffAssignment, StaffAssignment.counter_id == Counter.id)
            .join(StaffUser, StaffUser.id == StaffAssignment.user_id)
            .where(StaffAssignment.day == day, StaffAssignment.user_id == user_id)
        ).first()
    if row is None:
        return None
    counter, name = row
    return Desk(counter.id, counter.name, counter.kind, counter.room, name)
