"""Terminvergabe: reception books for a caller with the same engine; other roles are refused on the server."""

import pytest
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW
from workstation import clock, db
from workstation.models import Notification, Visit
from workstation.models.enums import BookingChannel
from workstation.services.staff import auth
from workstation.state.staff_booking import StaffBookingState


@pytest.fixture
def office(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    built = booking_data.build()
    with db.session_scope() as session:
        for role in ("reception", "controlling"):
            auth.create_user(session, office_id=built.office_id, username=role, display_name=f"Test {role}",
                             role=role, password="geheim-123")
    return built


def _state(username: str) -> StaffBookingState:
    token, _ = auth.login(username, "geheim-123")
    state = StaffBookingState()
    state.session_token = token
    return state


def test_reception_books_a_caller_without_e_mail_also_for_services_not_offered_online(office):
    state = _state("reception")
    with clock.freeze(NOW):
        StaffBookingState.load.fn(state)
        assert {"Interne Prüfung", "Anmeldung"} <= {s["name"] for s in state.services}
        StaffBookingState.set_count.fn(state, str(office.services["ANM"]), "1")
        StaffBookingState.set_count.fn(state, str(office.services["INT"]), "1")
        StaffBookingState.find_times.fn(state, {"first_name": "Olga", "last_name": "Nguyễn", "phone": "069 1234",
                                                "email": "", "channel": "phone", "day": ""})
        assert state.times[0]["label"] == "Montag, 23. November 2026, 08:00 Uhr"
        StaffBookingState.book.fn(state, state.times[0]["iso"])
    assert state.message == "" and len(state.booked["code"]) == 6
    assert state.booked["qr"].startswith("data:image/png;base64,")
    with db.read_scope() as session:
        visit = session.exec(select(Visit).where(Visit.booking_code == state.booked["code"])).one()
        assert visit.channel == BookingChannel.PHONE
        assert session.exec(select(Notification)).all() == []


def test_bad_details_are_explained_and_nothing_is_booked(office):
    state = _state("reception")
    with clock.freeze(NOW):
        StaffBookingState.load.fn(state)
        StaffBookingState.set_count.fn(state, str(office.services["ANM"]), "1")
        StaffBookingState.find_times.fn(state, {"first_name": "", "last_name": "Muster", "channel": "phone",
                                                "day": ""})
        StaffBookingState.book.fn(state, state.times[0]["iso"])
    assert "Vornamen" in state.message and state.booked == {}
    with db.read_scope() as session:
        assert session.exec(select(Visit)).all() == []


def test_other_roles_cannot_book_even_by_sending_the_event(office):
    state = _state("controlling")
    with clock.freeze(NOW):
        StaffBookingState.find_times.fn(state, {"first_name": "A", "last_name": "B", "day": ""})
        StaffBookingState.book.fn(state, booking_data.at(9).isoformat())
    assert state.times == [] and state.booked == {}
    with db.read_scope() as session:
        assert session.exec(select(Visit)).all() == []
