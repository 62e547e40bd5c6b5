"""The one source of "now" for the whole application.

Store UTC, show Europe/Berlin. Tests inject a fixed instant with `freeze()`; an end-to-end run sets
`WORKSTATION_NOW` (ISO 8601 with offset) and the server's clock starts at that instant and runs on.
"""

import os
import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

_frozen: datetime | None = None
_travel: tuple[datetime, float] | None = None


def travel(at: datetime | None) -> None:
    """Let the clock start at `at` (naive = Berlin wall time) and run on from there; None ends it.

    End-to-end tests use this (the app runs in the test process) and `WORKSTATION_NOW` does the same
    for a server started from the shell.
    """
    global _travel
    _travel = None if at is None else (to_utc(at), _time.monotonic())


def now() -> datetime:
    """Current instant as a naive UTC datetime (the form stored in the database)."""
    if _frozen is not None:
        return _frozen
    if _travel is not None:
        start, mono = _travel
        return start + timedelta(seconds=_time.monotonic() - mono)
    return datetime.now(UTC).replace(tzinfo=None)


def local_now() -> datetime:
    """Current instant in Europe/Berlin, timezone-aware."""
    return to_local(now())


def today() -> date:
    """The office's calendar day (Europe/Berlin)."""
    return local_now().date()


def to_local(utc_naive: datetime) -> datetime:
    """Stored naive UTC → aware Europe/Berlin for display."""
    return utc_naive.replace(tzinfo=UTC).astimezone(BERLIN)


def to_utc(local: datetime) -> datetime:
    """A Europe/Berlin wall-clock time (naive or aware) → stored naive UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=BERLIN)
    return local.astimezone(UTC).replace(tzinfo=None)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC instants [start, end) of a Berlin calendar day (23 or 25 hours on DST changes)."""
    start = datetime(day.year, day.month, day.day)
    return to_utc(start), to_utc(start + timedelta(days=1))


@contextmanager
def freeze(at: datetime) -> Iterator[None]:
    """Fix "now" for the duration of a block (tests); naive values are read as Berlin time."""
    global _frozen
    previous = _frozen
    _frozen = to_utc(at)
    try:
        yield
    finally:
        _frozen = previous


if os.environ.get("WORKSTATION_NOW"):
    travel(datetime.fromisoformat(os.environ["WORKSTATION_NOW"]))
