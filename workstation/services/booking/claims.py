"""Taking a lane's time so that the database itself refuses a second claim.

`take` first removes dead reservations on exactly those units (an expired hold, a cancelled time that
has cooled off), then inserts the reservation and one `SlotClaim` per 5-minute unit in one statement.
(office, area, lane, unit) is UNIQUE: if any unit is already claimed — by a row committed a moment
ago or by a concurrent transaction that commits first — the insert fails and the caller's savepoint
rolls back, leaving nothing behind. This holds on SQLite (writers queue behind BEGIN IMMEDIATE) and
on PostgreSQL (the second insert waits for the first transaction and then violates the constraint;
two transactions deleting the same dead row are serialised by its row lock).
"""

from datetime import datetime

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from workstation.models import Reservation, SlotClaim

HELD = "held"
BOOKED = "booked"
COOLING = "cooling"

_R = Reservation.__table__  # type: ignore[attr-defined]
_C = SlotClaim.__table__  # type: ignore[attr-defined]


# Built once with parameters (every hold and booking runs them; see `bookings` for why).
_DEAD_ON_UNITS = select(_R.c.id).where(
    _R.c.office_id == bindparam("office"), _R.c.area == bindparam("area"), _R.c.lane == bindparam("lane"),
    _R.c.start_unit < bindparam("end"), _R.c.end_unit > bindparam("start"), _R.c.expires_at.is_not(None),
    _R.c.expires_at <= bindparam("now")).order_by(_R.c.id)
_NEW_RESERVATION = insert(_R).returning(_R.c.id)
_NEW_CLAIM = insert(_C)


class TimeTakenError(Exception):
    """Another claim holds at least one unit of the wanted time."""


def _dead(now: datetime):
    return and_(_R.c.expires_at.is_not(None), _R.c.expires_at <= now)


def _drop(session: Session, condition) -> int:
    conn = session.connection()
    ids = list(conn.execute(select(_R.c.id).where(condition).order_by(_R.c.id)).scalars())
    if ids:
        conn.execute(delete(_C).where(_C.c.reservation_id.in_(ids)))
        conn.execute(delete(_R).where(_R.c.id.in_(ids)))
    return len(ids)


def take(session: Session, *, office_id: int, area: str, lane: int, start: int, end: int, state: str,
         now: datetime, expires_at: datetime | None = None, visit_id: int | None = None,
         hold_hash: str | None = None, request: str = "", emergency: bool = False) -> int:
    """Claim units [start, end) of a lane; returns the reservation id or raises `TimeTakenError` (nothing kept)."""
    with session.begin_nested():
        conn = session.connection()  # taken inside the block: the SAVEPOINT is opened when the connection is asked for
        try:
            dead = conn.execute(_DEAD_ON_UNITS, {"office": office_id, "area": area, "lane": lane, "start": start,
                                                 "end": end, "now": now}).scalars().all()
            if dead:
                conn.execute(delete(_C).where(_C.c.reservation_id.in_(dead)))
                conn.execute(delete(_R).where(_R.c.id.in_(dead)))
            reservation_id = conn.execute(_NEW_RESERVATION, {
                "office_id": office_id, "area": area, "lane": lane, "start_unit": start, "end_unit": end,
                "state": state, "expires_at": expires_at, "visit_id": visit_id, "hold_hash": hold_hash,
                "request": request, "emergency": emergency, "created_at": now}).scalar_one()
            conn.execute(_NEW_CLAIM, [
                {"reservation_id": reservation_id, "office_id": office_id, "area": area, "lane": lane, "unit": u}
                for u in range(start, end)])
        except IntegrityError as exc:
            raise TimeTakenError() from exc
    return reservation_id


def book(session: Session, reservation_id: int, visit_id: int) -> None:
    """A held reservation becomes the visit's booking (no expiry)."""
    session.connection().execute(update(_R).where(_R.c.id == reservation_id).values(
        state=BOOKED, expires_at=None, visit_id=visit_id, hold_hash=None, request=""))


def cool_off(session: Session, visit_id: int, until: datetime) -> None:
    """A cancelled or moved booking's time stays taken until `until`, then is free again."""
    session.connection().execute(update(_R).where(_R.c.visit_id == visit_id, _R.c.state == BOOKED)
                                 .values(state=COOLING, expires_at=until))


def purge_dead(session: Session, now: datetime) -> int:
    """Delete expired holds and cooled-off times (the search ignores them already); returns how many."""
    return _drop(session, _dead(now))


def purge_past(session: Session, before_unit: int) -> int:
    """Delete bookings' claims that ended before a unit: the past needs no guard against double booking."""
    return _drop(session, _R.c.end_unit < before_unit)


def release_hold(session: Session, hold_hash: str) -> int:
    """Give a held time back at once (the citizen chose another time)."""
    return _drop(session, and_(_R.c.hold_hash == hold_hash, _R.c.state == HELD))
