"""The booking's write transactions: on SQLite, this process's writers queue on a lock first.

SQLite lets one writer at a time; a second one waits in SQLite's busy handler, which sleeps in steps
of up to 100 ms. When many citizens book at the same moment, those sleeps, not the work, make the wait.
Queuing the booking's writers of one process on a lock hands the database over without sleeping;
other processes and other writers still meet the busy handler, so nothing depends on this for
correctness (the UNIQUE claims do that). On PostgreSQL it is a plain `db.session_scope()`.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from workstation import db
from workstation.config import settings

_SQLITE_WRITERS = threading.Lock()


@contextmanager
def write_scope() -> Iterator[Session]:
    """`db.session_scope()`, entered behind this process's SQLite writer lock."""
    if settings().db_url.startswith("sqlite"):
        with _SQLITE_WRITERS, db.session_scope() as session:
            yield session
    else:
        with db.session_scope() as session:
            yield session
