"""Audit entries for reads of citizen data, written in batches.

Every open counter screen shows the concerns panel of the person who is next, so one change of the
queue can mean two dozen reads at once. Writing each in its own transaction would queue them all for
SQLite's single write lock in front of the next call. Instead reads are collected here and one
background thread writes them in a single transaction every `FLUSH_SECONDS` (and on exit).
Changes of citizen data are still audited synchronously inside their own transaction.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from workstation import clock, db
from workstation.config import settings
from workstation.models import AuditAction, AuditLog

FLUSH_SECONDS = 0.2
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Read:
    db_url: str
    at: datetime
    user_id: int | None
    entity: str
    entity_id: int | None
    citizen_id: int | None
    detail: str


_lock = threading.Lock()
_pending: list[_Read] = []
_writer: threading.Thread | None = None


def record_read(*, user_id: int | None, entity: str, entity_id: int | None, citizen_id: int | None,
                detail: str, at: datetime | None = None) -> None:
    """Queue one read of citizen data for the audit log."""
    global _writer
    entry = _Read(settings().db_url, at or clock.now(), user_id, entity, entity_id, citizen_id, detail[:500])
    with _lock:
        _pending.append(entry)
        if _writer is None or not _writer.is_alive():
            _writer = threading.Thread(target=_write_forever, name="read-audit", daemon=True)
            _writer.start()


def flush() -> None:
    """Write everything queued so far (tests, shutdown)."""
    with _lock:
        batch = _pending[:]
        _pending.clear()
    by_url: dict[str, list[_Read]] = {}
    for entry in batch:
        by_url.setdefault(entry.db_url, []).append(entry)
    for url, entries in by_url.items():
        try:
            with Session(db.engine_for(url)) as session:
                session.add_all(AuditLog(at=e.at, user_id=e.user_id, action=AuditAction.READ, entity=e.entity,
                                         entity_id=e.entity_id, citizen_id=e.citizen_id, detail=e.detail)
                                for e in entries)
                session.commit()
        except Exception:
            with _lock:  # keep them for the next attempt rather than lose audit entries
                _pending[:0] = entries
            raise


def _write_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        try:
            flush()
        except Exception:
            log.exception("could not write read audit entries; retrying")


atexit.register(flush)
