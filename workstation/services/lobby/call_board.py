"""The call display's list: the latest calls of an office as ticket number and counter, never a name.

Every call display of an office shows the same list, so it is built once per change of the office's
queue (the `changes` version) and shared by all of them, as the floor overview is for the counters:
thirty displays after one call cost one small query, not thirty. The cache holds one list per office
and the list at most `MAX_ROWS` rows, so a display that runs for weeks adds nothing over time.
"""

import threading
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import Counter, Visit, VisitEvent, VisitEventKind
from workstation.services.common import changes
from workstation.services.queue.calls import hhmm

MAX_ROWS = 10
_CALL_KINDS = (VisitEventKind.CALL, VisitEventKind.CALL_OUT_OF_ORDER, VisitEventKind.RECALL)


@dataclass(frozen=True)
class CallRow:
    """One call on the display; `key` (the call's event id) tells a new call, or a repeated one, apart."""

    key: int
    ticket: str
    counter: str
    at: str


@dataclass(frozen=True)
class CallBoard:
    """The latest calls, newest first (each person once, at their latest call)."""

    rows: tuple[CallRow, ...]

    @property
    def newest(self) -> int:
        return self.rows[0].key if self.rows else 0


def _build(office_id: int, day: date) -> CallBoard:
    day_start, day_end = clock.local_day_bounds(day)
    with db.read_scope() as session:
        found = session.exec(
            select(VisitEvent.id, VisitEvent.visit_id, VisitEvent.at, Visit.ticket, Counter.name)
            .join(Visit, Visit.id == VisitEvent.visit_id)
            .join(Counter, Counter.id == VisitEvent.counter_id)
            .where(
                Visit.office_id == office_id,
                VisitEvent.kind.in_(_CALL_KINDS),
                VisitEvent.at >= day_start,
                VisitEvent.at < day_end,
            )
            .order_by(VisitEvent.id.desc())
            .limit(MAX_ROWS * 3)
        ).all()
    rows, seen = [], set()
    for event_id, visit_id, at, ticket, counter in found:
        if visit_id in seen:
            continue
        seen.add(visit_id)
        rows.append(CallRow(event_id, ticket or str(visit_id), counter, hhmm(at)))
        if len(rows) == MAX_ROWS:
            break
    return CallBoard(tuple(rows))


_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[tuple[int, date], CallBoard]] = {}
_build_locks: dict[tuple[str, int], threading.Lock] = {}


def call_board(office_id: int, *, now: datetime | None = None) -> CallBoard:
    """The office's latest calls, read once per change of its queue (and once per day) for all displays."""
    now = now or clock.now()
    key = (settings().db_url, office_id)
    stamp = (changes.version(office_id), clock.to_local(now).date())
    with _lock:
        hit = _cache.get(key)
        build_lock = _build_locks.setdefault(key, threading.Lock())
    if hit is not None and hit[0] == stamp:
        return hit[1]
    with build_lock:
        with _lock:
            hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        board = _build(office_id, stamp[1])
        with _lock:
            _cache[key] = (stamp, board)
    return board
