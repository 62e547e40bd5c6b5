"""Database engine and sessions shared by services, jobs and the web app.

SQLite is the embedded default (WAL, busy timeout so concurrent writers wait instead of failing);
PostgreSQL is selected with REFLEX_DB_URL. Services open sessions here and own their transactions.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from workstation import models  # noqa: F401  (registers the tables)
from workstation.config import settings

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_UNAVAILABLE = "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."


def _sqlite_engine(url: str, begin_sql: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(eng, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
        # Let pysqlite not issue BEGIN itself; we emit it (BEGIN IMMEDIATE for writers so they queue up).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(eng, "begin")
    def _sqlite_begin(conn) -> None:  # pragma: no cover - trivial
        conn.exec_driver_sql(begin_sql)

    return eng


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One engine per database URL for the life of the process."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, "BEGIN IMMEDIATE")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache(maxsize=4)
def read_engine_for(url: str) -> Engine:
    """Engine for read-only sessions: on SQLite a deferred BEGIN, so readers never wait for the write lock."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, "BEGIN")
    return engine_for(url)


def engine() -> Engine:
    """The engine of the configured database."""
    return engine_for(settings().db_url)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error.

    An error raised by the COMMIT itself is marked `commit_uncertain`: the server may have committed
    before the connection broke, so `retry_once` does not repeat such a call.
    """
    with Session(engine(), expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        try:
            session.commit()
        except BaseException as exc:
            exc.commit_uncertain = True
            session.rollback()
            raise


class DatabaseUnavailableError(Exception):
    """The database could not be reached, also on the one retry; `message` is German, for the screen."""

    def __init__(self, message: str = DB_UNAVAILABLE) -> None:
        super().__init__(message)
        self.message = message


def is_transient(exc: BaseException) -> bool:
    """A database error that a second attempt may not meet: the connection was lost or the server was
    briefly unavailable (OperationalError), or the driver reported the connection invalidated."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def retry_once(fn: Callable[..., T], *args, **kwargs) -> T:
    """Call `fn` (a service call that owns its transaction); after a transient database error call it once more.

    The failed attempt was rolled back as a whole (services own their transactions), so the second
    attempt starts from a clean state; SQLAlchemy has dropped the broken connection, so it gets a
    fresh one. A second transient error, or one raised by the COMMIT itself (it may have committed),
    becomes `DatabaseUnavailableError`. Other errors pass through unchanged.
    """
    for attempt in (1, 2):
        try:
            return fn(*args, **kwargs)
        except DBAPIError as exc:
            if not is_transient(exc):
                raise
            if attempt == 2 or getattr(exc, "commit_uncertain", False):
                log.warning("database unavailable in %s: %s", getattr(fn, "__name__", fn), exc.__class__.__name__)
                raise DatabaseUnavailableError() from exc
            log.warning("transient database error in %s (%s): retrying once", getattr(fn, "__name__", fn),
                        exc.__class__.__name__)
    raise AssertionError("unreachable")


@contextmanager
def read_scope() -> Iterator[Session]:
    """A session for reading only (screens refreshing after every change); it never commits.

    With WAL, SQLite readers see the last committed state while a writer works, so the many screens
    that re-read the queue do not queue up in front of the next counter's call.
    """
    with Session(read_engine_for(settings().db_url), expire_on_commit=False) as session:
        yield session  # closing the session ends (rolls back) its transaction; loaded objects stay usable


def create_schema(eng: Engine | None = None) -> None:
    """Create missing tables (tests and first start; migrations are run by `reflex db migrate`)."""
    SQLModel.metadata.create_all(eng or engine())
