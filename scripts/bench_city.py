"""City benchmark: 10 offices, 4 web workers with Redis and PostgreSQL, 28 counter screens per office.

Builds 10 offices in a fresh PostgreSQL database (per office 28 counters with their advisors seated, a
reception, a morning of booked appointments; clock at 07:55), starts the production server the way
`make run-city` does (GRANIAN_WORKERS=4, REFLEX_REDIS_URL, WORKSTATION_SCHEDULER=off) and drives it
with the socket.io screens of `bench_queue.py` (imported, not copied): per office a reception checking
people in, 24 advisors serving and 4 more counter screens that only watch the floor — 290 screens —
through a busy morning at `--speedup` (default 10) times the real rate.

Afterwards it stores one ordinary office day (the Friday before: per office 450 served visits, 600
back-office cases, desks staffed) and times the nightly job's computation of that day for all 10 offices.

Accounts share one password hash and their sessions are written directly (as `auth.login` writes them):
290 argon2 logins would take minutes on two cores and measure nothing the benchmark is about.

Usage: python scripts/bench_city.py [--offices 10] [--screens 28] [--speedup 10] [--max-seconds 90]
The last line printed is one JSON object: call_next_p95_ms, propagation_p95_ms, errors, total_rss_mb,
nightly_city_s (and details).
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import queue
import secrets
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_queue  # noqa: E402  (the socket.io screens and the server handling of the queue benchmark)
import bench_queue_data  # noqa: E402  (its small catalogue)

SERVING = 24
ADMIN_PG = os.environ.get("WORKSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("WORKSTATION_TEST_REDIS", "redis://127.0.0.1:6379") + "/3"
MORNING = datetime(2026, 11, 23, 7, 55)  # Berlin; a Monday


@dataclass
class BenchOffice:
    """Logins and codes of one office's screens."""

    advisor_tokens: list[str]
    reception_token: str
    booking_codes: dict[str, int]
    service_ids: list[int]


def _fresh_database() -> str:
    from sqlalchemy import create_engine, text

    name = f"bench_city_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return ADMIN_PG.rsplit("/", 1)[0] + f"/{name}"


def _session_for(session, user_id: int, now: datetime) -> str:
    """A live session as `auth.login` writes it: the browser keeps the token, the table its SHA-256."""
    from workstation.models import UserSession

    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user_id,
                            created_at=now, expires_at=now + timedelta(hours=12)))
    return token


def _build_offices(count: int, screens: int, appointments: int) -> list[BenchOffice]:
    """`count` offices with `screens` seated advisors, a reception and a morning of appointments each."""
    from workstation import clock, db
    from workstation.models import (
        Citizen,
        Concern,
        Counter,
        CounterKind,
        Office,
        Role,
        Service,
        StaffAssignment,
        StaffUser,
        Visit,
        VisitKind,
        VisitStatus,
    )
    from workstation.services.common import serials
    from workstation.services.staff.passwords import hash_password

    db.create_schema()
    now = clock.now()
    today = clock.to_local(now).date()
    first_slot = clock.to_utc(MORNING + timedelta(minutes=5))
    shared_hash = hash_password(secrets.token_urlsafe(16))
    offices = []
    with db.session_scope() as session:
        for n in range(count):
            code = "".join(serials.SERIAL_ALPHABET[(n * 7 + k * 3) % 27] for k in range(3)) + f"{n % 10}"
            office = Office(code=code, name=f"Bürgerbüro {n + 1}", city="Benchstadt", opening_hours="Mo–Fr 8–13")
            session.add(office)
            session.flush()
            services = [Service(office_id=office.id, code=c, name=name, area=a, planned_minutes=m)
                        for c, name, a, m in bench_queue_data.SERVICES]
            counters = [Counter(office_id=office.id, name=f"Schalter {i + 1}", kind=CounterKind.REGULAR)
                        for i in range(screens)]
            session.add_all([*services, *counters])
            session.flush()
            tokens = []
            for i, counter in enumerate(counters):
                user = StaffUser(office_id=office.id, username=f"b{n}_{i}", display_name=f"Beraterin {n}.{i}",
                                 role=Role.ADVISOR, password_hash=shared_hash, created_at=now)
                session.add(user)
                session.flush()
                session.add(StaffAssignment(day=today, user_id=user.id, counter_id=counter.id))
                tokens.append(_session_for(session, user.id, now))
            reception = StaffUser(office_id=office.id, username=f"b{n}_empfang", display_name="Empfang",
                                  role=Role.RECEPTION, password_hash=shared_hash, created_at=now)
            session.add(reception)
            session.flush()
            codes = {}
            for i in range(appointments):
                citizen = Citizen(first_name="Bürgerin", last_name=f"Nr{n}-{i:04d}", created_at=now)
                session.add(citizen)
                session.flush()
                slot = first_slot + timedelta(minutes=i % 10)
                service = services[i % len(services)]
                visit = Visit(office_id=office.id, kind=VisitKind.APPOINTMENT, status=VisitStatus.BOOKED,
                              area=service.area, citizen_id=citizen.id, booking_code=f"C{n}Q{i:04d}",
                              booked_at=now - timedelta(days=4), slot_start=slot, slot_end=slot + timedelta(minutes=15))
                session.add(visit)
                session.flush()
                session.add(Concern(visit_id=visit.id, service_id=service.id))
                codes[visit.booking_code] = visit.id
            offices.append(BenchOffice(tokens, _session_for(session, reception.id, now), codes,
                                       [s.id for s in services]))
    return offices


def _office_day(day) -> None:
    """An ordinary office day in every office: 450 served visits, 600 back-office cases, desks staffed."""
    from sqlmodel import select

    from workstation import clock, db
    from workstation.models import BackofficeTask, Concern, Counter, Office, Service, StaffAssignment, Visit

    opening = clock.to_utc(datetime.combine(day, datetime.min.time()) + timedelta(hours=8))
    with db.session_scope() as session:
        for office in session.exec(select(Office)).all():
            services = session.exec(select(Service).where(Service.office_id == office.id)).all()
            counters = session.exec(select(Counter).where(Counter.office_id == office.id)).all()
            users = session.exec(select(StaffAssignment.user_id).join(
                Counter, Counter.id == StaffAssignment.counter_id).where(Counter.office_id == office.id)).all()
            session.add_all(StaffAssignment(day=day, user_id=u, counter_id=c.id)
                            for u, c in zip(users, counters, strict=True))
            for i in range(450):
                checked_in = opening + timedelta(seconds=i * 40)
                called = checked_in + timedelta(minutes=3 + i % 17)
                visit = Visit(office_id=office.id, kind="appointment" if i % 10 else "walk_in", status="finished",
                              area=services[i % len(services)].area, slot_start=checked_in if i % 10 else None,
                              booked_at=checked_in - timedelta(days=1 + i % 9), checked_in_at=checked_in,
                              called_at=called, started_at=called + timedelta(minutes=1),
                              finished_at=called + timedelta(minutes=9 + i % 7),
                              counter_id=counters[i % len(counters)].id)
                session.add(visit)
                session.flush()
                session.add(Concern(visit_id=visit.id, service_id=services[i % len(services)].id, status="done"))
            session.add_all(BackofficeTask(office_id=office.id, type="citizen_email", title=f"Fall {i}",
                                           created_at=opening + timedelta(minutes=i), updated_at=opening,
                                           status="done" if i % 3 else "open",
                                           closed_at=opening + timedelta(minutes=i + 90) if i % 3 else None)
                            for i in range(600))


def _run(args) -> dict:
    from workstation import clock

    offices = _build_offices(args.offices, args.screens, args.appointments)
    speedup = args.speedup
    job_base = {"rate": 100 / 3600 * speedup, "service_seconds": (5 * 60 / speedup, 15 * 60 / speedup),
                "max_seconds": args.max_seconds}
    proc, base_url = bench_queue._start_server(dict(os.environ))
    context = multiprocessing.get_context("spawn")
    connected, go, stop = context.Semaphore(0), context.Event(), context.Event()
    results = context.Queue()
    groups = []  # (role, screens, job, reception_done)
    watchers = []
    for n, office in enumerate(offices):
        done = context.Event()
        job = {**job_base, "codes": office.booking_codes, "service_ids": office.service_ids}
        groups.append(("reception", [(f"o{n}-reception", office.reception_token)], job, done))
        named = [(f"o{n}-advisor{i}", token) for i, token in enumerate(office.advisor_tokens)]
        groups.append(("advisor", named[:SERVING], job, done))
        watchers += named[SERVING:]
    for i in range(2):
        if watchers[i::2]:
            groups.append(("watcher", watchers[i::2], job_base, context.Event()))
    workers = []
    try:
        import psutil

        server = psutil.Process(proc.pid)
        for role, names_tokens, job, done in groups:
            worker = context.Process(target=bench_queue._client_process, args=(
                role, names_tokens, base_url, job, connected, go, done, stop, results))
            worker.start()
            workers.append(worker)
        for _ in groups:
            if not connected.acquire(timeout=600):
                raise SystemExit("the screens did not connect")
        started = time.monotonic()
        go.set()
        records = []
        active = sum(role != "watcher" for role, *_ in groups)
        while len(records) < len(groups):
            if time.monotonic() - started > args.max_seconds + 900:
                raise SystemExit("the morning did not end within 15 minutes after the last check-in")
            if proc.poll() is not None:
                raise SystemExit("the server stopped during the run:\n" + "".join(bench_queue.SERVER_OUTPUT))
            try:
                records.append(results.get(timeout=2))
            except queue.Empty:
                continue
            if len(records) == active:
                elapsed = time.monotonic() - started
                total_rss = sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]) / 2**20
                stop.set()
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.terminate()
        bench_queue._stop_server(proc)

    # The nightly job computes the day before; the morning is a Monday, so the last office day is Friday.
    friday = clock.to_local(clock.now()).date() - timedelta(days=3)
    _office_day(friday)
    from workstation.services import metrics

    nightly_started = time.perf_counter()
    report = metrics.refresh(friday, friday)
    nightly = time.perf_counter() - nightly_started

    call_ms = [ms for r in records for ms in r["call_ms"]]
    propagation = bench_queue._propagation(records)
    return {
        "offices": args.offices,
        "screens": sum(len(names) for _, names, *_ in groups),
        "web_workers": int(os.environ["GRANIAN_WORKERS"]),
        "speedup": speedup,
        "served": len(call_ms),
        "duration_s": round(elapsed, 1),
        "call_next_p50_ms": round(statistics.median(call_ms), 1) if call_ms else None,
        "propagation_p50_ms": bench_queue._percentile(propagation, 0.5),
        "propagation_samples": len(propagation),
        "nightly_rows": report.rows,
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "call_next_p95_ms": bench_queue._percentile(call_ms, 0.95),
        "propagation_p95_ms": bench_queue._percentile(propagation, 0.95),
        "errors": sum(r["errors"] for r in records),
        "total_rss_mb": round(total_rss, 1),
        "nightly_city_s": round(nightly, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument("--screens", type=int, default=28, help="counter screens per office (24 of them serve)")
    parser.add_argument("--appointments", type=int, default=60, help="booked appointments per office")
    parser.add_argument("--speedup", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=90.0, help="reception stops checking in after this")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    db_url = _fresh_database()
    os.environ.update({
        "REFLEX_DB_URL": db_url,
        "REFLEX_REDIS_URL": REDIS,
        "GRANIAN_WORKERS": str(args.workers),
        "WORKSTATION_SCHEDULER": "off",
        "WORKSTATION_SKIP_PREPARE": "1",
        "WORKSTATION_NOW": MORNING.isoformat() + "+01:00",
        "WORKSTATION_DATA_DIR": f"/tmp/{db_url.rsplit('/', 1)[1]}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
    })
    from workstation import clock  # bench_queue_data imported it before the environment above was set
    from workstation.startup import migrate

    clock.travel(MORNING)
    migrate()
    try:
        result = _run(args)
    finally:
        from sqlalchemy import create_engine, text

        from workstation import db

        db.engine().dispose()
        admin = create_engine(ADMIN_PG, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
