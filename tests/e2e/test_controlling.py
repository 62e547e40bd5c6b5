"""Controlling opens the key figures of the demo year and downloads them as CSV."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, url

pytestmark = pytest.mark.e2e


def test_controlling_sees_key_figures_and_downloads_the_csv(page, app):
    from workstation.services import metrics

    metrics.refresh(date(2025, 11, 1), date(2026, 11, 22))  # what the nightly job would have stored
    login(page, app, "controlling", "controlling-demo")
    page.goto(url(app, "/controlling"))
    expect(page.get_by_role("heading", name="Controlling: Kennzahlen")).to_be_visible()
    expect(page.get_by_label("Von")).to_have_value("2026-01-01")
    expect(page.get_by_text("Kontakte je Vollzeitkraft")).to_be_visible()
    table = page.get_by_role("region", name="Werte je Zeitraum")
    expect(table.get_by_role("rowheader", name="März 2026")).to_be_visible()

    services = page.get_by_label("Dienstleistung").locator("option")
    expect(services.filter(has_text="Neuzulassung")).to_have_count(1)
    page.get_by_label("Bereich").select_option("registration")
    expect(services.filter(has_text="Neuzulassung")).to_have_count(0)
    expect(services.filter(has_text="Ummeldung")).to_have_count(1)
    page.get_by_label("Bereich").select_option("")
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV exportieren").click()
    download = info.value
    assert download.suggested_filename == "kennzahlen_20260101-20261122_month.csv"
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Zeitraum;Beginn;Kundenkontakte;")
    assert any(line.startswith("März 2026;01.03.2026;") for line in lines)
