"""Sending the queued notifications: e-mail over SMTP, SMS through the configured gateway.

Every message is a row in the outbox before anything is sent (the feed inserts it in the same
transaction as the status change), so a mail server that is down loses nothing: the row waits and is
retried with exponential back-off. A transient fault is retried without limit: no connection, a
dropped connection, and every 4xx answer (greylisting's 451 at RCPT TO, 421/451/452 at MAIL FROM or
DATA). Only a permanent one — a 5xx answer, or no address at all — marks the row failed for staff.

Claims are leases. A run draws a random `claim_token` and takes due rows whose lease is free or past
(`claimed_until` empty or before the real clock at that moment), writing its token and
`claimed_until = now + lease` (`WORKSTATION_OUTBOX_LEASE_SECONDS`, default 120 s). Before each send it
confirms and renews the row's lease with a conditional UPDATE (`WHERE id = ? AND claim_token = me AND
status = 'pending'`); when that matches nothing another run owns the row and it is skipped. Between
rows the run renews the leases of everything it still holds once a third of the lease has passed
(a heartbeat in the send loop, no extra thread). Outcomes are written only `WHERE claim_token = me`.

The lease must outlast one send plus the retried mark-sent, and it does by construction: the SMTP
time-out per operation is min(10 s, lease / 12), a send after the confirmation waits on at most five
operations (MAIL, RCPT, DATA, the message, the final reply; the connection is opened before the
confirmation), so ≤ 5/12 of the lease; the mark-sent retries stop after min(10 s, lease / 3). With
the default 120 s that is 50 s + 10 s, leaving half the lease as margin.

A run that fails (the database connection drops and a write's retries are used up) releases the leases
it still holds in a `finally`, so those rows are due again at once; if even that write fails, the lease
runs out after at most `lease` seconds.

"Never twice" as far as possible: the row is marked sent right after the server's 250, and that small
write is retried on a dropped database connection. What remains is at-least-once: a crash, or a
database outage longer than the mark-sent retries, between the server's 250 and that commit; and an
SMTP connection lost after the server stored the message but before it answered. The Message-ID is
derived from the row, the same on every retry, so the receiving side can recognise a repeat."""

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import func, true, update
from sqlmodel import select

from workstation import clock, db
from workstation.models import DocumentApplication, Notification, Visit
from workstation.models.enums import AuditAction, NotifyChannel, OutboxStatus
from workstation.services.messaging import mail_sink, sms
from workstation.services.messaging.outbox_leases import SendRun
from workstation.services.messaging.smtp_mailer import (
    Mailer,
    PermanentError,
    TransientError,
    email_message,
    smtp_target,
)
from workstation.services.staff import audit

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _transient_reason(row: Notification, exc: Exception) -> str:
    if row.channel == NotifyChannel.SMS:
        return f"SMS-Gateway nicht erreichbar, neuer Versuch folgt ({exc})"
    if isinstance(exc, TransientError):
        return f"{exc}; neuer Versuch folgt"
    host, port = smtp_target()
    return f"Mailserver {host}:{port} nicht erreichbar, neuer Versuch folgt ({exc.__class__.__name__}: {exc})"


def _deliver(row: Notification, mailer: Mailer) -> None:
    if not row.recipient:
        raise PermanentError("Keine Adresse für den gewählten Benachrichtigungsweg hinterlegt")
    if row.channel == NotifyChannel.SMS:
        sms.gateway().send(row.recipient, row.body)
    elif row.channel == NotifyChannel.EMAIL:
        mailer.send(email_message(row))
    else:
        raise PermanentError(f"Unbekannter Benachrichtigungsweg {row.channel!r}")


def send_due(now: datetime | None = None, limit: int = 200) -> SendReport:
    """Send what is due; safe to run at any time and from several places at once.

    Without `now` every claim, renewal and outcome reads the real clock (`clock.now()`) at that moment;
    a given `now` pins the clock for the whole run (tests, replays).
    """
    run = SendRun(now)
    report = SendReport()
    mailer = Mailer()
    try:
        batch = run.claim(limit)
        while batch:
            for row in batch:
                run.heartbeat()
                _send_one(run, row, mailer, report)
            if len(batch) < limit or mailer.unreachable is not None:
                break
            batch = run.claim(limit)
    finally:
        mailer.close()
        run.release()
    return report


def _send_one(run: SendRun, row: Notification, mailer: Mailer, report: SendReport) -> None:
    """Deliver one claimed row and record the outcome (nothing if another run has taken it)."""
    if row.channel == NotifyChannel.EMAIL and row.recipient and mailer.unreachable is None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            mailer.connect()  # outside the lease; a failure is raised again by the send below
    if not run.confirm(row):
        return
    try:
        _deliver(row, mailer)
    except PermanentError as exc:
        outcome = run.finish(row, error=str(exc), permanent=True)
    except Exception as exc:  # any other fault is transient: the row waits and is retried, never lost
        log.warning("Outbox %s: Versuch %s fehlgeschlagen: %s", row.id, row.attempts, exc)
        if mailer.unreachable is None and not isinstance(exc, TransientError):
            mailer.close()  # a broken connection is opened afresh for the next mail
        outcome = run.finish(row, error=_transient_reason(row, exc))
    else:
        outcome = run.finish(row)
    if outcome == OutboxStatus.SENT:
        report.sent += 1
    elif outcome == OutboxStatus.FAILED:
        report.failed += 1
    else:
        report.retrying += 1


def _of_office(office_id: int | None):
    """Only the messages about one office's documents (None: every office, for the send job and tests)."""
    if office_id is None:
        return true()
    return Notification.application_id.in_(
        select(DocumentApplication.id).where(DocumentApplication.office_id == office_id))


def retry(notification_id: int, now: datetime | None = None, *, office_id: int | None = None) -> bool:
    """Put a failed message back in the queue (staff fixed the address or the server); True if requeued."""
    with db.session_scope() as session:
        result = session.connection().execute(
            update(Notification.__table__)  # type: ignore[attr-defined]
            .where(Notification.id == notification_id, Notification.status == OutboxStatus.FAILED,
                   _of_office(office_id))
            .values(status=OutboxStatus.PENDING, next_attempt_at=now or clock.now())
        )
        return result.rowcount == 1


@dataclass(frozen=True)
class OutboxRow:
    """One message as the outbox page lists it."""

    id: int
    created_at: datetime
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str


def listing(status: str | None = None, limit: int = 200, viewer_id: int | None = None, *,
            office_id: int | None = None) -> list[OutboxRow]:
    """The newest messages, optionally of one status; a staff viewer is written to the audit log."""
    with db.session_scope() as session:
        if viewer_id is not None:
            audit.record(session, user_id=viewer_id, action=AuditAction.READ, entity="notification",
                         detail=f"Postausgang angezeigt ({status or 'alle'})")
        query = (select(Notification).where(_of_office(office_id))
                 .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
        if status:
            query = query.where(Notification.status == status)
        return [
            OutboxRow(n.id, n.created_at, n.kind, n.channel, n.recipient or "(gelöscht)", n.subject, n.body,
                      n.status, n.attempts, n.next_attempt_at, n.sent_at, n.last_error)
            for n in session.exec(query).all()
        ]


def counts(*, office_id: int | None = None) -> dict[str, int]:
    """Number of messages per status."""
    with db.session_scope() as session:
        rows = session.exec(
            select(Notification.status, func.count()).where(_of_office(office_id)).group_by(Notification.status)
        ).all()
    return {status: count for status, count in rows}


def sink_mails(*, office_id: int | None, limit: int = 50) -> list[mail_sink.ReceivedMail]:
    """The embedded mail sink's newest mails to the office's recipients.

    The sink is one folder for the whole installation, so without this filter the Postausgang page of
    office A would show the mails to office B's citizens. A mail counts for the office when it went to
    an address of one of the office's messages: about its documents, or about a booking of one of its
    visits (the booking's keys name the visit). None: every mail (tests).
    """
    mails = mail_sink.received(limit=None if office_id is not None else limit)
    if office_id is None:
        return mails
    with db.read_scope() as session:
        ours = set(session.exec(select(Notification.recipient).where(_of_office(office_id)).distinct()).all())
        by_visit: dict[int, set[str]] = {}
        for key, recipient in session.exec(select(Notification.dedupe_key, Notification.recipient)
                                           .where(Notification.dedupe_key.like("booking:%"))):
            visit = key.split(":")[1]
            if visit.isdigit() and recipient:
                by_visit.setdefault(int(visit), set()).add(recipient)
        ids = list(by_visit)
        for start in range(0, len(ids), 5000):
            for visit_id in session.exec(select(Visit.id).where(Visit.office_id == office_id,
                                                                Visit.id.in_(ids[start:start + 5000]))):
                ours |= by_visit[visit_id]
    return [m for m in mails if parseaddr(m.to)[1] in ours][:limit]
