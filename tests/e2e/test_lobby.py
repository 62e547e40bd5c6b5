"""The lobby in Chromium: pairing, the check-in terminal, the call display with its gong, the feedback terminal."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import login, url
from tests.e2e.test_counter_flow import _open_counter
from workstation import clock, db, routes
from workstation.models import Citizen, DeviceKind, Office, Service, Visit, VisitKind, VisitStatus
from workstation.services.demo.seed import DEMO_ACCOUNTS
from workstation.services.lobby import devices
from workstation.services.queue import checkin

pytestmark = pytest.mark.e2e
BERLIN_DAY = datetime(2026, 11, 23)


def _office_id() -> int:
    with db.session_scope() as session:
        return session.exec(select(Office.id)).first()


def paired_device(page, app, kind: str, name: str, **layout) -> None:
    """Create a device as staff would and open its pairing link in the kiosk browser."""
    pairing = devices.create_device(_office_id(), kind, name, None, **layout)
    page.goto(url(app, f"{routes.DEVICE_PAIR}?code={pairing.code}"))
    expect(page).to_have_url(
        re.compile(
            re.escape(
                {
                    DeviceKind.CHECKIN: routes.TERMINAL_CHECKIN,
                    DeviceKind.DISPLAY: routes.TERMINAL_DISPLAY,
                    DeviceKind.FEEDBACK: routes.TERMINAL_FEEDBACK,
                }[kind]
            )
            + "/?$"
        )
    )


def _booked(slot_from: datetime, slot_to: datetime) -> tuple[str, str]:
    """(booking code, "First Last") of a booked appointment of the demo day with its slot in [from, to)."""
    with db.session_scope() as session:
        visit, citizen = session.exec(
            select(Visit, Citizen)
            .join(Citizen, Citizen.id == Visit.citizen_id)
            .where(
                Visit.kind == VisitKind.APPOINTMENT,
                Visit.status == VisitStatus.BOOKED,
                Visit.slot_start >= clock.to_utc(slot_from),
                Visit.slot_start < clock.to_utc(slot_to),
            )
            .order_by(Visit.slot_start, Visit.id)
        ).first()
        return visit.booking_code, f"{citizen.first_name} {citizen.last_name}"


def test_a_scanned_code_checks_in_and_reception_and_counters_see_it(app, new_page):
    clock.travel(BERLIN_DAY.replace(hour=9, minute=0))
    code, name = _booked(BERLIN_DAY.replace(hour=9, minute=5), BERLIN_DAY.replace(hour=9, minute=10))
    terminal, reception, counter = new_page(), new_page(), new_page()
    paired_device(terminal, app, DeviceKind.CHECKIN, "Eingang links")
    desks = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}
    login(reception, app, desks["Empfang 1"].username, desks["Empfang 1"].password)
    reception.wait_for_url(url(app, routes.RECEPTION))
    _open_counter(counter, app, desks["Schalter 1"].username, desks["Schalter 1"].password, "Schalter 1")

    field = terminal.get_by_label("Buchungscode")
    expect(field).to_be_focused()
    field.fill(code)
    field.press("Enter")  # what a hand-held scanner types after the code
    expect(terminal.get_by_role("status")).to_contain_text("Sie sind eingecheckt")
    ticket = terminal.get_by_test_id("ticket").inner_text()
    assert re.fullmatch(r"[A-E]-\d{3}", ticket)
    expect(terminal.get_by_role("status")).not_to_contain_text(name.split()[-1])
    expect(reception.get_by_role("region", name="Warteschlange")).to_contain_text(name)
    expect(reception.get_by_role("region", name="Warteschlange")).to_contain_text(ticket)
    expect(counter.get_by_role("region", name="Warteschlange")).to_contain_text(name)

    field.fill(code)
    field.press("Enter")
    expect(terminal.get_by_role("status")).to_contain_text("bereits eingecheckt")
    expect(terminal.get_by_test_id("ticket")).to_have_text(ticket)


def test_too_early_and_too_late_get_their_messages_and_reception_sees_the_refusal(app, new_page):
    clock.travel(BERLIN_DAY.replace(hour=10, minute=0))
    early, _ = _booked(BERLIN_DAY.replace(hour=10, minute=40), BERLIN_DAY.replace(hour=11, minute=0))
    late, _ = _booked(BERLIN_DAY.replace(hour=9, minute=20), BERLIN_DAY.replace(hour=9, minute=40))
    terminal, reception = new_page(), new_page()
    paired_device(terminal, app, DeviceKind.CHECKIN, "Eingang rechts")
    staff = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}["Empfang 1"]
    login(reception, app, staff.username, staff.password)
    reception.wait_for_url(url(app, routes.RECEPTION))

    field = terminal.get_by_label("Buchungscode")
    field.fill(early)
    field.press("Enter")
    expect(terminal.get_by_role("status")).to_contain_text(re.compile(r"zu früh.*ab 1\d:\d\d Uhr"))
    field.fill(late)
    field.press("Enter")
    expect(terminal.get_by_role("status")).to_contain_text("wenden Sie sich an den Empfang")
    refused = reception.get_by_role("region", name="Am Terminal abgewiesen")
    expect(refused).to_contain_text(late)
    expect(refused).to_contain_text("zu spät")


def test_an_unpaired_or_revoked_device_sees_only_the_pairing_page(app, new_page):
    stranger = new_page()
    stranger.goto(url(app, routes.TERMINAL_CHECKIN))
    expect(stranger).to_have_url(re.compile(re.escape(routes.DEVICE_PAIR) + "/?$"))
    expect(stranger.get_by_role("heading", level=1, name="Gerät koppeln")).to_be_visible()
    expect(stranger.get_by_label("Buchungscode")).to_have_count(0)

    kiosk = new_page()
    paired_device(kiosk, app, DeviceKind.FEEDBACK, "Ausgang zum Sperren")
    with db.session_scope() as session:
        from workstation.models import LobbyDevice

        device_id = session.exec(select(LobbyDevice.id).where(LobbyDevice.name == "Ausgang zum Sperren")).one()
    devices.revoke(device_id, _office_id(), None)
    kiosk.reload()
    expect(kiosk).to_have_url(re.compile(re.escape(routes.DEVICE_PAIR) + "/?$"))


def test_a_team_lead_creates_a_device_and_the_kiosk_pairs_with_the_code(app, new_page):
    lead, kiosk = new_page(), new_page()
    login(lead, app, "teamleitung", "teamleitung-demo")
    lead.goto(url(app, routes.DEVICES))
    lead.get_by_label("Art", exact=True).select_option(label="Aufrufanzeige")
    lead.get_by_label("Name", exact=True).fill("Wartezone Nord")
    lead.get_by_label("Zeilen (Aufrufanzeige)").select_option("6")
    lead.get_by_role("button", name="Gerät anlegen").click()
    code = lead.get_by_test_id("pairing-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    kiosk.goto(url(app, routes.DEVICE_PAIR))
    kiosk.get_by_label("Kopplungscode").fill(code.inner_text())
    kiosk.get_by_role("button", name="Koppeln").click()
    expect(kiosk).to_have_url(re.compile(re.escape(routes.TERMINAL_DISPLAY) + "/?$"))
    expect(kiosk.get_by_role("heading", level=1)).to_contain_text("Aufrufe")
    lead.reload()
    expect(lead.get_by_role("table", name="Geräte")).to_contain_text("gekoppelt seit")


def test_the_call_display_shows_the_called_ticket_rings_and_names_nobody(app, new_page):
    clock.travel(BERLIN_DAY.replace(hour=11, minute=0))
    display, advisor = new_page(), new_page()
    paired_device(display, app, DeviceKind.DISPLAY, "Wartezone A", rows=8)
    display.get_by_role("button", name="Ton an").click()
    second = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}["Schalter 2"]
    _open_counter(advisor, app, second.username, second.password, "Schalter 2")
    with db.session_scope() as session:
        service_id = session.exec(select(Service.id).where(Service.area == "registration")).first()
    walk_in = checkin.add_walk_in(_office_id(), "Zora", "Aufrufprobe", [service_id], None, emergency=True)
    gongs_before = display.evaluate("window.lobbyGongPlays")

    advisor.get_by_role("button", name="Nächste Person aufrufen").click()
    expect(advisor.get_by_role("main")).to_contain_text("Aufrufprobe")
    row = display.locator(f"tr[data-ticket='{walk_in.ticket}']")
    expect(row).to_contain_text("Schalter 2")
    expect(row).to_have_class(re.compile("call-new"))
    display.wait_for_function(f"window.lobbyGongPlays > {gongs_before}")
    html = display.content()
    assert "Aufrufprobe" not in html and "Zora" not in html

    advisor.get_by_role("button", name="Bearbeitung beginnen").click()  # Schalter 2 is free again for others
    advisor.get_by_role("button", name="Besuch abschließen").click()
    expect(advisor.get_by_text("Besuch abgeschlossen.")).to_be_visible()


def test_a_vote_on_the_feedback_terminal_counts_for_its_time_window(app, new_page):
    clock.travel(datetime(2026, 11, 24, 15, 30))  # an afternoon after the demo's year of feedback
    kiosk, controller = new_page(), new_page()
    paired_device(kiosk, app, DeviceKind.FEEDBACK, "Ausgang")
    kiosk.get_by_role("group", name="Wie zufrieden waren Sie heute?").get_by_role(
        "button", name="unzufrieden", exact=True
    ).click()
    kiosk.get_by_role("group", name="Worum ging es?").get_by_role("button", name="Zulassung").click()
    kiosk.get_by_role("group", name="Wartezeit").get_by_role("button", name="sehr unzufrieden").click()
    kiosk.get_by_label("Ihre Anmerkung").fill("Lange gewartet")
    kiosk.get_by_role("button", name="Bewertung abschicken").click()
    expect(kiosk.get_by_role("status")).to_contain_text("Vielen Dank")

    login(controller, app, "controlling", "controlling-demo")
    controller.goto(url(app, routes.CONTROLLING))
    # The page's own period arrives with its on_load; a date typed before that would be overwritten.
    expect(controller.get_by_label("Von")).not_to_have_value("")
    controller.get_by_label("Bis").fill("2026-11-24")
    controller.get_by_label("Von").fill("2026-11-24")
    panel = controller.get_by_role("region", name="Zufriedenheit und Beschwerden")
    windows = panel.get_by_role("table", name="Tageszeit")
    expect(windows.get_by_role("row", name=re.compile("Nachmittag"))).to_contain_text("2,0 (1 Antworten)")
    expect(windows.get_by_role("row", name=re.compile("Vormittag"))).to_contain_text("keine Daten")
    areas = panel.get_by_role("table", name="Bereich")
    expect(areas.get_by_role("row", name=re.compile("Zulassung"))).to_contain_text("2,0 (1 Antworten)")
    aspects = panel.get_by_role("table", name="Einzelfragen")
    expect(aspects.get_by_role("row", name=re.compile("Wartezeit"))).to_contain_text("1,0 (1 Antworten)")
