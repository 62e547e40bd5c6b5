"""A local SMTP server that keeps every mail it receives, for the embedded default.

Without a configured mail server the run command starts this sink on 127.0.0.1 (port
`WORKSTATION_SMTP_PORT`), the outbox sends to it like to a real server, and the mails are stored as
a Maildir under `WORKSTATION_MAIL_SINK_DIR` so a new user can read exactly what a citizen would get.
"""

import logging
import mailbox
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller

from workstation.config import settings

log = logging.getLogger(__name__)


class MaildirHandler:
    """aiosmtpd handler that appends each received message to a Maildir."""

    def __init__(self, folder: Path) -> None:
        for sub in ("tmp", "new", "cur"):  # a Maildir's three folders, also when `folder` already exists
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self.folder = folder

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        """Store the message as received; the envelope recipients are added as X-Envelope-To."""
        box = mailbox.Maildir(self.folder, create=True)
        message = mailbox.MaildirMessage(envelope.original_content or envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        box.add(message)
        return "250 Message accepted for delivery"


def start(host: str = "127.0.0.1", port: int | None = None, folder: Path | None = None) -> Controller:
    """Start the sink in a background thread; raises OSError if the port is taken."""
    controller = Controller(MaildirHandler(folder or settings().mail_sink_dir), hostname=host,
                            port=port if port is not None else settings().smtp_port)
    controller.start()
    return controller


def start_if_embedded() -> Controller | None:
    """Start the sink when no mail server is configured; None if configured or already running."""
    if settings().smtp_host:
        return None
    try:
        controller = start()
    except (OSError, RuntimeError) as exc:
        log.warning("Lokaler Mail-Sink nicht gestartet (läuft er schon?): %s", exc)
        return None
    log.info("Lokaler Mail-Sink auf 127.0.0.1:%s, Mails in %s", settings().smtp_port, settings().mail_sink_dir)
    return controller


def stop(controller: Controller | None) -> None:
    """Stop a sink started by `start` (None is ignored)."""
    if controller is not None:
        controller.stop()


@dataclass(frozen=True)
class ReceivedMail:
    """A mail as the sink stored it."""

    received: datetime | None
    to: str
    subject: str
    body: str


def received(folder: Path | None = None, limit: int | None = 100) -> list[ReceivedMail]:
    """The newest mails in the sink, newest first (all of them with `limit=None`)."""
    path = folder or settings().mail_sink_dir
    if not path.is_dir():
        return []
    box = mailbox.Maildir(path, create=False)
    mails = []
    for key in box.iterkeys():
        parsed = message_from_bytes(box.get_bytes(key), policy=policy.default)
        date = parsed["Date"]
        body = parsed.get_body(preferencelist=("plain",))
        mails.append(ReceivedMail(
            parsedate_to_datetime(date) if date else None,
            parsed["To"] or "",
            parsed["Subject"] or "",
            body.get_content() if body is not None else "",
        ))
    mails.sort(key=lambda m: m.received.timestamp() if m.received else 0, reverse=True)
    return mails[:limit]
