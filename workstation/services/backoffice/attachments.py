"""Files attached to back-office tasks: kept outside the web app's public folders, read only by staff.

Files land under `settings().attachments_dir/<task id>/<random name>`; the name the uploader gave
is kept in the database for display only and never becomes part of a path. Only a few document
types are accepted, recognised by their content rather than their name, up to a size limit.
Every download is written to the audit log, because these files carry citizen data.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from workstation import clock, db
from workstation.config import settings
from workstation.models import AuditAction, BackofficeTask, TaskAction, TaskAttachment
from workstation.services.backoffice.task_model import (
    TaskError,
    backoffice_staff,
    check_may_change,
    log_task_event,
    task_in_office,
)
from workstation.services.staff import audit

_KINDS: tuple[tuple[str, str, bytes], ...] = (
    ("application/pdf", ".pdf", b"%PDF-"),
    ("image/png", ".png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", ".jpg", b"\xff\xd8\xff"),
)
_TEXT_SUFFIXES = {".txt": "text/plain", ".eml": "message/rfc822", ".csv": "text/csv"}
ALLOWED_LABEL = "PDF, PNG, JPEG, TXT, EML, CSV"


@dataclass(frozen=True)
class AttachmentFile:
    """A stored file handed to an authorised download: its display name, type and content."""

    filename: str
    content_type: str
    data: bytes


def _display_name(raw: str) -> str:
    """The uploader's file name without any directory part or control characters, at most 120 long."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable()).strip()
    return (name or "anhang")[:120]


def _kind_of(filename: str, data: bytes) -> tuple[str, str]:
    """(content type, stored suffix) judged by the content; text types by name and valid UTF-8."""
    for content_type, suffix, magic in _KINDS:
        if data.startswith(magic):
            return content_type, suffix
    suffix = PurePath(filename).suffix.lower()
    if suffix in _TEXT_SUFFIXES and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _TEXT_SUFFIXES[suffix], suffix
    raise TaskError(f"Dieser Dateityp ist nicht erlaubt. Erlaubt sind: {ALLOWED_LABEL}.")


def _root() -> Path:
    return settings().attachments_dir.resolve()


def add_attachment(
    actor_id: int,
    task_id: int,
    filename: str,
    data: bytes,
    *,
    now: datetime | None = None,
) -> int:
    """Store a file with a task (the assignee or a team lead may); returns the attachment id."""
    now = now if now is not None else clock.now()
    limit_mb = settings().attachment_max_mb
    if not data:
        raise TaskError("Die Datei ist leer.")
    if len(data) > limit_mb * 1024 * 1024:
        raise TaskError(f"Die Datei ist zu groß (höchstens {limit_mb} MB).")
    name = _display_name(filename)
    content_type, suffix = _kind_of(name, data)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        relative = Path(str(task.id)) / f"{secrets.token_hex(16)}{suffix}"
        target = _root() / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        try:
            attachment = TaskAttachment(
                task_id=task.id,
                filename=name,
                stored_path=relative.as_posix(),
                content_type=content_type,
                size_bytes=len(data),
                uploaded_by=user.id,
                uploaded_at=now,
            )
            session.add(attachment)
            log_task_event(session, task.id, user.id, TaskAction.ATTACHMENT, f"{name} hinzugefügt", now)
            session.flush()
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return attachment.id


def read_attachment(actor_id: int, attachment_id: int) -> AttachmentFile:
    """The content of an attached file for back-office staff of the task's office; logged in the audit trail."""
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        attachment = session.get(TaskAttachment, attachment_id)
        if attachment is None:
            raise TaskError("Diesen Anhang gibt es nicht (mehr).")
        task: BackofficeTask = task_in_office(session, attachment.task_id, user)
        root = _root()
        path = (root / attachment.stored_path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise TaskError("Die Datei des Anhangs fehlt im Ablageordner. Bitte melden Sie das der Verwaltung.")
        audit.record(
            session,
            user_id=user.id,
            action=AuditAction.READ,
            entity="taskattachment",
            entity_id=attachment.id,
            citizen_id=task.citizen_id,
            detail=f"Anhang {attachment.filename} der Aufgabe {task.id} geöffnet",
        )
        return AttachmentFile(
            filename=attachment.filename, content_type=attachment.content_type, data=path.read_bytes()
        )
