"""Time the task list on a year of back-office work (225,579 cases, as in the office's 2022 figures).

Builds a fresh SQLite database (or uses REFLEX_DB_URL if it points to an empty PostgreSQL database),
inserts the cases in bulk, then times what the page does: the default list, "Meine Aufgaben", the
overdue filter, a text search, the counts for the briefing board, and a claim. Prints one JSON object
as its last line (milliseconds, median of several runs).
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

CASES = int(os.environ.get("BENCH_CASES", "225579"))
OPEN_SHARE = 0.01
RUNS = 7


def _median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    if "REFLEX_DB_URL" not in os.environ:
        os.environ["REFLEX_DB_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from sqlalchemy import insert

    from workstation import clock, db
    from workstation.models import BackofficeTask, Office, Role, StaffUser, TaskStatus, TaskType
    from workstation.services.backoffice import task_model, task_queries
    from workstation.services.backoffice import tasks as bo
    from workstation.services.backoffice.task_model import TaskFilter

    db.create_schema()
    now = clock.to_utc(clock.local_now().replace(tzinfo=None).replace(hour=13, minute=5))
    rng = random.Random(2022)
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bench", city="Offenbach", opening_hours="-")
        session.add(office)
        session.flush()
        staff = [
            StaffUser(
                office_id=office.id,
                username=f"u{i}",
                display_name=f"Person {i}",
                role=Role.ADVISOR,
                password_hash="-",
                created_at=now,
            )
            for i in range(30)
        ]
        session.add_all(staff)
        session.flush()
        office_id, user_ids = office.id, [s.id for s in staff]
    types = list(TaskType)
    rows = []
    for i in range(CASES):
        created = now - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 600))
        is_open = rng.random() < OPEN_SHARE
        rows.append(
            {
                "office_id": office_id,
                "type": rng.choice(types),
                "title": f"Vorgang {i}",
                "reference": f"OF-{rng.choice('ABCDEFGH')} {rng.randint(1, 9999)}",
                "description": "",
                "due_date": (created + timedelta(days=rng.randint(1, 21))).date(),
                "priority": "normal",
                "status": rng.choice([TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.WAITING])
                if is_open
                else TaskStatus.DONE,
                "assignee_id": rng.choice(user_ids) if not is_open or rng.random() < 0.5 else None,
                "source": "bench",
                "outcome": "" if is_open else "erledigt",
                "created_at": created,
                "updated_at": created,
                "closed_at": None if is_open else created + timedelta(days=1),
                "version": 0,
            }
        )
    with db.engine().begin() as conn:
        conn.execute(insert(BackofficeTask), rows)
    me = user_ids[0]
    free = task_queries.list_tasks(me, TaskFilter(assignee_id=task_model.UNASSIGNED), now=now).rows
    result = {
        "cases": CASES,
        "open": task_queries.list_tasks(me, now=now).total,
        "list_default_ms": _median_ms(lambda: task_queries.list_tasks(me, now=now)),
        "list_mine_ms": _median_ms(lambda: task_queries.list_tasks(me, TaskFilter(mine=True), now=now)),
        "list_overdue_ms": _median_ms(lambda: task_queries.list_tasks(me, TaskFilter(overdue_only=True), now=now)),
        "list_search_ms": _median_ms(lambda: task_queries.list_tasks(me, TaskFilter(search="of-c 12"), now=now)),
        "counts_ms": _median_ms(lambda: task_queries.task_counts(office_id, now=now)),
        "claim_ms": _median_ms(lambda: bo.claim_task(me, free.pop().id, now=now)),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
