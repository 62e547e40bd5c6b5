"""What may be booked together: counts per concern, combinations, the summed duration, documents to bring.

A request is a list of (service id, count). It becomes a `Plan` only when every rule holds: the
services exist and are active (and bookable online when a citizen books), each count is between 1 and
the service's `max_count`, and no two chosen services are listed as a `ServiceConflict`. The
appointment belongs to the area of the concern with the most planned minutes (the first chosen on a
tie); a counter of that area handles the other concerns too, as the office does today.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from workstation.models import Concern, Service, ServiceConflict
from workstation.services.booking.errors import BookingError
from workstation.services.booking.units import units_for
from workstation.services.common.catalogue import offered_by

MAX_CONCERNS = 10
"""At most this many concerns (counted with their counts) in one appointment."""


@dataclass(frozen=True)
class PlannedConcern:
    """One chosen service with its count."""

    service_id: int
    code: str
    name: str
    count: int
    minutes_each: int
    documents: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return self.minutes_each * self.count


@dataclass(frozen=True)
class Plan:
    """A valid request: its concerns, area, summed minutes and units, and the documents to bring."""

    concerns: tuple[PlannedConcern, ...]
    area: str

    @property
    def minutes(self) -> int:
        return sum(c.minutes for c in self.concerns)

    @property
    def units(self) -> int:
        return units_for(self.minutes)

    @property
    def documents(self) -> list[str]:
        """Every document to bring, once each, in the order of the concerns."""
        seen: dict[str, None] = {}
        for concern in self.concerns:
            for doc in concern.documents:
                seen.setdefault(doc, None)
        return list(seen)

    def request(self) -> list[list[int]]:
        """The plan as stored with a hold: [[service_id, count], ...]."""
        return [[c.service_id, c.count] for c in self.concerns]

    def request_json(self) -> str:
        return json.dumps(self.request())


_PLAN_COLUMNS = (Service.id, Service.code, Service.name, Service.area, Service.active, Service.online_bookable,
                 Service.max_count, Service.planned_minutes, Service.documents)


def _documents(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def plan(session: Session, items: Sequence[tuple[int, int]], *, online: bool, office_id: int | None = None) -> Plan:
    """Check a request against the catalogue (of `office_id`: another office's services are unknown there);
    raises `BookingError` naming the broken rule."""
    merged: dict[int, int] = {}
    for service_id, count in items:
        if count > 0:
            merged[int(service_id)] = merged.get(int(service_id), 0) + int(count)
    if not merged:
        raise BookingError("empty", "Bitte wählen Sie mindestens ein Anliegen.", "Please choose at least one service.")
    if sum(merged.values()) > MAX_CONCERNS:
        raise BookingError("too_many", f"Höchstens {MAX_CONCERNS} Anliegen pro Termin.",
                           f"At most {MAX_CONCERNS} services per appointment.")
    query = select(*_PLAN_COLUMNS).where(col(Service.id).in_(list(merged)))  # plain rows: every hold plans
    if office_id is not None:
        query = query.where(offered_by(office_id))
    services = {s.id: s for s in session.exec(query)}
    concerns = []
    for service_id, count in merged.items():
        service = services.get(service_id)
        if service is None or not service.active or (online and not service.online_bookable):
            raise BookingError("unknown_service", "Dieses Anliegen kann nicht online gebucht werden.",
                               "This service cannot be booked online.")
        if count > service.max_count:
            raise BookingError("count", f"„{service.name}“ höchstens {service.max_count}-mal pro Termin.",
                               f"“{service.name}” at most {service.max_count} times per appointment.")
        concerns.append(PlannedConcern(service.id, service.code, service.name, count, service.planned_minutes,
                                       _documents(service.documents)))
    _check_conflicts(session, services)
    longest = max(concerns, key=lambda c: c.minutes)  # max() keeps the first of equals
    return Plan(tuple(concerns), services[longest.service_id].area)


def describe(session: Session, items: Sequence[tuple[int, int]]) -> Plan:
    """A booked request as it reads today, without checking the rules again (the catalogue may have changed)."""
    services = {s.id: s for s in session.exec(select(Service).where(col(Service.id).in_([i for i, _ in items])))}
    concerns = tuple(PlannedConcern(s.id, s.code, s.name, n, s.planned_minutes, _documents(s.documents))
                     for s, n in ((services[i], n) for i, n in items if i in services))
    area = services[max(concerns, key=lambda c: c.minutes).service_id].area if concerns else ""
    return Plan(concerns, area)


def visit_request(session: Session, visit_id: int) -> list[tuple[int, int]]:
    """A visit's concerns as (service id, count), in the order they were booked."""
    counts: dict[int, int] = {}
    for service_id in session.exec(select(Concern.service_id).where(Concern.visit_id == visit_id)
                                   .order_by(col(Concern.id))):
        counts[service_id] = counts.get(service_id, 0) + 1
    return list(counts.items())


def _check_conflicts(session: Session, services: dict) -> None:
    ids = list(services)
    clash = session.exec(select(ServiceConflict).where(
        col(ServiceConflict.service_id).in_(ids), col(ServiceConflict.other_service_id).in_(ids))).first()
    if clash is not None:
        a, b = services[clash.service_id].name, services[clash.other_service_id].name
        raise BookingError("conflict", f"„{a}“ und „{b}“ können nicht in einem Termin gebucht werden. "
                           "Bitte buchen Sie dafür zwei Termine.",
                           f"“{a}” and “{b}” cannot share one appointment. Please book two appointments.")


def parse_request(raw: str) -> list[tuple[int, int]]:
    """A stored request (JSON) back into (service id, count) pairs."""
    return [(int(s), int(n)) for s, n in json.loads(raw or "[]")]


@dataclass(frozen=True)
class CatalogueEntry:
    """A service as the booking page lists it."""

    service_id: int
    code: str
    name: str
    area: str
    minutes: int
    max_count: int
    documents: tuple[str, ...]
    conflicts_with: tuple[int, ...]


def listing(session: Session, *, online: bool = True, office_id: int | None = None) -> list[CatalogueEntry]:
    """The active (and, for citizens, online-bookable) services of an office with their rules, by area and name."""
    query = select(Service).where(Service.active)
    if office_id is not None:
        query = query.where(offered_by(office_id))
    if online:
        query = query.where(Service.online_bookable)
    services = session.exec(query.order_by(Service.area, Service.name)).all()
    conflicts: dict[int, set[int]] = {}
    for a, b in session.exec(select(ServiceConflict.service_id, ServiceConflict.other_service_id)):
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    return [CatalogueEntry(s.id, s.code, s.name, s.area, s.planned_minutes, s.max_count, _documents(s.documents),
                           tuple(sorted(conflicts.get(s.id, ())))) for s in services]


def add_conflict(session: Session, service_id: int, other_service_id: int) -> None:
    """Record that two services cannot share an appointment (idempotent; stored lower id first)."""
    a, b = sorted((service_id, other_service_id))
    exists = session.exec(select(ServiceConflict.id).where(ServiceConflict.service_id == a,
                                                           ServiceConflict.other_service_id == b)).first()
    if exists is None:
        session.add(ServiceConflict(service_id=a, other_service_id=b))
