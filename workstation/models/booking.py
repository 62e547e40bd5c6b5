"""Online and staff booking: bookable lanes, closing days, catalogue combinations, claims, holds, tokens.

The guarantee against double booking lives in the database, not in the code: every booked or held
5-minute unit of a lane is one `SlotClaim` row, and (office, area, lane, unit) is UNIQUE. All units of
an appointment are inserted in one transaction, so a second claim on any of them is refused by the
database itself, on SQLite and PostgreSQL alike (services/booking/claims.py).
"""

from datetime import date, time

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint


class BookingLane(SQLModel, table=True):
    """One counter's bookable window in an area on a weekday (0 = Monday); an appointment fits one lane."""

    __table_args__ = (UniqueConstraint("office_id", "area", "lane", "weekday", "opens", name="uq_lane_window"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str
    lane: int
    weekday: int
    opens: time
    closes: time


class ClosingDay(SQLModel, table=True):
    """A day the office takes no appointments (besides Sundays and public holidays)."""

    __table_args__ = (UniqueConstraint("office_id", "day", name="uq_closing_day"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    day: date
    reason: str = ""


class ServiceConflict(SQLModel, table=True):
    """Two services that cannot share one appointment (stored once, lower id first)."""

    __table_args__ = (UniqueConstraint("service_id", "other_service_id", name="uq_service_conflict"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    other_service_id: int = Field(foreign_key="service.id")


class Reservation(SQLModel, table=True):
    """A lane's time taken by a hold, a booking, or a cancelled booking cooling off.

    `state`: held (until `expires_at`), booked (no expiry; `visit_id` set), cooling (a freed time,
    offered again after `expires_at`). Units are 5-minute steps counted from 1970-01-01 UTC.
    """

    __table_args__ = (Index("ix_reservation_lane_time", "office_id", "area", "start_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    area: str
    lane: int
    start_unit: int
    end_unit: int
    state: str
    expires_at: NaiveDatetime | None = Field(default=None, index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
    hold_hash: str | None = Field(default=None, unique=True, max_length=64)
    request: str = Field(default="", description="Held concerns as JSON [[service_id, count], ...]")
    emergency: bool = False
    created_at: NaiveDatetime


class SlotClaim(SQLModel, table=True):
    """One taken 5-minute unit of a lane; the UNIQUE constraint is what refuses a double booking."""

    __table_args__ = (UniqueConstraint("office_id", "area", "lane", "unit", name="uq_slot_claim"),)

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(foreign_key="reservation.id", index=True)
    office_id: int
    area: str
    lane: int
    unit: int


class BookingAccess(SQLModel, table=True):
    """The citizen's cancel/move link: only the SHA-256 of the 128-bit token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", unique=True)
    token_hash: str = Field(unique=True, max_length=64)
    sequence: int = 0
    created_at: NaiveDatetime


class UsedChallenge(SQLModel, table=True):
    """A proof-of-work challenge already spent (single use); kept until the challenge would expire."""

    id: int | None = Field(default=None, primary_key=True)
    challenge_hash: str = Field(unique=True, max_length=64)
    expires_at: NaiveDatetime = Field(index=True)


class BookingAttempt(SQLModel, table=True):
    """One search or booking request of a client (salted hash of its address), for the rate limit."""

    id: int | None = Field(default=None, primary_key=True)
    client_hash: str = Field(index=True, max_length=64)
    kind: str
    at: NaiveDatetime = Field(index=True)
