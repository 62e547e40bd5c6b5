"""The task list's event handlers: the role is checked on the server, refusals are German toasts."""

import pytest
from sqlmodel import select

from tests.backoffice_data import MONDAY_1305, PASSWORD, make_office
from workstation import clock, db
from workstation.models import AuditLog, BackofficeTask, TaskType
from workstation.services.backoffice import attachments
from workstation.services.backoffice import tasks as bo
from workstation.services.staff import auth
from workstation.state.backoffice import BackofficeState


@pytest.fixture
def office(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSTATION_ATTACHMENTS", str(tmp_path / "ablage"))
    staff = make_office()
    task_id = bo.create_task(
        office_id=staff.office_id, task_type=TaskType.INSURANCE_NOTICE, title="Versicherung OF-C 777", now=MONDAY_1305
    )
    with clock.freeze(clock.to_local(MONDAY_1305).replace(tzinfo=None)):
        yield staff, task_id


def _state(username: str) -> BackofficeState:
    token, _ = auth.login(username, PASSWORD)
    state = BackofficeState()
    state.session_token = token
    return state


def test_advisor_loads_the_list_and_claims_a_task(office):
    _staff, task_id = office
    state = _state("anna")
    BackofficeState.load.fn(state)
    assert [r["title"] for r in state.rows] == ["Versicherung OF-C 777"]
    assert state.counts["open"] == 1 and not state.lead

    BackofficeState.claim.fn(state, task_id)

    assert state.rows[0]["assignee"] == "Anna Schmidt"
    refused = BackofficeState.claim.fn(_state("ben"), task_id)
    assert "Diese Aufgabe hat bereits Anna Schmidt übernommen." in str(refused)


def test_reception_gets_no_task_data_even_by_sending_the_event(office):
    state = _state("rita")
    result = BackofficeState.load.fn(state)
    assert state.rows == [] and "Keine Berechtigung" in str(result)


def test_bulk_assignment_by_an_advisor_is_refused_on_the_server(office):
    staff, task_id = office
    state = _state("anna")
    state.selected_ids = [task_id]
    state.bulk_target = str(staff.ben)

    result = BackofficeState.assign_selected.fn(state)

    assert "Keine Berechtigung" in str(result)
    with db.session_scope() as session:
        assert session.get(BackofficeTask, task_id).assignee_id is None
        denied = session.exec(select(AuditLog.detail).where(AuditLog.action == "denied")).all()
    assert denied == ["BackofficeState.assign_selected"]


def test_download_sends_the_file_only_as_data_to_this_browser(office):
    staff, task_id = office
    bo.claim_task(staff.anna, task_id, now=MONDAY_1305)
    attachment_id = attachments.add_attachment(staff.anna, task_id, "nachweis.txt", b"Versichert")
    state = _state("ben")

    event = BackofficeState.download_attachment.fn(state, str(attachment_id))

    assert "nachweis.txt" in str(event) and "data:text/plain;base64," in str(event)
    assert "Keine Berechtigung" in str(BackofficeState.download_attachment.fn(_state("rita"), str(attachment_id)))


def test_a_double_submitted_new_task_form_creates_one_task(office):
    state = _state("anna")
    BackofficeState.set_new_open.fn(state, True)
    form = {
        "form_token": state.new_form_token,
        "task_type": TaskType.CITIZEN_EMAIL,
        "title": "E-Mail: Frage zur Meldebescheinigung",
        "due_date": "2026-11-25",
    }

    BackofficeState.create_task.fn(state, dict(form))
    BackofficeState.create_task.fn(state, dict(form))

    titles = [r["title"] for r in state.rows]
    assert titles.count("E-Mail: Frage zur Meldebescheinigung") == 1
    assert next(r for r in state.rows if r["title"].startswith("E-Mail"))["due"] == "25.11.2026"


def test_team_lead_selects_all_shown_tasks_and_assigns_them(office):
    staff, first = office
    second = bo.create_task(
        office_id=staff.office_id, task_type=TaskType.CITIZEN_EMAIL, title="E-Mail: Termin", now=MONDAY_1305
    )
    state = _state("lea")
    BackofficeState.load.fn(state)
    BackofficeState.toggle_all.fn(state, True)
    BackofficeState.set_bulk_target.fn(state, str(staff.ben))

    BackofficeState.assign_selected.fn(state)

    assert state.selected_ids == []
    assert {r["id"]: r["assignee"] for r in state.rows} == {first: "Ben Yilmaz", second: "Ben Yilmaz"}
