"""Vanessa Graf's morning in Chromium: reception checks her in, an advisor serves her, the floor sees it live."""

import re
import time
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import login, url
from workstation import clock, db, routes
from workstation.models import Concern, Service, StaffUser, Visit
from workstation.services.demo.seed import DEMO_ACCOUNTS, VANESSA_BOOKING_CODE
from workstation.services.queue import checkin

LIVE_MS = 1_000


def _open_counter(page, app, username: str, password: str, desk: str) -> None:
    login(page, app, username, password)
    page.wait_for_url(url(app, routes.COUNTER))
    chooser = page.get_by_role("button", name=f"An {desk} Platz nehmen")
    call_next = page.get_by_role("button", name="Nächste Person aufrufen")
    expect(chooser.or_(call_next)).to_be_visible()
    if chooser.is_visible():
        chooser.click()
    expect(call_next).to_be_visible()
    expect(page.get_by_text(desk, exact=True).first).to_be_visible()


@pytest.mark.e2e
def test_reception_checks_in_vanessa_and_the_advisor_serves_her_three_concerns(app, new_page):
    clock.travel(datetime(2026, 11, 23, 7, 55))
    reception, advisor, other = new_page(), new_page(), new_page()
    by_desk = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}
    first, second, desk_staff = by_desk["Schalter 1"], by_desk["Schalter 2"], by_desk["Empfang 1"]

    _open_counter(advisor, app, first.username, first.password, "Schalter 1")
    _open_counter(other, app, second.username, second.password, "Schalter 2")
    waiting_elsewhere = other.get_by_role("region", name="Warteschlange")
    expect(waiting_elsewhere).not_to_contain_text("Vanessa Graf")

    login(reception, app, desk_staff.username, desk_staff.password)
    reception.wait_for_url(url(app, routes.RECEPTION))
    reception.get_by_label("Buchungscode").fill(VANESSA_BOOKING_CODE)
    reception.get_by_role("button", name="Einchecken", exact=True).click()
    checked_in = time.monotonic()
    expect(reception.get_by_role("status")).to_contain_text("Vanessa Graf ist eingecheckt")
    expect(waiting_elsewhere).to_contain_text("Vanessa Graf", timeout=LIVE_MS)
    assert time.monotonic() - checked_in < LIVE_MS / 1000 + 0.5
    # The idle counter shows her as next without any click there: name and concerns from the queue row.
    next_up = advisor.get_by_role("region", name="Als Nächstes dran")
    expect(next_up).to_contain_text("Vanessa Graf", timeout=LIVE_MS)
    for shown in ("Ummeldung", "Kinderausweis"):
        expect(next_up).to_contain_text(shown)
    expect(next_up.get_by_role("heading", name="Als Nächstes dran")).to_be_visible()

    advisor.get_by_role("button", name="Nächste Person aufrufen").click()
    panel = advisor.get_by_role("main")
    expect(panel).to_contain_text("An Ihrem Schalter")
    for shown in ("Vanessa Graf", "Ummeldung", "Kinderausweis", "OF-C-777", "zugeteilt"):
        expect(panel).to_contain_text(shown)
    called = time.monotonic()
    expect(other.get_by_role("region", name="Am Schalter")).to_contain_text("Vanessa Graf", timeout=LIVE_MS)
    assert time.monotonic() - called < LIVE_MS / 1000 + 0.5
    expect(waiting_elsewhere).not_to_contain_text("Vanessa Graf")

    advisor.get_by_role("button", name="Bearbeitung beginnen").click()
    advisor.get_by_role("button", name="Besuch abschließen").click()
    expect(advisor.get_by_text("Besuch abgeschlossen.")).to_be_visible()

    with db.session_scope() as session:
        visit = session.exec(select(Visit).where(Visit.booking_code == VANESSA_BOOKING_CODE)).one()
        concerns = session.exec(select(Concern).where(Concern.visit_id == visit.id)).all()
    assert visit.status == "finished"
    assert visit.checked_in_at and visit.called_at and visit.started_at and visit.finished_at
    assert sorted(c.status for c in concerns) == ["done", "done", "done"]


def _emergency_at_schalter_2(app, new_page, last_name: str):
    """The advisor of Schalter 2 at their counter, and an emergency (the head of the queue) waiting."""
    second = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}["Schalter 2"]
    advisor = new_page()
    _open_counter(advisor, app, second.username, second.password, "Schalter 2")
    with db.session_scope() as session:
        office_id = session.exec(select(StaffUser.office_id).where(StaffUser.username == second.username)).one()
        service_id = session.exec(select(Service.id).where(Service.area == "registration")).first()
    return advisor, checkin.add_walk_in(office_id, "", last_name, [service_id], None, emergency=True).visit_id


@pytest.mark.e2e
def test_not_appeared_is_offered_after_the_calls_and_asks_before_it_acts(app, new_page):
    clock.travel(datetime(2026, 11, 23, 8, 5))
    advisor, walk_in = _emergency_at_schalter_2(app, new_page, "Notfall Nichtda")

    advisor.get_by_role("button", name="Nächste Person aufrufen").click()
    expect(advisor.get_by_role("main")).to_contain_text("Nichtda")
    expect(advisor.get_by_role("button", name="Nicht erschienen …")).to_have_count(0)
    for _ in range(2):
        advisor.get_by_role("button", name=re.compile("^Erneut aufrufen")).click()
    advisor.get_by_role("button", name="Nicht erschienen …").click()
    dialog = advisor.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Als nicht erschienen vermerken?")
    dialog.get_by_role("button", name="Abbrechen").click()
    with db.session_scope() as session:
        assert session.get(Visit, walk_in).status == "called"

    advisor.get_by_role("button", name="Nicht erschienen …").click()
    advisor.get_by_role("alertdialog").get_by_role("button", name="Nicht erschienen").click()
    expect(advisor.get_by_role("button", name="Nächste Person aufrufen")).to_be_visible()
    with db.session_scope() as session:
        assert session.get(Visit, walk_in).status == "no_show"


@pytest.mark.e2e
def test_a_whole_visit_by_keyboard_focus_follows_the_work(app, new_page):
    clock.travel(datetime(2026, 11, 23, 8, 20))
    advisor, visit = _emergency_at_schalter_2(app, new_page, "Tastatur")
    call_next = advisor.get_by_role("button", name="Nächste Person aufrufen")

    call_next.focus()
    advisor.keyboard.press("Enter")
    start = advisor.get_by_role("button", name="Bearbeitung beginnen")
    expect(start).to_be_focused()
    advisor.keyboard.press("Enter")
    finish = advisor.get_by_role("button", name="Besuch abschließen")
    expect(finish).to_be_focused()
    advisor.keyboard.press("Enter")
    expect(advisor.get_by_text("Besuch abgeschlossen.")).to_be_visible()
    expect(call_next).to_be_focused()
    with db.session_scope() as session:
        assert session.get(Visit, visit).status == "finished"


@pytest.mark.e2e
def test_the_main_actions_have_announced_shortcuts_that_work_from_anywhere_on_the_page(app, new_page):
    clock.travel(datetime(2026, 11, 23, 8, 40))
    advisor, visit = _emergency_at_schalter_2(app, new_page, "Kürzel")
    call_next = advisor.get_by_role("button", name="Nächste Person aufrufen")
    expect(call_next).to_have_attribute("aria-keyshortcuts", "Alt+Shift+N")
    legend = re.compile("Tastenkürzel mit Alt\\+Umschalt: N Nächste Person aufrufen")
    expect(advisor.get_by_text(legend)).to_be_visible()

    advisor.locator("body").click(position={"x": 5, "y": 5})  # the keyboard is nowhere in particular
    advisor.keyboard.press("Alt+Shift+N")
    start = advisor.get_by_role("button", name="Bearbeitung beginnen")
    expect(start).to_have_attribute("aria-keyshortcuts", "Alt+Shift+B")
    advisor.keyboard.press("Alt+Shift+B")
    finish = advisor.get_by_role("button", name="Besuch abschließen")
    expect(finish).to_have_attribute("aria-keyshortcuts", "Alt+Shift+A")
    advisor.keyboard.press("Alt+Shift+A")
    expect(advisor.get_by_text("Besuch abgeschlossen.")).to_be_visible()
    with db.session_scope() as session:
        assert session.get(Visit, visit).status == "finished"
