"""Holding a chosen time while the form is filled in (`WORKSTATION_BOOKING_HOLD_MINUTES`, default 10).

A hold is a reservation in state "held" with its units claimed (so nobody else can take the time),
an expiry, the requested concerns and the SHA-256 of a random 128-bit hold token that only the
citizen's browser knows. When the hold runs out the time is free again by itself: the search ignores
expired holds and the next claim on those units deletes them (see `claims`).
"""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from workstation import clock, db
from workstation.config import settings
from workstation.services.booking import capacity, catalogue, claims, search
from workstation.services.booking.catalogue import Plan
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope
from workstation.services.booking.units import from_unit, to_unit

TOKEN_BYTES = 16
"""128 bits of randomness in every hold and change token."""

TAKEN = BookingError("taken", "Diese Zeit ist leider nicht mehr frei. Bitte wählen Sie eine andere.",
                     "Sorry, this time is no longer free. Please choose another one.")
OUTSIDE = BookingError("outside", "Diese Zeit kann nicht gebucht werden (außerhalb des buchbaren Zeitraums "
                       "oder der Öffnungszeiten).", "This time cannot be booked (outside the booking period or the "
                       "opening hours).")


def new_token() -> str:
    """A random URL-safe token of 128 bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Hold:
    """A held time: the token for the browser, the time and the plan it was held for."""

    token: str
    start: datetime
    end: datetime
    expires_at: datetime
    plan: Plan


def _check_window(start: datetime, now: datetime) -> int:
    unit = to_unit(start)
    first_day, last_day = capacity.horizon(now)
    if from_unit(unit) != start or unit < search.earliest_start(now) or \
            not first_day <= clock.to_local(start).date() <= last_day:
        raise OUTSIDE
    return unit


def take_time(session: Session, office_id: int, plan: Plan, start: datetime, now: datetime, *, state: str,
              expires_at: datetime | None, hold_hash: str | None = None, emergency: bool = False,
              lanes: list[int] | None = None) -> int:
    """Claim the plan's time on the lowest free lane; returns the reservation id (raises TAKEN/OUTSIDE).

    `lanes` are the free lanes found before the write transaction (`free_lanes`); without them they are
    looked up here.
    """
    unit = _check_window(start, now)
    if lanes is None:
        lanes = free_lanes(session, office_id, plan, start, now, emergency=emergency)
    for lane in lanes:
        try:
            return claims.take(session, office_id=office_id, area=plan.area, lane=lane, start=unit,
                               end=unit + plan.units, state=state, now=now, expires_at=expires_at,
                               hold_hash=hold_hash, request=plan.request_json(), emergency=emergency)
        except claims.TimeTakenError:
            continue
    raise TAKEN


def free_lanes(session: Session, office_id: int, plan: Plan, start: datetime, now: datetime, *,
               emergency: bool = False, own_hold: str | None = None) -> list[int]:
    """The lanes on which the plan fits at `start` now; raises TAKEN or OUTSIDE when there is none.

    The time of `own_hold` (the asker's current hold token) counts as free: choosing the time one already
    holds, or one overlapping it, must not answer "taken" — that hold is given back before the new one."""
    unit = _check_window(start, now)
    lanes = search.free_lanes_at(session, office_id, plan.area, plan.units, unit, now, emergency=emergency,
                                 ignore_hold=token_hash(own_hold) if own_hold else None)
    if not lanes:
        raise TAKEN if _bookable(session, office_id, plan, unit, emergency) else OUTSIDE
    return lanes


def _bookable(session: Session, office_id: int, plan: Plan, unit: int, emergency: bool) -> bool:
    """Whether the wanted time lies on an open day inside some lane's window (taken vs. never bookable)."""
    day = clock.to_local(from_unit(unit)).date()
    if not capacity.open_days(session, office_id, day, day):
        return False
    windows = capacity.area_lanes(session, office_id, plan.area).windows(day, emergency=emergency)
    return any(w.start <= unit and unit + plan.units <= w.end for w in windows)


def hold(office_id: int, items: Sequence[tuple[int, int]], start: datetime, now: datetime | None = None, *,
         release: str | None = None, online: bool = True) -> Hold:
    """Hold `start` (naive UTC) for the concerns; `release` gives the browser's previous hold back first."""
    instant = now or clock.now()
    expires_at = instant + timedelta(minutes=settings().booking_hold_minutes)
    token = new_token()
    with db.read_scope() as session:  # reading outside the write transaction keeps the writers' turns short
        plan = catalogue.plan(session, items, online=online, office_id=office_id)
        lanes = free_lanes(session, office_id, plan, start, instant, own_hold=release)
    with write_scope() as session:
        if release:
            claims.release_hold(session, token_hash(release))
        take_time(session, office_id, plan, start, instant, state=claims.HELD, expires_at=expires_at,
                  hold_hash=token_hash(token), lanes=lanes)
    return Hold(token, start, from_unit(to_unit(start) + plan.units), expires_at, plan)


def release(token: str) -> None:
    """Give a hold back at once (the citizen went back to choose another time)."""
    with write_scope() as session:
        claims.release_hold(session, token_hash(token))
