"""Identity-document applications and their pickup lifecycle."""

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class DocumentApplication(SQLModel, table=True):
    """An application for an ID card, passport, residence permit or driving licence.

    The Bundesdruckerei's feed moves it from applied to shipped and arrived; the pickup desk
    confirms arrival and hands it over. Contact data for the notice is erased after hand-over.
    """

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    application_number: str = Field(unique=True, index=True)
    doc_type: str
    serial_number: str | None = Field(default=None, unique=True, index=True)
    status: str = Field(index=True)
    status_at: NaiveDatetime | None = Field(default=None, description="Zeitpunkt of the last feed status")
    parcel: str | None = None
    applied_at: NaiveDatetime
    shipped_at: NaiveDatetime | None = None
    arrived_at: NaiveDatetime | None = Field(default=None, index=True)
    confirmed_at: NaiveDatetime | None = None
    notified_at: NaiveDatetime | None = None
    reminded_at: NaiveDatetime | None = None
    handed_over_at: NaiveDatetime | None = None
    handed_over_by: int | None = Field(default=None, foreign_key="staffuser.id")
    representative_name: str | None = None
    old_document_invalidated: bool = False
    pin_letter_handed: bool = False
    notify_channel: str = "email"
    notify_email: str | None = None
    notify_phone: str | None = None
