"""What the Bundesdruckerei feed brought: messages applied, entries rejected, status look-ups.

`FeedMessage.message_id` is unique: it is written in the same transaction that applies a file, so a
file seen before (or a run that crashed after the commit) changes nothing a second time.
"""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class FeedMessage(SQLModel, table=True):
    """One Versandavis file that was applied, with what became of its entries."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, index=True, max_length=64)
    office_code: str = Field(max_length=4)
    created: NaiveDatetime = Field(description="Erstellt (naive UTC)")
    shipment: str = ""
    filename: str
    received_at: NaiveDatetime = Field(index=True)
    entries: int = 0
    applied: int = 0
    ignored: int = 0
    rejected: int = 0


class FeedRejection(SQLModel, table=True):
    """A file or an entry of the feed that was not applied, and why, for the pickup desk.

    `needs_action` is false for entries that were only recorded (an older status than the one known);
    `dedupe_key` keeps a file quarantined twice (after a crash) from being listed twice.
    """

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  description="The office addressed; None for a file whose office is unknown")
    dedupe_key: str = Field(unique=True, index=True, max_length=160)
    filename: str
    message_id: str | None = Field(default=None, index=True, max_length=64)
    entry_index: int | None = None
    serial_number: str = ""
    application_number: str = ""
    doc_type: str = ""
    feed_status: str = ""
    reason: str
    needs_action: bool = Field(default=True, index=True)
    created_at: NaiveDatetime = Field(index=True)
    resolved_at: NaiveDatetime | None = Field(default=None, index=True)
    resolved_by: int | None = Field(default=None, foreign_key="staffuser.id")
    resolution: str = ""


class StatusLookup(SQLModel, table=True):
    """One question on the public status page, kept briefly to rate-limit a client.

    Only a salted hash of the client's address is stored; rows older than the window are deleted.
    """

    id: int | None = Field(default=None, primary_key=True)
    client_hash: str = Field(index=True, max_length=64)
    at: NaiveDatetime = Field(index=True)
