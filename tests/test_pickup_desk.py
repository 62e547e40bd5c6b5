"""The pickup desk and the public status question, through their services."""

import asyncio
import time
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from tests import pickup_data
from workstation import clock, db
from workstation.models import AuditLog, DocumentApplication, FeedRejection, Office, StaffUser
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials
from workstation.services.pickup import desk as pickup
from workstation.services.pickup import status_lookup as document_status
from workstation.services.pickup.status_lookup import Answer

NOW = clock.to_utc(datetime(2026, 11, 23, 10, 0))
ARRIVED = clock.to_utc(datetime(2026, 11, 20, 15, 40))
SERIAL = "L6F3R7T2K"
SCAN = f"{SERIAL}{serials.check_digit(SERIAL)}"


@pytest.fixture
def arrived(any_db):
    office = pickup_data.office()
    return pickup_data.application(office, "A-2026-004711", status=ApplicationStatus.ARRIVED, serial=SERIAL,
                                   arrived_at=ARRIVED)


OK = pickup.HandOver(identity_checked=True, old_document="invalidated", pin_letter_handed=True)


def test_scan_with_check_digit_finds_the_document_and_is_audited(arrived):
    row = pickup.find_by_scan(SCAN.lower(), user_id=None, now=NOW)
    assert (row.application_id, row.citizen_name, row.doc_name) == (arrived, "Graf, Vanessa", "Personalausweis")
    with db.session_scope() as session:
        assert session.exec(select(AuditLog)).one().entity_id == arrived


def test_the_nine_characters_from_the_list_find_the_document_too(arrived):
    row = pickup.find_by_scan(f" {SERIAL[:4]} {SERIAL[4:].lower()} ", user_id=None, now=NOW)
    assert row.application_id == arrived


@pytest.mark.parametrize(
    ("typed", "message"),
    [("L6F3R7T2", "9 oder 10 Zeichen"), (f"{SERIAL}{(serials.check_digit(SERIAL) + 1) % 10}", "Prüfziffer"),
     ("L6F3R7T2A0", "keine gültige Seriennummer"), ("L6F3R7T2A", "keine gültige Seriennummer")],
)
def test_a_mistyped_serial_is_refused_with_a_clear_message(arrived, typed, message):
    with pytest.raises(pickup.PickupError, match=message):
        pickup.find_by_scan(typed, user_id=None, now=NOW)


def test_waiting_list_filters_and_searches_by_name_or_serial(arrived):
    office_id = 1
    pickup_data.application(office_id, "A-2026-000002", status=ApplicationStatus.SHIPPED, serial="L6F3CCCCC",
                            first="Jonas", last="Becker")
    assert [r.application_number for r in pickup.waiting(now=NOW)] == ["A-2026-004711", "A-2026-000002"]
    assert [r.citizen_name for r in pickup.waiting("beck", now=NOW)] == ["Becker, Jonas"]
    assert [r.citizen_name for r in pickup.waiting("l6f3r7", now=NOW)] == ["Graf, Vanessa"]
    assert [r.status for r in pickup.waiting(status="shipped", now=NOW)] == ["shipped"]
    assert pickup.waiting(status="overdue", now=NOW) == []
    assert len(pickup.waiting(status="overdue", now=ARRIVED + timedelta(days=29))) == 1


def test_hand_over_records_time_staff_and_happens_once(arrived):
    pickup.hand_over(arrived, OK, user_id=None, now=NOW)
    with pytest.raises(pickup.PickupError, match=r"bereits am 23\.11\.2026 um 10:00"):
        pickup.hand_over(arrived, OK, user_id=None, now=NOW + timedelta(seconds=1))
    with db.session_scope() as session:
        app = session.get(DocumentApplication, arrived)
    assert app.status == ApplicationStatus.HANDED_OVER and app.handed_over_at == NOW
    assert app.old_document_invalidated and app.pin_letter_handed and app.representative_name is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (pickup.HandOver(identity_checked=False, old_document="invalidated"), "Identität"),
        (pickup.HandOver(identity_checked=True, old_document=""), "alte Dokument"),
        (pickup.HandOver(identity_checked=True, old_document="none", representative_name="Max Graf"), "Vollmacht"),
        (pickup.HandOver(identity_checked=True, old_document="none", representative_name="Max Graf",
                         power_of_attorney_checked=True, pin_letter_handed=True), "PIN-Brief"),
    ],
)
def test_hand_over_needs_the_checks(arrived, form, message):
    with pytest.raises(pickup.PickupError, match=message):
        pickup.hand_over(arrived, form, user_id=None, now=NOW)
    with db.session_scope() as session:
        assert session.get(DocumentApplication, arrived).status == ApplicationStatus.ARRIVED


def test_a_representative_with_power_of_attorney_may_collect(arrived):
    form = pickup.HandOver(identity_checked=True, old_document="invalidated", representative_name="Max Graf",
                           power_of_attorney_checked=True)
    pickup.hand_over(arrived, form, user_id=None, now=NOW)
    with db.session_scope() as session:
        assert session.get(DocumentApplication, arrived).representative_name == "Max Graf"


def test_rejected_feed_entries_are_resolved_with_a_note(arrived):
    with db.session_scope() as session:
        session.add(FeedRejection(dedupe_key="m:0", filename="f.xml", reason="Prüfziffer passt nicht",
                                  created_at=NOW))
        session.add(FeedRejection(dedupe_key="m:1", filename="f.xml", reason="Älterer Stand", needs_action=False,
                                  created_at=NOW))
    (open_one,) = pickup.open_rejections()
    with pytest.raises(pickup.PickupError):
        pickup.resolve_rejection(open_one.id, "  ", user_id=None)
    pickup.resolve_rejection(open_one.id, "Bei der Bundesdruckerei nachgefragt", user_id=None, now=NOW)
    assert pickup.open_rejections() == []
    with pytest.raises(pickup.PickupError, match="bereits"):
        pickup.resolve_rejection(open_one.id, "nochmal", user_id=None, now=NOW)


def test_status_page_answers_only_the_status(arrived):
    assert document_status.lookup(SCAN, "1.2.3.4", NOW) == Answer.READY
    assert document_status.lookup("L6F3CCCCC" + str(serials.check_digit("L6F3CCCCC")), "1.2.3.4", NOW) \
        == Answer.NOT_READY
    assert document_status.lookup(SCAN[:-1] + str((int(SCAN[-1]) + 1) % 10), "1.2.3.4", NOW) == Answer.INVALID
    pickup.hand_over(arrived, OK, user_id=None, now=NOW)
    assert document_status.lookup(SCAN, "1.2.3.4", NOW) == Answer.COLLECTED


def test_status_page_is_rate_limited_per_client(arrived, monkeypatch):
    monkeypatch.setenv("WORKSTATION_STATUS_LOOKUPS", "3")
    answers = [document_status.lookup(SCAN, "10.0.0.1", NOW) for _ in range(4)]
    assert answers == [Answer.READY] * 3 + [Answer.LIMITED]
    assert document_status.lookup(SCAN, "10.0.0.2", NOW) == Answer.READY
    assert document_status.lookup(SCAN, "10.0.0.1", NOW + timedelta(minutes=11)) == Answer.READY


def test_known_and_unknown_numbers_take_the_same_minimum_time(arrived, monkeypatch):
    monkeypatch.setenv("WORKSTATION_STATUS_MIN_MS", "300")
    unknown = "L6F3CCCCC" + str(serials.check_digit("L6F3CCCCC"))
    durations = {}
    for label, typed in (("known", SCAN), ("unknown", unknown)):
        started = time.monotonic()
        asyncio.run(document_status.lookup_padded(typed, f"client-{label}", NOW))
        durations[label] = time.monotonic() - started
    assert all(0.3 <= d < 0.6 for d in durations.values()), durations


def test_todays_hand_overs_show_time_and_staff(arrived):
    with db.session_scope() as session:
        office = session.exec(select(Office)).first()
        staff = StaffUser(office_id=office.id, username="abholung", display_name="Giulia Romano", role="pickup",
                          password_hash="x", created_at=NOW)
        session.add(staff)
        session.flush()
        staff_id = staff.id
    pickup.hand_over(arrived, OK, user_id=staff_id, now=NOW)
    (row,) = pickup.waiting(status="handed_over", now=NOW + timedelta(hours=1))
    assert (row.handed_over_at, row.handed_over_by) == (NOW, "Giulia Romano")
    assert pickup.waiting(status="handed_over", now=NOW + timedelta(days=1)) == []


def test_after_the_holding_period_the_document_is_marked_returned(arrived):
    with pytest.raises(pickup.PickupError, match="noch nicht abgelaufen"):
        pickup.mark_returned(arrived, user_id=None, now=ARRIVED + timedelta(days=89))
    pickup.mark_returned(arrived, user_id=None, now=ARRIVED + timedelta(days=90))
    with db.session_scope() as session:
        app = session.get(DocumentApplication, arrived)
    assert app.status == ApplicationStatus.RETURNED and app.notify_email is None
    assert document_status.lookup(SCAN, "1.2.3.4", NOW) == Answer.CONTACT_OFFICE
