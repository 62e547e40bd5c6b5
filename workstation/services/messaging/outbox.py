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
derived from the row, the same on every retry, so the receiving side can recognise a repeat.
"""

import contextlib
import logging
import secrets
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, TypeVar

from sqlalchemy import func, or_, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import DocumentApplication, Notification
from workstation.models.enums import AuditAction, NotifyChannel, OutboxStatus
from workstation.services.messaging import sms
from workstation.services.staff import audit

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
MARK_SENT_BUDGET_SECONDS = 10
SMTP_OPERATIONS_PER_SEND = 5

T = TypeVar("T")


class PermanentError(Exception):
    """Sending cannot succeed by retrying (no address, 5xx answer)."""


class TransientError(Exception):
    """The server answered 4xx: try again later."""


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


def lease_seconds() -> float:
    """How long a claim holds a row without renewal."""
    return settings().outbox_lease_seconds


def smtp_timeout() -> float:
    """Time-out per SMTP operation: 10 s, shorter when the lease is short (see the module docstring)."""
    return min(SMTP_TIMEOUT_SECONDS, lease_seconds() / 12)


def smtp_target() -> tuple[str, int]:
    """The configured mail server, or the embedded local sink when none is configured."""
    conf = settings()
    return (conf.smtp_host or "127.0.0.1"), conf.smtp_port


def message_id(row: Notification) -> str:
    """The row's Message-ID: the same on every try, so a repeat can be recognised."""
    domain = settings().smtp_sender.rpartition("@")[2] or "localhost"
    return f"<outbox.{row.id}.{row.dedupe_key.replace(':', '.')}@{domain}>"


def _email(row: Notification) -> EmailMessage:
    conf = settings()
    message = EmailMessage()
    message["From"] = conf.smtp_sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = clock.to_local(row.created_at)
    message["Message-ID"] = message_id(row)
    message.set_content(row.body)
    return message


def _smtp_code_error(code: int, text: Any, what: str) -> Exception:
    """5xx is permanent, everything else (4xx, odd codes) transient."""
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 500 <= code <= 599:
        return PermanentError(f"Mailserver lehnt {what} ab: {code} {detail}")
    return TransientError(f"Mailserver: {what} vorläufig abgelehnt: {code} {detail}")


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
        smtp = smtplib.SMTP(host, port, timeout=smtp_timeout())
        try:
            if conf.smtp_starttls:
                smtp.starttls()
            if conf.smtp_user:
                smtp.login(conf.smtp_user, conf.smtp_password or "")
            smtp.ehlo_or_helo_if_needed()
        except BaseException:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.close()
            raise
        return smtp

    def connect(self) -> None:
        """Open the connection (before a row's lease is confirmed, so its time does not count)."""
        if self.unreachable is not None:
            raise self.unreachable
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as exc:
                self.unreachable = exc
                raise

    def send(self, message: EmailMessage) -> None:
        self.connect()
        assert self._smtp is not None
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            # One recipient per message; its own code decides (greylisting answers 451 here).
            code, text = next(iter(exc.recipients.values()), (550, b""))
            raise _smtp_code_error(code, text, f"die Adresse {message['To']}") from exc
        except smtplib.SMTPResponseException as exc:  # SMTPSenderRefused, SMTPDataError, ...
            raise _smtp_code_error(exc.smtp_code, exc.smtp_error, "die Nachricht") from exc
        finally:
            if self._smtp is not None and self._smtp.sock is None:  # closed by smtplib (e.g. after 421)
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _is_transient_db_error(exc: BaseException) -> bool:
    """A dropped or refused database connection (or SQLite busy), as opposed to a bug or a constraint."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _with_db_retry(write: Callable[[], T], what: str, budget_seconds: float) -> T:
    """Run a small write transaction, again after a dropped connection, pausing 50 ms, 100 ms, … 250 ms,
    the last try at the end of `budget_seconds`; the pool replaces a dead connection (pre-ping)."""
    deadline = time.monotonic() + budget_seconds
    pause = 0.05
    while True:
        try:
            return write()
        except DBAPIError as exc:
            remaining = deadline - time.monotonic()
            if not _is_transient_db_error(exc):
                raise
            if remaining <= 0:
                log.error("Postausgang: Datenbank nicht erreichbar bei %s, aufgegeben nach %.1f s", what,
                          budget_seconds)
                raise
            log.warning("Postausgang: Datenbankverbindung verloren bei %s, neuer Versuch: %s", what,
                        str(exc.orig or exc).strip().splitlines()[0][:200])
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, 0.25)


class _Run:
    """One run of the sender: its token, its clock and the rows it holds."""

    def __init__(self, now: datetime | None) -> None:
        self.token = secrets.token_hex(16)
        self._pinned = now
        self.lease = timedelta(seconds=lease_seconds())
        self.renewed_at = 0.0
        self.sent_unmarked: set[int] = set()

    def now(self) -> datetime:
        """The real clock at this moment (or the instant the caller pinned for the whole run)."""
        return self._pinned if self._pinned is not None else clock.now()

    def _short_budget(self) -> float:
        """Retries for claim, confirmation, renewal, failure notes and release: a failed run is harmless."""
        return min(2.0, self.lease.total_seconds() / 12)

    def claim(self, limit: int) -> list[Notification]:
        """Take up to `limit` due rows whose lease is free or past; committed before anything is sent."""

        def write() -> list[Notification]:
            now = self.now()
            with db.session_scope() as session:
                ids = session.exec(
                    select(Notification.id)
                    .where(Notification.status == OutboxStatus.PENDING,
                           or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
                           or_(Notification.claimed_until.is_(None), Notification.claimed_until <= now))
                    .order_by(Notification.next_attempt_at, Notification.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)  # PostgreSQL: two runs take disjoint rows; SQLite: no-op
                ).all()
                if not ids:
                    return []
                # The conditions again: on PostgreSQL the UPDATE re-checks them on the newest row version.
                session.connection().execute(
                    update(Notification.__table__)  # type: ignore[attr-defined]
                    .where(Notification.id.in_(ids), Notification.status == OutboxStatus.PENDING,
                           or_(Notification.claimed_until.is_(None), Notification.claimed_until <= now))
                    .values(claim_token=self.token, claimed_until=now + self.lease)
                )
                rows = session.exec(
                    select(Notification)
                    .where(Notification.id.in_(ids), Notification.claim_token == self.token)
                    .order_by(Notification.next_attempt_at, Notification.id)
                ).all()
                session.expunge_all()
                return list(rows)

        rows = _with_db_retry(write, "Übernahme", self._short_budget())
        self.renewed_at = time.monotonic()
        return rows

    def heartbeat(self) -> None:
        """Renew every lease this run still holds, once a third of the lease has passed."""
        if time.monotonic() - self.renewed_at < self.lease.total_seconds() / 3:
            return

        def write() -> None:
            now = self.now()
            with db.session_scope() as session:
                session.connection().execute(
                    update(Notification.__table__)  # type: ignore[attr-defined]
                    .where(Notification.claim_token == self.token, Notification.status == OutboxStatus.PENDING,
                           Notification.claimed_until.is_not(None))
                    .values(claimed_until=now + self.lease)
                )

        _with_db_retry(write, "Verlängerung", self._short_budget())
        self.renewed_at = time.monotonic()

    def confirm(self, row: Notification) -> bool:
        """Renew this row's lease and count the attempt; False if another run owns it (or it was cancelled)."""

        def write() -> bool:
            now = self.now()
            with db.session_scope() as session:
                result = session.connection().execute(
                    update(Notification.__table__)  # type: ignore[attr-defined]
                    .where(Notification.id == row.id, Notification.claim_token == self.token,
                           Notification.status == OutboxStatus.PENDING)
                    .values(attempts=row.attempts + 1, claimed_until=now + self.lease)
                )
                return result.rowcount == 1

        if not _with_db_retry(write, "Bestätigung", self._short_budget()):
            return False
        row.attempts += 1
        return True

    def finish(self, row: Notification, *, error: str = "", permanent: bool = False) -> str:
        """Record the outcome, only while this run owns the row; returns the row's status."""
        if not error:
            self.sent_unmarked.add(row.id)  # type: ignore[arg-type]
            status = _with_db_retry(lambda: self._mark_sent(row), "Versandvermerk",
                                    min(MARK_SENT_BUDGET_SECONDS, self.lease.total_seconds() / 3))
            self.sent_unmarked.discard(row.id)  # type: ignore[arg-type]
            return status
        return _with_db_retry(lambda: self._mark_failed(row, error, permanent), "Fehlervermerk", self._short_budget())

    def _mark_sent(self, row: Notification) -> str:
        now = self.now()
        with db.session_scope() as session:
            # SENT is allowed in the WHERE so that repeating this write after a lost commit answer matches.
            result = session.connection().execute(
                update(Notification.__table__)  # type: ignore[attr-defined]
                .where(Notification.id == row.id, Notification.claim_token == self.token,
                       Notification.status.in_([OutboxStatus.PENDING, OutboxStatus.SENT]))
                .values(status=OutboxStatus.SENT, sent_at=now, next_attempt_at=None, claimed_until=None,
                        last_error="")
            )
            if result.rowcount != 1:
                log.warning("Postausgang %s: gesendet, aber nicht mehr von diesem Lauf gehalten", row.id)
                return OutboxStatus.SENT
            if row.kind == "arrival" and row.application_id is not None:
                session.connection().execute(
                    update(DocumentApplication.__table__)  # type: ignore[attr-defined]
                    .where(DocumentApplication.id == row.application_id, DocumentApplication.notified_at.is_(None))
                    .values(notified_at=now)
                )
        return OutboxStatus.SENT

    def _mark_failed(self, row: Notification, error: str, permanent: bool) -> str:
        now = self.now()
        values: dict[str, Any] = {"claimed_until": None, "last_error": error[:500]}
        if permanent:
            values |= {"status": OutboxStatus.FAILED, "next_attempt_at": None}
        else:
            values |= {"next_attempt_at": now + backoff(row.attempts)}
        with db.session_scope() as session:
            session.connection().execute(
                update(Notification.__table__)  # type: ignore[attr-defined]
                .where(Notification.id == row.id, Notification.claim_token == self.token,
                       Notification.status == OutboxStatus.PENDING)
                .values(**values)
            )
        return OutboxStatus.FAILED if permanent else OutboxStatus.PENDING

    def release(self) -> None:
        """Give back every lease still held (not the rows sent but not yet marked): due again at once."""

        def write() -> int:
            with db.session_scope() as session:
                query = (update(Notification.__table__)  # type: ignore[attr-defined]
                         .where(Notification.claim_token == self.token, Notification.status == OutboxStatus.PENDING,
                                Notification.claimed_until.is_not(None))
                         .values(claimed_until=None))
                if self.sent_unmarked:
                    query = query.where(Notification.id.not_in(self.sent_unmarked))
                return session.connection().execute(query).rowcount

        try:
            released = _with_db_retry(write, "Freigabe", self._short_budget())
        except Exception as exc:  # the lease runs out by itself
            log.warning("Postausgang: Übernahmen nicht freigegeben (%s), sie laufen nach %s s ab", exc,
                        self.lease.total_seconds())
        else:
            if released:
                log.info("Postausgang: %s übernommene Nachrichten freigegeben", released)


def _transient_reason(row: Notification, exc: Exception) -> str:
    if row.channel == NotifyChannel.SMS:
        return f"SMS-Gateway nicht erreichbar, neuer Versuch folgt ({exc})"
    if isinstance(exc, TransientError):
        return f"{exc}; neuer Versuch folgt"
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
    """Send what is due; safe to run at any time and from several places at once.

    Without `now` every claim, renewal and outcome reads the real clock (`clock.now()`) at that moment;
    a given `now` pins the clock for the whole run (tests, replays).
    """
    run = _Run(now)
    report = SendReport()
    mailer = _Mailer()
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


def _send_one(run: _Run, row: Notification, mailer: _Mailer, report: SendReport) -> None:
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
