"""A small office for back-office tests: two advisors, a team lead, reception, and a clock."""

from dataclasses import dataclass
from datetime import datetime

from workstation import clock, db
from workstation.models import Office, Role, StaffUser
from workstation.services.staff.passwords import hash_password

MONDAY_1305 = clock.to_utc(datetime(2026, 11, 23, 13, 5))
"""A Monday afternoon (Berlin 13:05) stored as naive UTC."""

PASSWORD = "geheim-123"
_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


@dataclass(frozen=True)
class Staff:
    """Ids of the people the tests act as."""

    office_id: int
    anna: int
    ben: int
    lead: int
    reception: int
    other_office_advisor: int


def make_office() -> Staff:
    """Two offices with their staff; tasks of one must stay invisible to the other."""
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro Offenbach", city="Offenbach", opening_hours="Mo–Fr 8–13")
        other = Office(code="K2X9", name="Bürgerbüro Nord", city="Offenbach", opening_hours="Mo–Fr 8–12")
        session.add_all([office, other])
        session.flush()

        def user(name: str, display: str, role: Role, office_id: int) -> int:
            staff = StaffUser(
                office_id=office_id,
                username=name,
                display_name=display,
                role=role,
                password_hash=_HASH,
                created_at=MONDAY_1305,
            )
            session.add(staff)
            session.flush()
            return staff.id

        return Staff(
            office_id=office.id,
            anna=user("anna", "Anna Schmidt", Role.ADVISOR, office.id),
            ben=user("ben", "Ben Yilmaz", Role.ADVISOR, office.id),
            lead=user("lea", "Lea Wagner", Role.TEAM_LEAD, office.id),
            reception=user("rita", "Rita Empfang", Role.RECEPTION, office.id),
            other_office_advisor=user("otto", "Otto Nord", Role.ADVISOR, other.id),
        )
