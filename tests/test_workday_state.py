"""The workday redirect the counter page calls, and the switch button, as handlers on the server."""

from datetime import datetime

import pytest

from tests.backoffice_data import PASSWORD, make_office
from workstation import clock
from workstation.services.staff import auth
from workstation.state.workday import WorkdayState


@pytest.fixture
def office(sqlite_db):
    return make_office()


def _state(username: str) -> WorkdayState:
    token, _ = auth.login(username, PASSWORD)
    state = WorkdayState()
    state.session_token = token
    return state


def test_at_1305_the_counter_page_sends_an_advisor_to_the_task_list_and_the_switch_brings_her_back(office):
    with clock.freeze(datetime(2026, 11, 23, 13, 5)):
        advisor = _state("anna")
        sent = WorkdayState.follow_workday.fn(advisor)
        assert "/nacharbeit" in str(sent)
        assert advisor.work_reason == "Ab 13:00 Uhr Nacharbeit"

        back = WorkdayState.switch_to.fn(advisor, "queue")

        assert "/schalter" in str(back) and advisor.work_manual
        assert "/nacharbeit" not in str(WorkdayState.follow_workday.fn(advisor))


def test_a_team_lead_is_never_moved(office):
    with clock.freeze(datetime(2026, 11, 23, 13, 5)):
        assert WorkdayState.follow_workday.fn(_state("lea")) is None
