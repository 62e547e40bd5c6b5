"""Shared piece of the live screens: wait for a change of the office's queue, then refresh.

A screen's `listen` background task (started by its on_load) sleeps in `changes.wait_for_change`
and costs nothing until a counter or reception changes something. The only timer is the minute
boundary, when the waiting times shown must tick on; the floor overview it re-reads then is shared
by all screens of the office (see `queue_views.floor_overview`).
"""

from datetime import datetime

from workstation import clock


def seconds_to_next_minute(now: datetime | None = None) -> float:
    """How long until the waiting-time minutes on screen change."""
    now = now or clock.now()
    return 60.0 - now.second - now.microsecond / 1_000_000 + 0.05
