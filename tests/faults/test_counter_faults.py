"""The counter under faults: one advisor in two browser tabs, and the database failing during a click.

- advisor_two_tabs: threads act as one advisor pressing "Nächste Person aufrufen" at two counters at
  the same moment, round after round; at most one person is ever held by the advisor, the other tabs
  get a German message.
- counter_db_error: the database connection breaks inside a counter action (on PostgreSQL the
  action's own server session is terminated with pg_terminate_backend; on SQLite an
  OperationalError is raised at the same point). One failure is retried and the call succeeds; two
  failures give the German toast and leave no partial rows.
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from tests.faults.conftest import fault_reps
from tests.queue_floor import at, build_floor
from workstation import clock, db
from workstation.models import Concern, StaffUser, Visit, VisitEvent, VisitStatus
from workstation.services.queue import calls as queue
from workstation.services.queue import checkin
from workstation.services.queue.calls import ACTIVE_STATUSES, Outcome, QueueError
from workstation.services.staff import auth, passwords, read_audit
from workstation.state.counter import CounterState

TABS = 6  # three clicks at each of the two counters per round
ADVISOR_BUSY = "Sie betreuen bereits"
COUNTER_BUSY = "noch aufgerufen"


def _held_by(advisor_id: int) -> int:
    with db.read_scope() as session:
        return session.exec(select(func.count()).select_from(Visit).where(
            Visit.advisor_id == advisor_id, Visit.status.in_(ACTIVE_STATUSES))).one()


def test_advisor_two_tabs(any_db, fault_report):
    rounds = 8 * fault_reps(1)
    floor = build_floor(counters=2, dealer_counters=0)
    for i in range(rounds):
        checkin.add_walk_in(floor.office_id, "", f"Person {i}", [floor.services["UMM"]], None, now=at(7, 30))
    advisor = floor.advisors[0]
    counters = [floor.counters[i % 2] for i in range(TABS)]
    barrier = threading.Barrier(TABS)
    messages: list[str] = []
    attempted = double = 0

    def click(counter_id: int) -> int | None:
        barrier.wait()
        try:
            return queue.call_next(counter_id, advisor, now=at(8, 0))
        except QueueError as err:
            messages.append(err.message)
            return None

    with ThreadPoolExecutor(TABS) as pool:
        for _ in range(rounds):
            called = [v for v in pool.map(click, counters) if v is not None]
            attempted += TABS
            held = _held_by(advisor)
            double += max(0, held - 1) + max(0, len(called) - 1)
            assert len(called) == 1 and held == 1, (called, held, messages[-TABS:])
            visit_id = called[0]
            with db.read_scope() as session:
                counter_id = session.get(Visit, visit_id).counter_id
                concerns = session.exec(select(Concern.id).where(Concern.visit_id == visit_id)).all()
            queue.start(visit_id, counter_id, advisor, now=at(8, 1))
            queue.finish(visit_id, counter_id, advisor, {c: Outcome(True) for c in concerns}, now=at(8, 2))
    fault_report("advisor_two_tabs", calls_attempted=attempted, double_holdings=double,
                 refused_advisor_busy=sum(ADVISOR_BUSY in m for m in messages))
    assert double == 0
    assert all(ADVISOR_BUSY in m or COUNTER_BUSY in m for m in messages), set(messages)
    assert any(ADVISOR_BUSY in m and "Bitte schließen Sie diesen Vorgang zuerst ab." in m for m in messages)


def test_an_advisor_holding_someone_cannot_start_or_resume_elsewhere(sqlite_db):
    floor = build_floor(counters=2, dealer_counters=0)
    for name in ("A", "B"):
        checkin.add_walk_in(floor.office_id, "", name, [floor.services["UMM"]], None, now=at(7, 30))
    first = queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 0))
    other = queue.call_next(floor.counters[1], floor.advisors[1], now=at(8, 0))
    queue.start(first, floor.counters[0], floor.advisors[0], now=at(8, 1))
    with pytest.raises(QueueError, match="Sie betreuen bereits A an Schalter 1"):
        queue.start(other, floor.counters[1], floor.advisors[0], now=at(8, 1))
    queue.park(other, floor.counters[1], floor.advisors[1], "Foto", "", now=at(8, 2))
    with pytest.raises(QueueError, match="Sie betreuen bereits"):
        queue.resume(other, floor.counters[1], floor.advisors[0], now=at(8, 3))


# --- a database error during a counter action ---------------------------------------------------------------------

PASSWORD = "geheim-123"


@pytest.fixture
def counter_floor(any_db):
    built = build_floor()
    with db.session_scope() as session:
        for user in session.exec(select(StaffUser)).all():
            user.password_hash = passwords.hash_password(PASSWORD)
            session.add(user)
    checkin.add_walk_in(built.office_id, "", "Nina Wolf", [built.services["UMM"]], None, now=at(7, 50))
    with clock.freeze(clock.to_local(at(7, 55)).replace(tzinfo=None)):
        yield built, any_db
    read_audit.flush()  # the panel's read audit, before the test database goes away


def _break_connection(session, db_url: str) -> None:
    """Break the session's connection in the middle of its transaction, the way an outage does."""
    if db_url.startswith("postgresql"):
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        admin.dispose()
        session.connection().exec_driver_sql("SELECT 1")  # raises: the server closed the connection
        raise AssertionError("the terminated connection still answered")
    raise OperationalError("INSERT INTO visitevent ...", {}, Exception("disk I/O error"))


def _inject(monkeypatch, db_url: str, failures: int) -> list[int]:
    """The first `failures` calls of the call's event logging (after the claim UPDATE) lose the connection."""
    seen = [0]
    real = queue._log_event

    def flaky(session, *args, **kwargs):
        seen[0] += 1
        if seen[0] <= failures:
            _break_connection(session, db_url)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(queue, "_log_event", flaky)
    return seen


def _advisor_screen(floor) -> CounterState:
    token, _ = auth.login("berater1", PASSWORD)
    state = CounterState()
    state.session_token = token
    CounterState.take_desk.fn(state, floor.counters[0])
    return state


def _visit_rows():
    with db.read_scope() as session:
        visits = [(v.id, v.status, v.version, v.call_count, v.counter_id) for v in session.exec(select(Visit)).all()]
        events = session.exec(select(func.count()).select_from(VisitEvent)).one()
    return sorted(visits), events


def test_counter_db_error(counter_floor, monkeypatch, fault_report):
    floor, db_url = counter_floor
    # one failure: retried once, the call goes through exactly once
    state = _advisor_screen(floor)
    _, events_before = _visit_rows()
    seen = _inject(monkeypatch, db_url, failures=1)
    toast = asyncio.run(CounterState.call_next.fn(state))
    assert seen[0] == 2, "no retry"
    assert toast is None and state.focus_mode == "active" and state.panel.name == "Nina Wolf"
    visits, events = _visit_rows()
    assert [v[1] for v in visits].count(VisitStatus.CALLED) == 1 and events == events_before + 1
    called = state.panel.visit_id
    asyncio.run(CounterState.start.fn(state))
    with db.read_scope() as session:
        concerns = session.exec(select(Concern.id).where(Concern.visit_id == called)).all()
    queue.finish(called, floor.counters[0], floor.advisors[0], {c: Outcome(True) for c in concerns})
    checkin.add_walk_in(floor.office_id, "", "Ole Berg", [floor.services["UMM"]], None, now=at(7, 54))

    # two failures: the German toast, and nothing half-done
    before = _visit_rows()
    seen = _inject(monkeypatch, db_url, failures=2)
    toast = asyncio.run(CounterState.call_next.fn(state))
    assert seen[0] == 2
    assert db.DB_UNAVAILABLE in str(toast)
    assert _visit_rows() == before, "a failed call left partial changes"
    fault_report("counter_db_error", retried_ok=1, outage_toast=1, partial_changes=0)


def test_a_raw_transient_error_in_any_handler_becomes_the_german_toast(counter_floor, monkeypatch):
    floor, _ = counter_floor
    state = _advisor_screen(floor)

    def down(*_args, **_kwargs):
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr("workstation.state.counter.desks.take_counter", down)
    assert db.DB_UNAVAILABLE in str(CounterState.take_desk.fn(state, floor.counters[1]))
