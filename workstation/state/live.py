"""Shared piece of the live screens: wait for a change of the office's queue, then refresh.

A screen's `listen` background task (started by its on_load) sleeps in `changes.wait_for_change`
and costs nothing until a counter or reception changes something. The only timer is the minute
boundary, when the waiting times shown must tick on; the floor overview it re-reads then is shared
by all screens of the office (see `queue.floor.floor_overview`). After waking, a screen waits
`refresh_delay()`: a burst of changes costs one refresh, and the screens' refreshes are spread out.
"""

import asyncio
import contextvars
import functools
import random
import sys
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TypeVar

from workstation import clock
from workstation.services.common import changes

T = TypeVar("T")

# Database work runs off the event loop. A person's click gets its own threads so it never waits
# behind the refreshes that every change sets off on all open screens.
_ACTIONS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="queue-action")
_REFRESHES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="queue-refresh")
# A click's thread gives up the GIL at every database call; with refresh threads busy it waits up to
# the switch interval each time to get it back. 1 ms instead of Python's 5 ms keeps clicks quick.
sys.setswitchinterval(0.001)

# A burst of changes (a call, its start, reception's next check-in) becomes one refresh per screen.
COALESCE_SECONDS = 0.05
# Screens spread their refreshes over this window instead of all redrawing at the same instant, so a
# click that arrives right after a change does not wait behind two dozen refreshes on the event loop.
SPREAD_SECONDS = 0.15


# A listening screen re-checks its login this often, so a session that ends stops the live updates.
SESSION_CHECK_SECONDS = 60.0


def refresh_delay() -> float:
    """How long a screen waits after a change before it re-reads (coalescing plus its spread)."""
    return COALESCE_SECONDS + random.uniform(0, SPREAD_SECONDS)


def seconds_to_next_minute(now: datetime | None = None) -> float:
    """How long until the waiting-time minutes on screen change."""
    now = now or clock.now()
    return 60.0 - now.second - now.microsecond / 1_000_000 + 0.05


async def _run(pool: ThreadPoolExecutor, fn: Callable[..., T], *args) -> T:
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(context.run, fn, *args))


async def run_action(fn: Callable[..., T], *args) -> T:
    """Run a click's service call (and the re-read of the clicking screen) on the action threads.

    `fn` retries its own service call with `db.retry_once` (see `CounterState._act`): retrying the
    whole of `fn` here would repeat an action that succeeded when only the re-read after it failed.
    """
    return await _run(_ACTIONS, fn, *args)


async def run_refresh(fn: Callable[..., T], *args) -> T:
    """Run a screen's refresh after a change on the refresh threads."""
    return await _run(_REFRESHES, fn, *args)


async def office_changes(office_id: int, session_alive: Callable[[], bool],
                        topic: str = changes.QUEUE) -> AsyncIterator[bool]:
    """Wake a screen's `listen` loop: once at once, then after each change of the office's queue (or
    another topic) and at each minute boundary; yields whether it was a change (False: the minute ticked on).

    It starts one version behind, so a change made between the page's load and the loop's start is
    not missed until the next minute. It ends when the login has ended.
    """
    seen, session_checked = changes.version(office_id, topic) - 1, time.monotonic()
    while True:
        changed = await changes.wait_for_change(office_id, seen, seconds_to_next_minute(), topic) != seen
        await asyncio.sleep(refresh_delay())
        seen = changes.version(office_id, topic)
        if time.monotonic() - session_checked > SESSION_CHECK_SECONDS:
            if not session_alive():
                return
            session_checked = time.monotonic()
        yield changed


async def minute_ticks(session_alive: Callable[[], bool]) -> AsyncIterator[None]:
    """Wake a screen's loop at each minute boundary (no change signal); ends when the login has ended."""
    while True:
        await asyncio.sleep(seconds_to_next_minute())
        if not session_alive():
            return
        yield None
