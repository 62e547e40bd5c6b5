"""Change signals per office: services publish after commit, open screens wait and then refresh.

This is what makes the floor live without a polling interval. A service that changed the queue
calls `publish(office_id)` after its transaction committed; every open counter or reception screen
waits in `wait_for_change` and re-reads its view only when something happened. Other things that
screens show live have a topic of their own (`NOTES`: the briefing notes), so a note does not make
every queue screen re-read its queue, nor a call every notes panel its notes.

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
QUEUE = "queue"
NOTES = "notes"


@dataclass(eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event


@dataclass
class _Hub:
    lock: threading.Lock = field(default_factory=threading.Lock)
    versions: dict[tuple[str, int], int] = field(default_factory=dict)
    waiters: dict[tuple[str, int], set[_Waiter]] = field(default_factory=dict)
    redis_started: bool = False


_hub = _Hub()


def _after_fork_in_child() -> None:
    """A web worker forked from a process that already imported this module is a process of its own.

    Granian forks its workers after the app was imported: without this, every worker would carry the
    parent's instance name (and drop the others' Redis messages as its own echo) and the parent's
    "listener started" flag (and never start a listener of its own, the thread not surviving the fork).
    """
    global _INSTANCE, _hub
    _INSTANCE = uuid.uuid4().hex
    _hub = _Hub()
    _redis_clients.clear()


def process_key() -> str:
    """This process's name for its version counters: versions of different processes do not compare."""
    return _INSTANCE


def version(office_id: int, topic: str = QUEUE) -> int:
    """How many changes of a topic this process has seen for an office (starts at 0)."""
    with _hub.lock:
        return _hub.versions.get((topic, office_id), 0)


def _bump_local(key: tuple[str, int]) -> None:
    with _hub.lock:
        _hub.versions[key] = _hub.versions.get(key, 0) + 1
        waiters = list(_hub.waiters.get(key, ()))
    for waiter in waiters:
        with contextlib.suppress(RuntimeError):  # the screen's loop has closed: it no longer waits
            waiter.loop.call_soon_threadsafe(waiter.event.set)


def _redis_url() -> str | None:
    return os.environ.get("REFLEX_REDIS_URL") or None


def publish(office_id: int, topic: str = QUEUE) -> None:
    """Signal that the queue (or another topic) of an office changed (call after the transaction committed)."""
    _bump_local((topic, office_id))
    url = _redis_url()
    if url:
        try:
            _redis_client(url).publish(CHANNEL, f"{_INSTANCE}:{topic}:{office_id}")
        except Exception:  # a Redis hiccup must not fail the counter's action; screens catch up on next change
            log.exception("could not publish %s change to Redis", topic)


_redis_clients: dict[str, object] = {}


def _redis_client(url: str):
    import redis

    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url)
        _redis_clients[url] = client
    return client


os.register_at_fork(after_in_child=_after_fork_in_child)


def _listen_redis(url: str) -> None:
    """Fan out changes published by other processes to this process's waiting screens."""
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            for message in pubsub.listen():
                parts = message["data"].decode().split(":")
                if len(parts) != 3 or not parts[2].isdigit():
                    log.warning("ignored a malformed change message: %r", message["data"])
                elif parts[0] != _INSTANCE:
                    _bump_local((parts[1], int(parts[2])))
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


async def wait_for_change(office_id: int, seen: int, timeout: float | None = None, topic: str = QUEUE) -> int:
    """Wait until the office's version of the topic differs from `seen` (or the timeout passes); returns it.

    Returns at once when a change happened since `seen`, so a screen that was busy refreshing
    never misses one.
    """
    _ensure_redis_listener()
    key = (topic, office_id)
    waiter = _Waiter(loop=asyncio.get_running_loop(), event=asyncio.Event())
    with _hub.lock:
        current = _hub.versions.get(key, 0)
        if current != seen:
            return current
        _hub.waiters.setdefault(key, set()).add(waiter)
    try:
        await asyncio.wait_for(waiter.event.wait(), timeout)
    except TimeoutError:
        pass
    finally:
        with _hub.lock:
            _hub.waiters.get(key, set()).discard(waiter)
    return version(office_id, topic)

