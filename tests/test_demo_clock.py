"""`make run` at night or on a later day: the demo clock starts at 07:55 of the demo day, so the README works."""

from datetime import date, datetime

import pytest

from tests.queue_floor import at
from workstation import clock, db
from workstation.models import Citizen, Office, Visit
from workstation.services.demo import demo_clock
from workstation.services.demo.vanessa import VANESSA_BOOKING_CODE

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture
def demo_office(sqlite_db, monkeypatch):
    monkeypatch.delenv("WORKSTATION_NOW", raising=False)
    monkeypatch.delenv("WORKSTATION_DEMO_CLOCK", raising=False)
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro", city="Offenbach", opening_hours="")
        citizen = Citizen(first_name="Vanessa", last_name="Graf", created_at=at(7, 0))
        session.add_all([office, citizen])
        session.flush()
        session.add(Visit(office_id=office.id, kind="appointment", status="booked", area="registration",
                          citizen_id=citizen.id, booking_code=VANESSA_BOOKING_CODE, slot_start=at(8, 0)))


def _berlin(*args) -> datetime:
    return clock.to_utc(datetime(*args))


@pytest.mark.parametrize("real", [
    (2026, 11, 23, 2, 30),   # the night before the morning
    (2026, 11, 23, 21, 0),   # the evening after
    (2026, 11, 28, 10, 0),   # a Saturday later
])
def test_outside_the_demo_morning_the_clock_starts_at_seven_fifty_five_of_the_demo_day(demo_office, real):
    start = demo_clock.start_instant(_berlin(*real))
    assert start is not None
    assert (start.date(), start.hour, start.minute) == (DEMO_DAY, 7, 55)
    assert clock.to_utc(start.replace(tzinfo=None)) == _berlin(2026, 11, 23, 7, 55)


def test_during_the_demo_morning_the_real_clock_stays(demo_office):
    assert demo_clock.start_instant(_berlin(2026, 11, 23, 9, 30)) is None


def test_a_configured_clock_or_off_wins(demo_office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_DEMO_CLOCK", "off")
    assert demo_clock.start_instant(_berlin(2026, 11, 23, 2, 30)) is None
    monkeypatch.delenv("WORKSTATION_DEMO_CLOCK")
    monkeypatch.setenv("WORKSTATION_NOW", "2026-11-23T08:30:00+01:00")
    assert demo_clock.start_instant(_berlin(2026, 11, 23, 2, 30)) is None


def test_no_demo_office_no_demo_clock(sqlite_db):
    assert demo_clock.start_instant(_berlin(2026, 11, 23, 2, 30)) is None
