"""Back-office tasks, their history and attachments."""

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class BackofficeTask(SQLModel, table=True):
    """A case worked after the booked appointments: owner, due date, status and outcome."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    type: str = Field(index=True)
    title: str
    reference: str = Field(default="", index=True)
    description: str = ""
    due_date: date | None = Field(default=None, index=True)
    priority: str = "normal"
    status: str = Field(default="open", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staffuser.id", index=True)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id")
    source: str = "manual"
    outcome: str = ""
    created_by: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: NaiveDatetime = Field(index=True)
    updated_at: NaiveDatetime
    closed_at: NaiveDatetime | None = Field(default=None, index=True)
    version: int = 0


class TaskEvent(SQLModel, table=True):
    """One change of a task, kept as its history."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="backofficetask.id", index=True)
    at: NaiveDatetime
    user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    action: str
    detail: str = ""


class TaskAttachment(SQLModel, table=True):
    """A file attached to a task, stored outside Reflex's public upload folder."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="backofficetask.id", index=True)
    filename: str
    stored_path: str
    content_type: str
    size_bytes: int
    uploaded_by: int | None = Field(default=None, foreign_key="staffuser.id")
    uploaded_at: NaiveDatetime
