"""State of the check-in terminal: a scanned or typed booking code in, a ticket number out (German/English).

The answer names no person (the next in line can read the screen) and goes back to the start after
`terminal_reset_seconds`. Every handler verifies the device token (`require_device`).
"""

import asyncio
from typing import Any

import reflex as rx

from workstation.config import settings
from workstation.models import DeviceKind
from workstation.services.lobby import terminal
from workstation.services.lobby.feedback import AREA_LABELS
from workstation.state.device import DeviceState, acting_device, require_device
from workstation.state.live import run_action

CODE_INPUT_ID = "checkin-code"
TICKET = "ticket"  # a walk-in drew a number

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Willkommen im Bürgerbüro",
        "intro": "Bitte halten Sie den QR-Code Ihrer Terminbestätigung vor den Scanner oder tippen Sie Ihren "
        "Buchungscode ein.",
        "label": "Buchungscode",
        "button": "Einchecken",
        "language": "English",
        "walk_in": "Ohne Termin? Nummer ziehen für:",
        "your_number": "Ihre Nummer",
        terminal.CHECKED_IN: "Sie sind eingecheckt (Termin {slot} Uhr). {hint}",
        terminal.ALREADY: "Sie sind bereits eingecheckt. {hint}",
        TICKET: "Bitte warten Sie, bis Ihre Nummer aufgerufen wird. {hint}",
        terminal.TOO_EARLY: "Sie sind zu früh: Ihr Termin ist um {slot} Uhr. Bitte checken Sie ab {come_back} Uhr ein.",
        terminal.RECEPTION: "Das Einchecken ist hier leider nicht möglich. Bitte wenden Sie sich an den Empfang.",
        terminal.EMPTY: "Bitte scannen Sie Ihren QR-Code oder tippen Sie den Buchungscode ein.",
    },
    "en": {
        "title": "Welcome to the citizen office",
        "intro": "Please hold the QR code of your booking confirmation under the scanner or type your booking code.",
        "label": "Booking code",
        "button": "Check in",
        "language": "Deutsch",
        "walk_in": "No appointment? Take a number for:",
        "your_number": "Your number",
        terminal.CHECKED_IN: "You are checked in (appointment at {slot}). {hint}",
        terminal.ALREADY: "You are already checked in. {hint}",
        TICKET: "Please wait until your number is called. {hint}",
        terminal.TOO_EARLY: "You are early: your appointment is at {slot}. Please check in from {come_back}.",
        terminal.RECEPTION: "Check-in is not possible here. Please go to the reception desk.",
        terminal.EMPTY: "Please scan your QR code or type your booking code.",
    },
}
WAIT_HINT_EN = "Please take a seat in the waiting area and watch the call display."


class CheckinTerminalState(DeviceState):
    """The terminal's answer to the last scan, and the areas a walk-in may draw a number for."""

    lang: str = "de"
    outcome: str = ""
    ticket: str = ""
    slot: str = ""
    come_back: str = ""
    areas: list[dict[str, str]] = []
    _shown: int = 0

    @rx.var
    def texts(self) -> dict[str, str]:
        return TEXTS[self.lang]

    @rx.var
    def answer_text(self) -> str:
        if not self.outcome:
            return ""
        hint = settings().terminal_wait_hint if self.lang == "de" else WAIT_HINT_EN
        return TEXTS[self.lang][self.outcome].format(slot=self.slot, come_back=self.come_back, hint=hint)

    @rx.var
    def answer_good(self) -> bool:
        return self.outcome in (terminal.CHECKED_IN, terminal.ALREADY, TICKET)

    def _show(self, outcome: str, ticket: str = "", slot: str = "", come_back: str = ""):
        self.outcome, self.ticket, self.slot, self.come_back = outcome, ticket, slot, come_back
        self._shown += 1
        return [rx.set_focus(CODE_INPUT_ID), CheckinTerminalState.back_to_start(self._shown)]

    @rx.event
    @require_device(DeviceKind.CHECKIN)
    def load(self):
        """on_load: the start screen, the walk-in areas where the office allows them, focus on the field."""
        self.outcome = self.ticket = ""
        self.areas = (
            [{"area": area, "label": label} for area, label in AREA_LABELS.items()]
            if settings().terminal_walk_ins
            else []
        )
        return rx.set_focus(CODE_INPUT_ID)

    @rx.event
    @require_device(DeviceKind.CHECKIN)
    def toggle_language(self):
        """Deutsch / English."""
        self.lang = "en" if self.lang == "de" else "de"

    @rx.event
    @require_device(DeviceKind.CHECKIN)
    async def scan(self, form_data: dict[str, Any]):
        """A scanner's code plus Enter (or a typed code and the button)."""
        device, code = acting_device(), str(form_data.get("code", ""))
        answer = await run_action(lambda: terminal.scan(device, code))
        return self._show(answer.outcome, answer.ticket, answer.slot, answer.come_back)

    @rx.event
    @require_device(DeviceKind.CHECKIN)
    async def draw(self, area: str):
        """A walk-in draws a number for an area."""
        device = acting_device()
        try:
            ticket = await run_action(lambda: terminal.draw_ticket(device, str(area)))
        except terminal.TerminalError as err:
            return rx.toast.error(str(err))
        return self._show(TICKET, ticket)

    @rx.event(background=True)
    @require_device(DeviceKind.CHECKIN)
    async def back_to_start(self, shown: int):
        """After `terminal_reset_seconds` the answer goes, unless a newer scan replaced it."""
        await asyncio.sleep(settings().terminal_reset_seconds)
        async with self:
            if self._shown == shown:
                self.outcome = self.ticket = ""
                self.lang = "de"
