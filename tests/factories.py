"""Small builders for test data (a real database through the services' own sessions)."""

from workstation import db
from workstation.models import Office
from workstation.services.staff import auth


def office_with_users(*roles: str, password: str = "geheim-123") -> dict[str, int]:
    """An office and one user per role named after the role; returns {role: user id}."""
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach", opening_hours="Mo–Fr 8–13 Uhr")
        session.add(office)
        session.flush()
        return {
            role: auth.create_user(
                session, office_id=office.id, username=role, display_name=f"Test {role}", role=role, password=password
            ).id
            for role in roles
        }
