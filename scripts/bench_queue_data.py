"""The office the queue benchmark runs against: 24 counters, their advisors, reception and a full morning.

Built through the same services the app uses (accounts with real password hashes, sessions from
`auth.login`), so the benchmark's clients log in exactly like browsers do.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    Citizen,
    Concern,
    Counter,
    CounterKind,
    Office,
    Role,
    Service,
    StaffAssignment,
    Visit,
    VisitKind,
    VisitStatus,
)
from workstation.services.staff import auth

PASSWORD = "bench-queue-1"
SERVICES = (
    ("UMM", "Ummeldung", "registration", 10),
    ("ANM", "Anmeldung", "registration", 10),
    ("PA", "Personalausweis", "id_documents", 15),
    ("KIA", "Kinderausweis", "id_documents", 15),
    ("UMS", "Umschreibung Fahrzeug", "vehicles", 15),
    ("FSU", "Führerschein Umtausch", "driving_licences", 10),
)


@dataclass(frozen=True)
class BenchOffice:
    """Logins and codes the benchmark clients use."""

    advisor_tokens: list[str]
    reception_token: str
    booking_codes: dict[str, int]
    service_ids: list[int]


def build(advisors: int, appointments: int, first_slot: datetime) -> BenchOffice:
    """Create the office, seat each advisor at a counter for today and book the morning's appointments."""
    db.create_schema()
    now = clock.now()
    today = clock.to_local(now).date()
    with db.session_scope() as session:
        office = Office(code=settings().office_code, name="Bürgerbüro Benchmark", city="Offenbach",
                        opening_hours="Mo–Fr 8–13 Uhr")
        session.add(office)
        session.flush()
        services = [Service(office_id=office.id, code=c, name=n, area=a, planned_minutes=m) for c, n, a, m in SERVICES]
        session.add_all(services)
        counters = [Counter(office_id=office.id, name=f"Schalter {i + 1}", kind=CounterKind.REGULAR)
                    for i in range(advisors)]
        session.add_all(counters)
        session.flush()
        for i, counter in enumerate(counters):
            user = auth.create_user(session, office_id=office.id, username=f"bench{i + 1}",
                                    display_name=f"Beraterin {i + 1}", role=Role.ADVISOR, password=PASSWORD)
            session.add(StaffAssignment(day=today, user_id=user.id, counter_id=counter.id))
        auth.create_user(session, office_id=office.id, username="benchempfang", display_name="Empfang",
                         role=Role.RECEPTION, password=PASSWORD)
        codes = {}
        for i in range(appointments):
            citizen = Citizen(first_name="Bürgerin", last_name=f"Nr{i:04d}", created_at=now)
            session.add(citizen)
            session.flush()
            code = f"BQ{i:05d}"
            slot = first_slot + timedelta(minutes=(i % 10))
            visit = Visit(office_id=office.id, kind=VisitKind.APPOINTMENT, status=VisitStatus.BOOKED,
                          area=services[i % len(services)].area, citizen_id=citizen.id, booking_code=code,
                          booked_at=now - timedelta(days=4), slot_start=slot, slot_end=slot + timedelta(minutes=15))
            session.add(visit)
            session.flush()
            session.add(Concern(visit_id=visit.id, service_id=services[i % len(services)].id))
            codes[code] = visit.id
        service_ids = [s.id for s in services]
    tokens = [auth.login(f"bench{i + 1}", PASSWORD)[0] for i in range(advisors)]
    reception = auth.login("benchempfang", PASSWORD)[0]
    return BenchOffice(tokens, reception, codes, service_ids)
