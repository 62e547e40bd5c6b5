"""The pickup desk: documents waiting, scanning a serial number, hand-over, feed entries to resolve.

Also the periodic duties of the desk (reminder notices, holding period over), which the jobs call.
Hand-over is a conditional update on the status, so a double click hands a document over once; the
citizen's notification address and phone number are erased in the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, true, update
from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import Citizen, DocumentApplication, FeedRejection, Notification, Office, StaffUser
from workstation.models.enums import ApplicationStatus, AuditAction, DocumentType, NotifyChannel, OutboxStatus
from workstation.services.common import serials
from workstation.services.common.insert_ignore import insert_ignoring_duplicates
from workstation.services.pickup import followup_tasks as pickup_tasks
from workstation.services.pickup import notices
from workstation.services.pickup.feed.apply import notice_row
from workstation.services.staff import audit

WAITING_STATUSES = (ApplicationStatus.SHIPPED, ApplicationStatus.ARRIVED)
EID_DOCUMENTS = frozenset({DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT})
_APP = DocumentApplication.__table__  # type: ignore[attr-defined]


class PickupError(Exception):
    """A desk action that cannot be done; `message` is German and shown to staff as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WaitingDocument:
    """One document on the desk's list."""

    application_id: int
    application_number: str
    doc_type: str
    doc_name: str
    serial_number: str
    status: str
    citizen_name: str
    arrived_at: datetime | None
    days_waiting: int
    notify_channel: str
    notified: bool
    reminded: bool
    confirmed: bool
    overdue: bool
    holding_over: bool
    handed_over_at: datetime | None = None
    handed_over_by: str = ""
    representative_name: str = ""


def _row(app: DocumentApplication, citizen: Citizen, now: datetime, periods: tuple[int, int],
         staff_name: str | None = None) -> WaitingDocument:
    """One list row; `periods` = (reminder days, holding days)."""
    reminder_days, holding_days = periods
    days = (now - app.arrived_at).days if app.arrived_at else 0
    return WaitingDocument(
        application_id=app.id,
        application_number=app.application_number,
        doc_type=app.doc_type,
        doc_name=notices.doc_name(app.doc_type),
        serial_number=app.serial_number or "",
        status=app.status,
        citizen_name=f"{citizen.last_name}, {citizen.first_name}",
        arrived_at=app.arrived_at,
        days_waiting=days,
        notify_channel=app.notify_channel,
        notified=app.notified_at is not None,
        reminded=app.reminded_at is not None,
        confirmed=app.confirmed_at is not None,
        overdue=app.status == ApplicationStatus.ARRIVED and days >= reminder_days,
        holding_over=app.status == ApplicationStatus.ARRIVED and days >= holding_days,
        handed_over_at=app.handed_over_at,
        handed_over_by=staff_name or "",
        representative_name=app.representative_name or "",
    )


def _periods() -> tuple[int, int]:
    conf = settings()
    return conf.pickup_reminder_days, conf.pickup_holding_days


def _of_office(query, office_id: int | None):
    """Only the documents of one office (None: every office, for jobs and single-office tests)."""
    return query if office_id is None else query.where(DocumentApplication.office_id == office_id)


def _waiting_filter(query, search: str, status: str, instant: datetime, office_id: int | None):
    """The list's filter (see `waiting`), shared by the page of rows and their count."""
    reminder_days = _periods()[0]
    query = _of_office(query, office_id)
    if status == ApplicationStatus.HANDED_OVER:
        start, end = clock.local_day_bounds(clock.to_local(instant).date())
        query = query.where(DocumentApplication.status == ApplicationStatus.HANDED_OVER,
                            DocumentApplication.handed_over_at >= start, DocumentApplication.handed_over_at < end)
    elif status == "overdue":
        cutoff = instant - timedelta(days=reminder_days)
        query = query.where(DocumentApplication.status == ApplicationStatus.ARRIVED,
                            DocumentApplication.arrived_at <= cutoff)
    elif status in (ApplicationStatus.ARRIVED, ApplicationStatus.SHIPPED):
        query = query.where(DocumentApplication.status == status)
    else:
        query = query.where(col(DocumentApplication.status).in_(WAITING_STATUSES))
    text = search.strip()
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(
            col(Citizen.last_name).ilike(like),
            col(Citizen.first_name).ilike(like),
            col(DocumentApplication.serial_number).startswith(serials.normalize(text)[: serials.SERIAL_LENGTH]),
            DocumentApplication.application_number == text,
        ))
    return query


def waiting(search: str = "", status: str = "", now: datetime | None = None, limit: int = 200, offset: int = 0,
            *, office_id: int | None = None) -> list[WaitingDocument]:
    """Documents shipped or at the office; `search` matches a name or a serial number prefix.

    `status` is "", "arrived", "shipped", "overdue" (at the office longer than the reminder period) or
    "handed_over" (handed over today, with the time and the staff member). `limit`/`offset` give one page;
    `waiting_count` says how many there are in all.
    """
    instant = now or clock.now()
    periods = _periods()
    query = (
        select(DocumentApplication, Citizen, StaffUser.display_name)
        .join(Citizen, Citizen.id == DocumentApplication.citizen_id)
        .outerjoin(StaffUser, StaffUser.id == DocumentApplication.handed_over_by)
    )
    if status == ApplicationStatus.HANDED_OVER:
        query = query.order_by(col(DocumentApplication.handed_over_at).desc(), DocumentApplication.id)
    else:
        query = query.order_by(col(DocumentApplication.arrived_at).is_(None), DocumentApplication.arrived_at,
                               DocumentApplication.id)
    query = _waiting_filter(query, search, status, instant, office_id).limit(limit).offset(max(offset, 0))
    with db.session_scope() as session:
        return [_row(app, citizen, instant, periods, staff) for app, citizen, staff in session.exec(query).all()]


def waiting_count(search: str = "", status: str = "", now: datetime | None = None, *,
                  office_id: int | None = None) -> int:
    """How many documents the list shows in all, for the count above it and the pages."""
    query = select(func.count()).select_from(DocumentApplication).join(
        Citizen, Citizen.id == DocumentApplication.citizen_id)
    with db.session_scope() as session:
        return session.exec(_waiting_filter(query, search, status, now or clock.now(), office_id)).one()


def _serial_of(raw: str) -> str:
    """The serial number a scan or a typed text names: with its check digit (as printed on the document and
    scanned) or the nine characters alone (as the waiting list shows them)."""
    text = serials.normalize(raw)
    if len(text) == serials.SERIAL_LENGTH:
        if not serials.is_well_formed(text):
            raise PickupError(f"„{text}“ ist keine gültige Seriennummer (erlaubt: Ziffern und CFGHJKLMNPRTVWXYZ).")
        return text
    parsed = serials.split_with_check_digit(text)
    if parsed is None:
        raise PickupError("Bitte die 9-stellige Seriennummer eingeben, mit oder ohne Prüfziffer (9 oder 10 Zeichen).")
    serial, digit = parsed
    if not serials.is_well_formed(serial):
        raise PickupError(f"„{serial}“ ist keine gültige Seriennummer (erlaubt: Ziffern und CFGHJKLMNPRTVWXYZ).")
    if not serials.is_valid(serial, digit):
        raise PickupError("Die Prüfziffer passt nicht zur Seriennummer. Bitte erneut scannen oder abtippen.")
    return serial


def find_by_scan(raw: str, user_id: int, now: datetime | None = None, *, office_id: int | None = None
                 ) -> WaitingDocument:
    """The document of a scanned or typed serial number, with check digit ('L6F3R7T2K8') or without ('L6F3R7T2K')."""
    serial = _serial_of(raw)
    with db.session_scope() as session:
        found = session.exec(_of_office(
            select(DocumentApplication, Citizen)
            .join(Citizen, Citizen.id == DocumentApplication.citizen_id)
            .where(DocumentApplication.serial_number == serial), office_id)
        ).first()
        if found is None:
            raise PickupError(f"Zur Seriennummer {serial} ist kein Antrag bekannt.")
        app, citizen = found
        staff = session.get(StaffUser, app.handed_over_by) if app.handed_over_by else None
        audit.record(session, user_id=user_id, action=AuditAction.READ, entity="documentapplication",
                     entity_id=app.id, citizen_id=app.citizen_id, detail="Abholung: Seriennummer gescannt")
        return _row(app, citizen, now or clock.now(), _periods(), staff.display_name if staff else None)


def confirm_arrival(application_id: int, user_id: int, now: datetime | None = None, *,
                    office_id: int | None = None) -> None:
    """The desk has the delivered document in hand (unpacked from the parcel)."""
    same_office = true() if office_id is None else _APP.c.office_id == office_id
    with db.session_scope() as session:
        result = session.connection().execute(
            update(_APP)
            .where(_APP.c.id == application_id, _APP.c.status == ApplicationStatus.ARRIVED,
                   _APP.c.confirmed_at.is_(None), same_office)
            .values(confirmed_at=now or clock.now())
        )
        if result.rowcount == 0:
            raise PickupError("Das Dokument ist nicht als eingetroffen gemeldet oder wurde schon bestätigt.")
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="documentapplication",
                     entity_id=application_id, detail="Eingang an der Ausgabe bestätigt")


@dataclass(frozen=True)
class HandOver:
    """What the desk checked and did at the hand-over."""

    identity_checked: bool
    old_document: str  # "invalidated" or "none" (there was no previous document)
    pin_letter_handed: bool = False
    representative_name: str = ""
    power_of_attorney_checked: bool = False


def _check(form: HandOver, doc_type: str) -> str:
    if not form.identity_checked:
        return "Bitte zuerst die Identität der abholenden Person prüfen."
    if form.representative_name.strip() and not form.power_of_attorney_checked:
        return "Für die Abholung durch eine bevollmächtigte Person muss die Vollmacht geprüft sein."
    if form.old_document not in ("invalidated", "none"):
        return "Bitte angeben, ob das alte Dokument entwertet wurde oder keines vorhanden war."
    if doc_type in EID_DOCUMENTS and form.representative_name.strip() and form.pin_letter_handed:
        return "Der PIN-Brief wird nur der antragstellenden Person selbst übergeben."
    return ""


def _application(session: Session, application_id: int, office_id: int | None) -> DocumentApplication | None:
    """An application of the office; another office's counts as unknown."""
    app = session.get(DocumentApplication, application_id)
    return None if app is None or (office_id is not None and app.office_id != office_id) else app


def hand_over(application_id: int, form: HandOver, user_id: int, now: datetime | None = None, *,
              office_id: int | None = None) -> None:
    """Hand the document over once; records time and staff, erases the notification contact data."""
    instant = now or clock.now()
    with db.session_scope() as session:
        app = _application(session, application_id, office_id)
        if app is None:
            raise PickupError("Antrag nicht gefunden.")
        if app.status == ApplicationStatus.HANDED_OVER:
            when = clock.to_local(app.handed_over_at) if app.handed_over_at else None
            raise PickupError(f"Das Dokument wurde bereits am {when:%d.%m.%Y um %H:%M} Uhr ausgehändigt."
                              if when else "Das Dokument wurde bereits ausgehändigt.")
        if app.status != ApplicationStatus.ARRIVED:
            raise PickupError("Das Dokument ist noch nicht im Bürgerbüro eingetroffen.")
        problem = _check(form, app.doc_type)
        if problem:
            raise PickupError(problem)
        result = session.connection().execute(
            update(_APP)
            .where(_APP.c.id == application_id, _APP.c.status == ApplicationStatus.ARRIVED)
            .values(status=ApplicationStatus.HANDED_OVER, handed_over_at=instant, handed_over_by=user_id,
                    confirmed_at=app.confirmed_at or instant,
                    representative_name=form.representative_name.strip() or None,
                    old_document_invalidated=form.old_document == "invalidated",
                    pin_letter_handed=form.pin_letter_handed, notify_email=None, notify_phone=None)
        )
        if result.rowcount != 1:
            raise PickupError("Das Dokument wurde gerade an einem anderen Platz ausgehändigt.")
        _forget_contact(session, application_id)
        who = f"an Bevollmächtigte/n {form.representative_name.strip()}" if form.representative_name.strip() \
            else "an Antragsteller/in"
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="documentapplication",
                     entity_id=application_id, citizen_id=app.citizen_id, detail=f"Ausgehändigt {who}")


def mark_returned(application_id: int, user_id: int | None, now: datetime | None = None, *,
                  office_id: int | None = None) -> None:
    """An uncollected document went back to the Bundesdruckerei or was destroyed after the holding period."""
    instant = now or clock.now()
    with db.session_scope() as session:
        app = _application(session, application_id, office_id)
        if app is None or app.status != ApplicationStatus.ARRIVED:
            raise PickupError("Nur ein eingetroffenes, nicht abgeholtes Dokument kann zurückgegeben werden.")
        if app.arrived_at is None or app.arrived_at > instant - timedelta(days=settings().pickup_holding_days):
            raise PickupError("Die Abholfrist ist noch nicht abgelaufen.")
        result = session.connection().execute(
            update(_APP)
            .where(_APP.c.id == application_id, _APP.c.status == ApplicationStatus.ARRIVED)
            .values(status=ApplicationStatus.RETURNED, notify_email=None, notify_phone=None)
        )
        if result.rowcount != 1:
            raise PickupError("Das Dokument wurde gerade anderweitig bearbeitet.")
        _forget_contact(session, application_id)
        audit.record(session, user_id=user_id, action=AuditAction.CHANGE, entity="documentapplication",
                     entity_id=application_id, citizen_id=app.citizen_id,
                     detail="Nach Ablauf der Abholfrist zurückgegeben oder vernichtet")


def _forget_contact(session: Session, application_id: int) -> None:
    """After hand-over: unsent notices are cancelled, the address is removed from sent ones."""
    table = Notification.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        update(table)
        .where(table.c.application_id == application_id, table.c.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, next_attempt_at=None, last_error="Nicht gesendet: bereits abgeholt")
    )
    session.connection().execute(
        update(table).where(table.c.application_id == application_id).values(recipient=None)
    )


@dataclass(frozen=True)
class OpenRejection:
    """A feed file or entry the desk has to resolve."""

    id: int
    created_at: datetime
    filename: str
    serial_number: str
    application_number: str
    feed_status: str
    reason: str


def _rejections_of(office_id: int | None):
    """Feed problems an office's desk sees: its own, and whole files whose office could not be told."""
    if office_id is None:
        return true()
    return or_(FeedRejection.office_id == office_id, col(FeedRejection.office_id).is_(None))


def open_rejections(limit: int = 200, *, office_id: int | None = None) -> list[OpenRejection]:
    """Feed problems that need a person, oldest first."""
    with db.session_scope() as session:
        rows = session.exec(
            select(FeedRejection)
            .where(FeedRejection.needs_action, col(FeedRejection.resolved_at).is_(None), _rejections_of(office_id))
            .order_by(FeedRejection.created_at, FeedRejection.id)
            .limit(limit)
        ).all()
        return [OpenRejection(r.id, r.created_at, r.filename, r.serial_number, r.application_number,
                              r.feed_status, r.reason) for r in rows]


def resolve_rejection(rejection_id: int, note: str, user_id: int, now: datetime | None = None, *,
                      office_id: int | None = None) -> None:
    """Mark a feed problem as dealt with, saying how."""
    if not note.strip():
        raise PickupError("Bitte kurz notieren, wie der Fall geklärt wurde.")
    with db.session_scope() as session:
        table = FeedRejection.__table__  # type: ignore[attr-defined]
        result = session.connection().execute(
            update(table)
            .where(table.c.id == rejection_id, table.c.resolved_at.is_(None), _rejections_of(office_id))
            .values(resolved_at=now or clock.now(), resolved_by=user_id, resolution=note.strip()[:500])
        )
        if result.rowcount == 0:
            raise PickupError("Dieser Eintrag wurde bereits geklärt.")


def _columns_for_notice() -> list[Any]:
    return [_APP.c.id, _APP.c.application_number, _APP.c.doc_type, _APP.c.notify_channel, _APP.c.notify_email,
            _APP.c.notify_phone, _APP.c.arrived_at, _APP.c.office_id, _APP.c.citizen_id]


def enqueue_reminders(now: datetime | None = None) -> int:
    """Queue one reminder for each document uncollected after the reminder period; returns how many."""
    instant = now or clock.now()
    cutoff = instant - timedelta(days=settings().pickup_reminder_days)
    with db.session_scope() as session:
        due = session.connection().execute(
            select(*_columns_for_notice()).where(
                _APP.c.status == ApplicationStatus.ARRIVED, _APP.c.arrived_at <= cutoff, _APP.c.reminded_at.is_(None)
            )
        ).mappings().all()
        if not due:
            return 0
        offices = {o.id: o for o in session.exec(select(Office)).all()}
        holding_days = settings().pickup_holding_days
        rows = [notice_row("reminder", dict(app), offices[app["office_id"]], instant, holding_days) for app in due
                if app["notify_channel"] != NotifyChannel.NONE]
        queued = insert_ignoring_duplicates(session, Notification, rows)
        session.connection().execute(
            update(_APP).where(_APP.c.id.in_([app["id"] for app in due])).values(reminded_at=instant)
        )
        return queued


def raise_holding_tasks(now: datetime | None = None) -> int:
    """A back-office task per document still uncollected after the holding period; returns new tasks."""
    instant = now or clock.now()
    days = settings().pickup_holding_days
    cutoff = instant - timedelta(days=days)
    created = 0
    with db.session_scope() as session:
        due = session.connection().execute(
            select(*_columns_for_notice()).where(_APP.c.status == ApplicationStatus.ARRIVED,
                                                 _APP.c.arrived_at <= cutoff)
        ).mappings().all()
        for app in due:
            created += pickup_tasks.raise_task(
                session,
                office_id=app["office_id"],
                title=f"Abholfrist abgelaufen: {notices.doc_name(app['doc_type'])} zurückgeben oder vernichten",
                reference=app["application_number"],
                description=(f"Das Dokument zum Antrag {app['application_number']} liegt seit "
                             f"{clock.to_local(app['arrived_at']):%d.%m.%Y} an der Ausgabe und wurde nach {days} "
                             "Tagen nicht abgeholt. Bitte an die Bundesdruckerei zurückgeben oder vernichten und "
                             "den Vorgang dokumentieren."),
                citizen_id=app["citizen_id"],
                now=instant,
            )
    return created
