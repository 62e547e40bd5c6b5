"""Löschfristen: erase personal data whose purpose has ended (DSGVO Art. 5 Abs. 1 lit. e, Art. 17).

Every rule picks the rows that are due *and still hold something to erase*, at most `batch` at a time,
changes them and commits; the run's counts are written in the same transaction. So:

- a second run finds nothing and changes nothing (idempotent);
- a run that stops half-way (crash, restart) leaves every batch either done or untouched, and the next
  run finishes the rest;
- the daily figures stay identical: a visit keeps its office, kind, area, status and times (what
  `services/metrics/load.py` reads) and loses only the link to the person, the booking code and the
  free-text notes; applications, back-office tasks and their times stay, only names and texts go.

"Now" is injected (`run(now=...)`, default `clock.now()`). A period of N days after a *day* (a visit's
day) means: erased in the first run after the N-th following Berlin day has ended."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, exists, func, not_, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from workstation import clock, db
from workstation.config import settings
from workstation.models import (
    AuditLog,
    BackofficeTask,
    BookingAccess,
    CheckinAttempt,
    Citizen,
    Concern,
    DocumentApplication,
    Notification,
    ReservedPlate,
    RetentionRun,
    StatusLookup,
    TaskAttachment,
    TaskEvent,
    UserSession,
    Visit,
    VisitEvent,
)
from workstation.models.enums import ApplicationStatus, OutboxStatus, TaskStatus
from workstation.services.privacy import retention_booking
from workstation.services.privacy.batches import Due, delete_due, due_ids, update_due
from workstation.services.privacy.retention_table import RULES

log = logging.getLogger(__name__)


_VISIT = Visit.__table__  # type: ignore[attr-defined]


_EVENT = VisitEvent.__table__  # type: ignore[attr-defined]


_CONCERN = Concern.__table__  # type: ignore[attr-defined]


_APP = DocumentApplication.__table__  # type: ignore[attr-defined]


_NOTE = Notification.__table__  # type: ignore[attr-defined]


_PLATE = ReservedPlate.__table__  # type: ignore[attr-defined]


_TASK = BackofficeTask.__table__  # type: ignore[attr-defined]


_TASK_EVENT = TaskEvent.__table__  # type: ignore[attr-defined]


_ATTACHMENT = TaskAttachment.__table__  # type: ignore[attr-defined]


_CITIZEN = Citizen.__table__  # type: ignore[attr-defined]


_AUDIT = AuditLog.__table__  # type: ignore[attr-defined]


_SESSION = UserSession.__table__  # type: ignore[attr-defined]


_LOOKUP = StatusLookup.__table__  # type: ignore[attr-defined]
_ATTEMPT = CheckinAttempt.__table__  # type: ignore[attr-defined]


_ACCESS = BookingAccess.__table__  # type: ignore[attr-defined]


CONCLUDED = (ApplicationStatus.HANDED_OVER, ApplicationStatus.DIRECT_MAIL, ApplicationStatus.CANCELLED,
             ApplicationStatus.RETURNED)


FINAL_NOTICES = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


ANONYMISED_TASK_TITLE = "Vorgang (anonymisiert)"


def _visit_day() -> ColumnElement:
    return func.coalesce(_VISIT.c.slot_start, _VISIT.c.checked_in_at, _VISIT.c.booked_at)


def _concluded_at() -> ColumnElement:
    # Returned documents have no own timestamp: the day of arrival counts (it lies before the return).
    return func.coalesce(_APP.c.handed_over_at, _APP.c.status_at, _APP.c.applied_at)


def _document_contact(session: Session, due: Due, limit: int, after: int) -> list[int]:
    uncollected = due.before(due.conf.pickup_holding_days + due.conf.retain_uncollected_grace_days)
    condition = and_(
        or_(_APP.c.notify_email.is_not(None), _APP.c.notify_phone.is_not(None)),
        or_(_APP.c.status.in_(CONCLUDED),
            and_(_APP.c.status == ApplicationStatus.ARRIVED, _APP.c.arrived_at < uncollected)),
    )
    ids = due_ids(session, _APP, condition, limit, after)
    if ids:
        conn = session.connection()
        conn.execute(update(_APP).where(_APP.c.id.in_(ids)).values(notify_email=None, notify_phone=None))
        conn.execute(update(_NOTE).where(_NOTE.c.application_id.in_(ids), _NOTE.c.status == OutboxStatus.PENDING)
                     .values(status=OutboxStatus.CANCELLED, next_attempt_at=None,
                             last_error="Nicht gesendet: Kontaktdaten nach Fristablauf gelöscht"))
        conn.execute(update(_NOTE).where(_NOTE.c.application_id.in_(ids), _NOTE.c.recipient.is_not(None))
                     .values(recipient=None))
    return ids


def _outbox(session: Session, due: Due, limit: int, after: int) -> list[int]:
    condition = and_(_NOTE.c.recipient.is_not(None), _NOTE.c.status.in_(FINAL_NOTICES),
                     func.coalesce(_NOTE.c.sent_at, _NOTE.c.created_at) < due.before(due.conf.retain_outbox_days))
    # A refused address may be quoted in the error text of a failed message.
    return update_due(session, _NOTE, condition, limit, after, recipient=None,
                   last_error=case((_NOTE.c.status == OutboxStatus.FAILED, "Empfänger gelöscht"),
                                   else_=_NOTE.c.last_error))


def _booking(session: Session, due: Due, limit: int, after: int) -> list[int]:
    access = exists().where(_ACCESS.c.visit_id == _VISIT.c.id)
    condition = and_(_visit_day() < due.days_before(due.conf.retain_booking_days),
                     or_(_VISIT.c.booking_code.is_not(None), _VISIT.c.booking_note != "", access))
    ids = update_due(session, _VISIT, condition, limit, after, booking_code=None, booking_note="")
    if ids:
        session.connection().execute(delete(_ACCESS).where(_ACCESS.c.visit_id.in_(ids)))
    return ids


def _citizen_contact(session: Session, due: Due, limit: int, after: int) -> list[int]:
    c = _CITIZEN.c
    recent_visit = exists().where(_VISIT.c.citizen_id == c.id, or_(
        _visit_day() >= due.days_before(due.conf.retain_booking_days), _visit_day().is_(None)))
    open_task = exists().where(_TASK.c.citizen_id == c.id, _TASK.c.status != TaskStatus.DONE)
    open_application = exists().where(_APP.c.citizen_id == c.id, _APP.c.status.not_in(CONCLUDED))
    held_plate = exists().where(_PLATE.c.citizen_id == c.id, _PLATE.c.assigned_at.is_(None),
                                _PLATE.c.expires_at >= due.now)
    condition = and_(or_(c.email.is_not(None), c.phone.is_not(None)),
                     c.created_at < due.before(due.conf.retain_booking_days),
                     not_(recent_visit), not_(open_task), not_(open_application), not_(held_plate))
    return update_due(session, _CITIZEN, condition, limit, after, email=None, phone=None)


def _visits(session: Session, due: Due, limit: int, after: int) -> list[int]:
    v = _VISIT.c
    event_text = exists().where(_EVENT.c.visit_id == v.id, _EVENT.c.detail != "")
    concern_text = exists().where(_CONCERN.c.visit_id == v.id, _CONCERN.c.not_done_reason != "")
    condition = and_(_visit_day() < due.days_before(due.conf.retain_visit_days), or_(
        v.citizen_id.is_not(None), v.booking_code.is_not(None), v.booking_note != "", v.desk_note != "",
        v.park_room.is_not(None), event_text, concern_text))
    ids = due_ids(session, _VISIT, condition, limit, after)
    if ids:
        conn = session.connection()
        conn.execute(update(_VISIT).where(v.id.in_(ids)).values(
            citizen_id=None, booking_code=None, booking_note="", desk_note="", park_room=None))
        conn.execute(update(_EVENT).where(_EVENT.c.visit_id.in_(ids), _EVENT.c.detail != "").values(detail=""))
        conn.execute(update(_CONCERN).where(_CONCERN.c.visit_id.in_(ids), _CONCERN.c.not_done_reason != "")
                     .values(not_done_reason=""))
    return ids


def _plates(session: Session, due: Due, limit: int, after: int) -> list[int]:
    condition = and_(_PLATE.c.citizen_id.is_not(None),
                     func.coalesce(_PLATE.c.assigned_at, _PLATE.c.expires_at) < due.before(due.conf.retain_plate_days))
    return update_due(session, _PLATE, condition, limit, after, citizen_id=None)


def _documents(session: Session, due: Due, limit: int, after: int) -> list[int]:
    condition = and_(_APP.c.representative_name.is_not(None), _APP.c.status.in_(CONCLUDED),
                     _concluded_at() < due.before(due.conf.retain_document_days))
    return update_due(session, _APP, condition, limit, after, representative_name=None)


def _tasks(session: Session, due: Due, limit: int, after: int) -> list[int]:
    t = _TASK.c
    event_text = exists().where(_TASK_EVENT.c.task_id == t.id, _TASK_EVENT.c.detail != "")
    attached = exists().where(_ATTACHMENT.c.task_id == t.id)
    condition = and_(t.status == TaskStatus.DONE, t.closed_at < due.before(due.conf.retain_task_days), or_(
        t.citizen_id.is_not(None), t.description != "", t.outcome != "", t.title != ANONYMISED_TASK_TITLE,
        event_text, attached))
    ids = due_ids(session, _TASK, condition, limit, after)
    if ids:
        conn = session.connection()
        files = conn.execute(select(_ATTACHMENT.c.stored_path).where(_ATTACHMENT.c.task_id.in_(ids))).scalars().all()
        root = due.conf.attachments_dir.resolve()
        # Files first: if the transaction then fails, the rows remain and the next run deletes them (a missing
        # file is fine); the other way round a crash would leave files no row points to.
        for stored in files:
            path = (root / stored).resolve()
            if path.is_relative_to(root):
                path.unlink(missing_ok=True)
        conn.execute(delete(_ATTACHMENT).where(_ATTACHMENT.c.task_id.in_(ids)))
        conn.execute(update(_TASK_EVENT).where(_TASK_EVENT.c.task_id.in_(ids), _TASK_EVENT.c.detail != "")
                     .values(detail=""))
        conn.execute(update(_TASK).where(t.id.in_(ids)).values(
            citizen_id=None, title=ANONYMISED_TASK_TITLE, description="", outcome=""))
    return ids


def _citizens(session: Session, due: Due, limit: int, after: int) -> list[int]:
    c = _CITIZEN.c
    needed_by_application = exists().where(_APP.c.citizen_id == c.id, or_(
        _APP.c.status.not_in(CONCLUDED), _concluded_at() >= due.before(due.conf.retain_document_days)))
    has_application = exists().where(_APP.c.citizen_id == c.id)
    blank = and_(c.first_name == "", c.last_name == "", c.birth_date.is_(None), c.street == "",
                 c.postal_code == "", c.city == "", c.email.is_(None), c.phone.is_(None))
    no_purpose = and_(
        c.created_at < due.before(due.conf.retain_visit_days),
        not_(exists().where(_VISIT.c.citizen_id == c.id)),
        not_(exists().where(_PLATE.c.citizen_id == c.id)),
        not_(exists().where(_TASK.c.citizen_id == c.id)),
        not_(needed_by_application),
    )
    ids = due_ids(session, _CITIZEN, and_(no_purpose, or_(not_(blank), not_(has_application))), limit, after)
    if ids:
        conn = session.connection()
        # The conditions are checked again in the statements: a visit linked meanwhile keeps the person.
        conn.execute(delete(_CITIZEN).where(c.id.in_(ids), no_purpose, not_(has_application)))
        conn.execute(update(_CITIZEN).where(c.id.in_(ids), no_purpose, not_(blank)).values(
            first_name="", last_name="", birth_date=None, street="", postal_code="", city="", email=None, phone=None))
    return ids


def _audit(session: Session, due: Due, limit: int, after: int) -> list[int]:
    return delete_due(session, _AUDIT, _AUDIT.c.at < due.before(due.conf.retain_audit_days), limit, after)


def _sessions(session: Session, due: Due, limit: int, after: int) -> list[int]:
    return delete_due(session, _SESSION, _SESSION.c.expires_at < due.before(due.conf.retain_session_days), limit, after)


def _status_lookups(session: Session, due: Due, limit: int, after: int) -> list[int]:
    return delete_due(session, _LOOKUP, _LOOKUP.c.at < due.now - timedelta(minutes=due.conf.status_window_minutes),
                   limit, after)


def _checkin_attempts(session: Session, due: Due, limit: int, after: int) -> list[int]:
    return delete_due(session, _ATTEMPT, _ATTEMPT.c.at < due.before(due.conf.retain_booking_days), limit, after)


# One batch of each rule: changes at most `limit` due rows (of the rule's table) with an id above `after`
# and returns their ids. Looked up at run time, so a test can make one fail.
STEPS: dict[str, Callable[[Session, Due, int, int], list[int]]] = {
    "document_contact": _document_contact,
    "outbox": _outbox,
    "booking": _booking,
    "booking_mails": retention_booking.booking_mails,
    "booking_holds": retention_booking.booking_holds,
    "booking_challenges": retention_booking.booking_challenges,
    "booking_attempts": retention_booking.booking_attempts,
    "citizen_contact": _citizen_contact,
    "visits": _visits,
    "plates": _plates,
    "documents": _documents,
    "tasks": _tasks,
    "citizens": _citizens,
    "audit": _audit,
    "sessions": _sessions,
    "checkin_attempts": _checkin_attempts,
    "status_lookups": _status_lookups,
}


@dataclass
class RetentionReport:
    """What a run did: rows changed per rule (keys of RULES)."""

    run_id: int
    started_at: datetime
    finished_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        changed = ", ".join(f"{key}={n}" for key, n in self.counts.items() if n) or "nichts fällig"
        return f"Löschlauf {self.run_id}: {changed}"


def run(now: datetime | None = None, batch: int | None = None) -> RetentionReport:
    """Apply every rule in batches of `batch` rows (default: the setting), each batch its own transaction."""
    instant = now or clock.now()
    conf = settings()
    size = max(1, batch or conf.retention_batch)
    due = Due(instant, conf)
    with db.session_scope() as session:
        row = RetentionRun(started_at=clock.now(), counts="{}")
        session.add(row)
        session.flush()
        report = RetentionReport(run_id=row.id, started_at=row.started_at)
    try:
        for rule in RULES:
            report.counts[rule.key] = 0
            after = 0
            while True:
                with db.session_scope() as session:
                    picked = STEPS[rule.key](session, due, size, after)
                    counts = report.counts | {rule.key: report.counts[rule.key] + len(picked)}
                    _record(session, report.run_id, counts)
                report.counts = counts
                if len(picked) < size:
                    break
                after = max(picked)
    except Exception as exc:
        with db.session_scope() as session:
            _record(session, report.run_id, report.counts, error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    report.finished_at = clock.now()
    with db.session_scope() as session:
        _record(session, report.run_id, report.counts, finished_at=report.finished_at)
    return report


def _record(session: Session, run_id: int, counts: dict[str, int], *, error: str = "",
            finished_at: datetime | None = None) -> None:
    table = RetentionRun.__table__  # type: ignore[attr-defined]
    values: dict = {"counts": json.dumps(counts)}
    if error:
        values["error"] = error
    if finished_at is not None:
        values["finished_at"] = finished_at
    session.connection().execute(update(table).where(table.c.id == run_id).values(**values))


@dataclass(frozen=True)
class RunSummary:
    """One past run for the admin page."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    error: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def recent_runs(limit: int = 10) -> list[RunSummary]:
    """The last runs, newest first."""
    with db.read_scope() as session:
        rows = session.execute(
            select(RetentionRun).order_by(col(RetentionRun.started_at).desc(), col(RetentionRun.id).desc()).limit(limit)
        ).scalars().all()
        return [RunSummary(r.id, r.started_at, r.finished_at, json.loads(r.counts or "{}"), r.error) for r in rows]
