"""SMTP for the outbox: one connection per run, German reasons, and which answers are worth a retry.

Any 4xx (greylisting's 451 at RCPT TO included) is transient, only 5xx permanent. Every operation has a
time-out tied to the outbox lease (see `outbox_leases`), so one send can never outlive the claim it runs under.
"""

import contextlib
import json
import smtplib
from email.message import EmailMessage
from typing import Any

from workstation import clock
from workstation.config import settings
from workstation.models import Notification
from workstation.services.common import mail_parts
from workstation.services.messaging.outbox_leases import lease_seconds

SMTP_TIMEOUT_SECONDS = 10


SMTP_OPERATIONS_PER_SEND = 5


class PermanentError(Exception):
    """Sending cannot succeed by retrying (no address, 5xx answer)."""


class TransientError(Exception):
    """The server answered 4xx: try again later."""


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


def email_message(row: Notification) -> EmailMessage:
    """The mail of an outbox row, with its attachments (`attachments`: JSON list of filename, mime and base64
    data or a recipe made now, see `common.mail_parts`; a recipe this process cannot make waits for a retry)."""
    conf = settings()
    message = EmailMessage()
    message["From"] = conf.smtp_sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = clock.to_local(row.created_at)
    message["Message-ID"] = message_id(row)
    message.set_content(row.body)
    for attachment in json.loads(row.attachments) if row.attachments else []:
        maintype, _, subtype = attachment["mime"].partition("/")
        params = {"method": attachment["method"]} if attachment.get("method") else {}
        try:
            data = mail_parts.content(attachment)
        except mail_parts.UnknownRendererError as exc:
            raise TransientError(str(exc)) from exc
        message.add_attachment(data, maintype=maintype, subtype=subtype,
                               filename=attachment["filename"], params=params)
    return message


def _smtp_code_error(code: int, text: Any, what: str) -> Exception:
    """5xx is permanent, everything else (4xx, odd codes) transient."""
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 500 <= code <= 599:
        return PermanentError(f"Mailserver lehnt {what} ab: {code} {detail}")
    return TransientError(f"Mailserver: {what} vorläufig abgelehnt: {code} {detail}")


class Mailer:
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
