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
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    # RETURNING counts reliably across drivers (rowcount of an executemany is not).
    result = session.connection().execute(statement.returning(table.c.id), list(rows))
    return len(result.all())
