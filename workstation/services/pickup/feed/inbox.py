"""The inbox folder of the Versandavis feed: pick up complete files, apply them, move them on.

Order of steps per file (so a crash at any point is finished by the next run):
1. parse; a fault of the whole file → recorded, `<name>.error.txt` written, file moved to `quarantine/`;
2. apply in one transaction that also records the message id (a message id already recorded is
   recognised from the file's head, without parsing the rest);
3. only after the commit, move the file to `processed/`. A file whose message id is already recorded
   (re-dropped, or the previous run died before the move) is only moved.
Nothing is deleted; only `*.xml` files are read (`*.part` files are still being written; anything else
is not ours and is left alone).
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import FeedRejection, Office
from workstation.services.common.insert_ignore import insert_ignoring_duplicates
from workstation.services.pickup.feed.apply import ApplyResult, apply_message, is_known
from workstation.services.pickup.feed.parse import FileRejectedError, parse_message, peek_message_id

log = logging.getLogger(__name__)

PROCESSED = "processed"
QUARANTINE = "quarantine"


@dataclass
class InboxReport:
    """What one pass over the inbox did."""

    files: int = 0
    applied_files: int = 0
    duplicate_files: int = 0
    quarantined_files: int = 0
    entries: int = 0
    applied: int = 0
    ignored: int = 0
    rejected: int = 0
    notices: int = 0
    tasks: int = 0
    quarantined: list[str] = field(default_factory=list)

    def add(self, result: ApplyResult) -> None:
        """Count one applied (or duplicate) message."""
        if result.duplicate:
            self.duplicate_files += 1
            return
        self.applied_files += 1
        self.entries += result.entries
        self.applied += result.applied
        self.ignored += result.ignored
        self.rejected += result.rejected
        self.notices += result.notices
        self.tasks += result.tasks


def waiting_files(inbox: Path) -> list[Path]:
    """Complete files in the inbox, oldest name first (names carry the creation time)."""
    if not inbox.is_dir():
        return []
    return sorted(
        p for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() == ".xml"
    )


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `name.1`, `name.2`, … if a file of that name was handled before."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    counter = 0
    while target.exists() or target.with_name(target.name + ".error.txt").exists():
        counter += 1
        target = folder / f"{name}.{counter}"
    return target


def _move(path: Path, folder: Path) -> Path | None:
    target = _free_name(folder, path.name)
    try:
        path.rename(target)
    except FileNotFoundError:  # another run moved it first
        return None
    return target


def quarantine(path: Path, reason: str, digest: str, now: datetime) -> None:
    """Record the rejected file for the pickup desk, explain it beside the file, move it aside."""
    with db.session_scope() as session:
        insert_ignoring_duplicates(session, FeedRejection, [{
            "office_id": None,  # the whole file was refused: which office it was meant for is not certain
            "dedupe_key": f"file:{digest}",
            "filename": path.name,
            "message_id": None,
            "entry_index": None,
            "serial_number": "",
            "application_number": "",
            "doc_type": "",
            "feed_status": "",
            "reason": f"Datei in Quarantäne: {reason}",
            "needs_action": True,
            "created_at": now,
            "resolved_at": None,
            "resolved_by": None,
            "resolution": "",
        }])
    target = _free_name(path.parent / QUARANTINE, path.name)
    target.with_name(target.name + ".error.txt").write_text(
        f"Datei: {path.name}\n"
        f"Geprüft am: {clock.to_local(now):%d.%m.%Y %H:%M:%S} (Europe/Berlin)\n"
        f"Grund: {reason}\n\n"
        "Nichts aus dieser Datei wurde übernommen. Die Datei wurde nicht verändert und liegt hier daneben.\n"
        "(English: nothing from this file was applied, see the reason above; the file is unchanged.)\n",
        encoding="utf-8",
    )
    try:
        path.rename(target)
    except FileNotFoundError:
        target.with_name(target.name + ".error.txt").unlink()


def _read_limited(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def known_office_codes() -> set[str]:
    """The codes of every office of the installation (files are routed by the code they carry)."""
    with db.read_scope() as session:
        return set(session.exec(select(Office.code)).all())


def process_file(path: Path, now: datetime, report: InboxReport) -> None:
    """Handle one complete file (see the module docstring for the order of steps)."""
    conf = settings()
    try:
        data = _read_limited(path, conf.bdr_max_file_bytes)
    except FileNotFoundError:
        return
    report.files += 1
    known_id = peek_message_id(data)
    if known_id is not None and len(data) <= conf.bdr_max_file_bytes:
        with db.session_scope() as session:
            if is_known(session, known_id):
                report.add(ApplyResult(known_id, duplicate=True))
                _move(path, path.parent / PROCESSED)
                return
    digest = hashlib.sha256(data).hexdigest()
    try:
        message = parse_message(data, known_office_codes(), conf.bdr_max_file_bytes)
    except FileRejectedError as exc:
        log.warning("Versandavis %s quarantined: %s", path.name, exc)
        quarantine(path, str(exc), digest, now)
        report.quarantined_files += 1
        report.quarantined.append(path.name)
        return
    try:
        with db.session_scope() as session:
            result = apply_message(session, message, path.name, now)
    except IntegrityError:
        # A concurrent run committed the same message id first: ours rolled back, nothing applied twice.
        result = ApplyResult(message.message_id, duplicate=True)
    report.add(result)
    _move(path, path.parent / PROCESSED)


def process_inbox(inbox: Path | None = None, now: datetime | None = None) -> InboxReport:
    """One pass over the inbox; safe to run again at any time."""
    folder = inbox or settings().inbox_dir
    report = InboxReport()
    for path in waiting_files(folder):
        process_file(path, now or clock.now(), report)
    return report
