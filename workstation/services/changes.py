"""Change signals per office: services publish after commit, open screens wait and then refresh.

This is what makes the floor live without a polling interval. A service that changed the queue
calls `publish(office_id)` after its transaction committed; every open counter or reception screen
waits in `wait_for_change` and re-reads its view only when something happened.

Within one process the signal is an in-memory version counter per office plus one asyncio.Event
per waiting screen, set thread-safely on the screen's event loop. With several web workers
(REFLEX_REDIS_URL set) a change in one worker must reach the screens connected to the others, so
`publish` also sends on a Redis channel and one listener thread per process fans the message out
locally. No reflex import: services and jobs use this too.
"""

import asyncio
import contextlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CHANNEL = "workstation:queue-changes"
_INSTANCE = uuid.uuid4().hex


@dataclass(eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event


@dataclass
class _Hub:
    lock: threading.Lock = field(default_factory=threading.Lock)
    versions: dict[int, int] = field(default_factory=dict)
    waiters: dict[int, set[_Waiter]] = field(default_factory=dict)
    redis_started: bool = False


_hub = _Hub()


def version(office_id: int) -> int:
    """How many changes this process has seen for an office (starts at 0)."""
    with _hub.lock:
        return _hub.versions.get(office_id, 0)


def _bump_local(office_id: int) -> None:
    with _hub.lock:
        _hub.versions[office_id] = _hub.versions.get(office_id, 0) + 1
        waiters = list(_hub.waiters.get(office_id, ()))
    for waiter in waiters:
        with contextlib.suppress(RuntimeError):  # the screen's loop has closed: it no longer waits
            waiter.loop.call_soon_threadsafe(waiter.event.set)


def _redis_url() -> str | None:
    return os.environ.get("REFLEX_REDIS_URL") or None


def publish(office_id: int) -> None:
    """Signal that the queue of an office changed (call after the transaction committed)."""
    _bump_local(office_id)
    url = _redis_url()
    if url:
        try:
            _redis_client(url).publish(CHANNEL, f"{_INSTANCE}:{office_id}")
        except Exception:  # a Redis hiccup must not fail the counter's action; screens catch up on next change
            log.exception("could not publish queue change to Redis")


_redis_clients: dict[str, object] = {}


def _redis_client(url: str):
    import redis

    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url)
        _redis_clients[url] = client
    return client


def _listen_redis(url: str) -> None:
    """Fan out changes published by other processes to this process's waiting screens."""
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            for message in pubsub.listen():
                sender, _, office = message["data"].decode().partition(":")
                if sender != _INSTANCE:
                    _bump_local(int(office))
        except Exception:
            log.exception("Redis listener for queue changes failed; reconnecting")
            threading.Event().wait(1.0)


def _ensure_redis_listener() -> None:
    url = _redis_url()
    if not url:
        return
    with _hub.lock:
        if _hub.redis_started:
            return
        _hub.redis_started = True
    threading.Thread(target=_listen_redis, args=(url,), name="queue-changes-redis", daemon=True).start()


async def wait_for_change(office_id: int, seen: int, timeout: float | None = None) -> int:
    """Wait until the office's version differs from `seen` (or the timeout passes); returns the version.

    Returns at once when a change happened since `seen`, so a screen that was busy refreshing
    never misses one.
    """
    _ensure_redis_listener()
    waiter = _Waiter(loop=asyncio.get_running_loop(), event=asyncio.Event())
    with _hub.lock:
        current = _hub.versions.get(office_id, 0)
        if current != seen:
            return current
        _hub.waiters.setdefault(office_id, set()).add(waiter)
    try:
        await asyncio.wait_for(waiter.event.wait(), timeout)
    except TimeoutError:
        pass
    finally:
        with _hub.lock:
            _hub.waiters.get(office_id, set()).discard(waiter)
    return version(office_id)

