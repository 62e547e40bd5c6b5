"""The booking's mails reach a real SMTP server: calendar file, QR code, cancel with the same UID, one reminder."""

import io
import mailbox
import socket
from datetime import datetime, timedelta
from email import message_from_bytes, policy

import icalendar
import pytest
import zxingcpp
from PIL import Image
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import Notification
from workstation.models.enums import OutboxStatus
from workstation.services.booking import bookings, changes, holds, upkeep
from workstation.services.messaging import mail_sink, outbox


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """A real aiosmtpd server on a loopback port; yields its Maildir folder."""
    port = _free_port()
    monkeypatch.setenv("WORKSTATION_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(port))
    folder = tmp_path / "mails"
    server = mail_sink.start(port=port, folder=folder)
    yield folder
    mail_sink.stop(server)


@pytest.fixture
def office(any_db, monkeypatch):
    booking_data.env(monkeypatch)
    return booking_data.build()


def _now(minutes: int = 0) -> datetime:
    return clock.to_utc(NOW) + timedelta(minutes=minutes)


def _book(office, start, email="anna@example.org", after=0):
    held = holds.hold(office.office_id, [(office.services["ANM"], 1), (office.services["KRP"], 2)], start,
                      _now(after))
    return bookings.confirm(held.token, "Anna", "Muster", email, None, True, booking_data.solved_pow(), "c",
                            _now(after + 1))


def _received(folder) -> list:
    box = mailbox.Maildir(folder, create=False)
    mails = [message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.iterkeys()]
    return sorted(mails, key=lambda m: m["Subject"])


def _attachment(mail, filename: str) -> bytes:
    for part in mail.iter_attachments():
        if part.get_filename() == filename:
            return part.get_content() if isinstance(part.get_content(), bytes) else part.get_payload(decode=True)
    raise AssertionError(f"no {filename} in {mail['Subject']}")


def _event(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_confirmation_has_a_calendar_file_and_a_qr_code_and_cancel_sends_the_same_uid(office, smtp):
    booked = _book(office, at(10))
    assert outbox.send_due(now=_now(2)).sent == 1
    [confirmation] = _received(smtp)
    assert confirmation["To"] == "anna@example.org"
    assert confirmation["Subject"].startswith("Terminbestätigung: 23.11.2026, 10:00–10:30 Uhr")
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert booked.code in text and "Geburtsurkunde" in text and "Kinderreisepass × 2" in text
    assert f"/termin/absagen?t={booked.token}" in text
    assert "Anna" not in text and "Muster" not in text  # the outbox keeps texts without names
    calendar, event = _event(_attachment(confirmation, "termin.ics"))
    assert calendar["METHOD"] == "REQUEST"
    uid = str(event["UID"])
    assert uid == f"termin-{booked.visit_id}@offenbach.example"
    assert event.decoded("DTSTART").astimezone(clock.BERLIN).replace(tzinfo=None) == datetime(2026, 11, 23, 10, 0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    png = _attachment(confirmation, "buchungscode.png")
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [booked.code]

    changes.cancel(booked.token, _now(10))
    assert outbox.send_due(now=_now(11)).sent == 1
    cancellation = next(m for m in _received(smtp) if m["Subject"].startswith("Termin abgesagt"))
    calendar, event = _event(_attachment(cancellation, "termin.ics"))
    assert calendar["METHOD"] == "CANCEL" and str(event["UID"]) == uid and event["STATUS"] == "CANCELLED"


def test_a_moved_booking_updates_the_same_calendar_entry(office, smtp):
    booked = _book(office, at(10))
    held = holds.hold(office.office_id, [(office.services["ANM"], 1), (office.services["KRP"], 2)], at(11), _now(3))
    changes.move(booked.token, held.token, _now(4))
    outbox.send_due(now=_now(5))
    moved = next(m for m in _received(smtp) if m["Subject"].startswith("Terminänderung"))
    _calendar, event = _event(_attachment(moved, "termin.ics"))
    assert str(event["UID"]) == f"termin-{booked.visit_id}@offenbach.example" and int(event["SEQUENCE"]) == 1
    assert "11:00–11:30" in moved["Subject"]


def _reminders() -> list[Notification]:
    with db.read_scope() as session:
        return session.exec(select(Notification).where(Notification.kind == "booking_reminder")).all()


def test_the_reminder_goes_the_day_before_exactly_once_and_never_for_a_cancelled_booking(office):
    kept = _book(office, at(10, day=25))
    dropped = _book(office, at(11, day=25), email="ben@example.org")
    changes.cancel(dropped.token, _now(5))
    before = clock.to_utc(datetime(2026, 11, 24, 9, 59))
    due = clock.to_utc(datetime(2026, 11, 24, 10, 0))
    assert upkeep.queue_reminders(before) == 0
    assert upkeep.queue_reminders(due) == 1
    assert upkeep.queue_reminders(due + timedelta(hours=1)) == 0
    [reminder] = _reminders()
    assert reminder.dedupe_key == f"booking:{kept.visit_id}:remind:0" and kept.code in reminder.body


def test_a_booking_made_after_the_reminder_time_gets_no_reminder_and_a_cancel_stops_an_unsent_one(office):
    soon = _book(office, at(12, day=25), email="carla@example.org")  # booked Monday for Wednesday
    late = _book(office, at(9, day=25), after=27 * 60 + 30)  # booked Tuesday 10:30 for Wednesday
    assert upkeep.queue_reminders(clock.to_utc(datetime(2026, 11, 24, 10, 35))) == 1
    [reminder] = _reminders()
    assert reminder.dedupe_key == f"booking:{soon.visit_id}:remind:0" and late.code not in reminder.body
    changes.cancel(soon.token, clock.to_utc(datetime(2026, 11, 24, 11, 0)))
    [reminder] = _reminders()
    assert reminder.status == OutboxStatus.CANCELLED
