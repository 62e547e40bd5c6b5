"""Many counters press "Nächste Person aufrufen" at the same moment: nobody is called twice.

Runs on a real database (SQLite file and PostgreSQL), with threads and with separate processes
(separate connections and engines, as with several web workers).
"""

import multiprocessing
import os
import threading
from collections import Counter as Tally
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from sqlmodel import select

from tests.queue_floor import at, build_floor
from workstation import db
from workstation.models import Concern, Visit, VisitEvent, VisitEventKind, VisitStatus
from workstation.services.queue import calls as queue
from workstation.services.queue import checkin
from workstation.services.queue.calls import Outcome, QueueError

PEOPLE = 60
COUNTERS = 12


def _drain(counter_id: int, advisor_id: int, barrier=None) -> list[int]:
    """One counter calls and finishes people until nobody waits; returns whom it called."""
    if barrier is not None:
        barrier.wait()
    called = []
    while True:
        try:
            visit_id = queue.call_next(counter_id, advisor_id, now=at(8, 0))
        except QueueError as exc:
            assert "wartet niemand" in exc.message
            return called
        called.append(visit_id)
        queue.start(visit_id, counter_id, advisor_id, now=at(8, 1))
        with db.session_scope() as session:
            concerns = session.exec(select(Concern.id).where(Concern.visit_id == visit_id)).all()
        queue.finish(visit_id, counter_id, advisor_id, {c: Outcome(True) for c in concerns}, now=at(8, 2))


def _drain_in_process(db_url: str, counter_id: int, advisor_id: int, barrier) -> list[int]:
    os.environ["REFLEX_DB_URL"] = db_url
    return _drain(counter_id, advisor_id, barrier)


def _fill_queue() -> tuple:
    floor = build_floor(counters=COUNTERS, dealer_counters=0)
    for i in range(PEOPLE):
        checkin.add_walk_in(floor.office_id, "", f"Person {i}", [floor.services["UMM"]], None, now=at(7, 30))
    return floor


def _assert_each_called_once(called: list[int]) -> None:
    assert len(called) == PEOPLE
    assert len(set(called)) == PEOPLE, [v for v, n in Tally(called).items() if n > 1]
    with db.session_scope() as session:
        visits = session.exec(select(Visit)).all()
        calls = Tally(e.visit_id for e in session.exec(
            select(VisitEvent).where(VisitEvent.kind == VisitEventKind.CALL)).all())
    assert [v.id for v in visits if v.status == VisitStatus.WAITING] == []
    assert set(calls.values()) == {1}
    assert sum(calls.values()) == PEOPLE


def test_parallel_threads_call_each_person_exactly_once(any_db):
    floor = _fill_queue()
    barrier = threading.Barrier(COUNTERS)
    with ThreadPoolExecutor(COUNTERS) as pool:
        results = list(pool.map(lambda i: _drain(floor.counters[i], floor.advisors[i], barrier), range(COUNTERS)))
    _assert_each_called_once([v for r in results for v in r])
    assert sum(1 for r in results if r) > 1, "the work was not shared between counters"


def test_parallel_processes_call_each_person_exactly_once(any_db):
    floor = _fill_queue()
    db.engine().dispose()
    workers = 4
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        barrier = manager.Barrier(workers)
        futures = [pool.submit(_drain_in_process, any_db, floor.counters[i], floor.advisors[i], barrier)
                   for i in range(workers)]
        results = [f.result(timeout=120) for f in futures]
    _assert_each_called_once([v for r in results for v in r])
    assert sum(1 for r in results if r) > 1, "the work was not shared between processes"


def test_many_clicks_at_one_counter_call_one_person(any_db):
    clicks = 8
    floor = _fill_queue()
    barrier = threading.Barrier(clicks)

    def click() -> int | None:
        barrier.wait()
        try:
            return queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 0))
        except QueueError:
            return None

    with ThreadPoolExecutor(clicks) as pool:
        results = list(pool.map(lambda _: click(), range(clicks)))
    assert len([r for r in results if r is not None]) == 1
    with db.session_scope() as session:
        called = session.exec(select(Visit).where(Visit.status == VisitStatus.CALLED)).all()
    assert len(called) == 1
