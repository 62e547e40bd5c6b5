"""What happens once when the app starts: schema, demo data on an empty database, scheduler.

With several web workers (Redis configured) every worker runs the lifespan; a lock makes sure the
schema is created and the demo seeded by one of them only.
"""

import logging
from contextlib import contextmanager

from filelock import FileLock
from sqlalchemy import text

from workstation import db
from workstation.config import DATA_DIR, settings

log = logging.getLogger(__name__)
_PG_LOCK_KEY = 4_711_2026


@contextmanager
def startup_lock():
    """Serialise start-up work across worker processes (advisory lock on PostgreSQL, file lock on SQLite)."""
    if settings().db_url.startswith("postgresql"):
        with db.engine().connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with FileLock(str(DATA_DIR / "startup.lock")):
            yield


def prepare_database() -> None:
    """Create the schema if needed and seed the demo office into an empty database."""
    with startup_lock():
        db.create_schema()
