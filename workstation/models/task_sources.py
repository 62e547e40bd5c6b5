"""Where a back-office task came from, keyed so that the same request never becomes two tasks."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class TaskSourceKey(SQLModel, table=True):
    """A unique key of an outside request (CSV line of an authority, a feed message) and its task.

    The unique constraint is what makes a re-imported file or a re-run job create nothing twice,
    even when two imports of the same file race each other.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=300)
    task_id: int = Field(foreign_key="backofficetask.id", index=True)
    created_at: NaiveDatetime
