"""The office, its desks, its staff and their sessions."""

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel, UniqueConstraint

from workstation.models.enums import OfficeKind


class Office(SQLModel, table=True):
    """One citizen office; a city may run several."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=4, unique=True, index=True)
    name: str
    city: str
    opening_hours: str = Field(description="Human-readable hours for citizen notices")
    address: str = Field(default="", description="Street and town, for citizens (booking page, mails)")
    kind: str = Field(default=OfficeKind.CITIZEN_OFFICE, description="An OfficeKind value")


class Counter(SQLModel, table=True):
    """A desk on the floor: a regular counter, a dealer desk, reception or the pickup desk."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    name: str
    kind: str = Field(index=True)
    room: str = ""
    active: bool = True


class StaffUser(SQLModel, table=True):
    """A member of staff who logs in; the password hash never leaves the server."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    username: str = Field(unique=True, index=True)
    display_name: str
    role: str = Field(index=True)
    password_hash: str
    active: bool = True
    created_at: NaiveDatetime
    weekly_hours: float = Field(default=39.0, description="Contracted hours a week (full time: the setting, 39)")


class UserSession(SQLModel, table=True):
    """A login session; only a hash of the browser's token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    revoked_at: NaiveDatetime | None = None
    acting_office_id: int | None = Field(
        default=None, foreign_key="office.id", description="The office a city admin switched this session to"
    )


class StaffAssignment(SQLModel, table=True):
    """Who sits at which desk on a given day (staffing plan and the counter an advisor took)."""

    __table_args__ = (UniqueConstraint("day", "user_id", name="uq_assignment_day_user"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    counter_id: int = Field(foreign_key="counter.id", index=True)
