"""The public question "Ist mein Dokument abholbereit?" — answered with a status only.

No personal data is returned (§16(4) PassG). Unknown numbers, documents still in production and
documents on their way all get the same answer, so the page cannot be used to probe which serial
numbers exist; each answer takes at least a fixed time, whether a row was found or not. Clients are
rate-limited by a salted hash of their address, kept only for the length of the window.
"""

import asyncio
import hashlib
import time
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import DocumentApplication, StatusLookup
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials


class Answer(StrEnum):
    """What the citizen is told (texts in German and English live with the page)."""

    INVALID = "invalid"
    NOT_READY = "not_ready"
    READY = "ready"
    COLLECTED = "collected"
    POSTED = "posted"
    CONTACT_OFFICE = "contact_office"
    LIMITED = "limited"


_BY_STATUS = {
    ApplicationStatus.APPLIED: Answer.NOT_READY,
    ApplicationStatus.SHIPPED: Answer.NOT_READY,
    ApplicationStatus.ARRIVED: Answer.READY,
    ApplicationStatus.HANDED_OVER: Answer.COLLECTED,
    ApplicationStatus.DIRECT_MAIL: Answer.POSTED,
    ApplicationStatus.CANCELLED: Answer.CONTACT_OFFICE,
    ApplicationStatus.RETURNED: Answer.CONTACT_OFFICE,
}


def client_hash(client: str) -> str:
    """Salted hash of a client's address or token (the address itself is never stored)."""
    return hashlib.sha256(f"{settings().status_client_salt}:{client}".encode()).hexdigest()


def _allowed(client: str, now: datetime) -> bool:
    """Count this question against the client's window; False if the limit is reached."""
    conf = settings()
    start = now - timedelta(minutes=conf.status_window_minutes)
    key = client_hash(client)
    with db.session_scope() as session:
        session.connection().execute(delete(StatusLookup).where(StatusLookup.at < start))
        asked = session.exec(
            select(func.count()).select_from(StatusLookup).where(StatusLookup.client_hash == key,
                                                                 StatusLookup.at >= start)
        ).one()
        if asked >= conf.status_lookups_per_window:
            return False
        session.add(StatusLookup(client_hash=key, at=now))
    return True


def lookup(raw: str, client: str, now: datetime | None = None) -> Answer:
    """The status answer for a typed serial number with check digit (e.g. 'L6F3R7T2K8')."""
    instant = now or clock.now()
    if not _allowed(client, instant):
        return Answer.LIMITED
    parsed = serials.split_with_check_digit(raw)
    if parsed is None or not serials.is_valid(*parsed):
        return Answer.INVALID
    with db.session_scope() as session:
        status = session.exec(
            select(DocumentApplication.status).where(DocumentApplication.serial_number == parsed[0])
        ).first()
    return _BY_STATUS.get(status, Answer.NOT_READY) if status else Answer.NOT_READY


async def lookup_padded(raw: str, client: str, now: datetime | None = None) -> Answer:
    """`lookup`, taking at least the configured minimum time so known and unknown numbers look alike."""
    started = time.monotonic()
    answer = await asyncio.to_thread(lookup, raw, client, now)
    remaining = settings().status_min_response_ms / 1000 - (time.monotonic() - started)
    if remaining > 0:
        await asyncio.sleep(remaining)
    return answer
