"""The booking's e-mails, written as outbox rows in the booking's own transaction (messaging sends them).

The calendar file and the QR code are stored as recipes and made by the sender (see `attachments`).

Confirmation (with the calendar file and the QR code), cancellation (METHOD:CANCEL, same UID) and
the reminder. The texts carry no name — the outbox keeps a sent message's text after the recipient
is erased — only the code, the time, the place, the documents and the link to cancel or move.
Each row has a dedupe key per booking and sequence, so a repeated call queues nothing twice.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from workstation import clock, routes
from workstation.config import settings
from workstation.models import Notification, Office
from workstation.models.enums import NotifyChannel, OutboxStatus
from workstation.services.booking import attachments
from workstation.services.common.insert_ignore import insert_ignoring_duplicates

CONFIRMATION = "booking_confirmation"
CANCELLATION = "booking_cancellation"
REMINDER = "booking_reminder"
KINDS = (CONFIRMATION, CANCELLATION, REMINDER)


@dataclass(frozen=True)
class MailFacts:
    """What a booking mail says."""

    visit_id: int
    sequence: int
    email: str
    code: str
    start: datetime
    end: datetime
    concerns: list[str]
    documents: list[str]
    token: str | None = None


def change_link(token: str) -> str:
    return f"{settings().public_url.rstrip('/')}{routes.BOOKING_CHANGE}?t={token}"


def _when(facts: MailFacts) -> str:
    start, end = clock.to_local(facts.start), clock.to_local(facts.end)
    return f"{start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M} Uhr"


def _place(office: Office) -> str:
    return f"{office.name}, {office.address or office.city}"


def _details(facts: MailFacts, office: Office) -> str:
    docs = "\n".join(f"  - {d}" for d in facts.documents) or "  - keine"
    concerns = "\n".join(f"  - {c}" for c in facts.concerns)
    return (f"Termin: {_when(facts)}\nOrt: {_place(office)}\nÖffnungszeiten: {office.opening_hours}\n"
            f"Buchungscode: {facts.code}\n\nAnliegen:\n{concerns}\n\nBitte mitbringen:\n{docs}\n")


def _ics(facts: MailFacts, office: Office, now: datetime, *, cancel: bool = False) -> dict:
    return attachments.ics_part(visit_id=facts.visit_id, sequence=facts.sequence, start=facts.start, end=facts.end,
                                summary=f"Termin im {office.name} ({facts.code})", location=_place(office),
                                description=_details(facts, office), attendee=facts.email, cancel=cancel, now=now)


def _row(kind: str, key: str, facts: MailFacts, subject: str, body: str, files: list[dict], now: datetime) -> dict:
    return {"dedupe_key": key, "kind": kind, "channel": str(NotifyChannel.EMAIL), "recipient": facts.email,
            "subject": subject, "body": body, "attachments": json.dumps(files), "status": str(OutboxStatus.PENDING),
            "attempts": 0, "next_attempt_at": now, "last_error": "", "created_at": now}


def queue_confirmation(session: Session, facts: MailFacts, office: Office, now: datetime) -> None:
    """Confirmation (or, with sequence > 0, the moved booking) with ICS and QR code."""
    moved = facts.sequence > 0
    subject = f"{'Terminänderung' if moved else 'Terminbestätigung'}: {_when(facts)} – {office.name}"
    body = (f"Guten Tag,\n\n{'Ihr Termin wurde verlegt' if moved else 'Ihr Termin ist gebucht'}.\n\n"
            f"{_details(facts, office)}\nZeigen Sie beim Empfang oder am Terminal den QR-Code im Anhang oder "
            f"nennen Sie den Buchungscode.\n\nAbsagen oder verlegen (bis {settings().booking_change_until_hours} "
            f"Stunden vorher):\n{change_link(facts.token or '')}\n\nIhr {office.name}\n")
    files = [_ics(facts, office, now), attachments.qr_part(facts.code)]
    insert_ignoring_duplicates(session, Notification, [
        _row(CONFIRMATION, f"booking:{facts.visit_id}:confirm:{facts.sequence}", facts, subject, body, files, now)])


def queue_cancellation(session: Session, facts: MailFacts, office: Office, now: datetime) -> None:
    """Cancellation with METHOD:CANCEL (same UID); unsent reminders of the booking are cancelled."""
    cancel_pending_reminders(session, facts.visit_id)
    subject = f"Termin abgesagt: {_when(facts)} – {office.name}"
    again = f"{settings().public_url.rstrip('/')}{routes.BOOKING}"
    body = (f"Guten Tag,\n\nIhr Termin am {_when(facts)} (Buchungscode {facts.code}) ist abgesagt.\n"
            f"Einen neuen Termin können Sie jederzeit online buchen:\n{again}\n\nIhr {office.name}\n")
    insert_ignoring_duplicates(session, Notification, [
        _row(CANCELLATION, f"booking:{facts.visit_id}:cancel", facts, subject, body,
             [_ics(facts, office, now, cancel=True)], now)])


def reminder_row(facts: MailFacts, office: Office, now: datetime) -> dict:
    """The reminder's outbox row (dedupe key per booking and sequence: exactly once per time)."""
    subject = f"Erinnerung an Ihren Termin: {_when(facts)} – {office.name}"
    body = (f"Guten Tag,\n\nwir erinnern Sie an Ihren Termin.\n\n{_details(facts, office)}\n"
            f"Falls Sie nicht kommen können, sagen Sie bitte über den Link in Ihrer Terminbestätigung ab.\n\n"
            f"Ihr {office.name}\n")
    return _row(REMINDER, f"booking:{facts.visit_id}:remind:{facts.sequence}", facts, subject, body, [], now)


def cancel_pending_reminders(session: Session, visit_id: int) -> None:
    """A reminder not yet sent is never sent for a cancelled or moved booking."""
    session.connection().execute(
        update(Notification.__table__)  # type: ignore[attr-defined]
        .where(Notification.dedupe_key.like(f"booking:{visit_id}:remind:%"),  # type: ignore[attr-defined]
               Notification.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED))
