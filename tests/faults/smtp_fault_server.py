"""A real SMTP server on loopback (aiosmtpd) that misbehaves on purpose and counts what it stored.

Every stored message is recorded by its Message-ID, so a scenario can count delivered (unique ids),
duplicates (extra copies) and lost (expected ids never stored). Faults are set per stage, either for
given recipient addresses ("per message": each test notification has its own address) or by rate with
a seeded RNG, optionally only for the first `times` tries of an address or at most `limit` times:

- `greylist(min_seconds)`: 451 4.7.1 at RCPT TO on the first try of an address; accepted once
  `min_seconds` have passed on the workstation clock (tests inject it) since that first try;
- `fail(stage, code)`: answer `code` (4xx or 5xx) at "mail", "rcpt" or "data" (DATA: nothing stored);
- `drop("before_store")`: close the connection after the message was received, without storing it;
- `drop("after_store")`: store the message, then close the connection without the 250;
- `slow(stage, seconds)`: wait before answering at "mail", "rcpt" or "data";
- `on_store(message_id)`: a hook called right after a message is stored, before the answer.

The handler runs in the controller's event-loop thread; the RNG is only used there, so a seed gives
the same fault pattern for the same sequence of SMTP commands.
"""

import asyncio
import random
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from workstation import clock

STAGES = ("mail", "rcpt", "data")


@dataclass
class _Rule:
    stage: str  # mail | rcpt | data | before_store | after_store
    action: str  # fail | drop | slow
    rate: float = 1.0
    code: int = 0
    seconds: float = 0.0
    addresses: frozenset[str] | None = None
    times: int | None = None  # per address: only its first `times` tries
    limit: int | None = None  # in all
    fired: int = 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FaultSMTPServer:
    """Start with `start()` (or as a context manager); point WORKSTATION_SMTP_HOST/PORT at `port`."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.port = _free_port()
        self.stored: Counter[str] = Counter()  # Message-ID -> copies stored
        self.injected: Counter[str] = Counter()  # e.g. "greylist", "fail_rcpt_451", "drop_after_store"
        self.tries: Counter[tuple[str, str]] = Counter()  # (stage, address) -> tries seen
        self.on_store: Callable[[str], None] | None = None
        self._rules: list[_Rule] = []
        self._greylist: float | None = None
        self._first_seen: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # --- configuration -------------------------------------------------------------------------
    def greylist(self, min_seconds: float = 0.0) -> "FaultSMTPServer":
        self._greylist = min_seconds
        return self

    def fail(self, stage: str, code: int, rate: float = 1.0, addresses=None, times=None, limit=None):
        assert stage in STAGES and 400 <= code <= 599
        self._rules.append(_Rule(stage, "fail", rate, code=code, addresses=_set(addresses), times=times, limit=limit))
        return self

    def drop(self, stage: str, rate: float = 1.0, addresses=None, times=None, limit=None):
        assert stage in ("before_store", "after_store")
        self._rules.append(_Rule(stage, "drop", rate, addresses=_set(addresses), times=times, limit=limit))
        return self

    def slow(self, stage: str, seconds: float, rate: float = 1.0):
        assert stage in STAGES
        self._rules.append(_Rule(stage, "slow", rate, seconds=seconds))
        return self

    # --- results -------------------------------------------------------------------------------
    def copies(self) -> Counter[str]:
        with self._lock:
            return Counter(self.stored)

    # --- life cycle ----------------------------------------------------------------------------
    def start(self) -> "FaultSMTPServer":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "FaultSMTPServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- decisions (event-loop thread) ---------------------------------------------------------
    def _matching(self, stage: str, action: str, address: str | None) -> _Rule | None:
        for rule in self._rules:
            if rule.stage != stage or rule.action != action:
                continue
            if rule.addresses is not None and address not in rule.addresses:
                continue
            if rule.times is not None and self.tries[(stage, address or "")] > rule.times:
                continue
            if rule.limit is not None and rule.fired >= rule.limit:
                continue
            if rule.rate < 1.0 and self.rng.random() >= rule.rate:
                continue
            rule.fired += 1
            return rule
        return None

    async def _maybe_slow(self, stage: str, address: str | None) -> None:
        rule = self._matching(stage, "slow", address)
        if rule is not None:
            self.injected[f"slow_{stage}"] += 1
            await asyncio.sleep(rule.seconds)

    def _maybe_fail(self, stage: str, address: str | None) -> str | None:
        rule = self._matching(stage, "fail", address)
        if rule is None:
            return None
        self.injected[f"fail_{stage}_{rule.code}"] += 1
        return f"{rule.code} {rule.code // 100}.{'7.1' if rule.code < 500 else '1.1'} Fehler zum Test ({stage})"

    def _greylisted(self, address: str) -> bool:
        if self._greylist is None:
            return False
        now = clock.now()
        first = self._first_seen.get(address)
        if first is None:
            self._first_seen[address] = now
            refuse = True
        else:
            refuse = (now - first).total_seconds() < self._greylist
        if refuse:
            self.injected["greylist"] += 1
        return refuse


def _set(addresses) -> frozenset[str] | None:
    return None if addresses is None else frozenset(addresses)


def _drop(server) -> None:
    """Close the client's connection at once, without an answer."""
    if server.transport is not None:
        server.transport.abort()


class _Handler:
    def __init__(self, owner: FaultSMTPServer) -> None:
        self.owner = owner

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        owner = self.owner
        await owner._maybe_slow("mail", None)
        status = owner._maybe_fail("mail", None)
        if status:
            return status
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        owner = self.owner
        owner.tries[("rcpt", address)] += 1
        await owner._maybe_slow("rcpt", address)
        if owner._greylisted(address):
            return "451 4.7.1 Greylisted, please try again later"
        status = owner._maybe_fail("rcpt", address)
        if status:
            return status
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        owner = self.owner
        address = envelope.rcpt_tos[0] if envelope.rcpt_tos else None
        for stage in ("data", "before_store", "after_store"):
            owner.tries[(stage, address or "")] += 1
        await owner._maybe_slow("data", address)
        status = owner._maybe_fail("data", address)
        if status:
            return status
        if owner._matching("before_store", "drop", address):
            owner.injected["drop_before_store"] += 1
            _drop(server)
            return "421 4.4.2 connection dropped (never sent)"
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        message_id = str(parsed["Message-ID"] or "")
        with owner._lock:
            owner.stored[message_id] += 1
        if owner.on_store is not None:
            owner.on_store(message_id)
        if owner._matching("after_store", "drop", address):
            owner.injected["drop_after_store"] += 1
            _drop(server)
            return "250 OK (never sent)"
        return "250 Message accepted for delivery"
