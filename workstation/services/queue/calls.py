"""The counter's queue: who is called next, and every step of a visit at the counter.

Calling is atomic on both databases. The caller's counter row is locked first (PostgreSQL
`FOR UPDATE`; on SQLite `db.session_scope` opens `BEGIN IMMEDIATE`, which serialises writers), the
first waiting visit is selected with `FOR UPDATE SKIP LOCKED` so parallel counters pass each other
instead of queueing on the same person, and the claim is a conditional UPDATE on status and version
whose row count must be 1. A counter that lost a race simply tries the next person.

An advisor holds at most one person at a time (called or in service), across all counters: every
step that gives an advisor a person (call next, call out of order, start, resume) locks the
advisor's StaffUser row first (`FOR UPDATE`; on SQLite the writer lock) and then checks that they
hold nobody else, so two browser tabs at two counters pressing at the same moment are serialised
and the second gets a German message. Lock order is always advisor, then counter, then visit.

Every action on a called visit names the version the advisor's screen showed: a stale screen gets
a German message instead of changing a visit someone else has moved on.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, or_, update
from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    AuditAction,
    Citizen,
    Concern,
    ConcernStatus,
    Counter,
    CounterKind,
    Dealer,
    Service,
    StaffUser,
    Visit,
    VisitEvent,
    VisitEventKind,
    VisitKind,
    VisitStatus,
)
from workstation.services.common import catalogue, changes
from workstation.services.staff import audit

_CLAIM_ATTEMPTS = 20
ACTIVE_STATUSES = (VisitStatus.CALLED, VisitStatus.IN_SERVICE)
SERVING_COUNTERS = (CounterKind.REGULAR, CounterKind.DEALER)

STALE_SCREEN = "Die Anzeige war nicht mehr aktuell – sie wurde neu geladen. Bitte noch einmal versuchen."


class QueueError(Exception):
    """A refused queue action; `message` is German and shown to staff as it is.

    `offer_walk_in` tells reception that the person can still be queued as a walk-in.
    """

    def __init__(self, message: str, *, offer_walk_in: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.offer_walk_in = offer_walk_in


@dataclass(frozen=True)
class Outcome:
    """What became of one concern when a visit is finished: done, or not done with a reason."""

    done: bool
    reason: str = ""


def hhmm(utc_naive: datetime | None) -> str:
    """A stored instant as Berlin wall-clock time for messages ("07:55")."""
    return clock.to_local(utc_naive).strftime("%H:%M") if utc_naive else ""


def visit_kinds_for(counter_kind: str) -> tuple[VisitKind, ...]:
    """Dealer desks serve the dealers' queue; regular counters serve everybody else."""
    if counter_kind == CounterKind.DEALER:
        return (VisitKind.DEALER,)
    return (VisitKind.EMERGENCY, VisitKind.APPOINTMENT, VisitKind.WALK_IN)


def waiting_query(office_id: int, counter_id: int, counter_kind: str, now: datetime):
    """Waiting visits this counter may call, in calling order (id, version).

    Order: emergencies; people redirected to this very counter; present appointment holders by
    booked time; walk-ins (and dealers) by arrival. Only today's check-ins count, so a visit
    forgotten yesterday never blocks the head of the queue. A counter that sent someone on to another
    area does not get them back with its next call (they keep their place for the others); it can
    still call them out of order.
    """
    day_start, _ = clock.local_day_bounds(clock.to_local(now).date())
    rank = case(
        (Visit.kind == VisitKind.EMERGENCY, 0),
        (Visit.counter_id == counter_id, 1),
        (Visit.kind == VisitKind.APPOINTMENT, 2),
        else_=3,
    )
    when = case((Visit.kind == VisitKind.APPOINTMENT, Visit.slot_start), else_=Visit.checked_in_at)
    return (
        select(Visit.id, Visit.version)
        .where(
            Visit.office_id == office_id,
            Visit.status == VisitStatus.WAITING,
            Visit.kind.in_(visit_kinds_for(counter_kind)),
            Visit.checked_in_at >= day_start,
            or_(Visit.counter_id.is_(None), Visit.counter_id == counter_id),
            or_(Visit.redirected_from_counter_id.is_(None), Visit.redirected_from_counter_id != counter_id),
        )
        .order_by(rank, when, Visit.id)
    )


def person_label(session: Session, visit: Visit) -> str:
    """How staff name the person of a visit: citizen's name, dealer's name, else its ticket number."""
    if visit.citizen_id is not None:
        citizen = session.get(Citizen, visit.citizen_id)
        if citizen is not None:
            return f"{citizen.first_name} {citizen.last_name}".strip()
    if visit.dealer_id is not None:
        dealer = session.get(Dealer, visit.dealer_id)
        if dealer is not None:
            return dealer.name
    return visit.ticket or f"Nr. {visit.id}"


def _lock_counter(session: Session, counter_id: int) -> Counter:
    counter = session.exec(select(Counter).where(Counter.id == counter_id).with_for_update()).first()
    if counter is None or not counter.active:
        raise QueueError("Dieser Schalter ist nicht (mehr) in Betrieb.")
    if counter.kind not in SERVING_COUNTERS:
        raise QueueError(f"Am {counter.name} wird niemand aufgerufen.")
    return counter


def _ensure_counter_free(session: Session, counter: Counter) -> None:
    busy = session.exec(
        select(Visit).where(Visit.counter_id == counter.id, Visit.status.in_(ACTIVE_STATUSES))
    ).first()
    if busy is not None:
        what = "aufgerufen" if busy.status == VisitStatus.CALLED else "in Bearbeitung"
        raise QueueError(
            f"{person_label(session, busy)} ist an {counter.name} noch {what}. "
            "Bitte diesen Besuch erst abschließen, parken oder weiterleiten."
        )


def _lock_advisor(session: Session, user_id: int | None) -> None:
    """Lock the advisor's row (first of all locks), so their steps at several counters run one after another."""
    if user_id is not None:
        session.exec(select(StaffUser.id).where(StaffUser.id == user_id).with_for_update()).first()


def _ensure_advisor_free(session: Session, user_id: int | None, *, except_visit_id: int | None = None) -> None:
    """Refuse if the advisor (row locked by `_lock_advisor`) already holds someone, called or in service.

    `user_id` None (no acting advisor, e.g. scripts) is not checked.
    """
    if user_id is None:
        return
    query = select(Visit).where(Visit.advisor_id == user_id, Visit.status.in_(ACTIVE_STATUSES))
    if except_visit_id is not None:
        query = query.where(Visit.id != except_visit_id)
    held = session.exec(query.order_by(Visit.id)).first()
    if held is not None:
        counter = session.get(Counter, held.counter_id) if held.counter_id is not None else None
        where = f" an {counter.name}" if counter else ""
        raise QueueError(f"Sie betreuen bereits {person_label(session, held)}{where}. "
                         "Bitte schließen Sie diesen Vorgang zuerst ab.")


def _log_event(session: Session, visit_id: int, kind: VisitEventKind, now: datetime, *,
               user_id: int | None, counter_id: int | None, detail: str = "") -> None:
    session.add(VisitEvent(visit_id=visit_id, at=now, kind=kind, user_id=user_id, counter_id=counter_id,
                           detail=detail))


def _claim(session: Session, visit_id: int, seen_version: int, counter: Counter, user_id: int | None,
           now: datetime) -> bool:
    """Conditional UPDATE: only a visit still waiting in the version we saw becomes ours."""
    result = session.exec(
        update(Visit)
        .where(Visit.id == visit_id, Visit.status == VisitStatus.WAITING, Visit.version == seen_version)
        .values(
            status=VisitStatus.CALLED,
            counter_id=counter.id,
            advisor_id=user_id,
            called_at=case((Visit.called_at.is_(None), now), else_=Visit.called_at),
            call_count=Visit.call_count + 1,
            redirected_from_counter_id=None,
            version=Visit.version + 1,
        )
    )
    return result.rowcount == 1


def call_next(counter_id: int, user_id: int | None, *, now: datetime | None = None) -> int:
    """Call the next waiting person to this counter; returns the visit id.

    Raises QueueError when nobody waits or the counter still has a called/served person.
    """
    now = now or clock.now()
    for _ in range(_CLAIM_ATTEMPTS):
        with db.session_scope() as session:
            _lock_advisor(session, user_id)
            counter = _lock_counter(session, counter_id)
            _ensure_counter_free(session, counter)
            _ensure_advisor_free(session, user_id)
            query = waiting_query(counter.office_id, counter.id, counter.kind, now).limit(1)
            row = session.exec(query.with_for_update(skip_locked=True, of=Visit)).first()
            if row is None:
                raise QueueError("Zurzeit wartet niemand auf diesen Schalter.")
            if not _claim(session, row.id, row.version, counter, user_id, now):
                continue
            _log_event(session, row.id, VisitEventKind.CALL, now, user_id=user_id, counter_id=counter.id)
            office_id = counter.office_id
        changes.publish(office_id)
        return row.id
    raise QueueError("Gerade rufen sehr viele Schalter gleichzeitig auf – bitte noch einmal klicken.")


def call_specific(visit_id: int, counter_id: int, user_id: int | None, reason: str, *,
                  now: datetime | None = None) -> None:
    """Call one person out of the queue's order; the reason is logged with the call."""
    now = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise QueueError("Bitte kurz begründen, warum diese Person außer der Reihe aufgerufen wird.")
    with db.session_scope() as session:
        _lock_advisor(session, user_id)
        counter = _lock_counter(session, counter_id)
        _ensure_counter_free(session, counter)
        _ensure_advisor_free(session, user_id)
        visit = session.exec(select(Visit).where(Visit.id == visit_id).with_for_update()).first()
        if visit is None or visit.office_id != counter.office_id:
            raise QueueError("Diesen Besuch gibt es nicht.")
        if visit.status != VisitStatus.WAITING:
            raise QueueError(_not_waiting_message(session, visit))
        if visit.kind not in visit_kinds_for(counter.kind):
            raise QueueError(f"{person_label(session, visit)} gehört nicht in die Warteschlange dieses Schalters.")
        if not _claim(session, visit.id, visit.version, counter, user_id, now):
            raise QueueError(STALE_SCREEN)
        _log_event(session, visit.id, VisitEventKind.CALL_OUT_OF_ORDER, now, user_id=user_id,
                   counter_id=counter.id, detail=reason)
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="visit", entity_id=visit.id,
                     citizen_id=visit.citizen_id, detail=f"außer der Reihe aufgerufen: {reason}")
        office_id = counter.office_id
    changes.publish(office_id)


def _not_waiting_message(session: Session, visit: Visit) -> str:
    who = person_label(session, visit)
    if visit.status in ACTIVE_STATUSES and visit.counter_id is not None:
        counter = session.get(Counter, visit.counter_id)
        return f"{who} wurde bereits an {counter.name if counter else 'einen anderen Schalter'} aufgerufen."
    labels = {
        VisitStatus.BOOKED: "ist noch nicht eingecheckt",
        VisitStatus.PARKED: "ist geparkt",
        VisitStatus.FINISHED: "ist bereits fertig bedient",
        VisitStatus.NO_SHOW: "wurde als nicht erschienen vermerkt",
        VisitStatus.CANCELLED: "hat den Termin abgesagt",
    }
    return f"{who} {labels.get(VisitStatus(visit.status), 'wartet nicht mehr')}."


def _visit_at_counter(session: Session, visit_id: int, counter_id: int, expected_version: int | None,
                      allowed: tuple[VisitStatus, ...]) -> Visit:
    """Lock a visit for an action at a counter and check it is still what the screen showed."""
    visit = session.exec(select(Visit).where(Visit.id == visit_id).with_for_update()).first()
    if visit is None:
        raise QueueError("Diesen Besuch gibt es nicht.")
    if expected_version is not None and visit.version != expected_version:
        raise QueueError(STALE_SCREEN)
    if visit.counter_id != counter_id or visit.status not in allowed:
        raise QueueError(STALE_SCREEN)
    return visit


def _touch(session: Session, visit: Visit) -> None:
    visit.version += 1
    session.add(visit)


def recall(visit_id: int, counter_id: int, user_id: int | None, *, expected_version: int | None = None,
           now: datetime | None = None) -> int:
    """Call a called person again who has not come to the counter; returns the call count."""
    now = now or clock.now()
    limit = settings().noshow_after_calls
    with db.session_scope() as session:
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version, (VisitStatus.CALLED,))
        if visit.call_count >= limit:
            raise QueueError(f"Bereits {visit.call_count}-mal aufgerufen – bitte als „nicht erschienen“ vermerken.")
        visit.call_count += 1
        _touch(session, visit)
        _log_event(session, visit.id, VisitEventKind.RECALL, now, user_id=user_id, counter_id=counter_id,
                   detail=f"Aufruf {visit.call_count}")
        office_id, count = visit.office_id, visit.call_count
    changes.publish(office_id)
    return count


def mark_no_show(visit_id: int, counter_id: int, user_id: int | None, *, expected_version: int | None = None,
                 now: datetime | None = None) -> None:
    """Record that a person did not come after the configured number of calls; frees the counter."""
    now = now or clock.now()
    limit = settings().noshow_after_calls
    with db.session_scope() as session:
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version, (VisitStatus.CALLED,))
        if visit.call_count < limit:
            raise QueueError(f"Erst nach {limit} Aufrufen als „nicht erschienen“ vermerken "
                             f"(bisher {visit.call_count}). Bitte erneut aufrufen.")
        visit.status = VisitStatus.NO_SHOW
        visit.no_show_at = now
        _touch(session, visit)
        _log_event(session, visit.id, VisitEventKind.NO_SHOW, now, user_id=user_id, counter_id=counter_id,
                   detail=f"nach {visit.call_count} Aufrufen")
        office_id = visit.office_id
    changes.publish(office_id)


def start(visit_id: int, counter_id: int, user_id: int | None, *, expected_version: int | None = None,
          now: datetime | None = None) -> None:
    """The called person sat down: service time starts."""
    now = now or clock.now()
    with db.session_scope() as session:
        _lock_advisor(session, user_id)
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version, (VisitStatus.CALLED,))
        _ensure_advisor_free(session, user_id, except_visit_id=visit.id)
        visit.status = VisitStatus.IN_SERVICE
        visit.started_at = visit.started_at or now
        visit.advisor_id = user_id
        _touch(session, visit)
        _log_event(session, visit.id, VisitEventKind.START, now, user_id=user_id, counter_id=counter_id)
        office_id = visit.office_id
    changes.publish(office_id)


def park(visit_id: int, counter_id: int, user_id: int | None, note: str, room: str, *,
         expected_version: int | None = None, now: datetime | None = None) -> None:
    """Send a person to wait elsewhere (e.g. for a photo or a form); the counter is free meanwhile."""
    now = now or clock.now()
    note, room = note.strip(), room.strip()
    if not note:
        raise QueueError("Bitte notieren, worauf die Person wartet.")
    with db.session_scope() as session:
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version, ACTIVE_STATUSES)
        visit.status = VisitStatus.PARKED
        visit.parked_at = now
        visit.desk_note = note
        visit.park_room = room or None
        _touch(session, visit)
        _log_event(session, visit.id, VisitEventKind.PARK, now, user_id=user_id, counter_id=counter_id,
                   detail=f"{note} ({room})" if room else note)
        office_id = visit.office_id
    changes.publish(office_id)


def resume(visit_id: int, counter_id: int, user_id: int | None, *, expected_version: int | None = None,
           now: datetime | None = None) -> None:
    """Take a parked person back to this counter and continue serving them."""
    now = now or clock.now()
    with db.session_scope() as session:
        _lock_advisor(session, user_id)
        counter = _lock_counter(session, counter_id)
        _ensure_counter_free(session, counter)
        _ensure_advisor_free(session, user_id)
        visit = session.exec(select(Visit).where(Visit.id == visit_id).with_for_update()).first()
        if visit is None or visit.office_id != counter.office_id:
            raise QueueError("Diesen Besuch gibt es nicht.")
        if visit.status != VisitStatus.PARKED or (expected_version is not None and visit.version != expected_version):
            raise QueueError(STALE_SCREEN)
        visit.status = VisitStatus.IN_SERVICE
        visit.counter_id = counter.id
        visit.advisor_id = user_id
        visit.started_at = visit.started_at or now
        _touch(session, visit)
        _log_event(session, visit.id, VisitEventKind.RESUME, now, user_id=user_id, counter_id=counter.id)
        office_id = visit.office_id
    changes.publish(office_id)


def redirect(visit_id: int, counter_id: int, user_id: int | None, *, area: str | None = None,
             target_counter_id: int | None = None, note: str = "", expected_version: int | None = None,
             now: datetime | None = None) -> None:
    """Put a person back into the queue for another area or for one specific counter.

    They keep their place (booked time or arrival), so a redirect never sends anyone to the end.
    """
    now = now or clock.now()
    if area is None and target_counter_id is None:
        raise QueueError("Bitte einen Bereich oder einen Schalter wählen.")
    with db.session_scope() as session:
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version,
                                  (*ACTIVE_STATUSES, VisitStatus.PARKED))
        target_name = ""
        if target_counter_id is not None:
            target = session.get(Counter, target_counter_id)
            if target is None or not target.active or target.office_id != visit.office_id \
                    or target.kind not in SERVING_COUNTERS:
                raise QueueError("Dieser Schalter ist nicht in Betrieb.")
            if target.id == counter_id:
                raise QueueError("Das ist Ihr eigener Schalter.")
            target_name = target.name
        visit.status = VisitStatus.WAITING
        visit.counter_id = target_counter_id
        # Sent on to another area (no counter named): the sending counter's next call skips them.
        visit.redirected_from_counter_id = counter_id if target_counter_id is None else None
        visit.advisor_id = None
        visit.call_count = 0
        if area:
            visit.area = area
        if note.strip():
            # The hint for the next counter joins what earlier counters noted (e.g. the park note); nothing is lost.
            visit.desk_note = " – ".join(x for x in (visit.desk_note, note.strip()) if x)
        _touch(session, visit)
        detail = ", ".join(x for x in (f"Bereich {area}" if area else "", target_name, note.strip()) if x)
        _log_event(session, visit.id, VisitEventKind.REDIRECT, now, user_id=user_id, counter_id=counter_id,
                   detail=detail)
        office_id = visit.office_id
    changes.publish(office_id)


def finish(visit_id: int, counter_id: int, user_id: int | None, outcomes: Mapping[int, Outcome], *,
           extra_service_ids: tuple[int, ...] = (), expected_version: int | None = None,
           now: datetime | None = None) -> None:
    """Close a visit with what was done for each concern (and why something could not be done).

    Every booked concern must be decided; services done on top of the booking are added as done.
    """
    now = now or clock.now()
    with db.session_scope() as session:
        visit = _visit_at_counter(session, visit_id, counter_id, expected_version, (VisitStatus.IN_SERVICE,))
        concerns = session.exec(select(Concern).where(Concern.visit_id == visit.id)).all()
        names = {s.id: s.name for s in session.exec(select(Service).where(catalogue.offered_by(visit.office_id)))}
        for concern in concerns:
            outcome = outcomes.get(concern.id)
            label = names.get(concern.service_id, "ein Anliegen")
            if outcome is None:
                raise QueueError(f"Bitte für „{label}“ angeben, ob es erledigt wurde.")
            if not outcome.done and not outcome.reason.strip():
                raise QueueError(f"Bitte einen Grund angeben, warum „{label}“ nicht erledigt wurde.")
            concern.status = ConcernStatus.DONE if outcome.done else ConcernStatus.NOT_DONE
            concern.not_done_reason = "" if outcome.done else outcome.reason.strip()
            session.add(concern)
        booked = {c.service_id for c in concerns}
        for service_id in dict.fromkeys(extra_service_ids):
            if service_id not in names:
                raise QueueError("Diese Dienstleistung gibt es nicht.")
            if service_id not in booked:
                session.add(Concern(visit_id=visit.id, service_id=service_id, status=ConcernStatus.DONE))
        if not concerns and not extra_service_ids:
            raise QueueError("Bitte mindestens eine erledigte Dienstleistung angeben.")
        visit.status = VisitStatus.FINISHED
        visit.finished_at = now
        _touch(session, visit)
        done = sum(c.status == ConcernStatus.DONE for c in concerns)
        added = len(set(extra_service_ids) - booked)
        _log_event(session, visit.id, VisitEventKind.FINISH, now, user_id=user_id, counter_id=counter_id,
                   detail=f"{done + added} erledigt, {len(concerns) - done} nicht erledigt")
        office_id = visit.office_id
    changes.publish(office_id)
