"""A small office for the booking tests: a catalogue with counts and a conflict, lanes, a solved proof of work."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime, time

import altcha

from workstation import clock, db
from workstation.models import BookingLane, Office, Service
from workstation.services.booking import catalogue, limits

NOW = datetime(2026, 11, 23, 7, 0)
"""Monday 07:00 Berlin: the first bookable start is 08:00 the same day."""

SERVICES = (
    ("ANM", "Anmeldung", "registration", 10, "Personalausweis\nWohnungsgeberbestätigung", 1, True),
    ("ABM", "Abmeldung", "registration", 5, "Personalausweis", 1, True),
    ("PA", "Personalausweis beantragen", "id_documents", 15, "Passfoto\nBisheriger Ausweis", 1, True),
    ("KRP", "Kinderreisepass", "id_documents", 10, "Geburtsurkunde\nPassfoto", 3, True),
    ("INT", "Interne Prüfung", "registration", 10, "", 1, False),
)


@dataclass(frozen=True)
class BookingOffice:
    office_id: int
    services: dict[str, int]


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """A Berlin wall time in November 2026 as stored naive UTC."""
    return clock.to_utc(datetime(2026, 11, day, hour, minute))


def build(lanes: dict[str, int] | None = None, opens: time = time(8), closes: time = time(13)) -> BookingOffice:
    """Office, catalogue (ANM and ABM cannot share an appointment) and lanes Monday to Friday."""
    lanes = lanes if lanes is not None else {"registration": 2, "id_documents": 2}
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach am Main", opening_hours="Mo–Fr 8–13 Uhr")
        session.add(office)
        session.flush()
        services = {}
        for code, name, area, minutes, docs, max_count, online in SERVICES:
            service = Service(office_id=office.id, code=code, name=name, area=area, planned_minutes=minutes,
                              documents=docs, max_count=max_count, online_bookable=online)
            session.add(service)
            session.flush()
            services[code] = service.id
        catalogue.add_conflict(session, services["ANM"], services["ABM"])
        for area, count in lanes.items():
            for lane in range(1, count + 1):
                for weekday in range(5):
                    session.add(BookingLane(office_id=office.id, area=area, lane=lane, weekday=weekday, opens=opens,
                                            closes=closes))
        return BookingOffice(office.id, services)


def solved_pow(client: str = "pow-client") -> str:
    """A challenge from the server, solved as the browser would: the base64 JSON payload."""
    challenge = limits.new_challenge(client)
    solution = altcha.solve_challenge_v1(challenge["challenge"], challenge["salt"], challenge["algorithm"],
                                         challenge["maxnumber"])
    assert solution is not None
    payload = {"algorithm": challenge["algorithm"], "challenge": challenge["challenge"], "number": solution.number,
               "salt": challenge["salt"], "signature": challenge["signature"]}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def env(monkeypatch, **extra: str) -> None:
    """Settings of the booking tests: no emergency lanes unless asked, a light proof of work, a fixed key."""
    values = {"WORKSTATION_BOOKING_EMERGENCY_SHARE": "0", "WORKSTATION_BOOKING_POW_MAX": "2000",
              "WORKSTATION_BOOKING_SECRET": "test-secret", **extra}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
