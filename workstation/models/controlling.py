"""Inputs of the controlling figures that the rest of the domain does not record.

- `BookingCapacity`: how many appointments an area can take on a normal weekday; with the bookings'
  timestamps it tells which day had the next free slot as it stood at 06:00 (the lead time).
- `OnlineServiceRecord`: one transaction completed through an online service (parking permit,
  certificate, online registration, ...), so the online share can be reported.
- `FeedbackEntry`: one answer from a feedback terminal (anonymous: no visit, no person) or one
  complaint in the complaints register (with channel, topic and outcome).
"""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel, UniqueConstraint


class BookingCapacity(SQLModel, table=True):
    """Bookable appointment slots of one area on one weekday (0 = Monday); public holidays count as closed."""

    __table_args__ = (UniqueConstraint("office_id", "area", "weekday", name="uq_capacity"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str
    weekday: int
    slots: int


class OnlineServiceRecord(SQLModel, table=True):
    """A case completed online without a visit; `reference` (the platform's id) makes imports idempotent."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    reference: str = Field(unique=True, index=True)
    kind: str
    area: str
    completed_at: NaiveDatetime = Field(index=True)


class FeedbackEntry(SQLModel, table=True):
    """A rating from a feedback terminal (score 1 = very bad … 5 = very good) or a complaint (score may be empty)."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str = ""
    at: NaiveDatetime = Field(index=True)
    score: int | None = None
    complaint: bool = False
    comment: str = ""
    wait_score: int | None = None
    friendliness_score: int | None = None
    competence_score: int | None = None
    rooms_score: int | None = None
    channel: str | None = Field(default=None, description="Complaints: how it reached us (Brief, E-Mail, ...)")
    topic: str | None = None
    outcome: str | None = None
    recorded_by: int | None = Field(default=None, foreign_key="staffuser.id")
