"""Login, sessions and lock-out.

The browser keeps a random token; the database keeps only its SHA-256 with an expiry, so a leaked
database does not leak live sessions. Repeated wrong passwords lock the account for a while.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock, db
from workstation.config import settings
from workstation.models import AuditAction, Office, Role, StaffUser, UserSession
from workstation.services.staff import audit, login_throttle, passwords

WRONG_CREDENTIALS = "Benutzername oder Passwort ist falsch."
ACCOUNT_DISABLED = "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Verwaltung."
_DUMMY_HASH = passwords.hash_password(secrets.token_hex(16))


class LoginError(Exception):
    """A login was refused; `message` is shown to the user (German)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SessionUser:
    """The logged-in staff member as the rest of the app sees it (no password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    office_id: int


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _as_session_user(user: StaffUser, row: UserSession | None = None) -> SessionUser:
    """Every role acts for its own office; a city admin's session for the office it switched to."""
    office_id = user.office_id
    if user.role == Role.CITY_ADMIN and row is not None and row.acting_office_id is not None:
        office_id = row.acting_office_id
    return SessionUser(user.id, user.username, user.display_name, user.role, office_id)


def _locked_message(until: datetime) -> str:
    return (
        "Zu viele Fehlversuche: Die Anmeldung ist bis "
        f"{clock.to_local(until):%H:%M} Uhr gesperrt. Bitte versuchen Sie es danach erneut."
    )


def login(username: str, password: str, client: str = "", now: datetime | None = None) -> tuple[str, SessionUser]:
    """Check the credentials and open a session; returns (browser token, user).

    `client` is the browser's address (from the proxy-aware router); failed attempts are throttled
    per name and address, per address and per name (see `login_throttle`), with the same answers for
    known and unknown names. Raises LoginError with a German message.
    """
    now = now or clock.now()
    key = login_throttle.keys(username, client)
    with db.session_scope() as session:
        until = login_throttle.locked_until(session, key, now)
        if until is not None:
            session.commit()  # keep the clean-up of old failures
            raise LoginError(_locked_message(until))
        user = session.exec(select(StaffUser).where(StaffUser.username == username.strip().lower())).first()
        # The same password work for a known and an unknown name, so timing reveals nothing either.
        valid = passwords.verify_password(password, user.password_hash if user else _DUMMY_HASH) and user is not None
        if not valid:
            login_throttle.record_failure(session, key, now)
            audit.record(session, user_id=user.id if user else None, action=AuditAction.LOGIN_FAILED,
                         entity="staffuser", entity_id=user.id if user else None,
                         detail="wrong password" if user else f"unknown user {username[:40]!r}")
            session.commit()
            raise LoginError(WRONG_CREDENTIALS)
        if not user.active:
            raise LoginError(ACCOUNT_DISABLED)
        login_throttle.forget_name_on_client(session, key)
        token = secrets.token_urlsafe(32)
        session.add(
            UserSession(
                token_hash=_token_hash(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + timedelta(hours=settings().session_hours),
            )
        )
        audit.record(session, user_id=user.id, action=AuditAction.LOGIN, entity="staffuser", entity_id=user.id)
        return token, _as_session_user(user)


def user_for_token(token: str | None, now: datetime | None = None) -> SessionUser | None:
    """The user of a live session, or None if the token is unknown, expired, revoked or disabled."""
    if not token:
        return None
    now = now or clock.now()
    with db.read_scope() as session:  # checked on every protected event: must not wait for the write lock
        row = _live_session(session, token, now)
        if row is None:
            return None
        user = session.get(StaffUser, row.user_id)
        if user is None or not user.active:
            return None
        return _as_session_user(user, row)


def session_key(token: str) -> str:
    """What the database keeps of a session token: a live channel may carry it and re-check the login
    with `user_for_session_key` without ever holding the token itself."""
    return _token_hash(token)


def user_for_session_key(key: str, now: datetime | None = None) -> SessionUser | None:
    """`user_for_token` for a `session_key`."""
    now = now or clock.now()
    with db.read_scope() as session:
        row = _live_session_by_key(session, key, now)
        user = session.get(StaffUser, row.user_id) if row is not None else None
        if user is None or not user.active:
            return None
        return _as_session_user(user, row)


def switch_office(token: str | None, office_id: int, now: datetime | None = None) -> SessionUser:
    """Let a city admin's session act for another office; every other role stays with its own office.

    Raises LoginError (German) for a dead session, another role or an unknown office.
    """
    now = now or clock.now()
    with db.session_scope() as session:
        row = _live_session(session, token or "", now)
        user = session.get(StaffUser, row.user_id) if row is not None else None
        if user is None or not user.active:
            raise LoginError("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
        if user.role != Role.CITY_ADMIN:
            raise LoginError("Nur die städtische Verwaltung kann das Amt wechseln.")
        if session.get(Office, office_id) is None:
            raise LoginError("Dieses Amt gibt es nicht.")
        row.acting_office_id = office_id
        session.add(row)
        audit.record(session, user_id=user.id, action=AuditAction.CHANGE, entity="office", entity_id=office_id,
                     detail="acting office switched")
        return _as_session_user(user, row)


def _live_session(session: Session, token: str, now: datetime) -> UserSession | None:
    return _live_session_by_key(session, _token_hash(token), now)


def _live_session_by_key(session: Session, key: str, now: datetime) -> UserSession | None:
    row = session.exec(select(UserSession).where(UserSession.token_hash == key)).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def logout(token: str | None, now: datetime | None = None) -> None:
    """End a session; logging out twice is harmless."""
    if not token:
        return
    now = now or clock.now()
    with db.session_scope() as session:
        row = _live_session(session, token, now)
        if row is not None:
            row.revoked_at = now
            session.add(row)


def create_user(
    session: Session, *, office_id: int, username: str, display_name: str, role: str, password: str
) -> StaffUser:
    """Add a staff account inside the caller's transaction (admin page, seed, tests)."""
    user = StaffUser(
        office_id=office_id,
        username=username.strip().lower(),
        display_name=display_name,
        role=role,
        password_hash=passwords.hash_password(password),
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user
