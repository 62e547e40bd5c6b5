"""Staff accounts as the administration manages them: list, create, unlock, (de)activate, reset."""

import secrets
from dataclasses import dataclass

from sqlmodel import select

from workstation import clock, db
from workstation.models import AuditAction, Role, StaffUser, UserSession
from workstation.services.staff import audit, auth, login_throttle, passwords

ROLE_NAMES_DE = {
    Role.ADVISOR: "Kundenberatung",
    Role.RECEPTION: "Empfang",
    Role.PICKUP: "Dokumentenausgabe",
    Role.TEAM_LEAD: "Teamleitung",
    Role.CONTROLLING: "Controlling",
    Role.ADMIN: "Verwaltung",
}
"""Roles an office's administration may give; the city admin account is made by the seed or the operator."""


MIN_WEEKLY_HOURS, MAX_WEEKLY_HOURS = 1, 48  # 48: the Working Hours Act's weekly maximum


class StaffAdminError(Exception):
    """A refused administrative change; the message is German and shown as is."""


@dataclass(frozen=True)
class StaffRow:
    """One account as the list shows it (no hash)."""

    id: int
    username: str
    display_name: str
    role: str
    role_de: str
    active: bool
    locked: bool
    weekly_hours: str


def list_staff(office_id: int) -> list[StaffRow]:
    """All accounts of an office, by name."""
    now = clock.now()
    with db.session_scope() as session:
        users = session.exec(
            select(StaffUser).where(StaffUser.office_id == office_id).order_by(StaffUser.display_name)
        ).all()
        return [
            StaffRow(
                u.id, u.username, u.display_name, u.role, ROLE_NAMES_DE.get(u.role, u.role), u.active,
                login_throttle.is_name_locked(session, u.username, now), f"{u.weekly_hours:g}".replace(".", ","),
            )
            for u in users
        ]


def _temporary_password() -> str:
    return "-".join(secrets.token_hex(2) for _ in range(3))


def weekly_hours(text: str) -> float:
    """The contracted weekly hours as typed ("39", "19,5"); the figures count staff in full-time equivalents."""
    try:
        hours = float(text.strip().replace(",", "."))
    except ValueError:
        hours = 0.0
    if not MIN_WEEKLY_HOURS <= hours <= MAX_WEEKLY_HOURS:
        raise StaffAdminError(
            f"Bitte die Wochenstunden als Zahl von {MIN_WEEKLY_HOURS} bis {MAX_WEEKLY_HOURS} angeben.")
    return hours


def create_account(*, actor_id: int, office_id: int, username: str, display_name: str, role: str,
                   hours: str = "39") -> str:
    """Create an account; returns its one-time initial password."""
    username = username.strip().lower()
    if not username or not display_name.strip():
        raise StaffAdminError("Bitte Benutzername und Namen angeben.")
    if role not in ROLE_NAMES_DE:
        raise StaffAdminError("Unbekannte Rolle.")
    contracted = weekly_hours(hours)
    password = _temporary_password()
    with db.session_scope() as session:
        if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
            raise StaffAdminError(f"Den Benutzernamen „{username}“ gibt es bereits.")
        user = auth.create_user(
            session, office_id=office_id, username=username, display_name=display_name.strip(), role=role,
            password=password,
        )
        user.weekly_hours = contracted
        audit.record(session, user_id=actor_id, action=AuditAction.CHANGE, entity="staffuser", entity_id=user.id,
                     detail="account created")
    return password


def _change(actor_id: int, office_id: int, user_id: int, detail: str, apply) -> StaffUser:
    """Apply a change to an account of the actor's office; another office's account counts as unknown."""
    with db.session_scope() as session:
        user = session.get(StaffUser, user_id)
        if user is None or user.office_id != office_id:
            raise StaffAdminError("Dieses Konto gibt es nicht mehr.")
        apply(session, user)
        session.add(user)
        audit.record(session, user_id=actor_id, action=AuditAction.CHANGE, entity="staffuser", entity_id=user.id,
                     detail=detail)
        return user


def unlock(actor_id: int, office_id: int, user_id: int) -> None:
    """Lift a lock-out after failed logins: the account's failed attempts from every address are forgotten."""

    def apply(session, user: StaffUser) -> None:
        login_throttle.unlock_name(session, user.username)

    _change(actor_id, office_id, user_id, "unlocked", apply)


def set_active(actor_id: int, office_id: int, user_id: int, active: bool) -> None:
    """(De)activate an account; deactivating also ends its open sessions."""
    if actor_id == user_id and not active:
        raise StaffAdminError("Sie können Ihr eigenes Konto nicht deaktivieren.")

    def apply(session, user: StaffUser) -> None:
        user.active = active
        if not active:
            for row in session.exec(
                select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            ):
                row.revoked_at = clock.now()
                session.add(row)

    _change(actor_id, office_id, user_id, "activated" if active else "deactivated", apply)


def reset_password(actor_id: int, office_id: int, user_id: int) -> str:
    """Set a new one-time password and return it (shown once to the administrator)."""
    password = _temporary_password()

    def apply(session, user: StaffUser) -> None:
        login_throttle.unlock_name(session, user.username)
        user.password_hash = passwords.hash_password(password)

    _change(actor_id, office_id, user_id, "password reset", apply)
    return password
