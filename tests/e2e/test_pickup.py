"""End to end in Chromium: the feed reports a delivery, the citizen sees "ready", the desk hands it over."""

import random
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import login, url
from workstation import clock, db
from workstation.config import settings
from workstation.models import Citizen, DocumentApplication, Office, StaffUser
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials
from workstation.services.pickup.feed import inbox, simulate

pytestmark = pytest.mark.e2e


@pytest.fixture
def delivered(app):
    """A shipped ID card of a new citizen, delivered to the office through a feed file and the ingest job."""
    code = settings().office_code
    with db.session_scope() as session:
        office = session.exec(select(Office).where(Office.code == code)).one()
        taken = set(session.exec(select(DocumentApplication.serial_number)).all())
        serial = simulate.new_serial(code, random.Random(uuid.uuid4().int), taken)
        number = f"A-E2E-{uuid.uuid4().hex[:8].upper()}"
        citizen = Citizen(first_name="Erika", last_name="Abholtest", created_at=clock.now())
        session.add(citizen)
        session.flush()
        session.add(DocumentApplication(
            office_id=office.id, citizen_id=citizen.id, application_number=number, doc_type="PA",
            serial_number=serial, status=ApplicationStatus.SHIPPED, applied_at=clock.now(),
            notify_channel="email", notify_email="erika.abholtest@example.org",
        ))
    notice = simulate.Notice("PA", serial, number, "ZUGESTELLT", clock.now())
    data = simulate.message_xml(str(uuid.uuid4()), code, clock.now(), "S-E2E-0001", [notice])
    simulate.drop(settings().inbox_dir, f"versandavis_{code}_e2e_{uuid.uuid4().hex[:6]}.xml", data)
    assert inbox.process_inbox().applied == 1
    return number, f"{serial}{serials.check_digit(serial)}"


def test_citizen_sees_ready_document_and_the_desk_hands_it_over(app, new_page, delivered):
    number, typed = delivered

    citizen = new_page()
    citizen.goto(url(app, "/dokument-status"))
    citizen.get_by_label("Seriennummer mit Prüfziffer").fill(typed)
    citizen.get_by_role("button", name="Status abfragen").click()
    expect(citizen.get_by_role("status")).to_contain_text("Ihr Dokument ist abholbereit")
    expect(citizen.get_by_text("Abholtest")).to_have_count(0)  # no personal data
    citizen.get_by_role("button", name="English").click()
    expect(citizen.get_by_role("status")).to_contain_text("Your document is ready for collection")

    desk = new_page()
    login(desk, app, "abholung", "abholung-demo")
    desk.goto(url(app, "/abholung"))
    desk.get_by_label("Seriennummer mit Prüfziffer").fill(typed)
    desk.get_by_label("Seriennummer mit Prüfziffer").press("Enter")
    selected = desk.get_by_label("Ausgewähltes Dokument")
    expect(selected).to_contain_text("Abholtest, Erika")
    expect(selected).to_contain_text(number)
    desk.get_by_label("Identität der abholenden Person anhand eines Ausweises geprüft").check()
    desk.get_by_label("entwertet").check()
    desk.get_by_role("button", name="Aushändigen").click()
    expect(desk.get_by_role("status").filter(has_text="ausgehändigt").first).to_be_visible()
    desk.get_by_label("Anzeigen").select_option("handed_over")
    expect(desk.get_by_role("table", name="Dokumentenliste")).to_contain_text(number)

    with db.session_scope() as session:
        app_row = session.exec(select(DocumentApplication).where(DocumentApplication.application_number == number)
                               ).one()
        staff = session.get(StaffUser, app_row.handed_over_by)
    assert app_row.status == ApplicationStatus.HANDED_OVER
    assert staff.username == "abholung"
    assert app_row.notify_email is None

    citizen.get_by_role("button", name=re.compile("Check status|Status abfragen")).click()
    expect(citizen.get_by_role("status")).to_contain_text("already been collected")
