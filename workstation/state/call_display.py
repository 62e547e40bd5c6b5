"""State of the call display in the waiting room: the latest calls, ticket and counter, never a name.

The list comes from `lobby.call_board`, built once per change for all displays of the office; a
display holds at most its rows (6, 8 or 10) and two numbers, so it can run for weeks. A new call
blinks (CSS, three times) and rings the gong (`assets/lobby.js`).
"""

import reflex as rx

from workstation import routes
from workstation.models import DeviceKind
from workstation.services.lobby import call_board
from workstation.services.lobby.call_board import CallRow
from workstation.state.device import DeviceState, acting_device, require_device, still_paired
from workstation.state.live import office_changes, run_refresh

GONG_SCRIPT = "window.lobbyGong && window.lobbyGong()"


class CallDisplayState(DeviceState):
    """What one display shows; `highlight` is the key of the call that just came in (0: none)."""

    rows: list[CallRow] = []
    highlight: int = 0
    max_rows: int = 8
    portrait: bool = False
    sound_on: bool = False
    _seen: int = 0
    _listener: int = 0

    def _apply(self, board: call_board.CallBoard) -> bool:
        """Show the board; True when it brought a new call (or a repeated one)."""
        rows = list(board.rows[: self.max_rows])
        new_call = board.newest > self._seen
        if rows != self.rows:
            self.rows = rows
        self.highlight = board.newest if new_call else self.highlight
        self._seen = board.newest
        return new_call

    @rx.event
    @require_device(DeviceKind.DISPLAY)
    def load(self):
        """on_load: layout of this display, the calls so far (no gong for them), then live updates."""
        device = acting_device()
        self.max_rows, self.portrait = device.rows, device.orientation == "portrait"
        board = call_board.call_board(device.office_id)
        self.rows = list(board.rows[: self.max_rows])
        self._seen, self.highlight = board.newest, 0
        return CallDisplayState.listen

    @rx.event
    @require_device(DeviceKind.DISPLAY)
    def turn_sound_on(self):
        """The one-time "Ton an": the click itself unlocks the browser's audio (see lobby.js)."""
        self.sound_on = True

    @rx.event(background=True)
    @require_device(DeviceKind.DISPLAY)
    async def listen(self):
        """Follow the office's calls; ends when the page is reloaded or the device is revoked."""
        device = acting_device()
        token = self.device_token
        async with self:
            self._listener += 1
            mine = self._listener
        async for _changed in office_changes(device.office_id, lambda: still_paired(token, DeviceKind.DISPLAY)):
            board = await run_refresh(call_board.call_board, device.office_id)
            if board.newest == self._seen:
                continue
            async with self:
                if self._listener != mine:
                    return
                new_call = self._apply(board)
            if new_call:
                yield rx.call_script(GONG_SCRIPT)
        yield rx.redirect(routes.DEVICE_PAIR)  # the device was revoked: only the pairing page is left
