"""The live floor channel: a WebSocket on the backend that sends every screen the same encoded deltas.

Per office and counter kind, one broadcaster task per web worker waits for the office's changes
(`changes.wait_for_change`, which crosses workers through Redis) and the minute boundary, builds
the shared floor overview once, turns it into one encoded delta (`floor_feed`) and hands the same
text to every subscribed socket. A change costs each screen a socket send, not a state update of
its own; the browser applies the delta (assets/floor_lists.jsx).

A socket connects to /_floor with a ticket (`floor_ticket`) its page got from its on_load after the
server-side role check. It gets the snapshot of the current version first, then deltas; a screen
that finds a gap (a delta that does not follow on its version) sends "resync" and gets the snapshot
again. The login is re-checked every `SESSION_CHECK_SECONDS`; a socket whose login ended is closed
with code 4401, as is one with a bad or expired ticket (the page then asks for a new ticket).
"""

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field

from starlette.websockets import WebSocket, WebSocketDisconnect

from workstation.services.common import changes
from workstation.services.queue import floor as queue_floor
from workstation.services.queue import floor_feed, floor_ticket
from workstation.state.live import COALESCE_SECONDS, SESSION_CHECK_SECONDS, run_refresh, seconds_to_next_minute

log = logging.getLogger(__name__)

PATH = "/_floor"
REFUSED = 4401
"""Close code for a bad or expired ticket or an ended login: the page asks for a new ticket."""
BACKLOG = 32
"""Messages a slow screen may fall behind by before it is sent one snapshot instead."""


@dataclass(eq=False)
class _Subscriber:
    outbox: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(BACKLOG))
    versions: dict[str, int] = field(default_factory=dict)  # kind -> last version queued for this screen

    def offer(self, text: str) -> bool:
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            return False
        return True


@dataclass(eq=False)
class _Channel:
    office_id: int
    kind: str
    feed: floor_feed.FloorFeed
    subscribers: set[_Subscriber] = field(default_factory=set)
    task: asyncio.Task | None = None


_channels: dict[tuple[int, str], _Channel] = {}


def _send_snapshot(channel: _Channel, subscriber: _Subscriber) -> None:
    text = channel.feed.snapshot_message()
    if text is None:
        return  # the broadcaster has not built the first overview yet: it sends the snapshot then
    if not subscriber.offer(text):
        while not subscriber.outbox.empty():  # too far behind: forget the backlog, send the whole floor
            subscriber.outbox.get_nowait()
        subscriber.offer(text)
    subscriber.versions[channel.kind] = channel.feed.version


async def _broadcast(channel: _Channel) -> None:
    """Build the overview once per change (or minute) and queue the same delta for every screen."""
    seen = changes.version(channel.office_id)
    while channel.subscribers:
        try:
            overview = await run_refresh(queue_floor.floor_overview, channel.office_id, channel.kind)
        except Exception:  # a database blip: the screens keep what they show; try again on the next change
            log.exception("live floor: could not build the overview of office %s", channel.office_id)
            overview = None
        if overview is not None:
            text = channel.feed.advance(overview)
            for subscriber in list(channel.subscribers):
                follows_on = text is not None and subscriber.versions.get(channel.kind) == channel.feed.version - 1
                if follows_on and subscriber.offer(text):
                    subscriber.versions[channel.kind] = channel.feed.version
                    continue
                if subscriber.versions.get(channel.kind) != channel.feed.version:
                    _send_snapshot(channel, subscriber)
        seen = await changes.wait_for_change(channel.office_id, seen, seconds_to_next_minute())
        await asyncio.sleep(COALESCE_SECONDS)  # a burst of changes (a call and its start) becomes one delta
        seen = changes.version(channel.office_id)


def _subscribe(office_id: int, kind: str, subscriber: _Subscriber) -> _Channel:
    channel = _channels.get((office_id, kind))
    if channel is None:
        channel = _Channel(office_id, kind, floor_feed.FloorFeed(kind))
        _channels[(office_id, kind)] = channel
    channel.subscribers.add(subscriber)
    _send_snapshot(channel, subscriber)
    if channel.task is None or channel.task.done() or channel.task.get_loop() is not asyncio.get_running_loop():
        channel.task = asyncio.create_task(_broadcast(channel))
    return channel


def _unsubscribe(channel: _Channel, subscriber: _Subscriber) -> None:
    channel.subscribers.discard(subscriber)
    # The broadcaster ends at its next wake-up; a feed nobody follows is dropped, so a later screen
    # never starts from a stale snapshot.
    if not channel.subscribers and _channels.get((channel.office_id, channel.kind)) is channel:
        del _channels[(channel.office_id, channel.kind)]


async def _read(websocket: WebSocket, subscriber: _Subscriber, channels: list[_Channel]) -> None:
    """Handle what the screen sends: "resync" (it found a gap) asks for the snapshots again."""
    while True:
        message = await websocket.receive_text()
        if message == "resync":
            for channel in channels:
                subscriber.versions.pop(channel.kind, None)
                _send_snapshot(channel, subscriber)


async def _write(websocket: WebSocket, subscriber: _Subscriber, ticket: floor_ticket.Ticket) -> None:
    loop = asyncio.get_running_loop()
    checked = loop.time()
    while True:
        with contextlib.suppress(TimeoutError):
            text = await asyncio.wait_for(subscriber.outbox.get(), SESSION_CHECK_SECONDS)
            await websocket.send_text(text)
        if loop.time() - checked >= SESSION_CHECK_SECONDS:
            if not await run_refresh(floor_ticket.login_still_valid, ticket):
                await websocket.close(REFUSED)
                return
            checked = loop.time()


async def floor_socket(websocket: WebSocket) -> None:
    """The /_floor endpoint: `?ticket=…`; only the ticket's office and counter kinds are ever sent."""
    ticket = floor_ticket.verify(websocket.query_params.get("ticket", ""))
    await websocket.accept()
    if ticket is None or not await run_refresh(floor_ticket.login_still_valid, ticket):
        await websocket.send_text(json.dumps({"t": "refused"}))
        await websocket.close(REFUSED)
        return
    subscriber = _Subscriber()
    channels = [_subscribe(ticket.office_id, kind, subscriber) for kind in ticket.kinds]
    tasks = [asyncio.create_task(_read(websocket, subscriber, channels)),
             asyncio.create_task(_write(websocket, subscriber, ticket))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task  # the socket went away: nothing left to tell it
        for channel in channels:
            _unsubscribe(channel, subscriber)
