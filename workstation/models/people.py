"""Citizens and dealers: only the personal data the office needs to serve and notify them."""

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Citizen(SQLModel, table=True):
    """A resident who books, visits or waits for a document."""

    id: int | None = Field(default=None, primary_key=True)
    first_name: str
    last_name: str = Field(index=True)
    birth_date: date | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    email: str | None = None
    phone: str | None = None
    created_at: NaiveDatetime


class Dealer(SQLModel, table=True):
    """A car dealer (Großkunde) served at the dealer desks with batches of registrations."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    customer_number: str = Field(unique=True)
    contact_email: str | None = None
