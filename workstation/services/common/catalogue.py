"""Which catalogue rows an office offers (each office has its own catalogue)."""

from sqlalchemy import ColumnElement

from workstation.models import Service


def offered_by(office_id: int) -> ColumnElement[bool]:
    """A WHERE condition for the services of one office's catalogue."""
    return Service.office_id == office_id
