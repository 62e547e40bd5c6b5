"""Accessibility in Chromium: axe-core on every page each demo role can open, and the shell's structure.

axe-core comes bundled with `axe-playwright-python` (no network at run time). A finding of impact
"critical" or "serious" fails the test; the report lists each rule with the elements it found.
"""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import login, url
from workstation import routes
from workstation.state.auth import LOGIN_REQUIRED, NOT_ALLOWED, PAGE_NOT_ALLOWED, SESSION_ENDED

pytestmark = pytest.mark.e2e

BLOCKING = ("critical", "serious")

ACCOUNTS = {
    "advisor": ("berater", "berater-demo"),
    "reception": ("empfang", "empfang-demo"),
    "pickup": ("abholung", "abholung-demo"),
    "team_lead": ("teamleitung", "teamleitung-demo"),
    "controlling": ("controlling", "controlling-demo"),
    "admin": ("admin", "admin-demo"),
}

# The h1 of each staff page (page_shell's title).
PAGE_TITLES = {
    routes.COUNTER: "Schalter",
    routes.RECEPTION: "Empfang",
    routes.PICKUP: "Abholung",
    routes.BACKOFFICE: "Nacharbeit",
    routes.BRIEFING: "Briefing",
    routes.CONTROLLING: "Controlling: Kennzahlen",
    routes.OUTBOX: "Postausgang",
    routes.ADMIN: "Verwaltung: Dienstkonten",
    routes.COMPLAINTS: "Beschwerden",
    routes.DEVICES: "Geräte im Wartebereich",
    routes.COMPARISON: "Vergleich der Ämter",
    routes.CITY: "Ämter der Stadt",
    routes.STAFF_BOOKING: "Terminvergabe",
    routes.BOOKING_SETUP: "Terminplanung",
}

TOASTS = "[data-sonner-toast]"


def blocking_findings(page) -> list[dict]:
    """axe-core's violations of impact critical or serious on the page as it is now."""
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def report(findings_by_page: dict[str, list[dict]]) -> str:
    """One readable block per page and rule: impact, rule, help, and the elements with axe's message."""
    lines = []
    for where, findings in findings_by_page.items():
        for v in findings:
            lines.append(f"\n{where}: [{v['impact']}] {v['id']} – {v['help']} ({len(v['nodes'])} Elemente)")
            for node in v["nodes"][:8]:
                messages = "; ".join(c["message"] for c in node.get("any", []) + node.get("all", [])
                                     + node.get("none", []))
                lines.append(f"    {' '.join(map(str, node['target']))}: {messages}")
                lines.append(f"        {node['html'][:160]}")
            if len(v["nodes"]) > 8:
                lines.append(f"    … und {len(v['nodes']) - 8} weitere")
    return "\n".join(lines)


def rule_counts(findings_by_page: dict[str, list[dict]]) -> dict[str, int]:
    """How many elements each rule found, over all pages (for the summary line)."""
    counts: dict[str, int] = {}
    for findings in findings_by_page.values():
        for v in findings:
            counts[v["id"]] = counts.get(v["id"], 0) + len(v["nodes"])
    return counts


def assert_no_findings(findings_by_page: dict[str, list[dict]]) -> None:
    findings_by_page = {where: f for where, f in findings_by_page.items() if f}
    assert not findings_by_page, f"axe: {rule_counts(findings_by_page)}" + report(findings_by_page)


def open_staff_page(page, app, route: str) -> None:
    """Open a staff page and wait until its heading and its loaded data are on screen."""
    page.goto(url(app, route))
    expect(page).to_have_url(re.compile(re.escape(route) + "/?$"))
    expect(page.get_by_role("heading", level=1, name=PAGE_TITLES[route], exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)  # the on_load data arrives over the websocket; let it render


@pytest.fixture
def city_admin(app):
    """The city admin's account in the demo office (the demo city's `stadt`)."""
    from sqlmodel import select

    from workstation import db
    from workstation.models import Office, StaffUser
    from workstation.services.staff import auth

    with db.session_scope() as session:
        if session.exec(select(StaffUser).where(StaffUser.username == "stadt")).first() is None:
            office_id = session.exec(select(Office.id)).first()
            auth.create_user(session, office_id=office_id, username="stadt", display_name="Petra Lorenz",
                             role="city_admin", password="stadt-demo")
    return "stadt", "stadt-demo"


def test_the_city_admins_pages_pass_axe(page, app, city_admin):
    login(page, app, *city_admin)
    findings = {}
    for item in routes.nav_for("city_admin"):
        open_staff_page(page, app, item.route)
        findings[f"city_admin {item.route}"] = blocking_findings(page)
    assert_no_findings(findings)


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=list(ACCOUNTS))
def test_every_page_of_each_role_passes_axe(page, app, role):
    login(page, app, *ACCOUNTS[role])
    findings: dict[str, list[dict]] = {}
    for item in routes.nav_for(role):
        open_staff_page(page, app, item.route)
        findings[f"{role} {item.route}"] = blocking_findings(page)
        if item.route == routes.BRIEFING:
            page.get_by_role("button", name="Präsentation").click()
            expect(page.get_by_role("button", name="Präsentation beenden")).to_be_visible()
            page.wait_for_timeout(500)
            findings[f"{role} {item.route} (Präsentation)"] = blocking_findings(page)
    assert_no_findings(findings)


def test_public_pages_pass_axe(page, app):
    findings: dict[str, list[dict]] = {}
    page.goto(url(app, routes.LOGIN))
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    findings["/login"] = blocking_findings(page)
    login(page, app, "berater", "falsches-passwort", succeed=False)
    expect(page.get_by_role("alert")).to_be_visible()
    findings["/login (Fehlermeldung)"] = blocking_findings(page)

    page.goto(url(app, routes.CITIZEN_STATUS))
    expect(page.get_by_role("heading", level=1, name="Ist mein Dokument abholbereit?")).to_be_visible()
    findings["/dokument-status"] = blocking_findings(page)
    page.get_by_label("Seriennummer mit Prüfziffer").fill("L6F3R7T2K8")
    page.get_by_role("button", name="Status abfragen").click()
    expect(page.get_by_role("status")).to_be_visible()
    findings["/dokument-status (Antwort)"] = blocking_findings(page)

    page.goto(url(app, "/gibt-es-nicht"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    findings["404"] = blocking_findings(page)
    assert_no_findings(findings)


def test_booking_pages_pass_axe_in_each_step_and_language(page, app, monkeypatch):
    from workstation import clock
    from workstation.services.booking import bookings, public

    monkeypatch.setenv("WORKSTATION_BOOKING_POW_MAX", "3000")
    findings: dict[str, list[dict]] = {}
    page.goto(url(app, routes.BOOKING))
    expect(page.get_by_role("heading", level=1, name="Termin im Bürgerbüro buchen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    findings["/termin"] = blocking_findings(page)
    page.get_by_label("Anmeldung", exact=True).select_option("1")
    expect(page.get_by_role("status")).to_contain_text("Geplante Dauer")
    findings["/termin (Auswahl)"] = blocking_findings(page)
    page.get_by_role("button", name="Weiter: Termin wählen").click()
    expect(page.get_by_role("heading", name="Nächste freie Termine")).to_be_visible()
    page.get_by_role("gridcell").get_by_role("button", name=re.compile(", freie Termine$")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Freie Zeiten am"))).to_be_visible()
    findings["/termin (Zeit)"] = blocking_findings(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Next free times")).to_be_visible()
    expect(page.locator("main")).to_have_attribute("lang", "en")
    findings["/termin (time, English)"] = blocking_findings(page)
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("heading", name="Nächste freie Termine").locator("xpath=..").get_by_role("button").first.click()
    expect(page.get_by_label("Vorname")).to_be_visible()
    findings["/termin (Angaben)"] = blocking_findings(page)
    page.get_by_label("Vorname").fill("Nguyễn")
    page.get_by_label("Nachname").fill("O'Brien")
    page.get_by_label("E-Mail-Adresse").fill("axe@example.org")
    page.get_by_label(re.compile("Ich willige ein")).check()
    page.get_by_role("button", name="Verbindlich buchen").click()
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible(timeout=60_000)
    findings["/termin (gebucht)"] = blocking_findings(page)

    own = public.office_rows()[0]["code"]
    ummeldung = next(row for row in public.catalogue_rows("de", own) if row["name"] == "Ummeldung")
    later, _office = public.first_times([(int(ummeldung["id"]), 1)], "axe-test", own,
                                        clock.now() + timedelta(days=2))[0]
    booked = bookings.book_for_caller(public.office_id(), [(int(ummeldung["id"]), 1)], later, "Axe", "Test",
                                      now=clock.now())
    page.goto(url(app, f"{routes.BOOKING_CHANGE}?t={booked.token}"))
    expect(page.get_by_role("button", name="Termin absagen")).to_be_visible()
    findings["/termin/absagen"] = blocking_findings(page)
    page.get_by_role("button", name="Termin verlegen").click()
    expect(page.get_by_role("heading", name="Neue Zeit wählen")).to_be_visible()
    findings["/termin/absagen (verlegen)"] = blocking_findings(page)
    page.goto(url(app, routes.BOOKING_CHANGE))
    expect(page.get_by_role("alert")).to_be_visible()
    findings["/termin/absagen (ohne Link)"] = blocking_findings(page)
    assert_no_findings(findings)


def test_staff_booking_page_passes_axe(page, app):
    login(page, app, *ACCOUNTS["reception"])
    page.get_by_role("link", name="Termin vergeben (Telefon, Empfang)").click()
    expect(page.get_by_role("heading", level=1, name="Terminvergabe")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Ummeldung (10 Min.)").select_option("1")
    page.get_by_label("Vorname").fill("Olga")
    page.get_by_label("Nachname").fill("Şahin")
    page.get_by_role("button", name="Freie Zeiten zeigen").click()
    expect(page.get_by_role("heading", name="Freie Zeiten")).to_be_visible()
    findings = {"/terminvergabe": blocking_findings(page)}
    page.get_by_role("heading", name="Freie Zeiten").locator("xpath=..").get_by_role("button").first.click()
    expect(page.get_by_role("status")).to_contain_text("Buchungscode")
    findings["/terminvergabe (gebucht)"] = blocking_findings(page)
    assert_no_findings(findings)


def test_booking_setup_page_passes_axe_and_is_the_team_leads(page, app):
    login(page, app, *ACCOUNTS["team_lead"])
    page.goto(url(app, routes.BOOKING_SETUP))
    expect(page.get_by_role("heading", level=1, name="Terminplanung")).to_be_visible()
    expect(page.get_by_role("cell", name="Meldewesen").first).to_be_visible()
    findings = {"/terminplanung": blocking_findings(page)}
    page.get_by_label("Tag", exact=True).fill("2027-01-04")
    page.get_by_label("Grund").fill("Inventur")
    page.get_by_role("button", name="Tag schließen").click()
    expect(page.get_by_role("status")).to_contain_text("Schließtag gespeichert")
    findings["/terminplanung (Schließtag)"] = blocking_findings(page)
    page.get_by_role("button", name="Schließtag Montag, 4. Januar 2027 aufheben").click()
    expect(page.get_by_role("status")).to_contain_text("aufgehoben")
    assert_no_findings(findings)


def test_booking_setup_is_refused_to_an_advisor(page, app):
    login(page, app, *ACCOUNTS["advisor"])
    page.goto(url(app, routes.BOOKING_SETUP))
    expect(page).to_have_url(re.compile(r"/schalter/?$"))


@pytest.mark.parametrize("path", [routes.LOGIN, routes.CITIZEN_STATUS, routes.BOOKING, "/gibt-es-nicht", routes.ADMIN])
def test_pages_are_german_and_have_a_favicon(page, app, path):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 and "favicon" in r.url else None)
    if path == routes.ADMIN:
        login(page, app, "admin", "admin-demo")
    page.goto(url(app, path))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    icon = page.locator("head link[rel~='icon']")
    expect(icon).to_have_count(1)
    href = icon.get_attribute("href")
    assert page.request.get(url(app, href)).ok, href
    page.wait_for_load_state("networkidle")
    assert missing == []


def test_the_404_page_speaks_german(page, app):
    page.goto(url(app, "/gibt-es-nicht"))
    expect(page.get_by_role("heading", level=1, name="Seite nicht gefunden")).to_be_visible()
    expect(page.get_by_text("404: Page not found")).to_have_count(0)
    expect(page.get_by_role("link", name="Zur Startseite")).to_be_visible()
    assert "nicht gefunden" in page.title()


@pytest.mark.parametrize("role", ["advisor", "team_lead", "admin"])
def test_staff_pages_have_one_h1_and_a_full_height_sidebar(page, app, role):
    page.set_viewport_size({"width": 1280, "height": 480})
    login(page, app, *ACCOUNTS[role])
    for item in routes.nav_for(role):
        open_staff_page(page, app, item.route)
        headings = page.locator("h1")
        expect(headings).to_have_count(1)
        expect(headings).to_have_text(PAGE_TITLES[item.route])
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        bottom = page.evaluate(
            "n => n.getBoundingClientRect().bottom + window.scrollY", nav.element_handle()
        )
        height = page.evaluate("document.documentElement.scrollHeight")
        assert bottom >= height - 1, f"{item.route}: the sidebar ends at {bottom}px, the page at {height}px"


def _toast_texts(page) -> list[str]:
    page.wait_for_timeout(2500)  # a second toast would come from the next on_load handler
    return page.locator(TOASTS).all_inner_texts()


def test_a_page_of_another_role_shows_one_toast(page, app):
    login(page, app, "berater", "berater-demo")
    page.goto(url(app, routes.CONTROLLING))
    expect(page).to_have_url(re.compile(r"/schalter/?$"))
    expect(page.locator(TOASTS).filter(has_text=PAGE_NOT_ALLOWED)).to_be_visible()
    texts = _toast_texts(page)
    assert texts == [PAGE_NOT_ALLOWED], texts
    assert not any(NOT_ALLOWED in t for t in texts)


def test_a_logged_out_visitor_gets_one_message(page, app):
    page.goto(url(app, routes.ADMIN))
    expect(page).to_have_url(re.compile(r"/login/?$"))
    expect(page.locator(TOASTS).filter(has_text=LOGIN_REQUIRED)).to_be_visible()
    assert _toast_texts(page) == [LOGIN_REQUIRED]


def test_an_expired_session_gets_one_message(page, app):
    page.goto(url(app, routes.LOGIN))
    page.evaluate("localStorage.setItem('bb_session', 'abgelaufen-0000')")
    page.goto(url(app, routes.OUTBOX))
    expect(page).to_have_url(re.compile(r"/login/?$"))
    expect(page.locator(TOASTS).filter(has_text=SESSION_ENDED)).to_be_visible()
    assert _toast_texts(page) == [SESSION_ENDED]


def test_an_empty_outbox_says_so(page, app):
    login(page, app, "abholung", "abholung-demo")
    open_staff_page(page, app, routes.OUTBOX)
    page.get_by_label("Anzeigen").select_option(label="entfallen")
    expect(page.get_by_text("Keine Nachrichten", exact=False)).to_be_visible()


def test_lobby_device_pages_pass_axe(new_page, app):
    from tests.e2e.test_lobby import paired_device
    from workstation.models import DeviceKind

    findings: dict[str, list[dict]] = {}
    pairing = new_page()
    pairing.goto(url(app, routes.DEVICE_PAIR))
    expect(pairing.get_by_role("heading", level=1, name="Gerät koppeln")).to_be_visible()
    findings["/geraet"] = blocking_findings(pairing)
    pairing.get_by_label("Kopplungscode").fill("AAAA-AAAA")
    pairing.get_by_role("button", name="Koppeln").click()
    expect(pairing.get_by_role("alert")).to_be_visible()
    findings["/geraet (falscher Code)"] = blocking_findings(pairing)

    terminal = new_page()
    paired_device(terminal, app, DeviceKind.CHECKIN, "Axe Check-in")
    expect(terminal.get_by_label("Buchungscode")).to_be_focused()
    findings["/geraet/checkin"] = blocking_findings(terminal)
    terminal.get_by_label("Buchungscode").fill("GIBT-ES-NICHT")
    terminal.get_by_label("Buchungscode").press("Enter")
    expect(terminal.get_by_role("status")).to_be_visible()
    findings["/geraet/checkin (Antwort)"] = blocking_findings(terminal)

    display = new_page()
    paired_device(display, app, DeviceKind.DISPLAY, "Axe Anzeige", rows=10, orientation="portrait")
    expect(display.get_by_role("heading", level=1)).to_contain_text("Aufrufe")
    display.wait_for_timeout(800)
    findings["/geraet/aufrufe"] = blocking_findings(display)

    votes = new_page()
    paired_device(votes, app, DeviceKind.FEEDBACK, "Axe Feedback")
    expect(votes.get_by_role("button", name="sehr zufrieden").first).to_be_visible()
    findings["/geraet/feedback"] = blocking_findings(votes)
    votes.get_by_role("button", name="sehr zufrieden").first.click()
    votes.get_by_role("button", name="Bewertung abschicken").click()
    expect(votes.get_by_role("status")).to_be_visible()
    findings["/geraet/feedback (Dank)"] = blocking_findings(votes)
    assert_no_findings(findings)
