"""The lobby's devices and what they record: kiosk browsers, ticket numbers, refused check-ins.

- `LobbyDevice`: a check-in terminal, call display or feedback terminal. Staff create it and get a
  one-time pairing code (only its hash is stored, valid for minutes); pairing gives the browser a
  device token of its own (only its hash is stored), which staff can revoke. A device never holds a
  staff login.
- `TicketSequence`: the last ticket number drawn per office, day and area letter ("A-042").
- `CheckinAttempt`: a scan at a terminal that could not check anyone in, so reception can help.
"""

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel, UniqueConstraint


class LobbyDevice(SQLModel, table=True):
    """A kiosk browser in the entrance or waiting room, paired once and identified by its own token."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    kind: str = Field(index=True)
    name: str
    rows: int = 8
    orientation: str = "landscape"
    token_hash: str | None = Field(default=None, unique=True, index=True)
    pairing_hash: str | None = Field(default=None, unique=True, index=True)
    pairing_expires_at: NaiveDatetime | None = None
    created_at: NaiveDatetime
    created_by: int | None = Field(default=None, foreign_key="staffuser.id")
    paired_at: NaiveDatetime | None = None
    revoked_at: NaiveDatetime | None = None
    last_seen: NaiveDatetime | None = None
    last_action_at: NaiveDatetime | None = Field(
        default=None, description="Last vote or walk-in ticket: one per few seconds per device"
    )


class TicketSequence(SQLModel, table=True):
    """The last ticket number handed out for one letter (area) in one office on one Berlin day."""

    __table_args__ = (UniqueConstraint("office_id", "day", "letter", name="uq_ticket_sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    day: date
    letter: str
    last: int = 0


class CheckinAttempt(SQLModel, table=True):
    """A scan at a check-in terminal that checked nobody in (too late, unknown, cancelled, not today)."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    device_id: int | None = Field(default=None, foreign_key="lobbydevice.id")
    at: NaiveDatetime = Field(index=True)
    code: str
    reason: str
