"""Applying one parsed Versandavis message to the applications, in the caller's transaction.

The message id is recorded first, in the same transaction as every change the message makes: either
all of a file is applied and remembered, or nothing is. Look-ups and updates are done in bulk (one
query per few hundred entries, one executemany for the updates) so that large files stay fast.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from workstation import clock
from workstation.config import settings
from workstation.models import DocumentApplication, FeedMessage, FeedRejection, Notification, Office
from workstation.models.enums import ApplicationStatus, NotifyChannel, OutboxStatus, TaskPriority
from workstation.services.common.insert_ignore import insert_ignoring_duplicates
from workstation.services.pickup import followup_tasks as pickup_tasks
from workstation.services.pickup import notices
from workstation.services.pickup.feed.parse import Entry, Message

TARGET_STATUS = {
    "VERSANDT": ApplicationStatus.SHIPPED,
    "ZUGESTELLT": ApplicationStatus.ARRIVED,
    "DIREKTVERSAND": ApplicationStatus.DIRECT_MAIL,
    "STORNIERT": ApplicationStatus.CANCELLED,
}
# How far along a document is; the feed may only move it to a higher rank.
RANK = {
    ApplicationStatus.APPLIED: 0,
    ApplicationStatus.SHIPPED: 1,
    ApplicationStatus.ARRIVED: 2,
    ApplicationStatus.DIRECT_MAIL: 3,
    ApplicationStatus.CANCELLED: 3,
    ApplicationStatus.HANDED_OVER: 4,
    ApplicationStatus.RETURNED: 4,
}
_CHUNK = 2000  # below SQLite's limit of 32,766 parameters per statement
_APP = DocumentApplication.__table__  # type: ignore[attr-defined]
_UPDATED = ("status", "status_at", "serial_number", "parcel", "shipped_at", "arrived_at", "notify_email",
            "notify_phone")


@dataclass
class ApplyResult:
    """What one message did; `duplicate` means it had been applied before and changed nothing."""

    message_id: str
    duplicate: bool = False
    entries: int = 0
    applied: int = 0
    ignored: int = 0
    rejected: int = 0
    notices: int = 0
    tasks: int = 0


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


_LOADED = ("id", "application_number", "doc_type", "citizen_id", "notify_channel", *_UPDATED)


def _load_applications(session: Session, office_id: int, numbers: Iterable[str]) -> dict[str, dict[str, Any]]:
    columns = [_APP.c[name] for name in _LOADED]
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(numbers))):
        rows = session.connection().execute(
            select(*columns).where(_APP.c.office_id == office_id, _APP.c.application_number.in_(chunk))
        ).all()
        for row in rows:
            found[row[1]] = dict(zip(_LOADED, row, strict=True))
    return found


def _load_serial_owners(session: Session, serial_numbers: Iterable[str]) -> dict[str, int]:
    owners: dict[str, int] = {}
    for chunk in _chunks(sorted(set(serial_numbers))):
        rows = session.connection().execute(
            select(_APP.c.serial_number, _APP.c.id).where(_APP.c.serial_number.in_(chunk))
        )
        owners.update({serial: app_id for serial, app_id in rows})
    return owners


def _mismatch(entry: Entry, app: dict[str, Any] | None, serial_owners: dict[str, int]) -> str:
    if app is None:
        return f"Antragsnummer {entry.application_number} gehört zu keinem Antrag dieses Bürgerbüros"
    if app["doc_type"] != entry.doc_type:
        return f"Dokumentart {entry.doc_type} passt nicht zum Antrag ({app['doc_type']})"
    if app["serial_number"] and app["serial_number"] != entry.serial:
        return f"Seriennummer {entry.serial} passt nicht zum Antrag (dort {app['serial_number']})"
    owner = serial_owners.get(entry.serial, app["id"])
    if owner != app["id"]:
        return f"Seriennummer {entry.serial} gehört bereits zu einem anderen Antrag"
    return ""


def _stale_reason(entry: Entry, app: dict[str, Any], target: str) -> str | None:
    """None if the entry moves the document forward; '' if it repeats the known state; else why it is ignored."""
    if app["status_at"] is not None and entry.at < app["status_at"]:
        return (f"Älterer Stand ignoriert: {entry.status} vom {clock.to_local(entry.at):%d.%m.%Y %H:%M}, "
                f"bekannt ist ein Stand vom {clock.to_local(app['status_at']):%d.%m.%Y %H:%M}")
    if target == app["status"]:
        return ""
    if RANK[target] <= RANK[app["status"]]:
        return f"Status {entry.status} kann nicht auf den bekannten Status „{app['status']}“ folgen"
    return None


def _move(app: dict[str, Any], entry: Entry, target: str, shipment: str) -> None:
    app["status"] = target
    app["status_at"] = entry.at
    app["serial_number"] = entry.serial
    if target == ApplicationStatus.SHIPPED:
        app["shipped_at"] = entry.at
        app["parcel"] = shipment or app["parcel"]
    elif target == ApplicationStatus.ARRIVED:
        app["arrived_at"] = entry.at
        app["parcel"] = app["parcel"] or shipment or None
    elif target in (ApplicationStatus.DIRECT_MAIL, ApplicationStatus.CANCELLED):
        # Posted straight to the citizen, or never produced: no pickup notice will be sent, so its contact
        # data has no purpose left (a new application is arranged through the citizen record and the task).
        app["notify_email"] = None
        app["notify_phone"] = None


def _rejection(message: Message, filename: str, entry: Entry, reason: str, needs_action: bool,
               now: datetime, office_id: int) -> dict[str, Any]:
    return {
        "office_id": office_id,
        "dedupe_key": f"{message.message_id}:{entry.index}",
        "filename": filename,
        "message_id": message.message_id,
        "entry_index": entry.index,
        "serial_number": entry.serial[:16],
        "application_number": entry.application_number[:64],
        "doc_type": entry.doc_type[:8],
        "feed_status": entry.status[:20],
        "reason": reason,
        "needs_action": needs_action,
        "created_at": now,
        "resolved_at": None,
        "resolved_by": None,
        "resolution": "",
    }


def notice_row(kind: str, app: dict[str, Any], office: Office, now: datetime, holding_days: int) -> dict[str, Any]:
    """An outbox row for an arrival or reminder notice; dedupe key = kind + application id."""
    channel = app["notify_channel"]
    arrived_local = clock.to_local(app["arrived_at"] or now).date()
    collect_by = arrived_local + timedelta(days=holding_days)
    build = notices.arrival if kind == "arrival" else notices.reminder
    text = build(app["doc_type"], app["application_number"], office.name, office.opening_hours, collect_by, channel)
    return {
        "dedupe_key": f"{kind}:{app['id']}",
        "kind": kind,
        "channel": channel,
        "recipient": app["notify_phone"] if channel == NotifyChannel.SMS else app["notify_email"],
        "subject": text.subject,
        "body": text.body,
        "application_id": app["id"],
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        "sent_at": None,
    }


def office_by_code(session: Session, code: str) -> Office:
    """The office the feed is addressed to; it must exist before any file can be applied."""
    office = session.exec(select(Office).where(Office.code == code)).first()
    if office is None:
        raise LookupError(f"Bürgerbüro mit Behördenkennzahl {code} ist nicht angelegt")
    return office


def is_known(session: Session, message_id: str) -> bool:
    """True if a message with this id has been applied."""
    return session.exec(select(FeedMessage.id).where(FeedMessage.message_id == message_id)).first() is not None


def apply_message(session: Session, message: Message, filename: str, now: datetime) -> ApplyResult:
    """Apply a message once; a message id seen before changes nothing and returns `duplicate`."""
    if is_known(session, message.message_id):
        return ApplyResult(message.message_id, duplicate=True)
    result = ApplyResult(message.message_id, entries=len(message.entries))
    office = office_by_code(session, message.office_code)
    record = FeedMessage(message_id=message.message_id, office_code=message.office_code, created=message.created,
                         shipment=message.shipment[:64], filename=filename, received_at=now)
    session.add(record)
    session.flush()  # claims the message id before anything else is changed

    valid = [e for e in message.entries if not e.problem]
    apps = _load_applications(session, office.id, (e.application_number for e in valid))
    # Only serials new to their application can collide with another application's.
    serial_owners = _load_serial_owners(session, (
        e.serial for e in valid
        if e.application_number not in apps or apps[e.application_number]["serial_number"] != e.serial
    ))
    changed: dict[int, dict[str, Any]] = {}
    rejections: list[dict[str, Any]] = []
    for entry in message.entries:
        app = apps.get(entry.application_number)
        reason = entry.problem or _mismatch(entry, app, serial_owners)
        if reason:
            rejections.append(_rejection(message, filename, entry, reason, True, now, office.id))
            continue
        target = TARGET_STATUS[entry.status]
        stale = _stale_reason(entry, app, target)
        if stale is not None:
            result.ignored += 1
            if stale:
                rejections.append(_rejection(message, filename, entry, stale, False, now, office.id))
            continue
        _move(app, entry, target, message.shipment)
        serial_owners[entry.serial] = app["id"]
        changed[app["id"]] = app
        result.applied += 1
    result.rejected = sum(1 for r in rejections if r["needs_action"])

    if changed:
        params = [{"b_id": app_id, **{f"b_{name}": app[name] for name in _UPDATED}} for app_id, app in changed.items()]
        statement = update(_APP).where(_APP.c.id == bindparam("b_id")).values(
            {name: bindparam(f"b_{name}") for name in _UPDATED}
        )
        session.connection().execute(statement, params)
    arrived = [app for app in changed.values() if app["status"] == ApplicationStatus.ARRIVED]
    holding_days = settings().pickup_holding_days
    to_notify = [notice_row("arrival", app, office, now, holding_days) for app in arrived
                 if app["notify_channel"] != NotifyChannel.NONE]
    result.notices = insert_ignoring_duplicates(session, Notification, to_notify)
    cancelled = [app for app in changed.values() if app["status"] == ApplicationStatus.CANCELLED]
    for app in cancelled:
        result.tasks += pickup_tasks.raise_task(
            session,
            office_id=office.id,
            title=f"{notices.doc_name(app['doc_type'])} storniert – Bürger/in kontaktieren",
            reference=app["application_number"],
            description=(f"Die Bundesdruckerei meldet die Produktion zum Antrag {app['application_number']} "
                         f"(Seriennummer {app['serial_number']}) als storniert. Bitte Ursache klären und die "
                         "antragstellende Person wegen eines neuen Antrags kontaktieren."),
            citizen_id=app["citizen_id"],
            now=now,
            priority=TaskPriority.HIGH,
        )
    # A document cancelled or posted to the citizen will not be at the desk: unsent notices are dropped,
    # and with them the address they were meant for. A posted document needs no notice at all any more,
    # so the address also leaves the notices already sent (the application's contact data went in `_move`).
    gone = [app["id"] for app in changed.values()
            if app["status"] in (ApplicationStatus.CANCELLED, ApplicationStatus.DIRECT_MAIL)]
    if gone:
        session.connection().execute(
            update(Notification.__table__)  # type: ignore[attr-defined]
            .where(Notification.application_id.in_(gone), Notification.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED, next_attempt_at=None, recipient=None,
                    last_error="Nicht gesendet: Dokument wird nicht an der Ausgabe abgeholt")
        )
    posted = [app["id"] for app in changed.values() if app["status"] == ApplicationStatus.DIRECT_MAIL]
    if posted:
        session.connection().execute(
            update(Notification.__table__)  # type: ignore[attr-defined]
            .where(Notification.application_id.in_(posted))
            .values(recipient=None)
        )
    insert_ignoring_duplicates(session, FeedRejection, rejections)
    record.entries, record.applied = result.entries, result.applied
    record.ignored, record.rejected = result.ignored, result.rejected
    session.add(record)
    return result
