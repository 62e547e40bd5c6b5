"""Claims on outbox rows are leases held by one run of the sender, renewed while it works.

See the `outbox` module docstring for the whole design; this module owns the token, the claim, the
renewal, the outcome writes (only `WHERE claim_token = me`) and the release of a failed run.
"""

import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import DocumentApplication, Notification
from workstation.models.enums import OutboxStatus

log = logging.getLogger(__name__)

MARK_SENT_BUDGET_SECONDS = 10


T = TypeVar("T")


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries: base · 2^(n-1), capped."""
    conf = settings()
    seconds = conf.outbox_retry_base_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, conf.outbox_retry_cap_seconds))


def lease_seconds() -> float:
    """How long a claim holds a row without renewal."""
    return settings().outbox_lease_seconds


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


class SendRun:
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
