"""Writing the demo into the database: bulk inserts in dependency order, wiping, id sequences."""

from sqlalchemy import func, insert, select, text
from sqlmodel import Session, SQLModel

CHUNK_ROWS = 5_000


def insert_all(session: Session, rows: dict[type[SQLModel], list[dict]]) -> dict[str, int]:
    """Insert every queued row, parents before children; returns rows per table."""
    by_table = {model.__table__.name: (model, batch) for model, batch in rows.items() if batch}
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in by_table:
            continue
        _model, batch = by_table[table.name]
        for start in range(0, len(batch), CHUNK_ROWS):
            session.execute(insert(table), batch[start:start + CHUNK_ROWS])
        counts[table.name] = len(batch)
    if session.get_bind().dialect.name == "postgresql":
        _advance_sequences(session, list(by_table))
    return counts


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


def is_empty(session: Session, table) -> bool:
    """True if the table has no rows."""
    return session.execute(select(func.count()).select_from(table)).scalar_one() == 0
