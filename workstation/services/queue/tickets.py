"""Ticket numbers ("A-042"): what the call display shows instead of a name.

A visit gets its number when it enters the queue (check-in, walk-in, emergency, dealer, a ticket
drawn at the terminal) and keeps it. Numbers count per office, Berlin day and letter; the letter
names the area, so a waiting person can tell the areas' queues apart. The counter row is bumped
with one `UPDATE … RETURNING`, so two check-ins at the same moment never get the same number on
either database.
"""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from workstation import clock
from workstation.models import Area, TicketSequence, Visit, VisitKind

LETTERS: dict[str, str] = {
    Area.REGISTRATION: "A",
    Area.ID_DOCUMENTS: "B",
    Area.VEHICLES: "C",
    Area.DRIVING_LICENCES: "D",
    Area.PARTNER: "E",
}
DEALER_LETTER = "H"


def letter_for(area: str, kind: str) -> str:
    """The ticket letter of a visit: dealers have their own queue, everyone else their area's."""
    if kind == VisitKind.DEALER:
        return DEALER_LETTER
    return LETTERS.get(area, "X")


def next_ticket(session: Session, office_id: int, letter: str, now: datetime) -> str:
    """Draw the next number of a letter for the office's Berlin day (inside the caller's transaction)."""
    day = clock.to_local(now).date()
    table = TicketSequence.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    insert = sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert
    connection.execute(
        insert(table).values(office_id=office_id, day=day, letter=letter, last=0).on_conflict_do_nothing()
    )
    number = connection.execute(
        update(table)
        .where(table.c.office_id == office_id, table.c.day == day, table.c.letter == letter)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    ).scalar_one()
    return f"{letter}-{number:03d}"


def give_ticket(session: Session, visit: Visit, now: datetime) -> str:
    """The visit's ticket, drawn now unless it has one (a second check-in keeps the first number)."""
    if not visit.ticket:
        visit.ticket = next_ticket(session, visit.office_id, letter_for(visit.area, visit.kind), now)
        session.add(visit)
    return visit.ticket
