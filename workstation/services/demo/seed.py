"""The deterministic demo office: Offenbach-like desks, staff, a year of history and today's appointments.

The same seed and the same day always give the same rows (ids included): every random draw comes from
a numpy generator seeded with (seed, part), and ids are assigned in memory before one bulk insert.
The generated world stands still at 07:00 Berlin time of "today" (see `demo.context.REFERENCE_HOUR`),
so it does not depend on the hour the command runs.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from workstation import clock, db
from workstation.config import settings
from workstation.models import Office
from workstation.services import metrics
from workstation.services.demo import lead_times
from workstation.services.demo.accounts import DEMO_ACCOUNTS, DemoAccount, build_staff
from workstation.services.demo.backoffice import build_backoffice
from workstation.services.demo.base import build_citizens, build_office
from workstation.services.demo.booking_setup import write_booking_setup
from workstation.services.demo.bookings_ahead import book_ahead
from workstation.services.demo.briefing import build_briefing_notes
from workstation.services.demo.capacity import write_capacity
from workstation.services.demo.city import write_city
from workstation.services.demo.codes import CodeSource
from workstation.services.demo.context import HISTORY_DAYS, DemoBuild
from workstation.services.demo.documents import build_documents
from workstation.services.demo.feedback import build_feedback
from workstation.services.demo.history import build_history
from workstation.services.demo.plates import build_plates
from workstation.services.demo.seating import build_seating
from workstation.services.demo.today import build_today
from workstation.services.demo.vanessa import VANESSA_BOOKING_CODE, VANESSA_PLATE, build_vanessa
from workstation.services.demo.writer import insert_all, is_empty, wipe

__all__ = [
    "DEMO_ACCOUNTS",
    "VANESSA_BOOKING_CODE",
    "VANESSA_PLATE",
    "DemoAccount",
    "DemoAlreadySeededError",
    "SeedReport",
    "build_demo",
    "seed_demo_office",
    "seed_if_empty",
]

_LOCK_KEY = 4_711_2022  # PostgreSQL advisory lock: one seeding at a time, even with several workers


class DemoAlreadySeededError(RuntimeError):
    """The database already holds an office; seeding again needs `reset=True`."""


@dataclass(frozen=True)
class SeedReport:
    """What a seeding run wrote and how long it took."""

    seed: int
    today: date
    rows: dict[str, int]
    build_seconds: float
    write_seconds: float


def build_demo(seed: int, today: date, office_code: str | None = None, *, scale: float = 1.0) -> DemoBuild:
    """Generate every row of the demo office in memory (no database access); `scale` sizes it down
    for the smaller offices of the demo city."""
    build = DemoBuild(seed=seed, today=today, office_code=office_code or settings().office_code, scale=scale)
    build.codes = CodeSource(build)
    build.used_codes.add(VANESSA_BOOKING_CODE)
    build_office(build)
    build_staff(build)
    build_citizens(build)
    build_seating(build)
    build_documents(build, build_history(build))
    build_vanessa(build)
    build_today(build)
    build_plates(build)
    build_briefing_notes(build)
    build_backoffice(build)
    build_feedback(build)
    return build


def _serialise(session: Session) -> None:
    """Take the seeding lock (SQLite: the engine's BEGIN IMMEDIATE already serialises writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _write(session: Session, seed: int, today: date, city: bool = False) -> SeedReport:
    started = time.perf_counter()
    build = build_demo(seed, today)
    built = time.perf_counter()
    counts = insert_all(session, build.rows)
    session.flush()
    counts["bookingcapacity"] = write_capacity(session, build.office_id)
    counts.update(write_booking_setup(session, today))
    counts["booked_ahead"] = book_ahead(session, build.office_id, today, seed)
    if city:
        for table, count in write_city(session, seed, today, build_demo).items():
            counts[table] = counts.get(table, 0) + count
    counts["leadtimerecord"] = lead_times.write_history(session, today, HISTORY_DAYS)
    return SeedReport(seed, today, counts, built - started, time.perf_counter() - built)


def seed_demo_office(seed: int | None = None, today: date | None = None, reset: bool = False,
                     city: bool = False) -> SeedReport:
    """Seed the demo office (with `city`: the demo city, see `demo.city`) into the configured database.

    Args:
        seed: random seed (default: `settings().demo_seed`).
        today: the demo's "today" (default: today in Berlin).
        reset: wipe every table first; without it an already seeded database is refused.
        city: also the city's three further offices and the city admin.

    Raises:
        DemoAlreadySeededError: the database holds an office and `reset` is False.
    """
    seed = settings().demo_seed if seed is None else seed
    today = today or clock.today()
    db.create_schema()
    with db.session_scope() as session:
        _serialise(session)
        if reset:
            wipe(session)
        elif not is_empty(session, Office.__table__):
            raise DemoAlreadySeededError("The database already holds an office; use --reset to replace it.")
        report = _write(session, seed, today, city)
    _compute_history_metrics(today)
    return report


def _compute_history_metrics(today: date) -> None:
    """Store the controlling figures of the demo's year, as the nightly job would have done each night."""
    metrics.refresh(today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1))
    lead_times.record_today(today)


def seed_if_empty() -> bool:
    """Seed the demo office on the first start (empty database); returns whether it seeded."""
    db.create_schema()
    with db.session_scope() as session:
        _serialise(session)
        if not is_empty(session, Office.__table__):
            return False
        _write(session, settings().demo_seed, clock.today())
    _compute_history_metrics(clock.today())
    return True
