"""Against bots and hoarding: a rate limit per client, bookings per e-mail address, a proof of work.

- Rate limit: searches and booking attempts of one client (a salted hash of its address, never the
  address) within a sliding window (`WORKSTATION_BOOKING_RATE_WINDOW_MINUTES`); over the limit the
  answer says from what time to try again.
- At most `WORKSTATION_BOOKING_MAX_PER_EMAIL` appointments still to come per e-mail address and office.
- Proof of work: a self-hosted ALTCHA challenge (PyPI `altcha`, v1 SHA-256 protocol with the splicing
  delimiter of CVE-2025-68113's fix), signed with the server's key, solved in the browser by
  assets/booking_pow.js, verified here and spent once: the challenge's hash goes into `UsedChallenge`
  in the booking's transaction, so a replay is refused by the UNIQUE constraint. A client that keeps
  asking gets harder challenges (the search space doubles per recent attempt, up to 16 times).
"""

import base64
import hashlib
import json
import os
import secrets
from datetime import UTC, datetime, timedelta

import altcha
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.config import DATA_DIR, settings
from workstation.models import BookingAttempt, Citizen, UsedChallenge, Visit
from workstation.models.enums import VisitStatus
from workstation.services.booking.errors import BookingError
from workstation.services.booking.txn import write_scope

SEARCH = "search"
BOOK = "book"
_CHALLENGE_KEEP = timedelta(days=1)


def client_hash(client: str) -> str:
    """Salted hash of a client's address or browser token (the address itself is never stored)."""
    return hashlib.sha256(f"{settings().status_client_salt}:booking:{client}".encode()).hexdigest()


def _limit(kind: str) -> int:
    conf = settings()
    return conf.booking_searches_per_window if kind == SEARCH else conf.booking_attempts_per_window


def count_attempt(client: str, kind: str, now: datetime | None = None) -> None:
    """Count one request of a client; raises `BookingError` with the time to retry when over the limit."""
    instant = now or clock.now()
    window = timedelta(minutes=settings().booking_rate_window_minutes)
    key = client_hash(client)
    with write_scope() as session:
        session.connection().execute(delete(BookingAttempt).where(col(BookingAttempt.at) < instant - window))
        times = session.exec(select(BookingAttempt.at).where(BookingAttempt.client_hash == key,
                                                             BookingAttempt.kind == kind)
                             .order_by(col(BookingAttempt.at).desc()).limit(_limit(kind))).all()
        if len(times) >= _limit(kind):
            retry = clock.to_local(times[-1] + window + timedelta(minutes=1))
            raise BookingError("rate_limited",
                               f"Zu viele Anfragen von Ihrem Anschluss. Bitte versuchen Sie es ab {retry:%H:%M} Uhr "
                               "erneut.",
                               f"Too many requests from your connection. Please try again from {retry:%H:%M}.")
        session.add(BookingAttempt(client_hash=key, kind=kind, at=instant))


def _recent_attempts(client: str, now: datetime) -> int:
    start = now - timedelta(minutes=settings().booking_rate_window_minutes)
    with db.read_scope() as session:
        return session.exec(select(func.count()).select_from(BookingAttempt).where(
            BookingAttempt.client_hash == client_hash(client), col(BookingAttempt.at) >= start)).one()


def _secret() -> str:
    """The HMAC key: the setting, else a random key made once in the data directory."""
    configured = settings().booking_secret
    if configured:
        return configured
    path = DATA_DIR / "booking_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def new_challenge(client: str, now: datetime | None = None) -> dict:
    """A signed challenge for the browser: {algorithm, challenge, maxnumber, salt, signature}."""
    hardness = 2 ** min(_recent_attempts(client, now or clock.now()), 4)
    # altcha checks the expiry against the machine's real clock, so it is set from it as well.
    expires = datetime.now(UTC) + timedelta(minutes=settings().booking_hold_minutes)
    challenge = altcha.create_challenge_v1(algorithm="SHA-256", max_number=settings().booking_pow_max_number * hardness,
                                           hmac_key=_secret(), expires=expires)
    return {"algorithm": challenge.algorithm, "challenge": challenge.challenge, "maxnumber": challenge.max_number,
            "salt": challenge.salt, "signature": challenge.signature}


_BAD_POW = BookingError("pow", "Die Sicherheitsprüfung ist fehlgeschlagen oder abgelaufen. Bitte senden Sie das "
                        "Formular erneut.", "The security check failed or expired. Please send the form again.")


def spend_challenge(session: Session, payload: str, now: datetime) -> None:
    """Verify a solved challenge (base64 JSON) and mark it used in the caller's transaction."""
    try:
        ok, _error = altcha.verify_solution_v1(payload or "", _secret(), check_expires=True)
    except Exception as exc:  # a malformed payload of any shape is just a failed check
        raise _BAD_POW from exc
    if not ok:
        raise _BAD_POW
    challenge = json.loads(base64.b64decode(payload))["challenge"]
    digest = hashlib.sha256(str(challenge).encode()).hexdigest()
    try:
        with session.begin_nested():
            session.add(UsedChallenge(challenge_hash=digest, expires_at=now + _CHALLENGE_KEEP))
            session.flush()
    except IntegrityError as exc:
        raise _BAD_POW from exc


def check_active_bookings(session: Session, office_id: int, email: str, now: datetime) -> None:
    """Refuse a further booking when the address already has the maximum of appointments to come."""
    limit = settings().booking_max_active_per_email
    # `office_id + 0`: without table statistics SQLite would walk every visit of the office (the whole history,
    # 40 ms inside the writer's turn) by its office index; this way it starts from the few booked visits.
    active = session.exec(select(func.count()).select_from(Visit).join(Citizen, col(Citizen.id) == Visit.citizen_id)
                          .where(col(Visit.office_id) + 0 == office_id, Citizen.email == email,
                                 Visit.status == VisitStatus.BOOKED, col(Visit.cancelled_at).is_(None),
                                 col(Visit.slot_start) > now)).one()
    if active >= limit:
        raise BookingError("max_active", f"Mit dieser E-Mail-Adresse sind bereits {active} Termine gebucht (höchstens "
                           f"{limit}). Bitte sagen Sie zuerst einen Termin ab.",
                           f"This e-mail address already has {active} appointments (at most {limit}). Please cancel "
                           "one first.")


def purge(session: Session, now: datetime) -> int:
    """Delete spent challenges past their keeping time and attempts outside the window."""
    window = timedelta(minutes=settings().booking_rate_window_minutes)
    conn = session.connection()
    spent = conn.execute(delete(UsedChallenge).where(col(UsedChallenge.expires_at) < now)).rowcount
    tried = conn.execute(delete(BookingAttempt).where(col(BookingAttempt.at) < now - window)).rowcount
    return spent + tried
