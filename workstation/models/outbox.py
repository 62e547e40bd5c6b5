"""The notification outbox: every message to a citizen is queued here before it is sent."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Notification(SQLModel, table=True):
    """A queued e-mail or SMS; `dedupe_key` makes enqueuing idempotent, the sender retries."""

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, index=True)
    kind: str
    channel: str
    recipient: str | None
    subject: str
    body: str
    application_id: int | None = Field(default=None, foreign_key="documentapplication.id")
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    next_attempt_at: NaiveDatetime | None = Field(default=None, index=True)
    last_error: str = ""
    created_at: NaiveDatetime
    sent_at: NaiveDatetime | None = None
