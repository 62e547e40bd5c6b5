"""A small office floor for queue tests: counters, services, Vanessa Graf's appointment and others.

Times are Berlin wall-clock on Monday 23 November 2026 (naive datetimes go through `clock.to_utc`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from workstation import clock, db
from workstation.models import (
    ApplicationStatus,
    Citizen,
    Concern,
    Counter,
    CounterKind,
    Dealer,
    DocumentApplication,
    Office,
    PlateStatus,
    ReservedPlate,
    Role,
    Service,
    StaffUser,
    Visit,
    VisitKind,
    VisitStatus,
)

DAY = date(2026, 11, 23)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """Berlin wall-clock time on the test day as stored UTC."""
    return clock.to_utc(datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class Floor:
    """Ids of what `build_floor` created."""

    office_id: int
    counters: list[int]
    dealer_counters: list[int]
    advisors: list[int]
    reception_user: int
    services: dict[str, int]
    vanessa_visit: int
    vanessa_citizen: int
    dealer_id: int
    extra: dict[str, int] = field(default_factory=dict)


SERVICES = (
    ("UMM", "Ummeldung", "registration", 10, "Personalausweis\nWohnungsgeberbestätigung"),
    ("KIA", "Kinderausweis", "id_documents", 15, "Geburtsurkunde des Kindes\nbiometrisches Foto\nPersonalausweis"),
    ("UMS", "Umschreibung Fahrzeug", "vehicles", 15, "Zulassungsbescheinigung Teil I und II\neVB-Nummer"),
    ("ZUL", "Neuzulassung", "vehicles", 20, "Zulassungsbescheinigung Teil II\neVB-Nummer\nSEPA-Mandat"),
    ("FSU", "Führerschein Umtausch", "driving_licences", 10, "alter Führerschein\nbiometrisches Foto"),
)


def build_floor(counters: int = 3, dealer_counters: int = 1) -> Floor:
    """Create an office with counters, services, staff and Vanessa Graf's 08:00 appointment."""
    created = clock.to_utc(datetime(2026, 1, 2, 9, 0))
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro Offenbach", city="Offenbach", opening_hours="Mo–Fr 8–13")
        session.add(office)
        session.flush()
        regular = [Counter(office_id=office.id, name=f"Schalter {i + 1}", kind=CounterKind.REGULAR)
                   for i in range(counters)]
        dealer = [Counter(office_id=office.id, name=f"Händlerschalter {i + 1}", kind=CounterKind.DEALER)
                  for i in range(dealer_counters)]
        session.add_all([*regular, *dealer, Counter(office_id=office.id, name="Empfang", kind=CounterKind.RECEPTION)])
        services = {code: Service(office_id=office.id, code=code, name=name, area=area, planned_minutes=minutes,
                                  documents=docs)
                    for code, name, area, minutes, docs in SERVICES}
        session.add_all(services.values())
        advisors = [StaffUser(office_id=office.id, username=f"berater{i + 1}", display_name=f"Berater {i + 1}",
                              role=Role.ADVISOR, password_hash="-", created_at=created)
                    for i in range(counters + dealer_counters)]
        reception = StaffUser(office_id=office.id, username="empfang", display_name="Empfang",
                              role=Role.RECEPTION, password_hash="-", created_at=created)
        session.add_all([*advisors, reception])
        vanessa = Citizen(first_name="Vanessa", last_name="Graf", email="v.graf@example.org", created_at=created)
        session.add(vanessa)
        dealer_row = Dealer(name="Autohaus Main", customer_number="H-1001")
        session.add(dealer_row)
        session.flush()
        visit = Visit(office_id=office.id, kind=VisitKind.APPOINTMENT, status=VisitStatus.BOOKED, area="registration",
                      citizen_id=vanessa.id, booking_code="GRAF-0800", channel="online",
                      booked_at=at(20, 0, DAY - timedelta(days=4)), slot_start=at(8, 0), slot_end=at(8, 30),
                      booking_note="Familie zieht innerhalb Offenbachs um; Kind 6 Jahre.")
        session.add(visit)
        session.flush()
        for code in ("UMM", "KIA", "UMS"):
            session.add(Concern(visit_id=visit.id, service_id=services[code].id))
        session.add(ReservedPlate(office_id=office.id, plate="OF-C-777", citizen_id=vanessa.id,
                                  status=PlateStatus.ASSIGNED, reserved_at=at(9, 0, DAY - timedelta(days=10)),
                                  expires_at=at(9, 0, DAY + timedelta(days=80)),
                                  assigned_at=at(9, 5, DAY - timedelta(days=4))))
        session.add(DocumentApplication(office_id=office.id, citizen_id=vanessa.id, application_number="A-2026-0042",
                                        doc_type="RP", status=ApplicationStatus.ARRIVED,
                                        applied_at=at(10, 0, DAY - timedelta(days=30)),
                                        arrived_at=at(7, 0, DAY - timedelta(days=2))))
        earlier = Visit(office_id=office.id, kind=VisitKind.APPOINTMENT, status=VisitStatus.FINISHED,
                        area="id_documents", citizen_id=vanessa.id, slot_start=at(10, 0, DAY - timedelta(days=30)),
                        checked_in_at=at(9, 55, DAY - timedelta(days=30)),
                        finished_at=at(10, 20, DAY - timedelta(days=30)))
        session.add(earlier)
        session.flush()
        session.add(Concern(visit_id=earlier.id, service_id=services["UMM"].id, status="done"))
        return Floor(
            office_id=office.id,
            counters=[c.id for c in regular],
            dealer_counters=[c.id for c in dealer],
            advisors=[a.id for a in advisors],
            reception_user=reception.id,
            services={code: s.id for code, s in services.items()},
            vanessa_visit=visit.id,
            vanessa_citizen=vanessa.id,
            dealer_id=dealer_row.id,
        )


def add_appointment(floor: Floor, last_name: str, slot: datetime, codes: tuple[str, ...] = ("UMM",),
                    booking_code: str | None = None) -> int:
    """Another booked appointment on the floor; returns the visit id."""
    with db.session_scope() as session:
        citizen = Citizen(first_name="Test", last_name=last_name, created_at=slot - timedelta(days=5))
        session.add(citizen)
        session.flush()
        visit = Visit(office_id=floor.office_id, kind=VisitKind.APPOINTMENT, status=VisitStatus.BOOKED,
                      area="registration", citizen_id=citizen.id, booking_code=booking_code, slot_start=slot,
                      slot_end=slot + timedelta(minutes=15), booked_at=slot - timedelta(days=3))
        session.add(visit)
        session.flush()
        for code in codes:
            session.add(Concern(visit_id=visit.id, service_id=floor.services[code]))
        return visit.id
