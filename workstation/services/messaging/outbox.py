"""Sending the queued notifications: e-mail over SMTP, SMS through the configured gateway.

Every message is a row in the outbox before anything is sent (the feed inserts it in the same
transaction as the status change), so a mail server that is down loses nothing: the row waits and is
retried with exponential back-off. A transient fault (connection refused, 4xx) is retried without
limit; a permanent one (5xx, no address) marks the row failed for staff to look at.

"Never twice": a row is claimed (attempts + 1, next try pushed out) and committed before the send,
and marked sent right after it. Only a crash between the SMTP server's acceptance and that commit can
repeat a mail; its Message-ID is derived from the row so the receiving side can recognise it.
"""

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import DocumentApplication, Notification
from workstation.models.enums import AuditAction, NotifyChannel, OutboxStatus
from workstation.services.messaging import sms
from workstation.services.staff import audit

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300
SMTP_TIMEOUT_SECONDS = 10


class PermanentError(Exception):
    """Sending cannot succeed by retrying (no address, address refused)."""


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries: base · 2^(n-1), capped."""
    conf = settings()
    seconds = conf.outbox_retry_base_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, conf.outbox_retry_cap_seconds))


def smtp_target() -> tuple[str, int]:
    """The configured mail server, or the embedded local sink when none is configured."""
    conf = settings()
    return (conf.smtp_host or "127.0.0.1"), conf.smtp_port


def _email(row: Notification) -> EmailMessage:
    conf = settings()
    message = EmailMessage()
    message["From"] = conf.smtp_sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = clock.to_local(row.created_at)
    domain = conf.smtp_sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<outbox.{row.id}.{row.dedupe_key.replace(':', '.')}@{domain}>"
    message.set_content(row.body)
    return message


class _Mailer:
    """One SMTP connection per run, opened on the first e-mail.

    If the server cannot be reached, the remaining mails of the run are put back at once instead of
    each waiting for its own connection time-out.
    """

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None
        self.unreachable: Exception | None = None

    def _connect(self) -> smtplib.SMTP:
        conf = settings()
        host, port = smtp_target()
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        if conf.smtp_starttls:
            smtp.starttls()
        if conf.smtp_user:
            smtp.login(conf.smtp_user, conf.smtp_password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.unreachable is not None:
            raise self.unreachable
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as exc:
                self.unreachable = exc
                raise
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"Adresse abgelehnt: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise PermanentError(f"Mailserver lehnt ab: {exc.smtp_code} {exc.smtp_error!r}") from exc
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


def _claim(now: datetime, limit: int) -> list[Notification]:
    """Take due rows for this run: attempts + 1 and the next try pushed out, committed before sending."""
    with db.session_scope() as session:
        due = session.exec(
            select(Notification)
            .where(Notification.status == OutboxStatus.PENDING,
                   or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now))
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        ).all()
        session.expunge_all()
        claimed = []
        for row in due:
            result = session.connection().execute(
                update(Notification.__table__)  # type: ignore[attr-defined]
                .where(Notification.id == row.id, Notification.status == OutboxStatus.PENDING,
                       Notification.attempts == row.attempts)
                .values(attempts=row.attempts + 1, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            )
            if result.rowcount == 1:
                row.attempts += 1
                claimed.append(row)
        return claimed


def _finish(row: Notification, now: datetime, *, error: str = "", permanent: bool = False) -> str:
    values: dict[str, Any]
    if not error:
        values = {"status": OutboxStatus.SENT, "sent_at": now, "next_attempt_at": None, "last_error": ""}
    elif permanent:
        values = {"status": OutboxStatus.FAILED, "next_attempt_at": None, "last_error": error[:500]}
    else:
        values = {"next_attempt_at": now + backoff(row.attempts), "last_error": error[:500]}
    with db.session_scope() as session:
        session.connection().execute(
            update(Notification.__table__).where(Notification.id == row.id).values(**values)  # type: ignore[attr-defined]
        )
        if not error and row.kind == "arrival" and row.application_id is not None:
            session.connection().execute(
                update(DocumentApplication.__table__)  # type: ignore[attr-defined]
                .where(DocumentApplication.id == row.application_id, DocumentApplication.notified_at.is_(None))
                .values(notified_at=now)
            )
    return values.get("status", OutboxStatus.PENDING)


def _transient_reason(row: Notification, exc: Exception) -> str:
    if row.channel == NotifyChannel.SMS:
        return f"SMS-Gateway nicht erreichbar, neuer Versuch folgt ({exc})"
    host, port = smtp_target()
    return f"Mailserver {host}:{port} nicht erreichbar, neuer Versuch folgt ({exc.__class__.__name__}: {exc})"


def _deliver(row: Notification, mailer: _Mailer) -> None:
    if not row.recipient:
        raise PermanentError("Keine Adresse für den gewählten Benachrichtigungsweg hinterlegt")
    if row.channel == NotifyChannel.SMS:
        sms.gateway().send(row.recipient, row.body)
    elif row.channel == NotifyChannel.EMAIL:
        mailer.send(_email(row))
    else:
        raise PermanentError(f"Unbekannter Benachrichtigungsweg {row.channel!r}")


def send_due(now: datetime | None = None, limit: int = 200) -> SendReport:
    """Send what is due; safe to run at any time and from several places at once."""
    instant = now or clock.now()
    report = SendReport()
    mailer = _Mailer()
    try:
        batch = _claim(instant, limit)
        while batch:
            for row in batch:
                _send_one(row, mailer, instant, report)
            if len(batch) < limit or mailer.unreachable is not None:
                break
            batch = _claim(instant, limit)
    finally:
        mailer.close()
    return report


def _send_one(row: Notification, mailer: _Mailer, instant: datetime, report: SendReport) -> None:
    """Deliver one claimed row and record the outcome."""
    try:
        _deliver(row, mailer)
    except PermanentError as exc:
        outcome = _finish(row, instant, error=str(exc), permanent=True)
    except Exception as exc:  # any other fault is transient: the row waits and is retried, never lost
        log.warning("Outbox %s: Versuch %s fehlgeschlagen: %s", row.id, row.attempts, exc)
        if mailer.unreachable is None:
            mailer.close()  # a broken connection is opened afresh for the next mail
        outcome = _finish(row, instant, error=_transient_reason(row, exc))
    else:
        outcome = _finish(row, instant)
    if outcome == OutboxStatus.SENT:
        report.sent += 1
    elif outcome == OutboxStatus.FAILED:
        report.failed += 1
    else:
        report.retrying += 1


def retry(notification_id: int, now: datetime | None = None) -> bool:
    """Put a failed message back in the queue (staff fixed the address or the server); True if requeued."""
    with db.session_scope() as session:
        result = session.connection().execute(
            update(Notification.__table__)  # type: ignore[attr-defined]
            .where(Notification.id == notification_id, Notification.status == OutboxStatus.FAILED)
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


def listing(status: str | None = None, limit: int = 200, viewer_id: int | None = None) -> list[OutboxRow]:
    """The newest messages, optionally of one status; a staff viewer is written to the audit log."""
    with db.session_scope() as session:
        if viewer_id is not None:
            audit.record(session, user_id=viewer_id, action=AuditAction.READ, entity="notification",
                         detail=f"Postausgang angezeigt ({status or 'alle'})")
        query = select(Notification).order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
        if status:
            query = query.where(Notification.status == status)
        return [
            OutboxRow(n.id, n.created_at, n.kind, n.channel, n.recipient or "(gelöscht)", n.subject, n.body,
                      n.status, n.attempts, n.next_attempt_at, n.sent_at, n.last_error)
            for n in session.exec(query).all()
        ]


def counts() -> dict[str, int]:
    """Number of messages per status."""
    with db.session_scope() as session:
        rows = session.exec(select(Notification.status, func.count()).group_by(Notification.status)).all()
    return {status: count for status, count in rows}
