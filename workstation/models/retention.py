"""What the nightly retention job did: one row per run."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class RetentionRun(SQLModel, table=True):
    """One run of the retention job; `counts` is JSON text {rule key: rows changed}, written after each rule.

    A run without `finished_at` either is still working or stopped (the error says why); the next run
    finishes what it left, because every rule only picks rows that are still due.
    """

    id: int | None = Field(default=None, primary_key=True)
    started_at: NaiveDatetime = Field(index=True)
    finished_at: NaiveDatetime | None = None
    counts: str = "{}"
    error: str = ""
