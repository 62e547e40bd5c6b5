"""Fifty people reach for the last free time at once: exactly one gets it, on SQLite and on PostgreSQL.

The refusal comes from the database (UNIQUE per lane and 5-minute unit), so it holds however the
attempts interleave; every loser gets the German "nicht mehr frei" and leaves nothing behind.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time

from sqlalchemy import func
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import Reservation, SlotClaim, Visit
from workstation.services.booking import bookings, claims, holds
from workstation.services.booking.errors import BookingError
from workstation.services.booking.units import to_unit

ATTEMPTS = 50


def _race(any_db, monkeypatch) -> list[str]:
    booking_data.env(monkeypatch)
    # One lane, open 08:00-08:20, and 08:00-08:10 already booked: 08:10 is the last free time.
    office = booking_data.build({"registration": 1}, opens=time(8), closes=time(8, 20))
    now = clock.to_utc(NOW)
    bookings.book_for_caller(office.office_id, [(office.services["ANM"], 1)], at(8), "Erste", "Person", now=now)
    proofs = [booking_data.solved_pow(f"client-{i}") for i in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(i: int) -> str:
        barrier.wait()
        try:
            held = holds.hold(office.office_id, [(office.services["ANM"], 1)], at(8, 10), now)
            booked = bookings.confirm(held.token, "Person", f"Nummer {chr(65 + i % 26)}", f"p{i}@example.org", None,
                                      True, proofs[i], f"client-{i}", now)
        except BookingError as exc:
            return exc.code
        return booked.code

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        return list(pool.map(attempt, range(ATTEMPTS)))


def test_fifty_parallel_attempts_at_the_last_free_time_give_exactly_one_booking(any_db, monkeypatch):
    outcomes = _race(any_db, monkeypatch)
    winners = [o for o in outcomes if len(o) == 6 and o.isupper()]
    assert len(winners) == 1, outcomes
    assert sorted(set(outcomes) - set(winners)) == ["taken"]
    with db.read_scope() as session:
        booked = session.exec(select(func.count()).select_from(Visit).where(Visit.slot_start == at(8, 10))).one()
        units = session.exec(select(SlotClaim.unit).order_by(SlotClaim.unit)).all()
        reservations = session.exec(select(func.count()).select_from(Reservation)).one()
    assert booked == 1
    assert units == [to_unit(at(8)) + i for i in range(4)]  # two appointments of two units each, no unit twice
    assert reservations == 2


def test_an_overlapping_claim_on_a_single_unit_is_refused_by_the_database(any_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 1})
    now = clock.to_utc(NOW)
    with db.session_scope() as session:
        claims.take(session, office_id=office.office_id, area="registration", lane=1, start=to_unit(at(8)),
                    end=to_unit(at(8, 30)), state=claims.BOOKED, now=now)
    with db.session_scope() as session:
        try:
            claims.take(session, office_id=office.office_id, area="registration", lane=1, start=to_unit(at(8, 25)),
                        end=to_unit(at(8, 40)), state=claims.BOOKED, now=now)
        except claims.TimeTakenError:
            refused = True
        else:
            refused = False
    assert refused
    with db.read_scope() as session:
        assert session.exec(select(func.count()).select_from(SlotClaim)).one() == 6
