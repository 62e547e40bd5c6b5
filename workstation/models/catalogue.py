"""The service catalogue: what citizens can come for, per office."""

from sqlmodel import Field, SQLModel, UniqueConstraint


class Service(SQLModel, table=True):
    """A bookable service (Dienstleistung) with its planned duration and documents to bring.

    Each office of a city has its own catalogue (a foreigners' office offers other services than a
    Bürgerbüro), so the code is unique per office; a new office starts with a copy of another's.
    """

    __table_args__ = (UniqueConstraint("office_id", "code", name="uq_service_office_code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    code: str = Field(index=True)
    name: str
    area: str = Field(index=True)
    planned_minutes: int
    documents: str = Field(default="", description="Documents to bring, one per line")
    online_bookable: bool = True
    max_count: int = Field(default=1, description="How many of this concern one appointment may hold")
    active: bool = True
