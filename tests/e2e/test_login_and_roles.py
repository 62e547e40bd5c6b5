"""Staff log in through the browser, see their own navigation and nothing else."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, url

pytestmark = pytest.mark.e2e

NAV = ["Schalter", "Empfang", "Terminvergabe", "Abholung", "Nacharbeit", "Briefing", "Controlling", "Postausgang",
       "Beschwerden", "Geräte", "Terminplanung", "Verwaltung"]

ROLE_NAV = {
    ("berater", "berater-demo"): ["Schalter", "Terminvergabe", "Nacharbeit"],
    ("empfang", "empfang-demo"): ["Empfang", "Terminvergabe", "Beschwerden"],
    ("abholung", "abholung-demo"): ["Abholung", "Nacharbeit", "Postausgang"],
    ("teamleitung", "teamleitung-demo"): [
        "Schalter", "Empfang", "Terminvergabe", "Abholung", "Nacharbeit", "Briefing", "Controlling", "Postausgang",
        "Beschwerden", "Geräte", "Terminplanung",
    ],
    ("controlling", "controlling-demo"): ["Controlling"],
    ("admin", "admin-demo"): NAV,
}


@pytest.mark.parametrize(("account", "visible"), ROLE_NAV.items(), ids=[a for a, _ in ROLE_NAV])
def test_each_role_sees_its_own_navigation(page, app, account, visible):
    login(page, app, *account)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name=visible[0])).to_be_visible()
    for label in NAV:
        link = nav.get_by_role("link", name=label, exact=True)
        if label in visible:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_wrong_password_shows_the_german_message_and_stays_on_login(page, app):
    login(page, app, "berater", "falsches-passwort", succeed=False)
    expect(page.get_by_role("alert")).to_have_text("Benutzername oder Passwort ist falsch.")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_a_page_of_another_role_is_refused(page, app):
    login(page, app, "berater", "berater-demo")
    expect(page.get_by_role("link", name="Schalter", exact=True)).to_be_visible()
    page.goto(url(app, "/controlling"))
    expect(page.get_by_text("Sie haben keine Berechtigung für diese Seite.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/schalter/?$"))


def test_pages_need_a_login_and_logout_ends_the_session(page, app):
    page.goto(url(app, "/verwaltung"))
    expect(page).to_have_url(re.compile(r"/login/?$"))
    login(page, app, "admin", "admin-demo")
    page.goto(url(app, "/verwaltung"))
    expect(page.get_by_role("table", name="Dienstkonten")).to_contain_text("Anna Berger")
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    page.goto(url(app, "/verwaltung"))
    expect(page).to_have_url(re.compile(r"/login/?$"))
