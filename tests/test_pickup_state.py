"""The pickup desk's handlers: role checked on the server, hand-over recorded with the staff member."""

import pytest

from tests import pickup_data
from tests.factories import office_with_users
from workstation import db
from workstation.models import DocumentApplication
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials
from workstation.services.staff import auth
from workstation.state.outbox import OutboxState
from workstation.state.pickup import PickupState

SERIAL = "L6F3R7T2K"


@pytest.fixture
def desk(sqlite_db):
    users = office_with_users("pickup", "advisor")
    app_id = pickup_data.application(1, "A-2026-004711", status=ApplicationStatus.ARRIVED, serial=SERIAL,
                                     arrived_at=pickup_data.APPLIED_AT)
    return users, app_id


def _state(cls, username: str):
    token, _ = auth.login(username, "geheim-123")
    state = cls()
    state.session_token = token
    return state


def test_an_advisor_sees_nothing_of_the_pickup_desk(desk):
    state = _state(PickupState, "advisor")
    result = PickupState.load.fn(state)
    assert state.documents == [] and "Keine Berechtigung" in str(result)
    PickupState.scan.fn(state, {"serial": f"{SERIAL}{serials.check_digit(SERIAL)}"})
    assert state.selected == {}


def test_scan_and_hand_over_through_the_desk(desk):
    users, app_id = desk
    state = _state(PickupState, "pickup")
    PickupState.load.fn(state)
    assert [d["application_number"] for d in state.documents] == ["A-2026-004711"]
    PickupState.scan.fn(state, {"serial": f"{SERIAL}{serials.check_digit(SERIAL)}"})
    assert state.selected["citizen_name"] == "Graf, Vanessa"
    assert "notify_email" not in state.selected  # contact data stays on the server
    PickupState.hand_over.fn(state, {"identity_checked": "on", "old_document": "invalidated"})
    assert "ausgehändigt" in state.last_handover and state.documents == []
    with db.session_scope() as session:
        app = session.get(DocumentApplication, app_id)
    assert app.status == ApplicationStatus.HANDED_OVER and app.handed_over_by == users["pickup"]


def test_hand_over_without_identity_check_is_refused(desk):
    state = _state(PickupState, "pickup")
    PickupState.load.fn(state)
    PickupState.select.fn(state, state.documents[0]["id"])
    result = PickupState.hand_over.fn(state, {"old_document": "invalidated"})
    assert "Identität" in str(result)
    assert state.selected != {}


def test_outbox_is_for_the_pickup_desk_only(desk):
    assert "Keine Berechtigung" in str(OutboxState.load.fn(_state(OutboxState, "advisor")))
    state = _state(OutboxState, "pickup")
    OutboxState.load.fn(state)
    assert state.rows == []


def test_a_representative_needs_name_and_power_of_attorney(desk):
    _, app_id = desk
    state = _state(PickupState, "pickup")
    PickupState.load.fn(state)
    PickupState.select.fn(state, app_id)
    PickupState.set_with_representative.fn(state, True)
    base = {"identity_checked": "on", "old_document": "invalidated"}
    assert "Namen" in str(PickupState.hand_over.fn(state, base))
    assert "Vollmacht" in str(PickupState.hand_over.fn(state, {**base, "representative_name": "Max Graf"}))
    PickupState.hand_over.fn(state, {**base, "representative_name": "Max Graf", "power_of_attorney_checked": "on"})
    with db.session_scope() as session:
        assert session.get(DocumentApplication, app_id).representative_name == "Max Graf"


def test_a_long_shelf_is_shown_a_page_at_a_time_with_the_count_on_top(desk):
    for i in range(2, 121):
        serial = "L6F3" + "".join(serials.SERIAL_ALPHABET[(i // 27 ** k) % 27] for k in range(5))
        pickup_data.application(1, f"A-2026-{i:06d}", status=ApplicationStatus.ARRIVED, serial=serial,
                                arrived_at=pickup_data.APPLIED_AT)
    state = _state(PickupState, "pickup")

    PickupState.load.fn(state)
    first_page = [d["application_number"] for d in state.documents]
    assert (len(first_page), state.range_label) == (50, "1–50 von 120")
    PickupState.next_page.fn(state)
    PickupState.next_page.fn(state)
    assert (len(state.documents), state.range_label) == (20, "101–120 von 120")
    PickupState.next_page.fn(state)  # nothing after the last page
    assert state.range_label == "101–120 von 120"
    PickupState.set_search.fn(state, "A-2026-000077")
    assert (state.range_label, [d["application_number"] for d in state.documents]) == (
        "1–1 von 1", ["A-2026-000077"])
