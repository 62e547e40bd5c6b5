"""Terminplanung: lanes, closing days and booking rules kept by the team lead apply at once; others are refused."""

from datetime import date

import pytest
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import AuditLog, BookingLane
from workstation.services.booking import bookings, catalogue, search, setup
from workstation.services.booking.errors import BookingError
from workstation.services.staff import auth
from workstation.state.booking_setup import BookingSetupState


@pytest.fixture
def office(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    built = booking_data.build({"registration": 1})
    with db.session_scope() as session:
        for role in ("team_lead", "advisor"):
            auth.create_user(session, office_id=built.office_id, username=role, display_name=role, role=role,
                             password="geheim-123")
    return built


def _state(username: str) -> BookingSetupState:
    state = BookingSetupState()
    state.session_token = auth.login(username, "geheim-123")[0]
    return state


def _days(office) -> list[date]:
    with db.read_scope() as session:
        return search.days_with_free(session, office.office_id, "registration", 2, clock.to_utc(NOW),
                                     date(2026, 11, 23), date(2026, 11, 28))


def test_lanes_closing_days_and_rules_take_effect_and_are_audited(office):
    state = _state("team_lead")
    bookings.book_for_caller(office.office_id, [(office.services["ANM"], 1)], at(9, day=25), "A", "B",
                             now=clock.to_utc(NOW))
    with clock.freeze(NOW):
        BookingSetupState.load.fn(state)
        assert state.lanes[0] == {"area": "Meldewesen", "weekday": "Montag", "lanes": "1", "window": "08:00–13:00"}
        BookingSetupState.set_lanes.fn(state, {"area": "registration", "weekday": "5", "lanes": "2",
                                               "opens": "09:00", "closes": "12:00"})
        assert date(2026, 11, 28) in _days(office)  # Saturday now has lanes
        BookingSetupState.close_day.fn(state, {"day": "2026-11-25", "reason": "Personalversammlung"})
        assert "1 Termine gebucht" in state.message
        assert date(2026, 11, 25) not in _days(office)
        BookingSetupState.reopen_day.fn(state, "2026-11-25")
        assert date(2026, 11, 25) in _days(office)
        BookingSetupState.update_service.fn(state, {"service": str(office.services["ANM"]), "minutes": "20",
                                                    "max_count": "2", "documents": "Ausweis\n\nMietvertrag",
                                                    "online": "on"})
        BookingSetupState.set_conflict.fn(state, {"first": str(office.services["PA"]),
                                                  "second": str(office.services["KRP"]), "rule": "conflict"})
    with db.read_scope() as session:
        plan = catalogue.plan(session, [(office.services["ANM"], 2)], online=True)
        assert (plan.minutes, plan.documents) == (40, ["Ausweis", "Mietvertrag"])
        with pytest.raises(BookingError):
            catalogue.plan(session, [(office.services["PA"], 1), (office.services["KRP"], 1)], online=True)
        assert len(session.exec(select(AuditLog).where(AuditLog.action == "change")).all()) == 5


def test_bad_setup_input_is_explained(office):
    with pytest.raises(BookingError) as refused:
        setup.set_lanes(office.office_id, "registration", 0, 2, "13:00", "08:00", 1)
    assert "Ende" in refused.value.message
    with pytest.raises(BookingError):
        setup.update_service(office.office_id, office.services["ANM"], 0, 1, "", True, 1)


def test_an_advisor_cannot_change_the_setup_even_by_sending_the_event(office):
    state = _state("advisor")
    BookingSetupState.set_lanes.fn(state, {"area": "registration", "weekday": "0", "lanes": "0", "opens": "08:00",
                                           "closes": "13:00"})
    with db.read_scope() as session:
        assert len(session.exec(select(BookingLane)).all()) == 5
