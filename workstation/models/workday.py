"""An advisor's hand-made choice between the queue and the back-office list."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class WorkModeOverride(SQLModel, table=True):
    """The mode an advisor chose by hand, and the automatic mode that was in force at that moment.

    The choice holds only while the automatic mode stays what it was: the next automatic change
    (13:00, someone checked in) ends it.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staffuser.id", unique=True, index=True)
    mode: str
    automatic_mode: str
    set_at: NaiveDatetime
