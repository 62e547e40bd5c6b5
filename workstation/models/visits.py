"""Visits (appointments, walk-ins, emergencies, dealer batches), their concerns and plates.

One table holds every kind of visit so that the queue and the metrics read a single source; all
timestamps are naive UTC.
"""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Visit(SQLModel, table=True):
    """A person's visit: booked ahead or walked in, with every step timestamped for the metrics."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    kind: str = Field(index=True)
    status: str = Field(index=True)
    area: str = Field(index=True)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    dealer_id: int | None = Field(default=None, foreign_key="dealer.id", index=True)
    batch_size: int = 0
    booking_code: str | None = Field(default=None, unique=True, index=True)
    channel: str | None = None
    booked_at: NaiveDatetime | None = None
    slot_start: NaiveDatetime | None = Field(default=None, index=True)
    slot_end: NaiveDatetime | None = None
    cancelled_at: NaiveDatetime | None = None
    checked_in_at: NaiveDatetime | None = Field(default=None, index=True)
    called_at: NaiveDatetime | None = None
    call_count: int = 0
    started_at: NaiveDatetime | None = None
    parked_at: NaiveDatetime | None = None
    finished_at: NaiveDatetime | None = None
    no_show_at: NaiveDatetime | None = None
    counter_id: int | None = Field(default=None, foreign_key="counter.id", index=True)
    advisor_id: int | None = Field(default=None, foreign_key="staffuser.id", index=True)
    booking_note: str = ""
    desk_note: str = ""
    park_room: str | None = Field(default=None, description="Where a parked person waits")
    redirected_from_counter_id: int | None = Field(
        default=None, foreign_key="counter.id",
        description="The counter that sent this person on to another area; it does not call them back",
    )
    version: int = 0
    ticket: str | None = Field(default=None, description="Number on the call display, e.g. A-042 (per day)")


class Concern(SQLModel, table=True):
    """One concern (Anliegen) of a visit: the service asked for and what became of it."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    status: str = "planned"
    not_done_reason: str = ""


class VisitEvent(SQLModel, table=True):
    """A step in a visit's life (call, recall, out-of-order call, park, redirect, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    at: NaiveDatetime = Field(index=True)
    kind: str
    user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    detail: str = ""


class ReservedPlate(SQLModel, table=True):
    """A reserved licence plate (Wunschkennzeichen) and whether it is still held."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    plate: str = Field(index=True)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    dealer_id: int | None = Field(default=None, foreign_key="dealer.id")
    status: str = Field(index=True)
    reserved_at: NaiveDatetime
    expires_at: NaiveDatetime
    assigned_at: NaiveDatetime | None = None
