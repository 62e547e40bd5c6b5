"""The notification outbox: every message to a citizen is queued here before it is sent."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Notification(SQLModel, table=True):
    """A queued e-mail or SMS; `dedupe_key` makes enqueuing idempotent, the sender retries.

    `claim_token`/`claimed_until` are the sender's lease: a run writes its random token and the lease's
    end when it takes the row; another run may take it only when `claimed_until` is empty or past. The
    token stays after the outcome is recorded (it names the run that sent it), `claimed_until` is cleared.
    """

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, index=True)
    kind: str
    channel: str
    recipient: str | None
    subject: str
    body: str
    attachments: str = Field(default="", description="JSON list of {filename, mime, data (base64)}")
    application_id: int | None = Field(default=None, foreign_key="documentapplication.id")
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    next_attempt_at: NaiveDatetime | None = Field(default=None, index=True)
    last_error: str = ""
    created_at: NaiveDatetime
    sent_at: NaiveDatetime | None = None
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_until: NaiveDatetime | None = None
