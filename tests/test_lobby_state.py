"""Device pages on the server: every handler checks the device token; staff pages check the role."""

import asyncio

import pytest
from sqlmodel import select

from tests.factories import office_with_users
from workstation import db
from workstation.models import DeviceKind, FeedbackEntry, LobbyDevice, Office
from workstation.services.lobby import devices
from workstation.services.staff import auth
from workstation.state.checkin_terminal import CheckinTerminalState
from workstation.state.devices_admin import DevicesState
from workstation.state.feedback_terminal import FeedbackTerminalState


@pytest.fixture
def office(sqlite_db):
    office_with_users("admin", "advisor", "team_lead")
    with db.session_scope() as session:
        return session.exec(select(Office.id)).one()


def _token(office_id: int, kind: str) -> str:
    pairing = devices.create_device(office_id, kind, "Gerät", None)
    return devices.pair(pairing.code)[0]


def test_without_a_paired_token_a_device_page_only_offers_pairing(office):
    state = CheckinTerminalState()
    result = CheckinTerminalState.load.fn(state)
    assert "/geraet" in str(result) and "nicht (mehr) gekoppelt" in str(result)
    state.device_token = _token(office, DeviceKind.FEEDBACK)  # a token of another kind of device
    assert "nicht (mehr) gekoppelt" in str(CheckinTerminalState.load.fn(state))
    state.device_token = _token(office, DeviceKind.CHECKIN)
    CheckinTerminalState.load.fn(state)
    assert [a["area"] for a in state.areas][:2] == ["registration", "id_documents"]


def test_a_staff_login_in_the_same_browser_gives_a_device_page_nothing(office):
    state = FeedbackTerminalState()
    state.device_token, _ = auth.login("admin", "geheim-123")
    FeedbackTerminalState.choose_overall.fn(state, "5")
    asyncio.run(FeedbackTerminalState.send.fn(state, {"comment": "x"}))
    with db.session_scope() as session:
        assert session.exec(select(FeedbackEntry)).all() == []


def test_a_revoked_terminal_records_no_vote(office):
    state = FeedbackTerminalState()
    state.device_token = _token(office, DeviceKind.FEEDBACK)
    FeedbackTerminalState.load.fn(state)
    FeedbackTerminalState.choose_overall.fn(state, "4")
    with db.session_scope() as session:
        device_id = session.exec(select(LobbyDevice.id)).one()
    devices.revoke(device_id, office, None)
    result = asyncio.run(FeedbackTerminalState.send.fn(state, {"comment": ""}))
    assert "nicht (mehr) gekoppelt" in str(result)
    with db.session_scope() as session:
        assert session.exec(select(FeedbackEntry)).all() == []


def test_only_team_lead_and_admin_create_devices(office):
    advisor = DevicesState()
    advisor.session_token, _ = auth.login("advisor", "geheim-123")
    DevicesState.create.fn(advisor, {"kind": "checkin", "name": "Eingang"})
    lead = DevicesState()
    lead.session_token, _ = auth.login("team_lead", "geheim-123")
    DevicesState.create.fn(lead, {"kind": "display", "name": "Wartezone", "rows": "10", "orientation": "portrait"})
    assert [(d.name, d.layout) for d in lead.device_rows] == [("Wartezone", "10 Zeilen, Hochformat")]
    assert len(lead.pairing_code) == 9 and lead.pairing_link.endswith(f"/geraet?code={lead.pairing_code}")


def test_a_database_outage_keeps_the_device_on_its_page(office, monkeypatch):
    from workstation.state import device as device_state

    state = CheckinTerminalState()
    state.device_token = _token(office, DeviceKind.CHECKIN)

    def away(*_args, **_kwargs):
        raise db.DatabaseUnavailableError("weg")

    monkeypatch.setattr(devices, "device_for_token", away)
    result = CheckinTerminalState.load.fn(state)
    assert db.DB_UNAVAILABLE in str(result) and "/geraet" not in str(result)
    assert device_state.still_paired(state.device_token, DeviceKind.CHECKIN)


def test_a_paired_device_that_lands_on_the_pairing_page_goes_back_to_its_page(office):
    state = CheckinTerminalState()
    state.device_token = _token(office, DeviceKind.DISPLAY)
    events = list(CheckinTerminalState.pair_from_link.fn(state))
    assert "/geraet/aufrufe" in str(events)
