"""The public booking page's handlers: bad input from the browser gets a German message and changes nothing."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import Reservation
from workstation.services.booking import bookings
from workstation.state.booking import BookingState
from workstation.state.booking_change import BookingChangeState


@pytest.fixture
def office(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    return booking_data.build()


def _reservations() -> int:
    with db.read_scope() as session:
        return session.exec(select(func.count()).select_from(Reservation)).one()


def test_the_page_walks_from_concerns_to_a_held_time_in_german_and_english(office):
    state = BookingState()
    with clock.freeze(NOW):
        BookingState.load.fn(state)
        BookingState.set_count.fn(state, str(office.services["KRP"]), "2")
        BookingState.set_count.fn(state, str(office.services["PA"]), "1")
        assert (state.summary_minutes, state.summary_labels) == (35, ["Kinderreisepass × 2",
                                                                      "Personalausweis beantragen"])
        BookingState.to_time.fn(state)
        assert state.step == "time"
        assert state.first_times[0]["label"] == "Montag, 23. November 2026, 08:00 Uhr"
        BookingState.toggle_language.fn(state)
        assert state.first_times[0]["label"] == "Monday, 23 November 2026, 08:00"
        assert state.month_label == "November 2026"
        BookingState.choose_time.fn(state, state.first_times[0]["iso"])
    assert state.step == "details" and state.held_until == "07:10"
    assert _reservations() == 1


@pytest.mark.parametrize("value", ["x", "-1", "999", "1; DROP TABLE"])
def test_a_forged_count_counts_as_none(office, value):
    state = BookingState()
    with clock.freeze(NOW):
        BookingState.load.fn(state)
        BookingState.set_count.fn(state, str(office.services["ANM"]), value)
        BookingState.to_time.fn(state)
    assert state.step == "concerns" and state.summary_error == "Noch kein Anliegen gewählt."


@pytest.mark.parametrize("iso", ["kein-datum", at(13).isoformat(), at(8, 2).isoformat()])
def test_a_forged_time_is_refused_with_a_german_message(office, iso):
    state = BookingState()
    with clock.freeze(NOW):
        BookingState.load.fn(state)
        BookingState.set_count.fn(state, str(office.services["ANM"]), "1")
        BookingState.to_time.fn(state)
        BookingState.choose_time.fn(state, iso)
    assert state.step == "time" and "kann nicht gebucht werden" in state.error
    assert _reservations() == 0


def test_the_change_page_cancels_once_and_says_so_the_second_time(office):
    booked = bookings.book_for_caller(office.office_id, [(office.services["ANM"], 1)], at(12), "Seán", "O'Brien",
                                      "sean@example.org", now=clock.to_utc(NOW))
    state = BookingChangeState()
    state._token = booked.token
    with clock.freeze(NOW):
        BookingChangeState.cancel.fn(state)
        assert state.cancelled and state.done_message.startswith("Ihr Termin ist abgesagt")
        BookingChangeState.cancel.fn(state)
    assert state.error == "Dieser Termin ist bereits abgesagt."


def test_the_change_page_names_the_deadline_from_the_settings(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_BOOKING_CHANGE_UNTIL_HOURS", "6")
    booked = bookings.book_for_caller(office.office_id, [(office.services["ANM"], 1)], at(12), "Anna", "Muster",
                                      now=clock.to_utc(NOW))
    state = BookingChangeState()
    state._token = booked.token
    with clock.freeze(NOW.replace(hour=7, minute=30)):
        BookingChangeState.start_move.fn(state)
        BookingChangeState.cancel.fn(state)
    assert "nur bis 6 Stunden vor dem Termin" in state.error
