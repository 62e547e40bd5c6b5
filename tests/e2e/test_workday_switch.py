"""At 13:00 an advisor's open counter screen turns to the task list by itself."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import DEMO_DAY, login, url
from workstation import clock, db, routes
from workstation.models import StaffUser, Visit, VisitStatus

pytestmark = pytest.mark.e2e


@pytest.fixture
def midday(app):
    """12:00 on the demo day with nobody left waiting (earlier tests may have left walk-ins)."""
    clock.travel(DEMO_DAY.replace(hour=12, minute=0))
    with db.session_scope() as session:
        office_id = session.exec(select(StaffUser.office_id).where(StaffUser.username == "berater")).one()
        for visit in session.exec(select(Visit).where(Visit.status == VisitStatus.WAITING)):
            visit.status, visit.no_show_at = VisitStatus.NO_SHOW, clock.now()
            session.add(visit)
    yield office_id
    clock.travel(DEMO_DAY)


def test_the_counter_screen_turns_to_the_task_list_at_one_oclock(midday, page, app):
    login(page, app, "berater", "berater-demo")
    page.goto(url(app, routes.COUNTER))
    expect(page.get_by_role("heading", name="Schalter", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(routes.COUNTER + "/?$"))

    # The screen checks at each minute boundary: a few seconds before 13:00 the next one is 13:00.
    clock.travel(DEMO_DAY.replace(hour=12, minute=59, second=57))
    expect(page).to_have_url(re.compile(routes.BACKOFFICE + "/?$"), timeout=75_000)
    expect(page.get_by_role("heading", name="Nacharbeit")).to_be_visible()
