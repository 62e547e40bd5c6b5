"""Writing the demo into the database: bulk inserts in dependency order, wiping, id sequences.

Half a million rows through the ORM or even SQLAlchemy's executemany take tens of seconds; the rows go
straight to the driver instead (SQLite `executemany`, PostgreSQL `COPY`). Timestamps and dates are
written in the text form SQLAlchemy itself uses on SQLite ("2026-11-23 07:00:00.000000"), which
PostgreSQL reads as well.
"""

from collections.abc import Iterable

import polars as pl
from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%6f"


def insert_all(session: Session, rows: dict[type[SQLModel], list[list[dict] | pl.DataFrame]]) -> dict[str, int]:
    """Insert every queued row, parents before children; returns rows per table."""
    by_table = {model.__table__.name: parts for model, parts in rows.items() if parts}
    connection = session.connection()
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        parts = by_table.get(table.name)
        if not parts:
            continue
        columns = [c.name for c in table.columns]
        names = ", ".join(f'"{c}"' for c in columns)
        counts[table.name] = 0
        for part in parts:
            tuples = _tuples(table, columns, part, dialect)
            if dialect.name == "postgresql":
                with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in tuples:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                driver.cursor().executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', tuples)
            counts[table.name] += len(part)
    if dialect.name == "postgresql":
        _advance_sequences(session, list(by_table))
    return counts


def _tuples(table: Table, columns: list[str], part: list[dict] | pl.DataFrame, dialect: Dialect) -> Iterable[tuple]:
    if isinstance(part, pl.DataFrame):
        if set(part.columns) != set(columns):
            raise ValueError(f"{table.name}: columns {sorted(set(part.columns) ^ set(columns))} do not match")
        as_text = [
            pl.col(name).dt.strftime(DATETIME_FORMAT) if dtype == pl.Datetime
            else pl.col(name).dt.strftime("%Y-%m-%d") if dtype == pl.Date
            else pl.col(name)
            for name, dtype in part.schema.items()
        ]
        return part.select(as_text).select(columns).rows()
    if part and set(part[0]) != set(columns):
        raise ValueError(f"{table.name}: columns {sorted(set(part[0]) ^ set(columns))} do not match")
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    pairs = list(zip(columns, processors, strict=True))
    return [tuple(p(row[c]) if p and row[c] is not None else row[c] for c, p in pairs) for row in part]


def _advance_sequences(session: Session, table_names: list[str]) -> None:
    """Ids were given explicitly; move PostgreSQL's sequences past them so the app's inserts do not collide."""
    for name in table_names:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{name}\"), 0) + 1, false)"
        ))


def wipe(session: Session) -> None:
    """Delete every row of the application's tables (children first)."""
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    for table in tables:
        session.execute(table.delete())


def is_empty(session: Session, table: Table) -> bool:
    """True if the table has no rows."""
    return session.execute(select(func.count()).select_from(table)).scalar_one() == 0
