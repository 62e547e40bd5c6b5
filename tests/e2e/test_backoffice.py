"""The afternoon in Chromium: at 13:05 an advisor lands on the task list, closes an insurance notice,
and the team lead sees it done."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import DEMO_DAY, login, url
from workstation import clock, db, routes
from workstation.models import BackofficeTask, Service, StaffUser, TaskStatus, TaskType, Visit, VisitStatus
from workstation.services.backoffice import tasks as bo
from workstation.services.queue import checkin

pytestmark = pytest.mark.e2e

TITLE = "Versicherungsanzeige § 25 FZV: OF-E 1305"
OUTCOME = "Neuer Versicherungsnachweis der HUK liegt vor, Fahrzeug bleibt zugelassen"


def _account(role: str):
    from workstation.services.demo.seed import DEMO_ACCOUNTS

    return next(a for a in DEMO_ACCOUNTS if a.role == role)


@pytest.fixture
def afternoon(app):
    """13:05 on the demo day, with one fresh insurance notice nobody has taken yet."""
    clock.travel(DEMO_DAY.replace(hour=13, minute=5))
    advisor = _account("advisor")
    with db.session_scope() as session:
        office_id = session.exec(select(StaffUser.office_id).where(StaffUser.username == advisor.username)).one()
    task_id = bo.create_task(
        office_id=office_id,
        task_type=TaskType.INSURANCE_NOTICE,
        title=TITLE,
        reference="OF-E 1305",
        due_date=clock.today(),
        source="insurer",
    )
    yield task_id
    clock.travel(DEMO_DAY)


def test_advisor_closes_an_insurance_notice_and_the_team_lead_sees_it_done(afternoon, new_page, app):
    advisor, lead = _account("advisor"), _account("team_lead")
    page = new_page()

    login(page, app, advisor.username, advisor.password)

    expect(page).to_have_url(re.compile(routes.BACKOFFICE + "/?$"))
    expect(page.get_by_role("heading", name="Nacharbeit")).to_be_visible()
    page.get_by_label("Suche", exact=True).fill("OF-E 1305")
    page.get_by_role("button", name=f"Übernehmen: {TITLE}").click()
    expect(page.get_by_text(f"Sie bearbeiten jetzt: {TITLE}")).to_be_visible()
    page.get_by_role("button", name=f"Öffnen: {TITLE}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Status: In Bearbeitung")).to_be_visible()
    dialog.get_by_label("Ergebnis", exact=True).fill(OUTCOME)
    dialog.get_by_role("button", name="Abschließen").click()
    expect(dialog.get_by_text("Status: Erledigt")).to_be_visible()
    expect(dialog.get_by_text(OUTCOME).first).to_be_visible()
    dialog.get_by_role("button", name="Schließen").click()
    expect(page.get_by_role("button", name=f"Öffnen: {TITLE}")).to_have_count(0)

    lead_page = new_page()
    login(lead_page, app, lead.username, lead.password)
    lead_page.goto(url(app, routes.BACKOFFICE))
    # A choice made before the page has its state from the server can be lost: wait until the list is there.
    expect(lead_page.get_by_role("button", name=re.compile("^Öffnen: ")).first).to_be_visible()
    lead_page.get_by_label("Status", exact=True).click()
    lead_page.get_by_role("option", name="Erledigt").click()
    lead_page.get_by_label("Suche", exact=True).fill("OF-E 1305")
    row = lead_page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Erledigt")
    expect(row).to_contain_text(advisor.display_name)
    row.get_by_role("button", name=f"Öffnen: {TITLE}").click()
    expect(lead_page.get_by_role("dialog").get_by_text(OUTCOME).first).to_be_visible()

    with db.session_scope() as session:
        task = session.get(BackofficeTask, afternoon)
    assert task.status == TaskStatus.DONE and task.outcome == OUTCOME


def test_the_team_leads_long_task_list_comes_in_pages_with_the_count_on_top(app, new_page):
    lead = _account("team_lead")
    with db.session_scope() as session:
        office_id = session.exec(select(StaffUser.office_id).where(StaffUser.username == lead.username)).one()
    for n in range(60):  # however full the demo's list is, there are more than 50 open tasks
        bo.create_task(office_id=office_id, task_type=TaskType.CITIZEN_EMAIL, title=f"Seitentest {n:02d}",
                       reference=f"SEITE-{n:02d}", due_date=clock.today(), source="test")
    page = new_page()
    login(page, app, lead.username, lead.password)
    page.goto(url(app, routes.BACKOFFICE))

    count = page.get_by_role("status").filter(has_text=re.compile(r"^1–50 von "))
    expect(count).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Öffnen: "))).to_have_count(50)
    page.get_by_role("button", name="Nächste Seite: Aufgabenliste").click()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^51–"))).to_be_visible()
    page.get_by_label("Suche", exact=True).fill("Seitentest")
    expect(page.get_by_role("status").filter(has_text="1–50 von 60")).to_be_visible()
    page.get_by_role("button", name="Nächste Seite: Aufgabenliste").click()
    expect(page.get_by_role("status").filter(has_text="51–60 von 60")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Öffnen: Seitentest"))).to_have_count(10)
    expect(page.get_by_role("button", name="Nächste Seite: Aufgabenliste")).to_be_disabled()


def test_a_task_recorded_by_hand_appears_once_even_after_a_double_click(app, new_page):
    advisor = _account("advisor")
    title = "E-Mail: Halterauskunft für OF-E 4711 erbeten"
    page = new_page()
    login(page, app, advisor.username, advisor.password)
    page.goto(url(app, routes.BACKOFFICE))

    page.get_by_role("button", name="Neue Aufgabe").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Titel").fill(title)
    dialog.get_by_label("Bezug (Aktenzeichen, Kennzeichen, Seriennummer)").fill("OF-E 4711")
    dialog.get_by_label("Fällig am").fill("2026-11-27")
    dialog.get_by_role("button", name="Anlegen").dblclick()

    expect(page.get_by_text(f"Aufgabe angelegt: {title}")).to_be_visible()
    page.get_by_label("Suche", exact=True).fill("OF-E 4711")
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("27.11.2026")
    with db.session_scope() as session:
        made = session.exec(select(BackofficeTask).where(BackofficeTask.title == title)).all()
    assert [(t.type, t.reference) for t in made] == [(TaskType.CITIZEN_EMAIL, "OF-E 4711")]


def test_a_walk_in_sends_the_advisor_from_the_task_list_back_to_the_counter(app, new_page):
    advisor = _account("advisor")
    clock.travel(DEMO_DAY.replace(hour=13, minute=10))
    walk_in = None
    try:
        page = new_page()
        login(page, app, advisor.username, advisor.password)
        expect(page).to_have_url(re.compile(routes.BACKOFFICE + "/?$"))
        expect(page.get_by_role("heading", name="Nacharbeit")).to_be_visible()
        with db.session_scope() as session:
            office_id = session.exec(select(StaffUser.office_id).where(StaffUser.username == advisor.username)).one()
            service_id = session.exec(select(Service.id).where(Service.area == "registration")).first()

        walk_in = checkin.add_walk_in(office_id, "Karl", "Spontan", [service_id], None)

        expect(page).to_have_url(re.compile(routes.COUNTER + "/?$"))
        expect(page.get_by_text("Kundschaft wartet – weiter an der Warteschlange.")).to_be_visible()
    finally:
        if walk_in is not None:
            with db.session_scope() as session:
                visit = session.get(Visit, walk_in.visit_id)
                visit.status = VisitStatus.CANCELLED
                session.add(visit)
        clock.travel(DEMO_DAY)
