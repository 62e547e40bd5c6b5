"""The schema works on both supported databases."""

from sqlmodel import select

from workstation import clock, db
from workstation.models import Office


def test_office_round_trip(any_db):
    with db.session_scope() as session:
        session.add(Office(code="L6F3", name="Bürgerbüro Offenbach", city="Offenbach", opening_hours="Mo–Fr"))
    with db.session_scope() as session:
        office = session.exec(select(Office)).one()
    assert office.code == "L6F3"


def test_clock_freeze_reads_berlin_wall_time():
    from datetime import datetime

    with clock.freeze(datetime(2026, 11, 23, 7, 55)):
        assert clock.now() == datetime(2026, 11, 23, 6, 55)
        assert clock.local_now().hour == 7
