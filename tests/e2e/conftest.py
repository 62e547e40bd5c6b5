"""End-to-end fixtures: the real app (production build) in this process, driven by Chromium.

The app runs in-process (`AppHarnessProd`), so tests set "now" with `clock.travel(...)` and may read
the database directly to check what the screen shows. One app and one seeded demo office per test
session; tests that change data use their own people or reset what they touched.
"""

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
# CI runs on two busy cores: an assertion waits as long as an action does (Playwright's own default is 5 s),
# so a screen that is slow under load is not mistaken for a wrong one.
expect.set_options(timeout=15_000)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_DAY = datetime(2026, 11, 23, 7, 30)  # a Monday, Berlin wall time
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory) -> Path:
    """A private data folder and SQLite database for the app under test."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    os.environ["WORKSTATION_DATA_DIR"] = str(data_dir)
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{data_dir / 'e2e.db'}"
    os.environ["WORKSTATION_BDR_INBOX"] = str(data_dir / "inbox" / "bdr")
    os.environ["WORKSTATION_ATTACHMENTS"] = str(data_dir / "attachments")
    os.environ["WORKSTATION_SCHEDULER"] = "off"  # tests run jobs themselves, when they choose
    return data_dir


@pytest.fixture(scope="session")
def demo_office(e2e_data_dir) -> datetime:
    """The seeded demo office on DEMO_DAY; returns the day (Berlin wall time)."""
    from workstation import clock
    from workstation.services.demo.seed import seed_demo_office

    clock.travel(DEMO_DAY)
    seed_demo_office(today=DEMO_DAY.date())
    return DEMO_DAY


@pytest.fixture(scope="session")
def app(demo_office) -> Iterator:
    """The production build of the app, served on free loopback ports."""
    from reflex.testing import AppHarnessProd

    os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    bun_bin = ROOT / ".tools" / "node_modules" / ".bin"
    os.environ["PATH"] = f"{bun_bin}{os.pathsep}{os.environ['PATH']}"
    with AppHarnessProd.create(root=ROOT, app_name="workstation") as harness:
        yield harness


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, app):
    """Factory for fresh browser contexts (separate logins); all are closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": 1400,
                                                                                            "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """One fresh browser page."""
    return new_page()


def url(app, path: str) -> str:
    """Absolute address of an app route."""
    return app.frontend_url.rstrip("/") + path


def login(page, app, username: str, password: str, *, succeed: bool = True) -> None:
    """Log in through the login form, as a person would; waits until the start page is shown."""
    import re

    from playwright.sync_api import expect

    page.goto(url(app, "/login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    if succeed:
        expect(page).not_to_have_url(re.compile(r"/login/?$"))
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
