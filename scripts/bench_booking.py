"""Time the booking engine against the demo office: the free-time search and 50 people booking at once.

Seeds the demo office (its catalogue, 21 booking lanes, the day's appointments and the coming weeks'
bookings, all on the engine's lanes) into a fresh SQLite file (or the empty PostgreSQL database
REFLEX_DB_URL points to), then fills the still free time of the next weeks through the engine's own
claims the way bookings arrive (the nearer the day, the fuller: from 95 % tomorrow down to 5 % after
five weeks). Then:

- search: the first free times of a three-concern combination (Ummeldung + Reisepass + 2 ×
  Kinderreisepass, 40 minutes) over the 90-day horizon, and the calendar's days with a free time;
- booking: first 10 bookings one after another (`book_alone_median_ms`: what one booking costs), then
  50 threads at once, each holding one of the first free times and confirming it with an already solved
  proof of work (the browser's part is not timed), several aiming at the same or an overlapping time.
  By default the 50 are threads of this one process, so they share one interpreter lock (and on SQLite
  one writer): the last waits for the work of the 49 before it, whatever the database does.
  `BENCH_BOOKING_PROCESSES=4` spreads them over 4 forked processes, as several web workers would
  (meant for PostgreSQL; on SQLite the processes meet SQLite's busy handler).

Prints one JSON object as its last line: search_p95_ms, calendar_p95_ms, book_p95_ms, bookings,
taken (attempts refused because another got the time), double_bookings (must be 0: any two booked
reservations overlapping on one lane).
"""

import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

SEARCHES = 200
BOOKERS = 50
SINGLE = 10
PROCESSES = int(os.environ.get("BENCH_BOOKING_PROCESSES", "1"))
DEMO_DAY = date(2026, 11, 23)


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[18], 1)


def _fill(now: datetime) -> int:
    """Claim lane time for the coming weeks, nearer days fuller; returns reservations made."""
    from workstation import db
    from workstation.services.booking import capacity, claims, public

    rng = random.Random(2022)
    office_id = public.office_id()
    made = 0
    with db.session_scope() as session:
        first, last = capacity.horizon(now)
        for day in capacity.open_days(session, office_id, first + timedelta(days=1), last):
            fill = max(0.05, 0.95 - 0.025 * (day - first).days)
            for area in ("registration", "id_documents", "vehicles", "driving_licences", "partner"):
                for window in capacity.area_lanes(session, office_id, area).windows(day, emergency=False):
                    unit = window.start
                    while unit < window.end:
                        length = rng.choice((2, 2, 3, 4, 6))
                        if rng.random() < fill and unit + length <= window.end:
                            try:  # the seeded demo office has booked the coming weeks already
                                claims.take(session, office_id=office_id, area=area, lane=window.lane, start=unit,
                                            end=unit + length, state=claims.BOOKED, now=now)
                                made += 1
                            except claims.TimeTakenError:
                                pass
                        unit += length
    return made


def _threads(indices: list[int], barrier, book) -> list[tuple[float, str]]:
    """Run `book(i)` for each index in its own thread, all released by the barrier at once; (ms, outcome)."""
    results: list[tuple[float, str]] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        outcome = book(i)
        with lock:
            results.append(((time.perf_counter() - started) * 1000, outcome))

    with ThreadPoolExecutor(len(indices)) as pool:
        list(pool.map(one, indices))
    return results


def _child(indices: list[int], barrier, queue, book) -> None:
    from workstation import db

    db.engine_for.cache_clear()  # a forked process opens its own connections
    db.read_engine_for.cache_clear()
    queue.put(_threads(indices, barrier, book))


def _book_at_once(book) -> list[tuple[float, str]]:
    """The 50 bookers at once: threads of this process, or (`BENCH_BOOKING_PROCESSES` > 1) spread over that many
    forked processes like several web workers, all released by one barrier."""
    if PROCESSES <= 1:
        return _threads(list(range(BOOKERS)), threading.Barrier(BOOKERS), book)
    from workstation import db
    from workstation.config import settings

    db.engine().dispose()
    db.read_engine_for(settings().db_url).dispose()
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(BOOKERS), context.Queue()
    children = [context.Process(target=_child, args=(list(range(p, BOOKERS, PROCESSES)), barrier, queue, book))
                for p in range(PROCESSES)]
    for child in children:
        child.start()
    results = [row for _ in children for row in queue.get()]
    for child in children:
        child.join()
    return results


def main() -> None:
    if "REFLEX_DB_URL" not in os.environ:
        folder = Path(tempfile.mkdtemp())
        os.environ["REFLEX_DB_URL"] = f"sqlite:///{folder / 'bench.db'}"
        os.environ.setdefault("WORKSTATION_DATA_DIR", str(folder))
    os.environ.setdefault("WORKSTATION_BOOKING_SECRET", "bench")
    os.environ.setdefault("WORKSTATION_BOOKING_POW_MAX", "2000")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import altcha
    from sqlalchemy import text

    from workstation import clock, db
    from workstation.services.booking import bookings, catalogue, holds, limits, public, search
    from workstation.services.booking.errors import BookingError
    from workstation.services.demo.seed import seed_demo_office

    seed_demo_office(today=DEMO_DAY)
    now = clock.to_utc(datetime.combine(DEMO_DAY, datetime.min.time()).replace(hour=7, minute=55))
    reservations = _fill(now)
    if db.engine().dialect.name == "sqlite":  # a running office has no freshly seeded write-ahead log to fold in
        raw = db.engine().raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    ids = {row["name"]: int(row["id"]) for row in public.catalogue_rows("de", public.office_rows()[0]["code"])}
    items = [(ids["Ummeldung"], 1), (ids["Reisepass beantragen"], 1), (ids["Kinderreisepass"], 2)]
    office_id = public.office_id()
    with db.read_scope() as session:
        plan = catalogue.plan(session, items, online=True)

    search_ms, calendar_ms = [], []
    for i in range(SEARCHES):
        instant = now + timedelta(minutes=i)
        started = time.perf_counter()
        with db.read_scope() as session:
            found = search.first_free(session, office_id, plan.area, plan.units, instant, 10)
        search_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with db.read_scope() as session:
            search.days_with_free(session, office_id, plan.area, plan.units, instant)
        calendar_ms.append((time.perf_counter() - started) * 1000)
    assert found, "no free time found"

    with db.read_scope() as session:
        targets = search.first_free(session, office_id, plan.area, plan.units, now, BOOKERS // 2)
    proofs = []
    for i in range(BOOKERS + SINGLE):
        challenge = limits.new_challenge(f"bench-{i}")
        solution = altcha.solve_challenge_v1(challenge["challenge"], challenge["salt"], challenge["algorithm"],
                                             challenge["maxnumber"])
        proofs.append(altcha.PayloadV1(challenge["algorithm"], challenge["challenge"], solution.number,
                                       challenge["salt"], challenge["signature"]).to_base64())
    single_ms = []
    for i in range(SINGLE):
        with db.read_scope() as session:  # the next free time each time: the ones found at first may overlap
            start = search.first_free(session, office_id, plan.area, plan.units, now + timedelta(days=30), 1)[0]
        started = time.perf_counter()
        held = holds.hold(office_id, items, start, now)
        bookings.confirm(held.token, "Einzeln", "Person", f"single{i}@example.org", None, True, proofs[BOOKERS + i],
                         f"single-{i}", now)
        single_ms.append((time.perf_counter() - started) * 1000)
    def book(i: int) -> str:
        try:
            held = holds.hold(office_id, items, targets[i % len(targets)], now)
            bookings.confirm(held.token, "Bench", f"Person {chr(65 + i % 26)}", f"bench{i}@example.org", None, True,
                             proofs[i], f"bench-{i}", now)
            return "booked"
        except BookingError as exc:
            return exc.code

    results = _book_at_once(book)
    book_ms, outcomes = [ms for ms, _ in results], [outcome for _, outcome in results]

    with db.read_scope() as session:
        overlaps = session.connection().execute(text(
            "SELECT count(*) FROM reservation a JOIN reservation b ON a.id < b.id AND a.office_id = b.office_id "
            "AND a.area = b.area AND a.lane = b.lane AND a.start_unit < b.end_unit AND b.start_unit < a.end_unit "
            "WHERE a.state = 'booked' AND b.state = 'booked'")).scalar_one()
    print(f"demo office, {reservations} reservations filled in, combination of {plan.minutes} min "
          f"({plan.area}); database {db.engine().dialect.name}", file=sys.stderr)
    print(json.dumps({
        "search_p95_ms": _p95(search_ms),
        "search_median_ms": round(statistics.median(search_ms), 1),
        "calendar_p95_ms": _p95(calendar_ms),
        "book_p95_ms": _p95(book_ms),
        "book_median_ms": round(statistics.median(book_ms), 1),
        "book_alone_median_ms": round(statistics.median(single_ms), 1),
        "bookings": outcomes.count("booked") + len(single_ms),
        "taken": outcomes.count("taken"),
        "other_refusals": len(outcomes) - outcomes.count("booked") - outcomes.count("taken"),
        "double_bookings": overlaps,
        "processes": PROCESSES,
    }))


if __name__ == "__main__":
    main()
