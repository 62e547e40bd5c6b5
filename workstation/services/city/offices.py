"""A city's offices: list them, create one with a catalogue copied from another office."""

from dataclasses import dataclass

from sqlmodel import func, select

from workstation import db
from workstation.models import AuditAction, Counter, Office, OfficeKind, Service, StaffUser
from workstation.services.common import catalogue, serials
from workstation.services.staff import audit

KIND_NAMES_DE = {
    OfficeKind.CITIZEN_OFFICE: "Bürgerbüro",
    OfficeKind.FOREIGNERS_OFFICE: "Ausländerbehörde",
    OfficeKind.REGISTRY_OFFICE: "Standesamt",
    OfficeKind.HOUSING_BENEFIT_OFFICE: "Wohngeldstelle",
}


class OfficeError(Exception):
    """A refused change to the city's offices; the message is German and shown as is."""


@dataclass(frozen=True)
class OfficeRow:
    """One office as the city's list shows it."""

    id: int
    code: str
    name: str
    kind_de: str
    services: int
    counters: int
    staff: int


def list_offices() -> list[OfficeRow]:
    """Every office of the installation, by name, with the size of its catalogue, floor and staff."""
    with db.read_scope() as session:
        offices = session.exec(select(Office).order_by(Office.name)).all()
        counters = dict(session.exec(select(Counter.office_id, func.count()).group_by(Counter.office_id)).all())
        staff = dict(session.exec(select(StaffUser.office_id, func.count()).group_by(StaffUser.office_id)).all())
        return [
            OfficeRow(o.id, o.code, o.name, KIND_NAMES_DE.get(o.kind, o.kind),
                      session.exec(select(func.count()).select_from(Service).where(catalogue.offered_by(o.id))).one(),
                      counters.get(o.id, 0), staff.get(o.id, 0))
            for o in offices
        ]


def office_names(office_ids: list[int] | None = None) -> dict[int, str]:
    """{office id: name} of the given offices (all when None), in name order."""
    with db.read_scope() as session:
        query = select(Office.id, Office.name).order_by(Office.name)
        if office_ids is not None:
            query = query.where(Office.id.in_(office_ids))
        return dict(session.exec(query).all())


def _checked_code(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 4 or any(c not in serials.SERIAL_ALPHABET for c in code):
        raise OfficeError(
            "Die Behördenkennzahl hat 4 Zeichen aus 0–9 und C F G H J K L M N P R T V W X Y Z "
            "(sie beginnt jede Seriennummer der Dokumente dieses Amts)."
        )
    return code


def create_office(*, actor_id: int, code: str, name: str, city: str, kind: str, opening_hours: str,
                  copy_catalogue_from: int | None) -> int:
    """Create an office; its catalogue is a copy of another office's (or empty).

    The copy belongs to the new office alone: changing it later changes no other office.
    """
    code = _checked_code(code)
    if not name.strip() or not city.strip():
        raise OfficeError("Bitte Namen und Stadt des Amts angeben.")
    if kind not in KIND_NAMES_DE:
        raise OfficeError("Unbekannte Art des Amts.")
    with db.session_scope() as session:
        if session.exec(select(Office).where(Office.code == code)).first() is not None:
            raise OfficeError(f"Die Behördenkennzahl {code} gehört schon zu einem Amt.")
        if copy_catalogue_from is not None and session.get(Office, copy_catalogue_from) is None:
            raise OfficeError("Das Amt, dessen Katalog kopiert werden soll, gibt es nicht.")
        office = Office(code=code, name=name.strip(), city=city.strip(), kind=kind,
                        opening_hours=opening_hours.strip() or "nach Vereinbarung")
        session.add(office)
        session.flush()
        if copy_catalogue_from is not None:
            source = session.exec(select(Service).where(catalogue.offered_by(copy_catalogue_from))).all()
            session.add_all([
                Service(office_id=office.id, code=s.code, name=s.name, area=s.area, planned_minutes=s.planned_minutes,
                        documents=s.documents, online_bookable=s.online_bookable, active=s.active)
                for s in source
            ])
        audit.record(session, user_id=actor_id, action=AuditAction.CHANGE, entity="office", entity_id=office.id,
                     detail=f"office {code} created")
        return office.id
