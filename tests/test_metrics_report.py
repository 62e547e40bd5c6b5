"""Roll-ups, key figures and exports of the stored daily figures, on rows written by hand."""

import io
import zipfile
from datetime import date, datetime

import pytest

from workstation import db
from workstation.models import DailyMetric, Office
from workstation.models.metrics import MetricName as M
from workstation.services.metrics import report

MON, TUE = date(2026, 3, 9), date(2026, 3, 10)


@pytest.fixture
def stored(sqlite_db):
    """Two days of one office; the same Monday a year earlier (52 weeks) for the comparison."""
    days = {
        MON: {M.CONTACTS_SERVED: 100, M.WAITS_MEASURED: 10, M.WAIT_MEAN_MIN: 10, M.APPOINTMENTS_BOOKED: 10,
              M.APPOINTMENTS_CANCELLED: 2, M.NO_SHOWS: 2, M.BACKOFFICE_BACKLOG: 5, M.STAFF_AT_COUNTERS: 20,
              M.STAFF_FTE_AT_COUNTERS: 16, M.COMPLAINTS: 1},
        TUE: {M.CONTACTS_SERVED: 300, M.WAITS_MEASURED: 30, M.WAIT_MEAN_MIN: 20, M.APPOINTMENTS_BOOKED: 20,
              M.APPOINTMENTS_CANCELLED: 0, M.NO_SHOWS: 1, M.BACKOFFICE_BACKLOG: 7, M.STAFF_AT_COUNTERS: 20,
              M.STAFF_FTE_AT_COUNTERS: 14, M.COMPLAINTS: 0},
        date(2025, 3, 10): {M.CONTACTS_SERVED: 50, M.WAITS_MEASURED: 5, M.WAIT_MEAN_MIN: 30},
    }
    with db.session_scope() as s:
        office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach", opening_hours="")
        s.add(office)
        s.flush()
        for day, figures in days.items():
            for metric, value in figures.items():
                s.add(DailyMetric(day=day, office_id=office.id, metric=metric, value=value,
                                  computed_at=datetime(2026, 3, 11)))
    return office.id


def test_week_weights_averages_sums_counts_and_keeps_the_last_backlog(stored):
    [week] = report.trend(stored, MON, TUE, "week").to_dicts()
    assert week["label"] == "KW 11/2026 (unvollständig)"  # two stored days of seven
    assert week[M.CONTACTS_SERVED] == 400
    assert week[M.WAIT_MEAN_MIN] == pytest.approx((10 * 10 + 30 * 20) / 40)
    assert week[M.NO_SHOW_RATE] == pytest.approx(3 / 28)
    assert week[M.BACKOFFICE_BACKLOG] == 7
    assert week[f"previous_{M.CONTACTS_SERVED}"] == 50
    assert week[f"previous_{M.WAIT_MEAN_MIN}"] == 30


def test_key_figures_compare_with_a_year_earlier(stored):
    figures = {f.label: f for f in report.key_figures(stored, MON, TUE)}
    # 400 contacts ÷ 15 full-time equivalents on an average staffed day (16 and 14; 20 heads, some part time)
    assert figures["Kontakte je Vollzeitkraft"].value == pytest.approx(400 / 15)
    assert figures["Kontakte je Vollzeitkraft"].previous is None  # no staff recorded a year earlier
    assert figures["Beschwerden je 1.000 Kontakte"].value == pytest.approx(2.5)
    assert figures["Wartezeit Ø"].value == pytest.approx(17.5)
    assert figures["Wartezeit Ø"].previous == 30
    assert figures["Kundenkontakte"].previous == 50


def test_csv_export_reads_as_german_spreadsheet(stored):
    data = report.to_csv(report.export_table(stored, MON, TUE, "day"))
    text = data.decode("utf-8-sig")
    header, monday, tuesday = text.splitlines()
    assert header.startswith("Zeitraum;Beginn;Kundenkontakte;")
    assert monday.startswith("09.03.2026;09.03.2026;100;")
    assert tuesday.split(";")[2] == "300"
    columns = header.split(";")
    cell = dict(zip(columns, monday.split(";"), strict=True))
    assert cell["No-Show-Quote"].endswith(" %") and "," in cell["No-Show-Quote"]
    assert cell["Wartezeit Ø (Min.)"] == "10,0"
    assert "0,0" not in cell["Kundenkontakte"]


def test_excel_export_is_a_workbook_with_the_same_rows(stored):
    data = report.to_excel(report.export_table(stored, MON, TUE, "month"))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "März 2026" in strings and "Kundenkontakte" in strings
    assert "<v>400</v>" in sheet


def test_unknown_grain_is_refused(stored):
    with pytest.raises(ValueError, match="Zeiteinheit"):
        report.trend(stored, MON, TUE, "quarter")


def test_administration_records_weekly_hours_for_the_full_time_equivalents(sqlite_db):
    """Part-time staff count with their share of a week; a typo is refused in German and nothing is stored."""
    from sqlmodel import select

    from workstation.models import StaffUser
    from workstation.services.staff import admin

    with db.session_scope() as s:
        office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach", opening_hours="")
        s.add(office)
        s.flush()
        office_id = office.id
    admin.create_account(actor_id=None, office_id=office_id, username="teilzeit", display_name="Teil Zeit",
                         role="advisor", hours="19,5")
    with pytest.raises(admin.StaffAdminError, match="Wochenstunden als Zahl von 1 bis 48"):
        admin.create_account(actor_id=None, office_id=office_id, username="tippfehler", display_name="Tipp",
                             role="advisor", hours="390")
    with db.session_scope() as s:
        assert [(u.username, u.weekly_hours) for u in s.exec(select(StaffUser))] == [("teilzeit", 19.5)]
    assert [r.weekly_hours for r in admin.list_staff(office_id)] == ["19,5"]
