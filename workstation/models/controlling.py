"""Inputs of the controlling figures that the rest of the domain does not record.

- `BookingCapacity`: how many appointments an area can take on a normal weekday (the demo's sizing of
  its office; no figure reads it since the lead time comes from the booking engine).
- `LeadTimeRecord`: the booking engine's first free online time per office and area, recorded each
  morning: the lead time the controlling figures show is what a citizen was really offered.
- `OnlineServiceRecord`: one transaction completed through an online service (parking permit,
  certificate, online registration, ...), so the online share can be reported.
- `FeedbackEntry`: one answer from a feedback terminal (anonymous: no visit, no person) or one
  complaint in the complaints register (with channel, topic and outcome).
"""

from datetime import date

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


class LeadTimeRecord(SQLModel, table=True):
    """The first free online time of an area as the booking engine offered it on one morning.

    One row per office, area and Berlin day (recorded once; a re-run of the job changes nothing).
    `service_code`/`minutes` name the reference concern searched for; `first_free_at` (naive UTC) is
    empty when nothing was free within the horizon, and `lead_days` is then the horizon. `source` is
    "engine" for a record taken from the booking engine, "demo" for the demo seeder's simulated history.
    """

    __table_args__ = (UniqueConstraint("office_id", "area", "day", name="uq_lead_time"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str
    day: date = Field(index=True)
    recorded_at: NaiveDatetime
    service_code: str
    minutes: int
    first_free_at: NaiveDatetime | None = None
    lead_days: int
    source: str = "engine"


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
