"""The check-in terminal, ticket numbers and the call display's list, as citizens and reception see them."""

from datetime import timedelta

import pytest

from tests.queue_floor import add_appointment, at, build_floor
from workstation import db
from workstation.models import DeviceKind, Visit, VisitStatus
from workstation.services.common import changes
from workstation.services.lobby import call_board, devices, terminal
from workstation.services.lobby.terminal import TerminalError
from workstation.services.queue import calls as queue
from workstation.services.queue import checkin
from workstation.services.queue import floor as queue_floor
from workstation.services.queue import panel as queue_panel
from workstation.services.staff import read_audit


@pytest.fixture
def floor(any_db):
    yield build_floor()
    read_audit.flush()


@pytest.fixture
def kiosk(floor):
    pairing = devices.create_device(floor.office_id, DeviceKind.CHECKIN, "Eingang", None, now=at(7, 0))
    return devices.pair(pairing.code, now=at(7, 0))[1]


def _visit(visit_id: int) -> Visit:
    with db.session_scope() as session:
        return session.get(Visit, visit_id)


def test_a_scan_inside_the_window_checks_in_and_shows_a_ticket_but_no_name(floor, kiosk):
    seen = changes.version(floor.office_id)
    answer = terminal.scan(kiosk, "graf-0800\n", now=at(7, 50))
    assert answer == terminal.TerminalAnswer(terminal.CHECKED_IN, ticket="A-001", slot="08:00")
    assert changes.version(floor.office_id) > seen  # the counters and reception refresh as after reception's check-in
    visit = _visit(floor.vanessa_visit)
    assert visit.status == VisitStatus.WAITING and visit.ticket == "A-001"
    rows = queue_floor.floor_overview(floor.office_id, "regular", now=at(7, 51)).waiting
    assert [(r.name, r.ticket) for r in rows] == [("Vanessa Graf", "A-001")]
    assert queue_panel.concerns_panel(floor.vanessa_visit, floor.advisors[0], now=at(7, 51)).ticket == "A-001"
    assert "Graf" not in repr(answer)


def test_a_second_scan_changes_nothing_and_shows_the_same_number(floor, kiosk):
    terminal.scan(kiosk, "GRAF-0800", now=at(7, 50))
    before = _visit(floor.vanessa_visit)
    again = terminal.scan(kiosk, "GRAF-0800", now=at(7, 52))
    assert again.outcome == terminal.ALREADY and again.ticket == "A-001"
    after = _visit(floor.vanessa_visit)
    assert (after.version, after.checked_in_at) == (before.version, before.checked_in_at)


def test_too_early_says_when_to_come_back_and_leaves_no_trace_for_reception(floor, kiosk):
    answer = terminal.scan(kiosk, "GRAF-0800", now=at(7, 44))
    assert (answer.outcome, answer.come_back, answer.slot) == (terminal.TOO_EARLY, "07:45", "08:00")
    assert _visit(floor.vanessa_visit).status == VisitStatus.BOOKED
    assert terminal.recent_attempts(floor.office_id, now=at(7, 45)) == []


def test_too_late_or_unknown_sends_to_reception_which_sees_the_attempt(floor, kiosk):
    assert terminal.scan(kiosk, "GRAF-0800", now=at(8, 16)).outcome == terminal.RECEPTION
    assert terminal.scan(kiosk, "NIX-123", now=at(8, 17)).outcome == terminal.RECEPTION
    assert _visit(floor.vanessa_visit).status == VisitStatus.BOOKED
    attempts = terminal.recent_attempts(floor.office_id, now=at(8, 18))
    assert [(a.at, a.code, a.reason) for a in attempts] == [
        ("08:17", "NIX-123", "Code unbekannt"),
        ("08:16", "GRAF-0800", "zu spät"),
    ]
    assert terminal.recent_attempts(floor.office_id, now=at(8, 0) + timedelta(days=1)) == []


def test_an_empty_scan_does_nothing(floor, kiosk):
    assert terminal.scan(kiosk, "   ", now=at(8, 0)).outcome == terminal.EMPTY


def test_tickets_count_per_area_and_day(floor, kiosk):
    assert terminal.draw_ticket(kiosk, "registration", now=at(8, 0)) == "A-001"
    assert terminal.draw_ticket(kiosk, "vehicles", now=at(8, 1)) == "C-001"
    checked = checkin.add_walk_in(
        floor.office_id, "Eva", "Ernst", [floor.services["UMM"]], floor.reception_user, now=at(8, 2)
    )
    assert checked.ticket == "A-002" and "A-002" in checked.message
    assert terminal.draw_ticket(kiosk, "registration", now=at(8, 0) + timedelta(days=1)) == "A-001"


def test_a_double_tap_draws_one_ticket_and_walk_ins_can_be_switched_off(floor, kiosk, monkeypatch):
    terminal.draw_ticket(kiosk, "registration", now=at(8, 0))
    with pytest.raises(TerminalError, match="gerade gezogen"):
        terminal.draw_ticket(kiosk, "registration", now=at(8, 0) + timedelta(seconds=1))
    with pytest.raises(TerminalError, match="Bereich"):
        terminal.draw_ticket(kiosk, "zoo", now=at(8, 1))
    monkeypatch.setenv("WORKSTATION_TERMINAL_WALK_INS", "0")
    with pytest.raises(TerminalError, match="Empfang"):
        terminal.draw_ticket(kiosk, "registration", now=at(8, 2))


def test_the_call_board_shows_ticket_and_counter_of_the_latest_calls_never_a_name(floor, kiosk):
    terminal.scan(kiosk, "GRAF-0800", now=at(7, 50))
    later = add_appointment(floor, "Berg", at(8, 10), booking_code="BERG-0810")
    terminal.scan(kiosk, "BERG-0810", now=at(8, 0))
    assert call_board.call_board(floor.office_id, now=at(8, 0)).rows == ()
    queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 1))
    queue.call_next(floor.counters[1], floor.advisors[1], now=at(8, 2))
    board = call_board.call_board(floor.office_id, now=at(8, 2))
    assert [(r.ticket, r.counter) for r in board.rows] == [("A-002", "Schalter 2"), ("A-001", "Schalter 1")]
    assert "Graf" not in repr(board) and "Berg" not in repr(board)
    assert call_board.call_board(floor.office_id, now=at(8, 2)) is board  # shared until the next change
    newest = board.newest
    queue.recall(later, floor.counters[1], floor.advisors[1], now=at(8, 4))
    again = call_board.call_board(floor.office_id, now=at(8, 4))
    assert again.newest != newest and [r.ticket for r in again.rows] == ["A-002", "A-001"]  # a recall rings again


def test_the_call_board_keeps_at_most_ten_rows(floor, kiosk):
    for i in range(12):
        terminal.draw_ticket(kiosk, "registration", now=at(8, 0) + timedelta(seconds=10 * i))
    for i in range(12):
        counter, advisor = floor.counters[i % 3], floor.advisors[i % 3]
        visit_id = queue.call_next(counter, advisor, now=at(8, 5) + timedelta(minutes=i))
        _finish_quietly(visit_id, counter, advisor, at(8, 5) + timedelta(minutes=i, seconds=30))
    board = call_board.call_board(floor.office_id, now=at(9, 0))
    assert len(board.rows) == call_board.MAX_ROWS
    assert board.rows[0].ticket == "A-012"


def _finish_quietly(visit_id: int, counter: int, advisor: int, now) -> None:
    queue.start(visit_id, counter, advisor, now=now)
    queue.finish(visit_id, counter, advisor, {}, extra_service_ids=(1,), now=now)
