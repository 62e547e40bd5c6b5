"""The advisor's workstation turns to the back-office list after the appointments or at 13:00, and back."""

from datetime import datetime, timedelta

import pytest

from tests.backoffice_data import make_office
from workstation import clock, db, routes
from workstation.models import Counter, CounterKind, StaffAssignment, Visit, VisitKind, VisitStatus, WorkMode
from workstation.services.queue.workday import advisor_mode, switch_mode, workday_state
from workstation.services.staff.auth import SessionUser
from workstation.state.auth import start_page

DAY = datetime(2026, 11, 23)


def at(hour: int, minute: int = 0) -> datetime:
    return clock.to_utc(DAY.replace(hour=hour, minute=minute))


@pytest.fixture
def staff(sqlite_db):
    staff = make_office()
    with db.session_scope() as session:
        counter = Counter(office_id=staff.office_id, name="Schalter 7", kind=CounterKind.REGULAR)
        session.add(counter)
        session.flush()
        session.add(StaffAssignment(day=DAY.date(), user_id=staff.anna, counter_id=counter.id))
    return staff


def _visit(staff, status, kind=VisitKind.APPOINTMENT, slot=None, **kwargs) -> int:
    with db.session_scope() as session:
        visit = Visit(
            office_id=staff.office_id,
            kind=kind,
            status=status,
            area="registration",
            slot_start=slot,
            slot_end=slot + timedelta(minutes=15) if slot else None,
            **kwargs,
        )
        session.add(visit)
        session.flush()
        return visit.id


def _set_status(visit_id, status):
    with db.session_scope() as session:
        visit = session.get(Visit, visit_id)
        visit.status = status
        session.add(visit)


def test_queue_while_appointments_remain_back_office_when_they_are_done(staff):
    last = _visit(staff, VisitStatus.BOOKED, slot=at(11, 30))
    assert advisor_mode(staff.anna, at(11, 0)) == WorkMode.QUEUE
    _set_status(last, VisitStatus.FINISHED)

    state = workday_state(staff.anna, at(11, 50))

    assert state.mode == WorkMode.BACKOFFICE and state.reason == "Alle Termine erledigt"


def test_a_missed_appointment_does_not_hold_the_advisor_at_the_queue(staff):
    _visit(staff, VisitStatus.BOOKED, slot=at(10, 0))
    assert advisor_mode(staff.anna, at(10, 10)) == WorkMode.QUEUE
    assert advisor_mode(staff.anna, at(10, 20)) == WorkMode.BACKOFFICE


def test_at_the_configured_hour_back_office_until_someone_checks_in(staff, monkeypatch):
    _visit(staff, VisitStatus.BOOKED, slot=at(14, 0))
    assert advisor_mode(staff.anna, at(12, 59)) == WorkMode.QUEUE
    assert workday_state(staff.anna, at(13, 0)).reason == "Ab 13:00 Uhr Nacharbeit"
    walk_in = _visit(staff, VisitStatus.WAITING, kind=VisitKind.WALK_IN, checked_in_at=at(13, 10))

    assert advisor_mode(staff.anna, at(13, 11)) == WorkMode.QUEUE
    assert workday_state(staff.anna, at(13, 11)).customer_waiting
    _set_status(walk_in, VisitStatus.FINISHED)
    assert advisor_mode(staff.anna, at(13, 20)) == WorkMode.BACKOFFICE
    monkeypatch.setenv("WORKSTATION_BACKOFFICE_FROM", "14:30")
    assert advisor_mode(staff.anna, at(13, 20)) == WorkMode.QUEUE


def test_a_dealer_waiting_does_not_call_a_regular_counter_back(staff):
    _visit(staff, VisitStatus.WAITING, kind=VisitKind.DEALER, checked_in_at=at(13, 10))
    assert advisor_mode(staff.anna, at(13, 15)) == WorkMode.BACKOFFICE


def test_a_hand_made_choice_lasts_until_the_next_automatic_change(staff):
    assert advisor_mode(staff.anna, at(13, 5)) == WorkMode.BACKOFFICE
    switch_mode(staff.anna, WorkMode.QUEUE, at(13, 6))
    assert workday_state(staff.anna, at(13, 30)).manual
    assert advisor_mode(staff.anna, at(13, 30)) == WorkMode.QUEUE

    walk_in = _visit(staff, VisitStatus.WAITING, kind=VisitKind.WALK_IN, checked_in_at=at(13, 40))
    assert advisor_mode(staff.anna, at(13, 41)) == WorkMode.QUEUE
    _set_status(walk_in, VisitStatus.FINISHED)

    assert advisor_mode(staff.anna, at(13, 50)) == WorkMode.BACKOFFICE
    switch_mode(staff.anna, WorkMode.QUEUE, at(13, 51))
    assert advisor_mode(staff.ben, at(13, 51)) == WorkMode.BACKOFFICE
    next_day = clock.to_utc(datetime(2026, 11, 24, 13, 5))
    assert advisor_mode(staff.anna, next_day) == WorkMode.BACKOFFICE


def test_advisor_lands_on_the_page_of_the_current_mode_others_on_their_start_page(staff):
    _visit(staff, VisitStatus.BOOKED, slot=at(10, 30))
    anna = SessionUser(staff.anna, "anna", "Anna Schmidt", "advisor", staff.office_id)
    lead = SessionUser(staff.lead, "lea", "Lea Wagner", "team_lead", staff.office_id)

    with clock.freeze(DAY.replace(hour=10, minute=20)):
        assert start_page(anna) == routes.COUNTER
    with clock.freeze(DAY.replace(hour=13, minute=5)):
        assert start_page(anna) == routes.BACKOFFICE
        assert start_page(lead) == routes.home_for("team_lead") == routes.BRIEFING
