"""Citizens are told through a real SMTP server on loopback: once, with the right content, nothing lost."""

import socket
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests import pickup_data
from workstation import clock, db
from workstation.models import BackofficeTask, DocumentApplication, Notification
from workstation.models.enums import ApplicationStatus, NotifyChannel, OutboxStatus
from workstation.services.messaging import mail_sink, outbox, smtp_mailer
from workstation.services.pickup import desk as pickup
from workstation.services.pickup.feed import inbox, simulate
from workstation.services.pickup.feed.simulate import Notice

NOW = datetime(2026, 11, 20, 16, 0)
AT = clock.to_utc(datetime(2026, 11, 20, 15, 40))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """Settings pointing at a loopback SMTP port; `start()` runs a real server there."""
    port = _free_port()
    monkeypatch.setenv("WORKSTATION_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(port))
    monkeypatch.setenv("WORKSTATION_OUTBOX_RETRY_BASE", "60")
    folder = tmp_path / "mails"
    servers = []

    class Server:
        def start(self):
            servers.append(mail_sink.start(port=port, folder=folder))

        def stop(self):
            mail_sink.stop(servers.pop())

        def mails(self):
            return mail_sink.received(folder)

    server = Server()
    yield server
    while servers:
        server.stop()


@pytest.fixture
def office(any_db):
    return pickup_data.office()


def _deliver(folder: Path, pairs: list[tuple[str, str]], status: str = "ZUGESTELLT") -> inbox.InboxReport:
    notices = [Notice("PA", s, n, status, AT) for n, s in pairs]
    data = simulate.message_xml(str(uuid.uuid4()), "L6F3", AT, "S-1", notices)
    simulate.drop(folder, f"versandavis_L6F3_{uuid.uuid4().hex[:6]}.xml", data)
    with clock.freeze(NOW):
        return inbox.process_inbox(folder)


def _count(model, *where) -> int:
    with db.session_scope() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_arrival_mail_arrives_once_with_what_to_bring_and_opening_hours(office, smtp, tmp_path):
    app_id = pickup_data.application(office, "A-2026-000001", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K",
                                     email="vanessa.graf@example.org")
    smtp.start()
    folder = tmp_path / "inbox"
    _deliver(folder, [("A-2026-000001", "L6F3R7T2K")])
    report = outbox.send_due(clock.to_utc(NOW))
    assert report.sent == 1
    (mail,) = smtp.mails()
    assert mail.to == "vanessa.graf@example.org"
    assert mail.subject == "Ihr Personalausweis liegt zur Abholung bereit"
    assert "A-2026-000001" in mail.body
    assert "bisherigen Personalausweis" in mail.body
    assert "Vollmacht" in mail.body
    assert pickup_data.OPENING_HOURS in mail.body
    with db.session_scope() as session:
        assert session.get(DocumentApplication, app_id).notified_at == clock.to_utc(NOW)

    # Running the job again, or dropping the same file again, sends nothing new.
    assert outbox.send_due(clock.to_utc(NOW) + timedelta(hours=1)).sent == 0
    processed = next((folder / "processed").iterdir())
    simulate.drop(folder, "again.xml", processed.read_bytes())
    with clock.freeze(NOW):
        inbox.process_inbox(folder)
    outbox.send_due(clock.to_utc(NOW) + timedelta(hours=2))
    assert len(smtp.mails()) == 1


def test_nothing_is_lost_while_the_mail_server_is_down(office, smtp, tmp_path):
    pairs = [(f"A-2026-{i:06d}", f"L6F3R7T2{c}") for i, c in enumerate("CFGH")]
    for number, serial in pairs:
        pickup_data.application(office, number, status=ApplicationStatus.SHIPPED, serial=serial,
                                email=f"{number}@example.org")
    _deliver(tmp_path / "inbox", pairs)
    now = clock.to_utc(NOW)
    first = outbox.send_due(now)
    assert (first.sent, first.retrying) == (0, 4)
    with db.session_scope() as session:
        waiting = session.exec(select(Notification)).all()
    assert all(n.status == OutboxStatus.PENDING and n.attempts == 1 for n in waiting)
    assert all(n.next_attempt_at == now + timedelta(seconds=60) for n in waiting)
    assert outbox.send_due(now + timedelta(seconds=30)).retrying == 0  # back-off: not yet due
    second = outbox.send_due(now + timedelta(seconds=61))
    assert second.retrying == 4
    with db.session_scope() as session:
        assert {n.next_attempt_at for n in session.exec(select(Notification))} == {
            now + timedelta(seconds=61) + timedelta(seconds=120)
        }

    smtp.start()
    back = outbox.send_due(now + timedelta(minutes=10))
    assert back.sent == 4
    assert sorted(m.to for m in smtp.mails()) == sorted(f"{n}@example.org" for n, _ in pairs)
    assert outbox.send_due(now + timedelta(hours=1)).sent == 0
    assert len(smtp.mails()) == 4


def test_a_missing_address_fails_visibly_instead_of_retrying_forever(office, smtp, tmp_path):
    pickup_data.application(office, "A-2026-000009", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K", email=None)
    smtp.start()
    _deliver(tmp_path / "inbox", [("A-2026-000009", "L6F3R7T2K")])
    assert outbox.send_due(clock.to_utc(NOW)).failed == 1
    (row,) = outbox.listing(OutboxStatus.FAILED)
    assert "Keine Adresse" in row.last_error
    assert outbox.retry(row.id)
    assert outbox.counts() == {OutboxStatus.PENDING: 1}


def test_sms_goes_through_the_gateway_adapter(office, smtp, tmp_path, caplog):
    pickup_data.application(office, "A-2026-000010", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K",
                            channel=NotifyChannel.SMS, phone="+49 151 2345678")
    _deliver(tmp_path / "inbox", [("A-2026-000010", "L6F3R7T2K")])
    with caplog.at_level("INFO"):
        assert outbox.send_due(clock.to_utc(NOW)).sent == 1
    assert "…678" in caplog.text and "Personalausweis" in caplog.text
    assert smtp.mails() == []


def test_reminder_once_after_four_weeks_then_a_holding_task(office, smtp):
    arrived = clock.to_utc(datetime(2026, 10, 1, 10, 0))
    pickup_data.application(office, "A-2026-000020", status=ApplicationStatus.ARRIVED, serial="L6F3R7T2K",
                            arrived_at=arrived)
    assert pickup.enqueue_reminders(arrived + timedelta(days=27)) == 0
    assert pickup.enqueue_reminders(arrived + timedelta(days=28)) == 1
    assert pickup.enqueue_reminders(arrived + timedelta(days=29)) == 0
    smtp.start()
    outbox.send_due(arrived + timedelta(days=28))
    (mail,) = smtp.mails()
    assert mail.subject.startswith("Erinnerung")

    assert pickup.raise_holding_tasks(arrived + timedelta(days=89)) == 0
    assert pickup.raise_holding_tasks(arrived + timedelta(days=90)) == 1
    assert pickup.raise_holding_tasks(arrived + timedelta(days=91)) == 0
    with db.session_scope() as session:
        task = session.exec(select(BackofficeTask)).one()
    assert task.type == "bdr_correspondence" and task.source == "pickup_job" and "Abholfrist" in task.title


def test_hand_over_erases_contact_data_and_cancels_unsent_notices(office, smtp, tmp_path):
    app_id = pickup_data.application(office, "A-2026-000030", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K")
    _deliver(tmp_path / "inbox", [("A-2026-000030", "L6F3R7T2K")])
    pickup.hand_over(app_id, pickup.HandOver(identity_checked=True, old_document="invalidated"), user_id=None,
                     now=clock.to_utc(NOW))
    with db.session_scope() as session:
        app = session.get(DocumentApplication, app_id)
        notice = session.exec(select(Notification)).one()
    assert (app.notify_email, app.notify_phone) == (None, None)
    assert notice.status == OutboxStatus.CANCELLED and notice.recipient is None
    smtp.start()
    assert outbox.send_due(clock.to_utc(NOW)).sent == 0
    assert smtp.mails() == []


def test_embedded_sink_starts_only_without_a_configured_server(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSTATION_SMTP_HOST", "mail.example.org")
    assert mail_sink.start_if_embedded() is None
    monkeypatch.delenv("WORKSTATION_SMTP_HOST")
    monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(_free_port()))
    monkeypatch.setenv("WORKSTATION_MAIL_SINK_DIR", str(tmp_path / "sink"))
    controller = mail_sink.start_if_embedded()
    try:
        assert controller is not None
        assert smtp_mailer.smtp_target() == ("127.0.0.1", controller.port)
    finally:
        mail_sink.stop(controller)


def test_a_cancellation_after_arrival_drops_the_unsent_notice(office, smtp, tmp_path):
    pickup_data.application(office, "A-2026-000040", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K")
    _deliver(tmp_path / "inbox", [("A-2026-000040", "L6F3R7T2K")])
    later = AT + timedelta(hours=1)
    data = simulate.message_xml(str(uuid.uuid4()), "L6F3", later, "S-2",
                                [Notice("PA", "L6F3R7T2K", "A-2026-000040", "STORNIERT", later)])
    simulate.drop(tmp_path / "inbox", "storno.xml", data)
    with clock.freeze(NOW):
        assert inbox.process_inbox(tmp_path / "inbox").tasks == 1
    smtp.start()
    assert outbox.send_due(clock.to_utc(NOW)).sent == 0
    assert smtp.mails() == []
    assert _count(Notification, Notification.status == OutboxStatus.CANCELLED) == 1


def test_direct_delivery_after_arrival_removes_the_address_from_the_dropped_notice(office, smtp, tmp_path):
    app_id = pickup_data.application(office, "A-2026-000041", status=ApplicationStatus.SHIPPED, serial="L6F3R7T2K")
    _deliver(tmp_path / "inbox", [("A-2026-000041", "L6F3R7T2K")])
    later = AT + timedelta(hours=1)
    data = simulate.message_xml(str(uuid.uuid4()), "L6F3", later, "S-2",
                                [Notice("PA", "L6F3R7T2K", "A-2026-000041", "DIREKTVERSAND", later)])
    simulate.drop(tmp_path / "inbox", "direkt.xml", data)
    with clock.freeze(NOW):
        inbox.process_inbox(tmp_path / "inbox")
    with db.session_scope() as session:
        app = session.get(DocumentApplication, app_id)
        notice = session.exec(select(Notification)).one()
    assert app.status == ApplicationStatus.DIRECT_MAIL
    assert (app.notify_email, app.notify_phone) == (None, None)
    assert notice.status == OutboxStatus.CANCELLED and notice.recipient is None
    assert all(row.recipient == "(gelöscht)" for row in outbox.listing())


def test_one_run_sends_every_due_batch_and_tries_a_dead_server_once(office, smtp, tmp_path, monkeypatch):
    pairs = [(f"A-2026-{i:06d}", f"L6F3R7T2{c}") for i, c in enumerate("CFGHJ")]
    for number, serial in pairs:
        pickup_data.application(office, number, status=ApplicationStatus.SHIPPED, serial=serial)
    _deliver(tmp_path / "inbox", pairs)
    connects = []
    real_smtp = smtp_mailer.smtplib.SMTP

    def counting_smtp(*args, **kwargs):
        connects.append(args)
        return real_smtp(*args, **kwargs)

    monkeypatch.setattr(smtp_mailer.smtplib, "SMTP", counting_smtp)
    down = outbox.send_due(clock.to_utc(NOW), limit=2)
    assert (down.retrying, len(connects)) == (2, 1)  # the first batch only, one connection attempt

    smtp.start()
    later = clock.to_utc(NOW) + timedelta(hours=1)
    assert outbox.send_due(later, limit=2).sent == 5
    assert len(smtp.mails()) == 5
