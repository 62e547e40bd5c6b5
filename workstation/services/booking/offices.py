"""Which offices citizens can book with, and a request's concerns in another office's catalogue.

A city runs several offices in one installation (issue 15), each with its own catalogue: the same
concern is a different `Service` row per office (the same `code`), and an office of another kind (the
foreigners' office) offers other concerns altogether. An office takes online bookings when it has at
least one active, online-bookable service and at least one booking lane. Citizens choose one of them,
or the earliest free time in any office that offers every chosen concern; a request is moved into an
office's catalogue by the services' codes (`translate`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlmodel import Session

from workstation.models import BookingLane, Office, Service

ANY = "*"
"""The choice "earliest free time in any office"."""

_O, _S, _L = (m.__table__ for m in (Office, Service, BookingLane))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BookableOffice:
    """An office as the booking page lists it."""

    id: int
    code: str
    name: str
    city: str
    address: str
    opening_hours: str
    kind: str


def bookable(session: Session) -> list[BookableOffice]:
    """The offices that take online bookings, by name."""
    offers = exists().where(_S.c.office_id == _O.c.id, _S.c.active.is_(True), _S.c.online_bookable.is_(True))
    has_lanes = exists().where(_L.c.office_id == _O.c.id)
    rows = session.connection().execute(
        select(_O.c.id, _O.c.code, _O.c.name, _O.c.city, _O.c.address, _O.c.opening_hours, _O.c.kind)
        .where(offers, has_lanes).order_by(_O.c.name, _O.c.id)).all()
    return [BookableOffice(*row) for row in rows]


def _codes(session: Session, items: Sequence[tuple[int, int]]) -> dict[int, str]:
    ids = [int(i) for i, n in items if n > 0]
    return dict(session.connection().execute(select(_S.c.id, _S.c.code).where(_S.c.id.in_(ids))).all())


def translate(session: Session, items: Sequence[tuple[int, int]], office_id: int) -> list[tuple[int, int]] | None:
    """The request in the office's catalogue (its online-bookable services of the same codes), or None
    when the office does not offer every chosen concern online."""
    codes = _codes(session, items)
    if not codes:
        return None
    theirs = dict(session.connection().execute(
        select(_S.c.code, _S.c.id).where(_S.c.office_id == office_id, _S.c.code.in_(set(codes.values())),
                                         _S.c.active.is_(True), _S.c.online_bookable.is_(True))).all())
    out = []
    for service_id, count in items:
        code = codes.get(int(service_id))
        if count > 0:
            if code not in theirs:
                return None
            out.append((theirs[code], count))
    return out


def offering(session: Session, items: Sequence[tuple[int, int]]) -> list[tuple[BookableOffice, list[tuple[int, int]]]]:
    """Every bookable office that offers all chosen concerns online, with the request in its catalogue."""
    out = []
    for office in bookable(session):
        mine = translate(session, items, office.id)
        if mine is not None:
            out.append((office, mine))
    return out
