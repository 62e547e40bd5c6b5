"""Tickets for the live floor channel: who may follow which office's floor, signed by the server.

The page's on_load checks the role on the server and hands the browser a ticket (HMAC-SHA256 with a
key only the server knows) naming the user, their office, the counter kinds they may follow, the
roles that may hold it, their session (as the key the database keeps, never the token) and a short
expiry. The channel accepts a socket only with a valid, unexpired ticket and sends only that office's
floor; it re-checks the login (`login_still_valid`) while the socket is open. A browser whose ticket
expired before it (re)connected asks its page for a new one, which goes through the role check again.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass

from workstation.config import DATA_DIR
from workstation.services.staff import auth

TICKET_SECONDS = 300
"""How long a ticket lets a socket connect; an open socket is kept by its re-checked login instead."""


@dataclass(frozen=True)
class Ticket:
    user_id: int
    office_id: int
    kinds: tuple[str, ...]
    roles: tuple[str, ...]
    session_key: str
    expires: float


_key_cache: dict[str, bytes] = {}


def _secret() -> bytes:
    """A random key made once in the data directory, so every web worker signs and checks alike."""
    path = DATA_DIR / "live_floor_secret"
    cached = _key_cache.get(str(path))
    if cached is not None:
        return cached
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    key = b""
    for _ in range(50):  # another worker may be writing it this very moment
        key = path.read_text().strip().encode()
        if key:
            break
        time.sleep(0.01)
    _key_cache[str(path)] = key
    return key


def _sign(body: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(_secret(), body, hashlib.sha256).digest()).decode().rstrip("=")


def issue(user: auth.SessionUser, session_token: str, kinds: tuple[str, ...], roles: tuple[str, ...],
          now: float | None = None) -> str:
    """A ticket for `user`'s own office (callers have checked the role); real time, not the demo clock."""
    claims = {"u": user.id, "o": user.office_id, "k": list(kinds), "r": list(roles),
              "s": auth.session_key(session_token), "e": (now or time.time()) + TICKET_SECONDS}
    body = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{body}.{_sign(body.encode())}"


def verify(ticket: str, now: float | None = None) -> Ticket | None:
    """The ticket's claims, or None when it is malformed, forged or expired."""
    body, _, signature = (ticket or "").partition(".")
    if not body or not hmac.compare_digest(signature, _sign(body.encode())):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        parsed = Ticket(int(claims["u"]), int(claims["o"]), tuple(map(str, claims["k"])), tuple(map(str, claims["r"])),
                        str(claims["s"]), float(claims["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    return parsed if parsed.expires > (now or time.time()) else None


def login_still_valid(ticket: Ticket) -> bool:
    """The session is live, still this user's, still acting for the ticket's office, in an allowed role."""
    user = auth.user_for_session_key(ticket.session_key)
    return (user is not None and user.id == ticket.user_id and user.office_id == ticket.office_id
            and user.role in ticket.roles)
