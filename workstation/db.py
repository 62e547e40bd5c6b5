"""Database engine and sessions shared by services, jobs and the web app.

SQLite is the embedded default (WAL, busy timeout so concurrent writers wait instead of failing);
PostgreSQL is selected with REFLEX_DB_URL. Services open sessions here and own their transactions.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from workstation import models  # noqa: F401  (registers the tables)
from workstation.config import settings


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
    """A session whose transaction commits on success and rolls back on error."""
    with Session(engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


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
