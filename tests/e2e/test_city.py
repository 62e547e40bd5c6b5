"""The city on PostgreSQL and Redis with several web workers: two offices work at the same time.

The demo city is seeded into a fresh PostgreSQL database, the production server runs with two granian
workers sharing state through Redis (no scheduler in them, as `make run-city` starts them) and the clock
at 07:55. The demo office (Mitte) and Bürgerbüro Nord each check someone in and call them; each office's
screens show only its own people. The city admin then sees both offices on the comparison page, and a
citizen books online at Bürgerbüro Nord (the booking page first asks for the office).
"""

import os
import re
import shutil
import signal
import subprocess
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, select

from tests import dbutil
from tests.e2e.test_multiworker import ROOT, _free_port, _wait_until_serving
from workstation import clock, db
from workstation.models import Citizen, Office, Visit
from workstation.services.demo.seed import VANESSA_BOOKING_CODE, seed_demo_office

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]


def _nord_appointment(db_url: str, mitte_names: set[str]) -> tuple[str, str]:
    """An 08:00–08:30 appointment of Bürgerbüro Nord whose holder's name no one in Mitte has today."""
    eng = create_engine(db_url)
    with eng.connect() as conn:
        nord = conn.execute(select(Office.id).where(Office.code == "K2X9")).scalar_one()
        rows = conn.execute(
            select(Visit.booking_code, Citizen.first_name, Citizen.last_name, Visit.slot_start)
            .join(Citizen, Citizen.id == Visit.citizen_id)
            .where(Visit.office_id == nord, Visit.status == "booked", Visit.booking_code.is_not(None))
            .order_by(Visit.slot_start)
        ).all()
    eng.dispose()
    for code, first, last, slot in rows:
        name = f"{first} {last}"
        if clock.to_local(slot).strftime("%H:%M") >= "08:00" and name not in mitte_names and "Graf" not in name:
            return code, name
    raise AssertionError("no suitable appointment in Nord")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    for reason in (dbutil.pg_available(), dbutil.redis_available()):
        if reason:
            pytest.skip(reason)
    tmp_path = tmp_path_factory.mktemp("city-e2e")
    name, db_url = dbutil.create_pg_database()
    morning = datetime.combine(clock.today(), datetime.min.time()) + timedelta(hours=7, minutes=55)
    previous = os.environ.get("REFLEX_DB_URL")
    os.environ["REFLEX_DB_URL"] = db_url
    # The other browser tests' clock (the demo day) goes on where it was after seeding the city.
    was = clock.to_local(clock.now()).replace(tzinfo=None)
    clock.travel(morning)
    try:
        seed_demo_office(today=morning.date(), reset=True, city=True)
        eng = create_engine(db_url)
        with eng.connect() as conn:
            mitte_names = {f"{first} {last}" for first, last in conn.execute(
                select(Citizen.first_name, Citizen.last_name).join(Visit, Visit.citizen_id == Citizen.id)
                .where(Visit.office_id == 1, Visit.slot_start >= clock.to_utc(morning)))}
        eng.dispose()
    finally:
        clock.travel(was)
        db.engine_for.cache_clear()
        if previous is None:
            os.environ.pop("REFLEX_DB_URL", None)
        else:
            os.environ["REFLEX_DB_URL"] = previous
    app_dir = tmp_path / "app"
    shutil.copytree(ROOT, app_dir, ignore=shutil.ignore_patterns(
        ".venv", ".tools", ".web", ".git", "data", "tests", "__pycache__"))
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}{os.pathsep}{ROOT / '.venv/bin'}{os.pathsep}{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1", "REFLEX_TELEMETRY_ENABLED": "false", "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_DB_URL": db_url, "REFLEX_REDIS_URL": dbutil.REDIS_URL + "/2", "GRANIAN_WORKERS": "2",
        "WORKSTATION_DATA_DIR": str(tmp_path / "data"), "WORKSTATION_SCHEDULER": "off",
        "WORKSTATION_SKIP_PREPARE": "1", "WORKSTATION_NOW": clock.to_utc(morning).isoformat() + "+00:00",
        "WORKSTATION_DEMO_CLOCK": "on",
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--frontend-port", str(port),
         "--backend-port", str(port)],
        cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    address, log = None, []
    deadline = time.monotonic() + 300
    while address is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        if match := re.search(r"App running at: (http://\S+)", line):
            address = match.group(1).replace("0.0.0.0", "127.0.0.1").rstrip("/")
    try:
        assert address, "server did not start:\n" + "".join(log[-40:])
        _wait_until_serving(address, proc, log)
        yield address, _nord_appointment(db_url, mitte_names)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        dbutil.drop_pg_database(name)


def _login(browser, address: str, username: str, password: str):
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    page.goto(address + "/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/login/?$"))
    return page


def test_two_offices_work_at_once_and_the_city_admin_compares_them(city, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # live updates cross workers through Redis on a busy 2-core machine

    address, (nord_code, nord_name) = city
    mitte_advisor = _login(browser, address, "berater", "berater-demo")
    nord_advisor = _login(browser, address, "nord.berater", "berater-demo")
    for page in (mitte_advisor, nord_advisor):
        page.goto(address + "/schalter")
        expect(page.get_by_role("button", name="Nächste Person aufrufen")).to_be_visible()
    for username, code in (("empfang", VANESSA_BOOKING_CODE), ("nord.empfang", nord_code)):
        reception = _login(browser, address, username, "empfang-demo")
        reception.goto(address + "/empfang")
        reception.get_by_label("Buchungscode").fill(code)
        reception.get_by_role("button", name="Einchecken", exact=True).click()
        expect(reception.get_by_role("status")).to_contain_text("ist eingecheckt")

    mitte_queue = mitte_advisor.get_by_role("region", name="Warteschlange")
    nord_queue = nord_advisor.get_by_role("region", name="Warteschlange")
    expect(mitte_queue).to_contain_text("Vanessa Graf")
    expect(nord_queue).to_contain_text(nord_name)
    expect(mitte_queue).not_to_contain_text(nord_name)
    expect(nord_queue).not_to_contain_text("Vanessa Graf")

    mitte_advisor.get_by_role("button", name="Nächste Person aufrufen").click()
    nord_advisor.get_by_role("button", name="Nächste Person aufrufen").click()
    expect(mitte_advisor.get_by_role("main")).to_contain_text("Vanessa Graf")
    expect(nord_advisor.get_by_role("main")).to_contain_text(nord_name)
    expect(mitte_advisor.get_by_role("main")).not_to_contain_text(nord_name)

    city_admin = _login(browser, address, "stadt", "stadt-demo")
    city_admin.goto(address + "/vergleich")
    table = city_admin.get_by_role("table")
    for office in ("Bürgerbüro Offenbach am Main", "Bürgerbüro Nord", "Bürgerbüro Süd", "Ausländerbehörde"):
        expect(table).to_contain_text(office)
    expect(table).to_contain_text("Kundenkontakte")

    citizen = browser.new_context().new_page()  # a citizen books at another office of the city
    citizen.set_default_timeout(30_000)
    citizen.goto(address + "/termin")
    expect(citizen.get_by_role("heading", name="Wo möchten Sie Ihren Termin?")).to_be_visible()
    expect(citizen.get_by_role("button", name=re.compile("^Frühester freier Termin in allen Ämtern"))).to_be_visible()
    citizen.get_by_role("button", name=re.compile("^Bürgerbüro Nord")).click()
    expect(citizen.get_by_text("Amt: Bürgerbüro Nord")).to_be_visible()
    citizen.get_by_label("Anmeldung", exact=True).select_option("1")
    expect(citizen.get_by_role("status")).to_contain_text("Geplante Dauer")
    citizen.get_by_role("button", name="Weiter: Termin wählen").click()
    citizen.get_by_role("heading", name="Nächste freie Termine").locator("xpath=..").get_by_role("button").first.click()
    citizen.get_by_label("Vorname").fill("Nguyễn")
    citizen.get_by_label("Nachname").fill("O'Brien")
    citizen.get_by_label("E-Mail-Adresse").fill("stadt@example.org")
    citizen.get_by_label(re.compile("Ich willige ein")).check()
    citizen.get_by_role("button", name="Verbindlich buchen").click()
    expect(citizen.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible(timeout=60_000)
    expect(citizen.get_by_role("main")).to_contain_text("Bürgerbüro Nord, Sprendlinger Landstraße 2")
