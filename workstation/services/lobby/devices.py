"""Lobby devices: creation by staff, one-time pairing codes, device tokens and their revocation.

A team lead or admin creates a device and gets a pairing code (shown once, stored only as a hash,
valid for `pairing_minutes`, used once). The kiosk browser enters it (or opens the pairing link)
and receives a device token of its own, again stored only as a hash; from then on every request of
the device names that token. Revoking, or issuing a new pairing code and using it, cuts the old
browser off at its next request. The token is a device's identity, never a staff login.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import AuditAction, DeviceKind, LobbyDevice
from workstation.services.staff import audit

KIND_LABELS = {
    DeviceKind.CHECKIN: "Check-in-Terminal",
    DeviceKind.DISPLAY: "Aufrufanzeige",
    DeviceKind.FEEDBACK: "Feedback-Terminal",
}
ROW_CHOICES = (6, 8, 10)
ORIENTATIONS = {"landscape": "Querformat", "portrait": "Hochformat"}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen and typed on a kiosk
_CODE_LENGTH = 8
LAST_SEEN_EVERY = timedelta(seconds=60)


class DeviceError(ValueError):
    """A refused device action; the message is German and shown as it is."""


@dataclass(frozen=True)
class Pairing:
    """A fresh pairing code for a device, shown to staff once."""

    device_id: int
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Device:
    """A paired device as its pages need it (no secrets)."""

    id: int
    office_id: int
    kind: str
    name: str
    rows: int
    orientation: str


@dataclass(frozen=True)
class DeviceRow:
    """One device on the staff's device list."""

    id: int
    kind: str
    kind_label: str
    name: str
    layout: str
    state: str
    paired: bool
    revoked: bool
    last_seen: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(code: str) -> str:
    """A pairing code as typed: case, blanks and dashes do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def display_code(code: str) -> str:
    """ "ABCD-EFGH": easier to read aloud and to type."""
    return f"{code[:4]}-{code[4:]}"


def _check_layout(rows: int, orientation: str) -> None:
    if rows not in ROW_CHOICES:
        raise DeviceError("Die Aufrufanzeige zeigt 6, 8 oder 10 Zeilen.")
    if orientation not in ORIENTATIONS:
        raise DeviceError("Bitte Quer- oder Hochformat wählen.")


def _issue_code(device: LobbyDevice, now: datetime) -> Pairing:
    code = _new_code()
    device.pairing_hash = _hash(code)
    device.pairing_expires_at = now + timedelta(minutes=settings().pairing_minutes)
    return Pairing(device.id, display_code(code), device.pairing_expires_at)


def create_device(
    office_id: int,
    kind: str,
    name: str,
    actor_id: int | None,
    *,
    rows: int = 8,
    orientation: str = "landscape",
    now: datetime | None = None,
) -> Pairing:
    """Create a device and its first pairing code."""
    now = now or clock.now()
    name = name.strip()
    if kind not in KIND_LABELS:
        raise DeviceError("Bitte die Art des Geräts wählen.")
    if not name:
        raise DeviceError("Bitte dem Gerät einen Namen geben (z. B. „Eingang links“).")
    _check_layout(rows, orientation)
    with db.session_scope() as session:
        device = LobbyDevice(
            office_id=office_id,
            kind=kind,
            name=name[:80],
            rows=rows,
            orientation=orientation,
            created_at=now,
            created_by=actor_id,
        )
        session.add(device)
        session.flush()
        pairing = _issue_code(device, now)
        session.add(device)
        _audit(session, actor_id, device, f"Gerät angelegt: {KIND_LABELS[kind]} „{device.name}“")
    return pairing


def _audit(session, actor_id: int | None, device: LobbyDevice, detail: str) -> None:
    """Who created, re-paired or revoked which device (the audit log of the office)."""
    audit.record(session, user_id=actor_id, action=AuditAction.CHANGE, entity="lobbydevice", entity_id=device.id,
                 detail=detail)


def _own_device(session, device_id: int, office_id: int) -> LobbyDevice:
    device = session.exec(select(LobbyDevice).where(LobbyDevice.id == device_id).with_for_update()).first()
    if device is None or device.office_id != office_id:
        raise DeviceError("Dieses Gerät gibt es nicht.")
    return device


def new_pairing_code(device_id: int, office_id: int, actor_id: int | None, *, now: datetime | None = None) -> Pairing:
    """A new pairing code for a device (to pair a replaced browser); the old token works until it is used."""
    now = now or clock.now()
    with db.session_scope() as session:
        device = _own_device(session, device_id, office_id)
        pairing = _issue_code(device, now)
        session.add(device)
        _audit(session, actor_id, device, "neuer Kopplungscode")
    return pairing


def revoke(device_id: int, office_id: int, actor_id: int | None, *, now: datetime | None = None) -> None:
    """Cut a device off: its token and any open pairing code stop working at once."""
    now = now or clock.now()
    with db.session_scope() as session:
        device = _own_device(session, device_id, office_id)
        device.revoked_at = device.revoked_at or now
        device.token_hash = None
        device.pairing_hash = None
        device.pairing_expires_at = None
        session.add(device)
        _audit(session, actor_id, device, "Gerät gesperrt")


def pair(code: str, *, now: datetime | None = None) -> tuple[str, Device]:
    """Use a pairing code: returns the device's new token (to keep in the browser) and the device.

    The code works once and only until it expires; a wrong, used or expired code gets the same answer.
    """
    now = now or clock.now()
    code = normalize_code(code)
    if len(code) != _CODE_LENGTH:
        raise DeviceError("Bitte den 8-stelligen Kopplungscode eingeben.")
    token = secrets.token_urlsafe(32)
    with db.session_scope() as session:
        device = session.exec(
            select(LobbyDevice).where(LobbyDevice.pairing_hash == _hash(code)).with_for_update()
        ).first()
        if device is None or device.pairing_expires_at is None or device.pairing_expires_at < now:
            raise DeviceError("Dieser Kopplungscode gilt nicht (mehr). Bitte einen neuen anlegen lassen.")
        device.pairing_hash = None
        device.pairing_expires_at = None
        device.token_hash = _hash(token)
        device.paired_at = now
        device.revoked_at = None
        device.last_seen = now
        session.add(device)
        found = _as_device(device)
    return token, found


def _as_device(device: LobbyDevice) -> Device:
    return Device(device.id, device.office_id, device.kind, device.name, device.rows, device.orientation)


def device_for_token(token: str | None, kind: str | None = None, *, now: datetime | None = None) -> Device | None:
    """The paired, not revoked device of a token (of the given kind), else None; notes when it was last seen."""
    if not token:
        return None
    now = now or clock.now()
    with db.read_scope() as session:
        device = session.exec(select(LobbyDevice).where(LobbyDevice.token_hash == _hash(token))).first()
        if device is None or device.revoked_at is not None or (kind is not None and device.kind != kind):
            return None
        found, last_seen = _as_device(device), device.last_seen
    if last_seen is None or now - last_seen > LAST_SEEN_EVERY:
        with db.session_scope() as session:
            session.exec(update(LobbyDevice).where(LobbyDevice.id == found.id).values(last_seen=now))
    return found


def take_action_slot(device_id: int, gap_seconds: int, *, now: datetime | None = None) -> bool:
    """Claim the device's next action (a vote, a walk-in ticket): False if its last one was under
    `gap_seconds` ago. One conditional UPDATE, so two taps at the same moment claim it once."""
    now = now or clock.now()
    with db.session_scope() as session:
        result = session.exec(
            update(LobbyDevice)
            .where(
                LobbyDevice.id == device_id,
                or_(
                    LobbyDevice.last_action_at.is_(None),
                    LobbyDevice.last_action_at <= now - timedelta(seconds=gap_seconds),
                ),
            )
            .values(last_action_at=now)
        )
        return result.rowcount == 1


def _when(instant: datetime | None) -> str:
    return f"{clock.to_local(instant):%d.%m.%Y %H:%M}" if instant else "–"


def list_devices(office_id: int, *, now: datetime | None = None) -> list[DeviceRow]:
    """The office's devices for the staff page, newest first."""
    now = now or clock.now()
    with db.read_scope() as session:
        devices = session.exec(
            select(LobbyDevice).where(LobbyDevice.office_id == office_id).order_by(LobbyDevice.id.desc())
        ).all()
        rows = []
        for d in devices:
            if d.revoked_at is not None:
                state = f"gesperrt seit {_when(d.revoked_at)}"
            elif d.token_hash is not None:
                state = f"gekoppelt seit {_when(d.paired_at)}"
            elif d.pairing_expires_at is not None and d.pairing_expires_at >= now:
                state = f"wartet auf Kopplung (Code bis {clock.to_local(d.pairing_expires_at):%H:%M} Uhr)"
            else:
                state = "nicht gekoppelt"
            layout = (
                f"{d.rows} Zeilen, {ORIENTATIONS.get(d.orientation, d.orientation)}"
                if d.kind == DeviceKind.DISPLAY
                else ""
            )
            rows.append(
                DeviceRow(
                    d.id,
                    d.kind,
                    KIND_LABELS.get(d.kind, d.kind),
                    d.name,
                    layout,
                    state,
                    d.token_hash is not None,
                    d.revoked_at is not None,
                    _when(d.last_seen),
                )
            )
    return rows
