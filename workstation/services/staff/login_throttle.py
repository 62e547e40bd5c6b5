"""Throttling failed logins per user name and device, per device, and per user name.

Five wrong passwords used to lock an account for everyone, so anybody could lock out the admin with
five requests, and the "gesperrt" answer came only for existing names. Now every failed attempt —
for a known or an unknown name alike — is counted under salted hashes of the typed name and of the
client's address, and a login is refused while, within the last `lockout_minutes`:
- this name failed `max_failed_logins` times from this address (the usual typo lock; other
  addresses, e.g. the colleague's own workstation, can still log in), or
- this address failed `max_failed_logins_per_client` times with any names (someone trying names), or
- this name failed `max_failed_logins_per_account` times from any addresses (guessing spread over
  many addresses; this one can lock an account for everyone, so it is set high, and
  `python -m workstation.commands.unlock NAME` lifts it from the server).
The answer is the same in every case and for known and unknown names, so it reveals nothing.
Rows older than the window are deleted on the next attempt: nothing is kept longer than it counts.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from workstation import clock
from workstation.config import settings
from workstation.models import LoginFailure


@dataclass(frozen=True)
class Keys:
    """The hashed identities one attempt is counted under."""

    name: str
    client: str


def keys(username: str, client: str) -> Keys:
    """Salted hashes of the typed name (case-insensitive) and of the client's address."""
    salt = settings().status_client_salt
    name = hashlib.sha256(f"{salt}:name:{username.strip().lower()}".encode()).hexdigest()
    address = hashlib.sha256(f"{salt}:client:{client or 'unbekannt'}".encode()).hexdigest()
    return Keys(name, address)


def locked_until(session: Session, key: Keys, now: datetime) -> datetime | None:
    """Until when logins with this name from this client are refused, or None if they are allowed."""
    conf = settings()
    window = timedelta(minutes=conf.lockout_minutes)
    session.connection().execute(delete(LoginFailure).where(LoginFailure.at < now - window))
    since = now - window
    rules = (
        ((LoginFailure.name_key == key.name, LoginFailure.client_key == key.client), conf.max_failed_logins),
        ((LoginFailure.client_key == key.client,), conf.max_failed_logins_per_client),
        ((LoginFailure.name_key == key.name,), conf.max_failed_logins_per_account),
    )
    until = None
    for conditions, limit in rules:
        times = session.exec(
            select(LoginFailure.at)
            .where(*conditions, LoginFailure.at >= since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        ).all()
        if len(times) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            candidate = times[-1] + window
            until = candidate if until is None else max(until, candidate)
    return until


def record_failure(session: Session, key: Keys, now: datetime) -> None:
    """Count one failed attempt (in the caller's transaction)."""
    session.add(LoginFailure(at=now, name_key=key.name, client_key=key.client))


def forget_name_on_client(session: Session, key: Keys) -> None:
    """A successful login clears the typo count of this name on this client."""
    session.connection().execute(
        delete(LoginFailure).where(LoginFailure.name_key == key.name, LoginFailure.client_key == key.client)
    )


def unlock_name(session: Session, username: str) -> int:
    """Forget every failed attempt for a name, from every address; returns how many were forgotten."""
    name = keys(username, "").name
    result = session.connection().execute(delete(LoginFailure).where(LoginFailure.name_key == name))
    return result.rowcount or 0


def is_name_locked(session: Session, username: str, now: datetime | None = None) -> bool:
    """Whether the account is locked for everyone, or from some address, right now (the admin page's flag)."""
    conf = settings()
    since = (now or clock.now()) - timedelta(minutes=conf.lockout_minutes)
    name = keys(username, "").name
    total = session.exec(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.name_key == name, LoginFailure.at >= since)
    ).one()
    if total >= conf.max_failed_logins_per_account:
        return True
    worst = session.exec(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.name_key == name, LoginFailure.at >= since)
        .group_by(LoginFailure.client_key)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    return bool(worst and worst >= conf.max_failed_logins)
