"""The counter and reception screens' handlers: role checked on the server, German toasts, view updated."""

import asyncio

import pytest
from sqlmodel import select

from tests.queue_floor import at, build_floor
from workstation import clock, db
from workstation.models import AuditLog, StaffUser, Visit, VisitStatus
from workstation.services.queue import floor as queue_floor
from workstation.services.staff import auth, passwords, read_audit
from workstation.state.counter import CounterState
from workstation.state.reception import ReceptionState

PASSWORD = "geheim-123"


@pytest.fixture
def floor(sqlite_db):
    built = build_floor()
    with db.session_scope() as session:
        for user in session.exec(select(StaffUser)).all():
            user.password_hash = passwords.hash_password(PASSWORD)
            session.add(user)
    with clock.freeze(clock.to_local(at(7, 55)).replace(tzinfo=None)):
        yield built


def _state(cls, username: str):
    token, _ = auth.login(username, PASSWORD)
    state = cls()
    state.session_token = token
    return state


def _reads_of(citizen_id: int) -> list[int | None]:
    """Who read this citizen's data (the audit log's read records, by user id)."""
    read_audit.flush()
    with db.session_scope() as session:
        return [r.user_id for r in session.exec(select(AuditLog).where(AuditLog.citizen_id == citizen_id,
                                                                       AuditLog.action == "read")).all()]


def _waiting(floor):
    """The queue as the live channel sends it to every screen of the office."""
    return queue_floor.floor_overview(floor.office_id, "regular").waiting


def test_reception_cannot_call_people_to_a_counter(floor):
    state = _state(CounterState, "empfang")
    state.desk_id = floor.counters[0]
    checkin_state = _state(ReceptionState, "empfang")
    asyncio.run(ReceptionState.check_in_code.fn(checkin_state, {"code": "GRAF-0800"}))
    result = asyncio.run(CounterState.call_next.fn(state))
    assert "Keine Berechtigung" in str(result)
    with db.session_scope() as session:
        assert session.get(Visit, floor.vanessa_visit).status == VisitStatus.WAITING


def test_counter_screen_calls_shows_the_panel_and_refuses_a_second_call_in_german(floor):
    reception = _state(ReceptionState, "empfang")
    asyncio.run(ReceptionState.check_in_code.fn(reception, {"code": "GRAF-0800"}))
    assert "Vanessa Graf ist eingecheckt" in reception.last_result
    assert [row.name for row in _waiting(floor)] == ["Vanessa Graf"]

    advisor = _state(CounterState, "berater1")
    CounterState.take_desk.fn(advisor, floor.counters[0])
    # She is next here, but the idle counter's preview comes from the queue row: no panel, no read of her data.
    assert queue_floor.floor_overview(floor.office_id, "regular").focus_by_counter[floor.counters[0]] == \
        queue_floor.CounterFocus("next", floor.vanessa_visit, 1)
    assert (advisor.focus_mode, advisor.panel.visit_id) == ("", 0)
    assert _reads_of(floor.vanessa_citizen) == []
    asyncio.run(CounterState.call_next.fn(advisor))
    assert (advisor.focus_mode, advisor.panel.status) == ("active", VisitStatus.CALLED)
    assert _reads_of(floor.vanessa_citizen) == [floor.advisors[0]]
    assert [p.plate for p in advisor.panel.plates] == ["OF-C-777"]
    result = asyncio.run(CounterState.call_next.fn(advisor))
    assert "noch aufgerufen" in str(result)


def test_reception_is_offered_the_walk_in_when_too_early(floor):
    with clock.freeze(clock.to_local(at(7, 30)).replace(tzinfo=None)):
        reception = _state(ReceptionState, "empfang")
        asyncio.run(ReceptionState.check_in_code.fn(reception, {"code": "GRAF-0800"}))
        assert reception.offer_visit_id == floor.vanessa_visit and "Zu früh" in reception.offer_message
        asyncio.run(ReceptionState.queue_offer_as_walk_in.fn(reception))
    assert [row.kind_label for row in _waiting(floor)] == ["Spontan"]


def test_a_counter_whose_focus_changed_on_the_channel_reads_it_on_the_server_not_from_the_browser(floor):
    reception = _state(ReceptionState, "empfang")
    asyncio.run(ReceptionState.check_in_code.fn(reception, {"code": "GRAF-0800"}))
    first, second = _state(CounterState, "berater1"), _state(CounterState, "berater2")
    CounterState.take_desk.fn(first, floor.counters[0])
    CounterState.take_desk.fn(second, floor.counters[1])
    assert second.panel.visit_id == 0 and second.floor_ticket
    asyncio.run(CounterState.call_next.fn(first))

    # The browser says "she is at your counter"; the server shows what is true for this counter: nobody.
    asyncio.run(CounterState.focus_changed.fn(second, "active", floor.vanessa_visit, 99))
    assert (second.focus_mode, second.panel.visit_id) == ("", 0)
    assert _reads_of(floor.vanessa_citizen) == [floor.advisors[0]]
