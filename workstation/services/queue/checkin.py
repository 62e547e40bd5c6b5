"""Reception: check-in of appointment holders, walk-ins, emergencies and dealers into the queue.

Appointment holders may check in from `checkin_window_minutes` before to the same after their
booked time (what the Offenburg terminals allow). Outside that window reception gets a German
message and may queue the person as a walk-in instead, keeping the concerns they booked.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    Area,
    Citizen,
    Concern,
    Dealer,
    Service,
    Visit,
    VisitEvent,
    VisitEventKind,
    VisitKind,
    VisitStatus,
)
from workstation.services.common import catalogue, changes
from workstation.services.queue.calls import QueueError, hhmm, person_label
from workstation.services.queue.tickets import give_ticket


@dataclass(frozen=True)
class CheckedIn:
    """The result reception confirms to the person."""

    visit_id: int
    name: str
    message: str
    ticket: str = ""


@dataclass(frozen=True)
class AppointmentMatch:
    """One of today's appointments found by name at reception."""

    visit_id: int
    name: str
    slot: str
    services: str
    status: str
    can_check_in: bool
    offers_check_in: bool
    """The row has an "Einchecken" button: booked or cancelled (outside the window the answer explains it and
    offers a walk-in); not for a person already checked in or marked as not appeared."""


def _today_bounds(now: datetime) -> tuple[datetime, datetime]:
    return clock.local_day_bounds(clock.to_local(now).date())


def _service_names(session: Session, visit_id: int) -> list[str]:
    rows = session.exec(
        select(Service.name).join(Concern, Concern.service_id == Service.id).where(Concern.visit_id == visit_id)
        .order_by(Concern.id)
    ).all()
    return list(rows)


def _window(visit: Visit) -> tuple[datetime, datetime]:
    margin = timedelta(minutes=settings().checkin_window_minutes)
    return visit.slot_start - margin, visit.slot_start + margin


def _check_in_locked(session: Session, visit: Visit, user_id: int | None, now: datetime) -> CheckedIn:
    name = person_label(session, visit)
    if visit.status == VisitStatus.CANCELLED:
        raise QueueError(f"Der Termin von {name} wurde abgesagt. Als Spontankunde aufnehmen?", offer_walk_in=True)
    if visit.status == VisitStatus.NO_SHOW:
        raise QueueError(f"{name} wurde um {hhmm(visit.no_show_at)} Uhr als nicht erschienen vermerkt. "
                         "Bitte unten als Spontankunde aufnehmen.")
    if visit.status != VisitStatus.BOOKED:
        raise QueueError(f"{name} ist bereits eingecheckt (seit {hhmm(visit.checked_in_at)} Uhr).")
    day_start, day_end = _today_bounds(now)
    if visit.slot_start is None or not day_start <= visit.slot_start < day_end:
        day = clock.to_local(visit.slot_start).strftime("%d.%m.%Y") if visit.slot_start else "einen anderen Tag"
        raise QueueError(f"Der Termin von {name} ist am {day}, nicht heute. Als Spontankunde aufnehmen?",
                         offer_walk_in=True)
    opens, closes = _window(visit)
    minutes = settings().checkin_window_minutes
    if now < opens:
        raise QueueError(
            f"Zu früh: {name} hat einen Termin um {hhmm(visit.slot_start)} Uhr. Einchecken ist ab "
            f"{hhmm(opens)} Uhr möglich ({minutes} Minuten vorher). Jetzt als Spontankunde aufnehmen?",
            offer_walk_in=True,
        )
    if now > closes:
        raise QueueError(
            f"Zu spät: Der Termin von {name} war um {hhmm(visit.slot_start)} Uhr; einchecken ging bis "
            f"{hhmm(closes)} Uhr. Als Spontankunde aufnehmen?",
            offer_walk_in=True,
        )
    visit.status = VisitStatus.WAITING
    visit.checked_in_at = now
    visit.version += 1
    ticket = give_ticket(session, visit, now)
    session.add(VisitEvent(visit_id=visit.id, at=now, kind=VisitEventKind.CHECK_IN, user_id=user_id))
    return CheckedIn(visit.id, name, f"{name} ist eingecheckt (Termin {hhmm(visit.slot_start)} Uhr, Nummer {ticket}).",
                     ticket)


def check_in_by_code(office_id: int, code: str, user_id: int | None, *, now: datetime | None = None) -> CheckedIn:
    """Check in by the booking code (what the QR scanner types)."""
    now = now or clock.now()
    code = code.strip().upper()
    if not code:
        raise QueueError("Bitte einen Buchungscode eingeben oder scannen.")
    with db.session_scope() as session:
        visit = session.exec(
            select(Visit).where(Visit.booking_code == code, Visit.office_id == office_id).with_for_update()
        ).first()
        if visit is None:
            raise QueueError(f"Den Buchungscode „{code}“ kennen wir nicht. Bitte prüfen oder nach Namen suchen.")
        result = _check_in_locked(session, visit, user_id, now)
    changes.publish(office_id)
    return result


def _locked_visit(session: Session, visit_id: int, office_id: int | None) -> Visit | None:
    """The visit, locked; another office's visit is as unknown as a missing one (None: any office, for tests)."""
    visit = session.exec(select(Visit).where(Visit.id == visit_id).with_for_update()).first()
    return None if visit is None or (office_id is not None and visit.office_id != office_id) else visit


def check_in(visit_id: int, user_id: int | None, *, office_id: int | None = None,
             now: datetime | None = None) -> CheckedIn:
    """Check in an appointment found by name."""
    now = now or clock.now()
    with db.session_scope() as session:
        visit = _locked_visit(session, visit_id, office_id)
        if visit is None:
            raise QueueError("Diesen Termin gibt es nicht.")
        result = _check_in_locked(session, visit, user_id, now)
        office_id = visit.office_id
    changes.publish(office_id)
    return result


_GERMAN_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def name_forms(text: str) -> tuple[str, str]:
    """A name as reception may type it: case-folded without accents ("sahin", "ozturk") and with the
    German spellings of umlauts ("oeztuerk"). SQLite's lower() knows only A–Z, so matching is done here."""
    folded = text.casefold()
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    german = "".join(c for c in unicodedata.normalize("NFKD", folded.translate(_GERMAN_SPELLINGS))
                     if not unicodedata.combining(c))
    return plain, german


def _matches(words: list[str], citizen: Citizen) -> bool:
    forms = name_forms(f"{citizen.first_name} {citizen.last_name}")
    return all(any(word in form for form in forms) for word in words)


def find_appointments(office_id: int, name: str, *, now: datetime | None = None) -> list[AppointmentMatch]:
    """Today's appointments whose holder matches every word of `name` (first or last name).

    Words match in any case and with or without accents or umlauts ("şahin", "Sahin", "Öztürk",
    "oeztuerk"), the same on SQLite and PostgreSQL: the day's appointments of one office are few enough
    to compare here.
    """
    now = now or clock.now()
    words = [name_forms(w)[0] for w in name.split() if w.strip()]
    if not words:
        raise QueueError("Bitte einen Namen eingeben.")
    day_start, day_end = _today_bounds(now)
    with db.read_scope() as session:
        query = (
            select(Visit, Citizen)
            .join(Citizen, Citizen.id == Visit.citizen_id)
            .where(Visit.office_id == office_id, Visit.slot_start >= day_start, Visit.slot_start < day_end,
                   Visit.kind.in_((VisitKind.APPOINTMENT, VisitKind.DEALER)))
            .order_by(Visit.slot_start, Visit.id)
        )
        found = [(visit, citizen) for visit, citizen in session.exec(query).all() if _matches(words, citizen)][:20]
        matches = []
        for visit, citizen in found:
            opens, closes = _window(visit)
            status = {
                VisitStatus.BOOKED: "gebucht",
                VisitStatus.CANCELLED: "abgesagt",
                VisitStatus.NO_SHOW: f"nicht erschienen ({hhmm(visit.no_show_at)})",
            }.get(VisitStatus(visit.status), f"eingecheckt {hhmm(visit.checked_in_at)}")
            matches.append(AppointmentMatch(
                visit_id=visit.id,
                name=f"{citizen.first_name} {citizen.last_name}",
                slot=hhmm(visit.slot_start),
                services=", ".join(_service_names(session, visit.id)),
                status=status,
                can_check_in=visit.status == VisitStatus.BOOKED and opens <= now <= closes,
                offers_check_in=visit.status in (VisitStatus.BOOKED, VisitStatus.CANCELLED),
            ))
    if not matches:
        raise QueueError(f"Heute gibt es keinen Termin für „{name.strip()}“. Als Spontankunde aufnehmen?",
                         offer_walk_in=True)
    return matches


def queue_booked_as_walk_in(visit_id: int, user_id: int | None, *, office_id: int | None = None,
                            now: datetime | None = None) -> CheckedIn:
    """Queue an appointment holder outside the check-in window as a walk-in, keeping the booked concerns."""
    now = now or clock.now()
    with db.session_scope() as session:
        visit = _locked_visit(session, visit_id, office_id)
        if visit is None:
            raise QueueError("Diesen Termin gibt es nicht.")
        name = person_label(session, visit)
        if visit.status not in (VisitStatus.BOOKED, VisitStatus.CANCELLED):
            raise QueueError(f"{name} ist bereits eingecheckt (seit {hhmm(visit.checked_in_at)} Uhr).")
        if visit.kind == VisitKind.APPOINTMENT:
            visit.kind = VisitKind.WALK_IN
        visit.status = VisitStatus.WAITING
        visit.checked_in_at = now
        visit.version += 1
        ticket = give_ticket(session, visit, now)
        session.add(VisitEvent(visit_id=visit.id, at=now, kind=VisitEventKind.WALK_IN, user_id=user_id,
                               detail=f"Termin {hhmm(visit.slot_start)} außerhalb des Check-in-Fensters"))
        office_id = visit.office_id
    changes.publish(office_id)
    return CheckedIn(visit.id, name, f"{name} wartet als Spontankunde (Nummer {ticket}).", ticket)


def _services(session: Session, office_id: int, service_ids: list[int]) -> list[Service]:
    ids = list(dict.fromkeys(service_ids))
    query = select(Service).where(Service.id.in_(ids), Service.active, catalogue.offered_by(office_id))
    services = session.exec(query).all() if ids else []
    if not services or len(services) != len(ids):
        raise QueueError("Bitte mindestens ein Anliegen auswählen.")
    return sorted(services, key=lambda s: ids.index(s.id))


def add_walk_in(office_id: int, first_name: str, last_name: str, service_ids: list[int], user_id: int | None, *,
                note: str = "", emergency: bool = False, now: datetime | None = None) -> CheckedIn:
    """Queue a person without appointment (or an emergency, who goes to the head of the queue)."""
    now = now or clock.now()
    first_name, last_name = first_name.strip(), last_name.strip()
    if not last_name:
        raise QueueError("Bitte mindestens den Nachnamen eingeben.")
    kind = VisitKind.EMERGENCY if emergency else VisitKind.WALK_IN
    with db.session_scope() as session:
        services = _services(session, office_id, service_ids)
        citizen = Citizen(first_name=first_name, last_name=last_name, created_at=now)
        session.add(citizen)
        session.flush()
        visit = Visit(office_id=office_id, kind=kind, status=VisitStatus.WAITING, area=services[0].area,
                      citizen_id=citizen.id, checked_in_at=now, booking_note=note.strip())
        ticket = give_ticket(session, visit, now)
        session.flush()
        for service in services:
            session.add(Concern(visit_id=visit.id, service_id=service.id))
        session.add(VisitEvent(visit_id=visit.id, at=now, kind=VisitEventKind(kind), user_id=user_id,
                               detail=note.strip()))
        name = f"{first_name} {last_name}".strip()
    changes.publish(office_id)
    what = "als Notfall vorne in der Warteschlange" if emergency else "als Spontankunde in der Warteschlange"
    return CheckedIn(visit.id, name, f"{name} ist {what} (Nummer {ticket}).", ticket)


def add_dealer_visit(office_id: int, dealer_id: int, batch_size: int, service_ids: list[int], user_id: int | None,
                     *, note: str = "", now: datetime | None = None) -> CheckedIn:
    """Queue a dealer with a batch of registrations for the dealer desks."""
    now = now or clock.now()
    if batch_size < 1:
        raise QueueError("Bitte die Anzahl der Vorgänge angeben (mindestens 1).")
    with db.session_scope() as session:
        dealer = session.get(Dealer, dealer_id)
        if dealer is None:
            raise QueueError("Diesen Händler gibt es nicht.")
        services = _services(session, office_id, service_ids)
        visit = Visit(office_id=office_id, kind=VisitKind.DEALER, status=VisitStatus.WAITING, area=services[0].area,
                      dealer_id=dealer.id, batch_size=batch_size, checked_in_at=now, booking_note=note.strip())
        ticket = give_ticket(session, visit, now)
        session.flush()
        for service in services:
            session.add(Concern(visit_id=visit.id, service_id=service.id))
        session.add(VisitEvent(visit_id=visit.id, at=now, kind=VisitEventKind.CHECK_IN, user_id=user_id,
                               detail=f"{batch_size} Vorgänge"))
    changes.publish(office_id)
    return CheckedIn(visit.id, dealer.name,
                     f"{dealer.name} wartet mit {batch_size} Vorgängen am Händlerschalter (Nummer {ticket}).", ticket)


def visit_for_code(office_id: int, code: str) -> int | None:
    """The visit of a booking code (to offer the walk-in choice after a refused check-in)."""
    with db.read_scope() as session:
        return session.exec(
            select(Visit.id).where(Visit.booking_code == code.strip().upper(), Visit.office_id == office_id)
        ).first()


def draw_walk_in_ticket(office_id: int, area: str, *, now: datetime | None = None) -> CheckedIn:
    """A walk-in's ticket drawn at the lobby terminal: queued for an area, no name; the advisor adds the
    concerns at the counter."""
    now = now or clock.now()
    if area not in {a.value for a in Area}:
        raise QueueError("Bitte einen Bereich wählen.")
    with db.session_scope() as session:
        visit = Visit(office_id=office_id, kind=VisitKind.WALK_IN, status=VisitStatus.WAITING, area=area,
                      checked_in_at=now)
        ticket = give_ticket(session, visit, now)
        session.flush()
        session.add(VisitEvent(visit_id=visit.id, at=now, kind=VisitEventKind.WALK_IN,
                               detail="Nummer am Check-in-Terminal gezogen"))
    changes.publish(office_id)
    return CheckedIn(visit.id, ticket, f"Ihre Nummer: {ticket}", ticket)
