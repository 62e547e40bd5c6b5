"""Lobby devices: pairing once with a short-lived code, a revocable device token, never a staff login."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.queue_floor import at, build_floor
from workstation import db
from workstation.models import DeviceKind, LobbyDevice
from workstation.services.lobby import devices
from workstation.services.lobby.devices import DeviceError


@pytest.fixture
def floor(any_db):
    return build_floor()


def test_a_paired_device_is_known_by_its_token_and_only_hashes_are_stored(floor):
    pairing = devices.create_device(
        floor.office_id, DeviceKind.CHECKIN, "Eingang links", floor.advisors[0], now=at(7, 0)
    )
    token, device = devices.pair(pairing.code.lower(), now=at(7, 5))
    assert device.kind == DeviceKind.CHECKIN and device.name == "Eingang links"
    assert devices.device_for_token(token, DeviceKind.CHECKIN, now=at(7, 6)) == device
    assert devices.device_for_token(token, DeviceKind.DISPLAY, now=at(7, 6)) is None  # the wrong kind of page
    assert devices.device_for_token("anything", now=at(7, 6)) is None
    with db.session_scope() as session:
        stored = session.exec(select(LobbyDevice)).one()
    assert token not in (stored.token_hash, stored.pairing_hash)
    assert pairing.code.replace("-", "") not in str(stored.model_dump())
    assert stored.last_seen == at(7, 5)


def test_a_pairing_code_works_once_and_only_until_it_expires(floor):
    first = devices.create_device(floor.office_id, DeviceKind.DISPLAY, "Wartezone A", None, now=at(7, 0))
    devices.pair(first.code, now=at(7, 1))
    with pytest.raises(DeviceError, match="gilt nicht"):
        devices.pair(first.code, now=at(7, 2))
    late = devices.create_device(floor.office_id, DeviceKind.DISPLAY, "Wartezone B", None, now=at(7, 0))
    with pytest.raises(DeviceError, match="gilt nicht"):
        devices.pair(late.code, now=at(7, 0) + timedelta(minutes=16))
    with pytest.raises(DeviceError, match="8-stelligen"):
        devices.pair("12", now=at(7, 0))


def test_revoking_cuts_the_device_off_and_a_new_pairing_replaces_the_old_browser(floor):
    pairing = devices.create_device(floor.office_id, DeviceKind.FEEDBACK, "Ausgang", None, now=at(7, 0))
    token, device = devices.pair(pairing.code, now=at(7, 1))
    again = devices.new_pairing_code(device.id, floor.office_id, None, now=at(8, 0))
    assert devices.device_for_token(token, now=at(8, 1)) is not None  # works until the new code is used
    new_token, _ = devices.pair(again.code, now=at(8, 2))
    assert devices.device_for_token(token, now=at(8, 3)) is None
    assert devices.device_for_token(new_token, now=at(8, 3)) is not None
    devices.revoke(device.id, floor.office_id, None, now=at(9, 0))
    assert devices.device_for_token(new_token, now=at(9, 1)) is None
    [row] = devices.list_devices(floor.office_id, now=at(9, 2))
    assert row.revoked and "gesperrt" in row.state


def test_staff_input_is_checked(floor):
    with pytest.raises(DeviceError, match="Namen"):
        devices.create_device(floor.office_id, DeviceKind.CHECKIN, "  ", None)
    with pytest.raises(DeviceError, match="Art"):
        devices.create_device(floor.office_id, "toaster", "X", None)
    with pytest.raises(DeviceError, match="6, 8 oder 10"):
        devices.create_device(floor.office_id, DeviceKind.DISPLAY, "X", None, rows=7)
    pairing = devices.create_device(floor.office_id, DeviceKind.DISPLAY, "X", None)
    with pytest.raises(DeviceError, match="gibt es nicht"):
        devices.revoke(pairing.device_id, floor.office_id + 1, None)


def test_a_device_takes_one_action_per_gap_even_when_tapped_twice(floor):
    pairing = devices.create_device(floor.office_id, DeviceKind.FEEDBACK, "Ausgang", None, now=at(7, 0))
    assert devices.take_action_slot(pairing.device_id, 10, now=at(9, 0))
    assert not devices.take_action_slot(pairing.device_id, 10, now=at(9, 0) + timedelta(seconds=9))
    assert devices.take_action_slot(pairing.device_id, 10, now=at(9, 0) + timedelta(seconds=10))
