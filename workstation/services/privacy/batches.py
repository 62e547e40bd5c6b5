"""Batches of the retention run: the run's instant with its cut-offs, and the batch-wise select/update/delete.

Every rule changes at most `limit` due rows with an id above `after` per call (see `retention`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from workstation import clock
from workstation.config import Settings


@dataclass(frozen=True)
class Due:
    """The instant of a run and the settings; gives the cut-offs of the rules."""

    now: datetime
    conf: Settings

    def before(self, days: int) -> datetime:
        """Instants earlier than this are more than `days` days ago."""
        return self.now - timedelta(days=days)

    def days_before(self, days: int) -> datetime:
        """Start of the Berlin day `days` days before today: a visit before it is more than `days` days past."""
        today = clock.to_local(self.now).date()
        return clock.local_day_bounds(today - timedelta(days=days))[0]


def due_ids(session: Session, table, condition: ColumnElement, limit: int, after: int) -> list[int]:
    """The next `limit` due rows by id after `after` (the run walks each table once, not from the start)."""
    return list(session.connection().execute(
        select(table.c.id).where(table.c.id > after, condition).order_by(table.c.id).limit(limit)
    ).scalars())


def update_due(session: Session, table, condition: ColumnElement, limit: int, after: int, **values) -> list[int]:
    ids = due_ids(session, table, condition, limit, after)
    if ids:
        session.connection().execute(update(table).where(table.c.id.in_(ids), condition).values(**values))
    return ids


def delete_due(session: Session, table, condition: ColumnElement, limit: int, after: int) -> list[int]:
    ids = due_ids(session, table, condition, limit, after)
    if ids:
        session.connection().execute(delete(table).where(table.c.id.in_(ids), condition))
    return ids
