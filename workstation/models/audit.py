"""Audit trail of who read or changed citizen data."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class AuditLog(SQLModel, table=True):
    """One access to citizen data (or a login / refused action)."""

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    user_id: int | None = Field(default=None, foreign_key="staffuser.id", index=True)
    action: str
    entity: str
    entity_id: int | None = None
    citizen_id: int | None = Field(default=None, index=True)
    detail: str = ""
