"""The controlling page's handlers: role check on the server, filters, German figures, exports."""

from datetime import date, datetime

import pytest

from tests.factories import office_with_users
from workstation import clock, db
from workstation.models import DailyMetric
from workstation.models.metrics import MetricName as M
from workstation.services.staff import auth
from workstation.state.controlling import ControllingState


@pytest.fixture
def office(sqlite_db):
    users = office_with_users("controlling", "advisor")
    with db.session_scope() as s:
        for day, contacts, wait in ((date(2026, 3, 9), 1200, 9.5), (date(2025, 3, 7), 1000, 12.0)):
            for metric, value in ((M.CONTACTS_SERVED, contacts), (M.WAIT_MEAN_MIN, wait), (M.WAITS_MEASURED, 10)):
                s.add(DailyMetric(day=day, office_id=1, metric=metric, value=value, computed_at=datetime(2026, 3, 10)))
    return users


def _state(username: str) -> ControllingState:
    token, _ = auth.login(username, "geheim-123")
    state = ControllingState()
    state.session_token = token
    return state


def test_controlling_sees_this_years_figures_in_german_against_last_year(office):
    state = _state("controlling")
    with clock.freeze(datetime(2026, 3, 10, 8, 0)):
        ControllingState.load.fn(state)
    assert (state.first, state.last) == ("2026-01-01", "2026-03-09")
    contacts = next(f for f in state.figures if f["label"] == "Kundenkontakte")
    assert contacts == {"label": "Kundenkontakte", "value": "1.200", "previous": "1.000", "change": "+20,0 %"}
    wait = next(f for f in state.figures if f["label"] == "Wartezeit Ø")
    assert wait["value"] == "9,5 Min." and wait["change"] == "−20,8 %"
    assert state.chart[-1] == {"label": "März 2026 (unvollständig)", "value": 1200.0, "previous": 1000.0}


def test_advisor_gets_no_figures_even_by_sending_the_event(office):
    state = _state("advisor")
    result = ControllingState.load.fn(state)
    assert state.figures == [] and "Keine Berechtigung" in str(result)
    result = ControllingState.download_csv.fn(state)
    assert "Keine Berechtigung" in str(result)


def test_reversed_range_gets_a_german_message_and_no_export(office):
    state = _state("controlling")
    state.first, state.last = "2026-03-09", "2026-03-01"
    ControllingState.set_grain.fn(state, "week")
    assert state.notice == "Das Enddatum liegt vor dem Anfangsdatum."
    assert "Enddatum" in str(ControllingState.download_excel.fn(state))


def test_csv_download_carries_the_chosen_range(office):
    state = _state("controlling")
    state.first, state.last = "2026-03-01", "2026-03-31"
    ControllingState.set_grain.fn(state, "day")
    result = ControllingState.download_csv.fn(state)
    assert "kennzahlen_20260301-20260331_day.csv" in str(result)
