"""Stored results of the daily controlling job (long format: one row per figure)."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint


class DailyMetric(SQLModel, table=True):
    """One figure for one day, office and (optionally) area and service.

    Empty strings mean "all": keeping the key columns NOT NULL lets the unique constraint hold.
    """

    __table_args__ = (
        UniqueConstraint("day", "office_id", "area", "service_code", "metric", name="uq_metric"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str = ""
    service_code: str = ""
    metric: str = Field(index=True)
    value: float
    computed_at: datetime
