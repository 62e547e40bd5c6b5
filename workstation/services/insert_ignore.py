"""Bulk inserts that skip rows whose unique key already exists (SQLite and PostgreSQL).

Used where a row must exist at most once (an outbox message, a rejection): a second attempt, e.g.
after a crash, is then a no-op instead of an error that would roll back the whole transaction.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignoring_duplicates(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> int:
    """Insert `rows` into the model's table, skipping unique conflicts; returns rows inserted."""
    if not rows:
        return 0
    table = model.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # sqlite3 sums the rows of an executemany; that is twice as fast as RETURNING.
        return session.connection().execute(sqlite.insert(table).on_conflict_do_nothing(), list(rows)).rowcount
    if dialect == "postgresql":
        # psycopg's executemany does not report rows reliably: count what RETURNING gives back.
        statement = postgresql.insert(table).on_conflict_do_nothing().returning(table.c.id)
        return len(session.connection().execute(statement, list(rows)).all())
    raise RuntimeError(f"unsupported database {dialect}")  # pragma: no cover - only the two supported
