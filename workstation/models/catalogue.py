"""The service catalogue: what citizens can come for."""

from sqlmodel import Field, SQLModel


class Service(SQLModel, table=True):
    """A bookable service (Dienstleistung) with its planned duration and documents to bring."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    area: str = Field(index=True)
    planned_minutes: int
    documents: str = Field(default="", description="Documents to bring, one per line")
    online_bookable: bool = True
    max_count: int = Field(default=1, description="How many of this concern one appointment may hold")
    active: bool = True
