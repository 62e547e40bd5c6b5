"""Bulk inserts that skip rows whose unique key already exists (SQLite and PostgreSQL).

Used where a row must exist at most once (an outbox message, a rejection): a second attempt, e.g.
after a crash, is then a no-op instead of an error that would roll back the whole transaction.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

_CHUNK = 2000


def insert_ignoring_duplicates(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]],
                               key: str = "dedupe_key") -> int:
    """Insert `rows` into the model's table, skipping rows whose unique `key` exists; returns rows inserted."""
    if not rows:
        return 0
    table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # sqlite3 sums the rows of an executemany.
        return connection.execute(sqlite.insert(table).on_conflict_do_nothing(), list(rows)).rowcount
    if dialect != "postgresql":  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    # psycopg reports no row count for a batched insert, and RETURNING makes it several times slower:
    # count the keys present beforehand instead (within this transaction's view).
    keys = [row[key] for row in rows]
    present = sum(
        connection.execute(select(func.count()).where(table.c[key].in_(keys[i : i + _CHUNK]))).scalar_one()
        for i in range(0, len(keys), _CHUNK)
    )
    connection.execute(postgresql.insert(table).on_conflict_do_nothing(), list(rows))
    return len(set(keys)) - present
