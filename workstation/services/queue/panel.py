"""The concerns panel: everything an advisor should know about a person before they sit down.

The panel is personal data and is written to the audit log each time a member of staff opens it.
"""

import dataclasses
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    ApplicationStatus,
    Concern,
    ConcernStatus,
    DocumentApplication,
    DocumentType,
    PlateStatus,
    ReservedPlate,
    Service,
    Visit,
    VisitStatus,
)
from workstation.services.queue.calls import hhmm, person_label
from workstation.services.queue.floor import KIND_LABELS, STATUS_LABELS, services_by_visit
from workstation.services.staff import read_audit

PLATE_LABELS = {
    PlateStatus.RESERVED: "reserviert",
    PlateStatus.ASSIGNED: "zugeteilt",
    PlateStatus.EXPIRED: "abgelaufen",
    PlateStatus.RELEASED: "freigegeben",
}
DOCUMENT_LABELS = {
    DocumentType.ID_CARD: "Personalausweis",
    DocumentType.PASSPORT: "Reisepass",
    DocumentType.EXPRESS_PASSPORT: "Express-Reisepass",
    DocumentType.RESIDENCE_PERMIT: "Aufenthaltstitel",
    DocumentType.DRIVING_LICENCE: "Führerschein",
}
HISTORY_DAYS = 365


@dataclass(frozen=True)
class PanelService:
    """A booked (or added) service of the visit."""

    concern_id: int
    service_id: int
    name: str
    minutes: int
    status: str


@dataclass(frozen=True)
class PanelPlate:
    """A reserved plate of the person with its status in German."""

    plate: str
    status: str
    status_label: str
    detail: str


@dataclass(frozen=True)
class PanelPickup:
    """A document of the person waiting at the pickup desk."""

    label: str
    number: str
    since: str


@dataclass(frozen=True)
class PanelHistory:
    """An earlier visit of the person."""

    day: str
    services: str
    outcome: str


@dataclass(frozen=True)
class ConcernsPanel:
    """Everything the advisor should know before the person sits down."""

    visit_id: int
    version: int
    name: str
    kind_label: str
    status: str
    status_label: str
    slot: str
    arrived: str
    call_count: int
    batch_size: int
    services: list[PanelService]
    total_minutes: int
    documents: list[str]
    booking_note: str
    desk_note: str
    plates: list[PanelPlate] = field(default_factory=list)
    pickup: list[PanelPickup] = field(default_factory=list)
    history: list[PanelHistory] = field(default_factory=list)
    ticket: str = ""



def _plates(session: Session, visit: Visit, now: datetime) -> list[PanelPlate]:
    if visit.citizen_id is not None:
        where = ReservedPlate.citizen_id == visit.citizen_id
    elif visit.dealer_id is not None:
        where = ReservedPlate.dealer_id == visit.dealer_id
    else:
        return []
    plates = session.exec(
        select(ReservedPlate).where(where, ReservedPlate.status != PlateStatus.RELEASED)
        .order_by(ReservedPlate.reserved_at.desc()).limit(10)
    ).all()
    result = []
    for plate in plates:
        status = plate.status
        if status == PlateStatus.RESERVED and plate.expires_at < now:
            status = PlateStatus.EXPIRED
        if status == PlateStatus.ASSIGNED:
            detail = f"zugeteilt am {clock.to_local(plate.assigned_at).strftime('%d.%m.%Y')}" if plate.assigned_at \
                else ""
        elif status == PlateStatus.RESERVED:
            detail = f"reserviert bis {clock.to_local(plate.expires_at).strftime('%d.%m.%Y')}"
        else:
            detail = f"abgelaufen am {clock.to_local(plate.expires_at).strftime('%d.%m.%Y')}"
        result.append(PanelPlate(plate.plate, status, PLATE_LABELS.get(status, status), detail))
    return result


def _pickup(session: Session, citizen_id: int | None) -> list[PanelPickup]:
    if citizen_id is None:
        return []
    docs = session.exec(
        select(DocumentApplication).where(DocumentApplication.citizen_id == citizen_id,
                                          DocumentApplication.status == ApplicationStatus.ARRIVED)
        .order_by(DocumentApplication.arrived_at)
    ).all()
    return [
        PanelPickup(
            label=DOCUMENT_LABELS.get(d.doc_type, d.doc_type),
            number=d.application_number,
            since=clock.to_local(d.arrived_at).strftime("%d.%m.%Y") if d.arrived_at else "",
        )
        for d in docs
    ]


def counted(names: list[str]) -> str:
    """"Kinderreisepass, Kinderreisepass, Ummeldung" → "Kinderreisepass (2×), Ummeldung": one entry per service."""
    counts = Counter(names)
    return ", ".join(f"{name} ({n}×)" if n > 1 else name for name, n in counts.items())


def _history(session: Session, visit: Visit, now: datetime) -> list[PanelHistory]:
    if visit.citizen_id is not None:
        where = Visit.citizen_id == visit.citizen_id
    elif visit.dealer_id is not None:
        where = Visit.dealer_id == visit.dealer_id
    else:
        return []
    earlier = session.exec(
        select(Visit).where(where, Visit.id != visit.id,
                            Visit.status.in_((VisitStatus.FINISHED, VisitStatus.NO_SHOW, VisitStatus.CANCELLED)),
                            Visit.checked_in_at >= now - timedelta(days=HISTORY_DAYS))
        .order_by(Visit.checked_in_at.desc()).limit(20)
    ).all()
    services = services_by_visit(session, [v.id for v in earlier])
    return [
        PanelHistory(
            day=clock.to_local(v.checked_in_at).strftime("%d.%m.%Y"),
            services=counted(services[v.id]),
            outcome=STATUS_LABELS.get(v.status, v.status),
        )
        for v in earlier
    ]


_panel_lock = threading.Lock()
_panel_parts: dict[tuple[str, int, int, datetime], ConcernsPanel] = {}
_PANEL_CACHE_SIZE = 256


def concerns_panel(visit_id: int, user_id: int | None, *, now: datetime | None = None) -> ConcernsPanel | None:
    """The pre-loaded panel of one visit; every read is audit-logged as access to citizen data.

    What a step at the counter changes (status, calls, notes, version) is read fresh each time. The
    rest (concerns, documents, plates, pickups, history) is built once per visit version and minute and
    shared by every screen that shows it, so the advisor who calls the person everyone saw as "next"
    gets the panel without rebuilding it; any change of the visit itself (a redirect, its concerns)
    bumps the version and so rebuilds it at once.
    """
    now = now or clock.now()
    with db.read_scope() as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            return None
        key = (settings().db_url, visit.id, visit.version, now.replace(second=0, microsecond=0))
        with _panel_lock:
            part = _panel_parts.get(key)
        if part is None:
            part = _build_panel(session, visit, now)
            with _panel_lock:
                if len(_panel_parts) >= _PANEL_CACHE_SIZE:
                    _panel_parts.clear()
                _panel_parts[key] = part
    read_audit.record_read(user_id=user_id, entity="visit", entity_id=visit.id, citizen_id=visit.citizen_id,
                           detail="Anliegen-Übersicht am Schalter", at=now)
    return dataclasses.replace(
        part,
        version=visit.version,
        kind_label=KIND_LABELS.get(visit.kind, visit.kind),
        status=visit.status,
        status_label=STATUS_LABELS.get(visit.status, visit.status),
        arrived=hhmm(visit.checked_in_at),
        call_count=visit.call_count,
        batch_size=visit.batch_size,
        desk_note=" – ".join(x for x in (visit.park_room or "", visit.desk_note) if x),
    )


def _build_panel(session: Session, visit: Visit, now: datetime) -> ConcernsPanel:
    rows = session.exec(
        select(Concern, Service).join(Service, Service.id == Concern.service_id)
        .where(Concern.visit_id == visit.id).order_by(Concern.id)
    ).all()
    services = [PanelService(c.id, s.id, s.name, s.planned_minutes, c.status) for c, s in rows]
    documents = list(dict.fromkeys(
        line.strip() for _, s in rows for line in s.documents.splitlines() if line.strip()
    ))
    return ConcernsPanel(
        visit_id=visit.id,
        version=visit.version,
        name=person_label(session, visit),
        kind_label=KIND_LABELS.get(visit.kind, visit.kind),
        status=visit.status,
        status_label=STATUS_LABELS.get(visit.status, visit.status),
        slot=hhmm(visit.slot_start),
        arrived=hhmm(visit.checked_in_at),
        call_count=visit.call_count,
        batch_size=visit.batch_size,
        services=services,
        total_minutes=sum(s.minutes for s in services if s.status != ConcernStatus.NOT_DONE),
        documents=documents,
        booking_note=visit.booking_note,
        desk_note=" – ".join(x for x in (visit.park_room or "", visit.desk_note) if x),
        plates=_plates(session, visit, now),
        pickup=_pickup(session, visit.citizen_id),
        history=_history(session, visit, now),
        ticket=visit.ticket or "",
    )

