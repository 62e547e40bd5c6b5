"""Failed logins, kept only as long as they count towards a lock (the throttle's window)."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class LoginFailure(SQLModel, table=True):
    """One failed login: salted hashes of the typed user name and of the client's address, never the text."""

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    name_key: str = Field(index=True)
    client_key: str = Field(index=True)
