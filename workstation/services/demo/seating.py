"""Who sits where: a StaffAssignment per desk for every working day of the year and for today.

The demo accounts keep their desk every day (so an advisor's history is at "their" counter); the other
seats rotate among the colleagues of the matching role.
"""

import numpy as np

from workstation.models import StaffAssignment
from workstation.models.enums import CounterKind, Role
from workstation.services.demo.accounts import DEMO_ACCOUNTS
from workstation.services.demo.context import DemoBuild

_PART_SEATING = 3
_ROLE_OF_DESK = {
    CounterKind.REGULAR: Role.ADVISOR,
    CounterKind.DEALER: Role.ADVISOR,
    CounterKind.RECEPTION: Role.RECEPTION,
    CounterKind.PICKUP: Role.PICKUP,
}


def build_seating(build: DemoBuild) -> None:
    """Assignments for the history's working days and today (today even if it is not a working day)."""
    rng = build.rng(_PART_SEATING)
    fixed = {build.counter_by_name[a.desk]: build.staff_ids[a.username] for a in DEMO_ACCOUNTS if a.desk}
    fixed_people = set(fixed.values())
    days = [*build.history_days(), build.today]
    rows = []
    for day in days:
        seats = dict(fixed)
        for kind, role in _ROLE_OF_DESK.items():
            open_desks = [c for c in build.counters[str(kind)] if c not in seats]
            pool = [s for s in build.staff_by_role[str(role)] if s not in fixed_people and s not in seats.values()]
            chosen = rng.choice(np.asarray(pool), size=len(open_desks), replace=False)
            seats.update({desk: int(person) for desk, person in zip(open_desks, chosen, strict=True)})
        build.seating[build.calendar.index(day)] = seats
        rows += [{"day": day, "user_id": user, "counter_id": desk} for desk, user in sorted(seats.items())]
    ids = build.ids(StaffAssignment, len(rows))
    for row, i in zip(rows, ids, strict=True):
        row["id"] = int(i)
    build.add(StaffAssignment, rows)
