"""The counter's queue as advisors and reception experience it."""

import asyncio

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.queue_floor import add_appointment, at, build_floor
from workstation import db
from workstation.config import settings
from workstation.models import AuditLog, Citizen, Concern, Visit, VisitEvent, VisitEventKind, VisitKind, VisitStatus
from workstation.services.common import changes
from workstation.services.queue import calls as queue
from workstation.services.queue import checkin, desks
from workstation.services.queue import floor as queue_floor
from workstation.services.queue import panel as queue_panel
from workstation.services.queue.calls import Outcome, QueueError
from workstation.services.staff import read_audit


@pytest.fixture
def floor(any_db):
    yield build_floor()
    read_audit.flush()  # before the test database goes away


def _visit(visit_id: int) -> Visit:
    with db.session_scope() as session:
        return session.get(Visit, visit_id)


def _events(visit_id: int) -> list[str]:
    with db.session_scope() as session:
        return [e.kind for e in session.exec(select(VisitEvent).where(VisitEvent.visit_id == visit_id)
                                             .order_by(VisitEvent.id)).all()]


def test_vanessa_checks_in_by_code_and_her_advisor_sees_everything_before_she_sits_down(floor):
    result = checkin.check_in_by_code(floor.office_id, " graf-0800 ", floor.reception_user, now=at(7, 55))
    assert "Vanessa Graf ist eingecheckt" in result.message
    counter, advisor = floor.counters[0], floor.advisors[0]

    assert queue_floor.floor_overview(floor.office_id, "regular", now=at(7, 56)).focus_by_counter[counter] == \
        queue_floor.CounterFocus("next", floor.vanessa_visit, 1)
    panel = queue_panel.concerns_panel(floor.vanessa_visit, advisor, now=at(7, 56))
    assert [s.name for s in panel.services] == ["Ummeldung", "Kinderausweis", "Umschreibung Fahrzeug"]
    assert [s.minutes for s in panel.services] == [10, 15, 15]
    assert panel.total_minutes == 40
    assert panel.documents.count("Personalausweis") == 1
    assert "Geburtsurkunde des Kindes" in panel.documents
    assert [(p.plate, p.status_label) for p in panel.plates] == [("OF-C-777", "zugeteilt")]
    assert [(d.label, d.number) for d in panel.pickup] == [("Reisepass", "A-2026-0042")]
    assert [h.services for h in panel.history] == ["Ummeldung"]
    assert panel.booking_note.startswith("Familie zieht")
    read_audit.flush()
    with db.session_scope() as session:
        reads = session.exec(select(AuditLog).where(AuditLog.citizen_id == floor.vanessa_citizen)).all()
    assert [(r.action, r.user_id) for r in reads] == [("read", advisor)]

    assert queue.call_next(counter, advisor, now=at(7, 58)) == floor.vanessa_visit
    queue.start(floor.vanessa_visit, counter, advisor, now=at(8, 0))
    concerns = queue_panel.concerns_panel(floor.vanessa_visit, advisor, now=at(8, 0)).services
    queue.finish(floor.vanessa_visit, counter, advisor, {c.concern_id: Outcome(done=True) for c in concerns},
                 now=at(8, 30))
    visit = _visit(floor.vanessa_visit)
    assert visit.status == VisitStatus.FINISHED
    assert (visit.checked_in_at, visit.called_at, visit.started_at, visit.finished_at) == (
        at(7, 55), at(7, 58), at(8, 0), at(8, 30))
    assert _events(floor.vanessa_visit) == ["check_in", "call", "start", "finish"]


def test_check_in_window_is_fifteen_minutes_either_side_with_walk_in_offered(floor):
    with pytest.raises(QueueError) as early:
        checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 44))
    assert "Zu früh" in early.value.message and "07:45" in early.value.message
    assert early.value.offer_walk_in
    with pytest.raises(QueueError) as late:
        checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(8, 16))
    assert "Zu spät" in late.value.message and "08:15" in late.value.message
    assert _visit(floor.vanessa_visit).status == VisitStatus.BOOKED

    walk_in = checkin.queue_booked_as_walk_in(floor.vanessa_visit, None, now=at(8, 16))
    assert "Spontankunde" in walk_in.message
    visit = _visit(floor.vanessa_visit)
    assert (visit.kind, visit.status) == (VisitKind.WALK_IN, VisitStatus.WAITING)


def test_unknown_code_and_double_check_in_get_clear_messages(floor):
    with pytest.raises(QueueError, match="Buchungscode „NOPE“ kennen wir nicht"):
        checkin.check_in_by_code(floor.office_id, "nope", None, now=at(7, 55))
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    with pytest.raises(QueueError, match="bereits eingecheckt \\(seit 07:55 Uhr\\)"):
        checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 56))
    assert _events(floor.vanessa_visit) == ["check_in"]


@pytest.mark.parametrize("typed, found", [
    ("Şahin", "Test Şahin"), ("şahin", "Test Şahin"), ("SAHIN", "Test Şahin"),
    ("Öztürk", "Test Öztürk"), ("öztürk", "Test Öztürk"), ("Ozturk", "Test Öztürk"), ("oeztuerk", "Test Öztürk"),
    ("Nguyễn", "Test Nguyễn"), ("nguyen", "Test Nguyễn"), ("test ßtraße", "Test ßtraße"), ("sstrasse", "Test ßtraße"),
])
def test_reception_finds_names_with_any_letters_on_both_databases(floor, typed, found):
    for i, last in enumerate(("Şahin", "Öztürk", "Nguyễn", "ßtraße")):
        add_appointment(floor, last, at(9, 10 * i))

    matches = checkin.find_appointments(floor.office_id, typed, now=at(7, 50))

    assert [m.name for m in matches] == [found]


def test_a_person_marked_as_not_appeared_is_not_offered_a_check_in(floor):
    advisor, counter = floor.advisors[0], floor.counters[0]
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    called = queue.call_next(counter, advisor, now=at(8, 0))
    queue.recall(called, counter, advisor, now=at(8, 2))
    queue.recall(called, counter, advisor, now=at(8, 4))
    queue.mark_no_show(called, counter, advisor, now=at(8, 6))

    [match] = checkin.find_appointments(floor.office_id, "graf", now=at(8, 10))

    assert (match.status, match.offers_check_in, match.can_check_in) == ("nicht erschienen (08:06)", False, False)
    with pytest.raises(QueueError, match="um 08:06 Uhr als nicht erschienen vermerkt"):
        checkin.check_in(match.visit_id, floor.reception_user, now=at(8, 10))


def test_an_earlier_visit_with_two_of_one_service_lists_it_once_with_its_count(floor):
    with db.session_scope() as session:
        earlier = session.exec(select(Visit).where(Visit.citizen_id == floor.vanessa_citizen,
                                                   Visit.status == VisitStatus.FINISHED)).one()
        session.add(Concern(visit_id=earlier.id, service_id=floor.services["KIA"], status="done"))
        session.add(Concern(visit_id=earlier.id, service_id=floor.services["KIA"], status="done"))

    panel = queue_panel.concerns_panel(floor.vanessa_visit, floor.advisors[0], now=at(7, 56))

    assert [h.services for h in panel.history] == ["Ummeldung, Kinderausweis (2×)"]


def test_reception_finds_todays_appointment_by_name(floor):
    matches = checkin.find_appointments(floor.office_id, "vanessa graf", now=at(7, 50))
    assert [(m.name, m.slot, m.can_check_in) for m in matches] == [("Vanessa Graf", "08:00", True)]
    assert matches[0].services == "Ummeldung, Kinderausweis, Umschreibung Fahrzeug"
    checkin.check_in(matches[0].visit_id, floor.reception_user, now=at(7, 50))
    assert _visit(floor.vanessa_visit).status == VisitStatus.WAITING
    with pytest.raises(QueueError) as none:
        checkin.find_appointments(floor.office_id, "Müller", now=at(7, 50))
    assert none.value.offer_walk_in


def test_call_order_emergency_then_appointments_by_booked_time_then_walk_ins(floor):
    walk_in = checkin.add_walk_in(floor.office_id, "Ali", "Early", [floor.services["FSU"]], None,
                                  now=at(7, 40)).visit_id
    later = add_appointment(floor, "Later", at(8, 10), booking_code="L-0810")
    checkin.check_in_by_code(floor.office_id, "L-0810", None, now=at(7, 56))
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 59))
    not_present = add_appointment(floor, "Absent", at(7, 50))
    emergency = checkin.add_walk_in(floor.office_id, "", "Notfall", [floor.services["UMM"]], None, emergency=True,
                                    now=at(8, 1)).visit_id
    counter, advisor = floor.counters[0], floor.advisors[0]
    called = []
    for minute in range(2, 6):
        shown = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, minute)).focus_by_counter[counter]
        own = queue_floor.counter_focus(floor.office_id, counter, "regular", now=at(8, minute))
        visit_id = queue.call_next(counter, advisor, now=at(8, minute))
        assert (shown.mode, shown.visit_id) == ("next", visit_id), "the screen showed someone else as next"
        assert own == shown, "the counter's own read after a click disagrees with the floor overview"
        assert queue_floor.counter_focus(floor.office_id, counter, "regular", now=at(8, minute)) == \
            queue_floor.floor_overview(floor.office_id, "regular", now=at(8, minute)).focus_by_counter[counter]
        called.append(visit_id)
        queue.park(visit_id, counter, advisor, "wartet auf Foto", "Raum 2", now=at(8, minute))
    assert called == [emergency, floor.vanessa_visit, later, walk_in]
    assert not_present not in called
    with pytest.raises(QueueError, match="Zurzeit wartet niemand"):
        queue.call_next(counter, advisor, now=at(8, 6))


def test_dealer_desks_serve_only_the_dealers_queue(floor):
    dealer = checkin.add_dealer_visit(floor.office_id, floor.dealer_id, 12, [floor.services["ZUL"]], None,
                                      now=at(7, 50)).visit_id
    citizen = checkin.add_walk_in(floor.office_id, "Bea", "Bürger", [floor.services["UMM"]], None,
                                  now=at(7, 51)).visit_id
    assert queue.call_next(floor.dealer_counters[0], floor.advisors[-1], now=at(8, 0)) == dealer
    assert queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 0)) == citizen
    panel = queue_panel.concerns_panel(dealer, floor.advisors[-1], now=at(8, 0))
    assert (panel.name, panel.batch_size) == ("Autohaus Main", 12)


def test_double_click_on_call_next_calls_one_person(floor):
    for name in ("A", "B"):
        checkin.add_walk_in(floor.office_id, "", name, [floor.services["UMM"]], None, now=at(7, 50))
    counter, advisor = floor.counters[0], floor.advisors[0]
    first = queue.call_next(counter, advisor, now=at(8, 0))
    with pytest.raises(QueueError, match="ist an Schalter 1 noch aufgerufen"):
        queue.call_next(counter, advisor, now=at(8, 0))
    with db.session_scope() as session:
        called = session.exec(select(Visit).where(Visit.status == VisitStatus.CALLED)).all()
    assert [v.id for v in called] == [first]


def test_calling_out_of_order_needs_a_reason_and_is_logged(floor):
    first = checkin.add_walk_in(floor.office_id, "", "First", [floor.services["UMM"]], None, now=at(7, 50)).visit_id
    second = checkin.add_walk_in(floor.office_id, "", "Second", [floor.services["UMM"]], None,
                                 now=at(7, 51)).visit_id
    counter, advisor = floor.counters[0], floor.advisors[0]
    with pytest.raises(QueueError, match="begründen"):
        queue.call_specific(second, counter, advisor, "  ", now=at(8, 0))
    queue.call_specific(second, counter, advisor, "Rollstuhl, Termin beim Arzt", now=at(8, 0))
    assert _events(second)[-1] == VisitEventKind.CALL_OUT_OF_ORDER
    with db.session_scope() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.entity_id == second)).one()
    assert "Rollstuhl" in audit.detail and audit.user_id == advisor
    with pytest.raises(QueueError, match="bereits an Schalter 1 aufgerufen"):
        queue.call_specific(second, floor.counters[1], floor.advisors[1], "Versehen", now=at(8, 0))
    assert queue.call_next(floor.counters[1], floor.advisors[1], now=at(8, 1)) == first


def test_recall_until_the_configured_limit_then_no_show(floor, monkeypatch):
    monkeypatch.setenv("WORKSTATION_NOSHOW_AFTER_CALLS", "2")
    visit_id = checkin.add_walk_in(floor.office_id, "", "Gone", [floor.services["UMM"]], None,
                                   now=at(7, 50)).visit_id
    counter, advisor = floor.counters[0], floor.advisors[0]
    queue.call_next(counter, advisor, now=at(8, 0))
    with pytest.raises(QueueError, match="Erst nach 2 Aufrufen"):
        queue.mark_no_show(visit_id, counter, advisor, now=at(8, 1))
    assert queue.recall(visit_id, counter, advisor, now=at(8, 2)) == 2
    with pytest.raises(QueueError, match="Bereits 2-mal aufgerufen"):
        queue.recall(visit_id, counter, advisor, now=at(8, 3))
    queue.mark_no_show(visit_id, counter, advisor, now=at(8, 4))
    visit = _visit(visit_id)
    assert (visit.status, visit.no_show_at, visit.called_at) == (VisitStatus.NO_SHOW, at(8, 4), at(8, 0))
    with pytest.raises(QueueError, match="Zurzeit wartet niemand"):
        queue.call_next(counter, advisor, now=at(8, 5))


def test_park_frees_the_counter_and_resume_continues(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    other = checkin.add_walk_in(floor.office_id, "", "Other", [floor.services["UMM"]], None, now=at(7, 56)).visit_id
    counter, advisor = floor.counters[0], floor.advisors[0]
    queue.call_next(counter, advisor, now=at(8, 0))
    queue.start(floor.vanessa_visit, counter, advisor, now=at(8, 1))
    queue.park(floor.vanessa_visit, counter, advisor, "Passfoto für das Kind", "Fotoautomat", now=at(8, 5))
    overview = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 6))
    assert [(r.name, r.place) for r in overview.parked] == [("Vanessa Graf", "Fotoautomat")]
    assert queue.call_next(counter, advisor, now=at(8, 6)) == other
    with pytest.raises(QueueError, match="noch aufgerufen"):
        queue.resume(floor.vanessa_visit, counter, advisor, now=at(8, 7))
    queue.start(other, counter, advisor, now=at(8, 7))
    queue.finish(other, counter, advisor, {c.concern_id: Outcome(True) for c in
                                           queue_panel.concerns_panel(other, advisor).services}, now=at(8, 10))
    queue.resume(floor.vanessa_visit, counter, advisor, now=at(8, 11))
    visit = _visit(floor.vanessa_visit)
    assert (visit.status, visit.started_at, visit.parked_at) == (VisitStatus.IN_SERVICE, at(8, 1), at(8, 5))


def test_redirect_to_a_counter_keeps_the_place_and_only_that_counter_calls(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    walk_in = checkin.add_walk_in(floor.office_id, "", "Walk", [floor.services["UMM"]], None,
                                  now=at(7, 50)).visit_id
    one, two, three = floor.counters
    queue.call_next(one, floor.advisors[0], now=at(8, 0))
    queue.redirect(floor.vanessa_visit, one, floor.advisors[0], target_counter_id=three, area="vehicles",
                   note="Zulassung bitte an Schalter 3", now=at(8, 2))
    visit = _visit(floor.vanessa_visit)
    assert (visit.status, visit.area, visit.counter_id, visit.call_count) == (VisitStatus.WAITING, "vehicles",
                                                                              three, 0)
    focus = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 3)).focus_by_counter
    assert (focus[two].visit_id, focus[three].visit_id) == (walk_in, floor.vanessa_visit)
    assert queue.call_next(two, floor.advisors[1], now=at(8, 3)) == walk_in
    assert queue.call_next(three, floor.advisors[2], now=at(8, 3)) == floor.vanessa_visit


def test_a_redirect_to_another_area_is_not_called_back_by_the_sending_counter(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    walk_in = checkin.add_walk_in(floor.office_id, "", "Walk", [floor.services["UMM"]], None,
                                  now=at(7, 58)).visit_id
    one, two, _three = floor.counters
    queue.call_next(one, floor.advisors[0], now=at(8, 0))
    queue.redirect(floor.vanessa_visit, one, floor.advisors[0], area="vehicles", note="Kfz bitte", now=at(8, 2))

    focus = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 3)).focus_by_counter
    assert (focus[one].visit_id, focus[two].visit_id) == (walk_in, floor.vanessa_visit)
    assert queue_floor.counter_focus(floor.office_id, one, "regular", now=at(8, 3)).visit_id == walk_in
    assert queue.call_next(one, floor.advisors[0], now=at(8, 3)) == walk_in
    assert queue.call_next(two, floor.advisors[1], now=at(8, 3)) == floor.vanessa_visit
    visit = _visit(floor.vanessa_visit)
    assert (visit.area, visit.counter_id, visit.redirected_from_counter_id) == ("vehicles", two, None)


def test_a_redirect_after_parking_keeps_the_park_note_for_the_next_counter(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    one, _two, three = floor.counters
    queue.call_next(one, floor.advisors[0], now=at(8, 0))
    queue.start(floor.vanessa_visit, one, floor.advisors[0], now=at(8, 1))
    queue.park(floor.vanessa_visit, one, floor.advisors[0], "Passfoto für das Kind", "Fotoautomat", now=at(8, 5))
    queue.redirect(floor.vanessa_visit, one, floor.advisors[0], target_counter_id=three,
                   note="Zulassung bitte an Schalter 3", now=at(8, 9))

    panel = queue_panel.concerns_panel(floor.vanessa_visit, floor.advisors[2], now=at(8, 10))

    assert "Passfoto für das Kind" in panel.desk_note and "Zulassung bitte an Schalter 3" in panel.desk_note


def test_finish_requires_every_concern_and_a_reason_for_what_was_not_done(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    counter, advisor = floor.counters[0], floor.advisors[0]
    queue.call_next(counter, advisor, now=at(8, 0))
    with pytest.raises(QueueError, match="nicht mehr aktuell"):
        queue.finish(floor.vanessa_visit, counter, advisor, {}, now=at(8, 1))
    queue.start(floor.vanessa_visit, counter, advisor, now=at(8, 1))
    umm, kia, ums = (s.concern_id for s in queue_panel.concerns_panel(floor.vanessa_visit, advisor).services)
    with pytest.raises(QueueError, match="Kinderausweis“ angeben"):
        queue.finish(floor.vanessa_visit, counter, advisor, {umm: Outcome(True), ums: Outcome(True)}, now=at(8, 20))
    with pytest.raises(QueueError, match=r"Grund.*Kinderausweis"):
        queue.finish(floor.vanessa_visit, counter, advisor,
                     {umm: Outcome(True), kia: Outcome(False), ums: Outcome(True)}, now=at(8, 20))
    queue.finish(floor.vanessa_visit, counter, advisor,
                 {umm: Outcome(True), kia: Outcome(False, "Geburtsurkunde fehlt"), ums: Outcome(True)},
                 extra_service_ids=(floor.services["FSU"],), now=at(8, 25))
    with db.session_scope() as session:
        rows = session.exec(select(Concern).where(Concern.visit_id == floor.vanessa_visit)
                            .order_by(Concern.id)).all()
    assert [(c.status, c.not_done_reason) for c in rows] == [
        ("done", ""), ("not_done", "Geburtsurkunde fehlt"), ("done", ""), ("done", "")]


def test_the_panel_shows_a_change_of_the_visit_within_the_same_minute(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    counter, advisor = floor.counters[0], floor.advisors[0]
    queue.call_next(counter, advisor, now=at(8, 0))
    queue.start(floor.vanessa_visit, counter, advisor, now=at(8, 1))
    before = queue_panel.concerns_panel(floor.vanessa_visit, advisor, now=at(8, 20))
    umm, kia, ums = (s.concern_id for s in before.services)
    queue.finish(floor.vanessa_visit, counter, advisor,
                 {umm: Outcome(True), kia: Outcome(False, "Geburtsurkunde fehlt"), ums: Outcome(True)},
                 extra_service_ids=(floor.services["FSU"],), now=at(8, 20))
    after = queue_panel.concerns_panel(floor.vanessa_visit, advisor, now=at(8, 20))
    assert [s.status for s in after.services] == ["done", "not_done", "done", "done"]


def test_a_stale_screen_cannot_change_a_visit_that_moved_on(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    counter, advisor = floor.counters[0], floor.advisors[0]
    queue.call_next(counter, advisor, now=at(8, 0))
    shown = _visit(floor.vanessa_visit).version
    queue.start(floor.vanessa_visit, counter, advisor, expected_version=shown, now=at(8, 1))
    with pytest.raises(QueueError, match="nicht mehr aktuell"):
        queue.park(floor.vanessa_visit, counter, advisor, "Foto", "", expected_version=shown, now=at(8, 2))
    with pytest.raises(QueueError, match="nicht mehr aktuell"):
        queue.start(floor.vanessa_visit, floor.counters[1], floor.advisors[1], now=at(8, 2))


def test_floor_overview_shows_waiting_expected_and_load(floor):
    add_appointment(floor, "Later", at(9, 0))
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    checkin.add_walk_in(floor.office_id, "", "Walk", [floor.services["UMM"]], None, now=at(7, 50))
    overview = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 5))
    assert [(r.name, r.kind_label, queue_floor.minutes_waited(r, overview.load.minute))
            for r in overview.waiting] == [("Vanessa Graf", "Termin", 10), ("Walk", "Spontan", 15)]
    assert [r.name for r in overview.expected] == ["Test Later"]
    assert (overview.load.waiting, overview.load.expected, overview.load.longest_wait_min,
            overview.load.counters_open) == (2, 1, 15, 3)


def test_taking_a_counter_someone_else_took_today_is_refused(floor):
    desks.take_counter(floor.advisors[0], floor.counters[0], now=at(7, 40))
    with pytest.raises(QueueError, match="schon von Berater 1 besetzt"):
        desks.take_counter(floor.advisors[1], floor.counters[0], now=at(7, 41))
    desks.take_counter(floor.advisors[0], floor.counters[1], now=at(7, 42))
    assert desks.my_counter(floor.advisors[0], now=at(7, 43)).name == "Schalter 2"
    assert desks.take_counter(floor.advisors[1], floor.counters[0], now=at(7, 44)).name == "Schalter 1"


def test_a_change_wakes_waiting_screens_at_once(floor):
    async def scenario() -> float:
        seen = changes.version(floor.office_id)
        loop = asyncio.get_running_loop()
        started = loop.time()
        loop.call_later(0.05, lambda: checkin.add_walk_in(
            floor.office_id, "", "Live", [floor.services["UMM"]], None, now=at(7, 50)))
        new = await changes.wait_for_change(floor.office_id, seen, timeout=5)
        assert new == seen + 1
        return loop.time() - started

    assert asyncio.run(scenario()) < 1.0


@pytest.mark.redis
def test_a_change_in_another_worker_reaches_this_workers_screens(monkeypatch):
    from tests import dbutil

    reason = dbutil.redis_available()
    if reason:
        pytest.skip(reason)
    import redis

    monkeypatch.setenv("REFLEX_REDIS_URL", dbutil.REDIS_URL)
    office_id = 987_654

    async def scenario() -> int:
        seen = changes.version(office_id)
        waiting = asyncio.ensure_future(changes.wait_for_change(office_id, seen, timeout=5))
        await asyncio.sleep(0.3)  # the listener thread subscribes
        redis.Redis.from_url(dbutil.REDIS_URL).publish(changes.CHANNEL, f"other-worker:{changes.QUEUE}:{office_id}")
        return await waiting - seen

    assert asyncio.run(scenario()) == 1


def test_the_minutes_tick_on_without_changing_the_rows(floor):
    checkin.check_in_by_code(floor.office_id, "GRAF-0800", None, now=at(7, 55))
    before = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 5))
    later = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 9))
    assert later.waiting is before.waiting  # the same list object: no screen sends it again
    assert (later.load.longest_wait_min, queue_floor.minutes_waited(later.waiting[0], later.load.minute)) == (14, 14)


def _fill_floor(floor, people: int, first: int = 0) -> None:
    """`people` more waiting (citizens, ticket numbers, emergencies), each with one called, parked and booked."""
    with db.session_scope() as session:
        for i in range(first, first + people):
            citizen = Citizen(first_name="Viele", last_name=f"Nr{i:03d}", created_at=at(7, 0))
            session.add(citizen)
            session.flush()
            kind = VisitKind.EMERGENCY if i % 50 == 7 else VisitKind.WALK_IN
            visit = Visit(office_id=floor.office_id, kind=kind, status=VisitStatus.WAITING, area="registration",
                          citizen_id=None if i % 10 == 3 else citizen.id, checked_in_at=at(7, 30 + i % 30))
            session.add(visit)
            session.flush()
            session.add(Concern(visit_id=visit.id, service_id=floor.services["UMM"]))
            if i % 4 == 1:
                session.add(Concern(visit_id=visit.id, service_id=floor.services["KIA"]))
        for status in (VisitStatus.CALLED, VisitStatus.PARKED, VisitStatus.BOOKED):
            visit = Visit(office_id=floor.office_id, kind=VisitKind.APPOINTMENT, status=status, area="registration",
                          counter_id=floor.counters[first % 3] if status == VisitStatus.CALLED else None,
                          checked_in_at=None if status == VisitStatus.BOOKED else at(7, 40),
                          called_at=at(7, 50), parked_at=at(7, 55) if status == VisitStatus.PARKED else None,
                          slot_start=at(8, 15), slot_end=at(8, 30), booked_at=at(7, 0))
            session.add(visit)
            session.flush()
            session.add(Concern(visit_id=visit.id, service_id=floor.services["UMM"]))
    changes.publish(floor.office_id)


def _statements_for_overview(floor) -> tuple[int, queue_floor.FloorOverview]:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engines = {db.engine_for(settings().db_url), db.read_engine_for(settings().db_url)}
    for eng in engines:
        event.listen(eng, "before_cursor_execute", count)
    try:
        overview = queue_floor.floor_overview(floor.office_id, "regular", now=at(8, 5))
    finally:
        for eng in engines:
            event.remove(eng, "before_cursor_execute", count)
    return len(statements), overview


def test_the_floor_overview_costs_the_same_statements_for_5_and_for_200_waiting(floor):
    _fill_floor(floor, 5)
    small_count, small = _statements_for_overview(floor)
    assert small.load.waiting == 5
    _fill_floor(floor, 195, first=5)
    large_count, large = _statements_for_overview(floor)
    assert (large.load.waiting, len(large.at_counters), len(large.parked)) == (200, 2, 2)
    # emergencies first, by arrival (7:37, 7:37, 7:47, 7:57)
    assert [r.name for r in large.waiting[:4]] == ["Viele Nr007", "Viele Nr157", "Viele Nr107", "Viele Nr057"]
    assert {r.name for r in large.waiting if r.name.startswith("Nr. ")}  # ticket numbers: no citizen
    assert next(r for r in large.waiting if r.name == "Viele Nr001").services == "Ummeldung, Kinderausweis"
    assert small_count == large_count <= 7  # BEGIN, counters, floor, expected and their count, services of each


def test_the_expected_figure_counts_every_appointment_still_to_come_not_only_the_listed(floor):
    for i in range(45):
        add_appointment(floor, f"Später{i:02d}", at(9 + i // 6, (i % 6) * 10))

    overview = queue_floor.floor_overview(floor.office_id, "regular", now=at(7, 50))

    assert len(overview.expected) == queue_floor.EXPECTED_LISTED
    assert overview.load.expected == 46  # Vanessa Graf at 08:00 and the 45 later ones
