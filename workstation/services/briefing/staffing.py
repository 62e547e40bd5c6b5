"""Who sits at which desk on a day, read from the staff assignments."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from workstation.models import Counter, CounterKind, StaffAssignment, StaffUser

KIND_ORDER = (CounterKind.RECEPTION, CounterKind.REGULAR, CounterKind.DEALER, CounterKind.PICKUP)


@dataclass(frozen=True)
class DeskStaffing:
    """One desk of the floor and who (if anyone) sits there."""

    counter_id: int
    counter: str
    kind: str
    room: str
    staff: tuple[str, ...]


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def desks_of_day(session: Session, office_id: int, day: date) -> list[DeskStaffing]:
    """Every active desk with the staff assigned to it that day, reception first, then counters by name."""
    counters = session.exec(select(Counter).where(Counter.office_id == office_id, Counter.active)).all()
    rows = session.exec(
        select(StaffAssignment.counter_id, StaffUser.display_name)
        .join(StaffUser, StaffAssignment.user_id == StaffUser.id)
        .join(Counter, StaffAssignment.counter_id == Counter.id)
        .where(StaffAssignment.day == day, Counter.office_id == office_id)
        .order_by(StaffUser.display_name)
    ).all()
    staff: dict[int, list[str]] = {}
    for counter_id, name in rows:
        staff.setdefault(counter_id, []).append(name)
    desks = [DeskStaffing(c.id, c.name, c.kind, c.room, tuple(staff.get(c.id, ()))) for c in counters]
    return sorted(desks, key=lambda d: (_kind_rank(d.kind), _natural(d.counter)))


def _natural(name: str) -> tuple:
    """ "Schalter 2" before "Schalter 10"."""
    head, _, tail = name.rpartition(" ")
    return (head, int(tail), "") if tail.isdigit() else (name, 0, name)


def staffed_counters(desks: list[DeskStaffing], kind: str) -> int:
    """How many desks of one kind have someone assigned."""
    return sum(1 for d in desks if d.kind == kind and d.staff)
