"""Offices, citizens and document applications for the pickup tests, created through the models."""

from datetime import datetime

from workstation import db
from workstation.models import Citizen, DocumentApplication, Office
from workstation.models.enums import ApplicationStatus, NotifyChannel

OPENING_HOURS = "Mo, Di, Do 8–16 Uhr; Mi 8–18 Uhr; Fr 8–12 Uhr"
APPLIED_AT = datetime(2026, 10, 1, 8, 0)


def office(code: str = "L6F3") -> int:
    """The demo office; returns its id."""
    with db.session_scope() as session:
        row = Office(code=code, name="Bürgerbüro Offenbach", city="Offenbach am Main", opening_hours=OPENING_HOURS)
        session.add(row)
        session.flush()
        return row.id


def application(office_id: int, number: str, *, doc_type: str = "PA", status: str = ApplicationStatus.APPLIED,
                channel: str = NotifyChannel.EMAIL, email: str | None = "vanessa.graf@example.org",
                phone: str | None = "+49 151 0000000", serial: str | None = None, first: str = "Vanessa",
                last: str = "Graf", arrived_at: datetime | None = None) -> int:
    """One application of a new citizen; returns the application id."""
    with db.session_scope() as session:
        citizen = Citizen(first_name=first, last_name=last, created_at=APPLIED_AT)
        session.add(citizen)
        session.flush()
        app = DocumentApplication(
            office_id=office_id, citizen_id=citizen.id, application_number=number, doc_type=doc_type,
            serial_number=serial, status=status, applied_at=APPLIED_AT, notify_channel=channel,
            notify_email=email if channel == NotifyChannel.EMAIL else None,
            notify_phone=phone if channel == NotifyChannel.SMS else None,
            arrived_at=arrived_at, status_at=arrived_at,
        )
        session.add(app)
        session.flush()
        return app.id


def many_applications(office_id: int, pairs: list[tuple[str, str | None]], *, status: str,
                      channel: str = NotifyChannel.EMAIL) -> None:
    """Applications (number, serial) of one citizen each, inserted in bulk."""
    with db.session_scope() as session:
        citizens = [Citizen(first_name="Erika", last_name=f"Muster{i}", created_at=APPLIED_AT)
                    for i in range(len(pairs))]
        session.add_all(citizens)
        session.flush()
        session.add_all(
            DocumentApplication(
                office_id=office_id, citizen_id=citizen.id, application_number=number, doc_type="PA",
                serial_number=serial, status=status, applied_at=APPLIED_AT, notify_channel=channel,
                notify_email=f"erika{citizen.id}@example.org" if channel == NotifyChannel.EMAIL else None,
                notify_phone="+49 170 1234567" if channel == NotifyChannel.SMS else None,
            )
            for citizen, (number, serial) in zip(citizens, pairs, strict=True)
        )
