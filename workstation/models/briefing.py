"""Notes for the 07:45 briefing: news and open questions."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class BriefingNote(SQLModel, table=True):
    """A short markdown note by a team lead; questions can be marked answered."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    kind: str
    body_md: str
    author_id: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: NaiveDatetime
    pinned: bool = False
    expires_at: NaiveDatetime | None = None
    answered_at: NaiveDatetime | None = None
    answer_md: str = ""
