"""State of the reception desk: check-in, walk-ins, emergencies, dealers, and the live queue.

The queue's lists are not part of this state: the page follows them on the live floor channel
(`workstation.live_floor`) with the ticket `load` hands out. `listen` keeps only the refused scans at
the check-in terminals up to date.
"""

from typing import Any

import reflex as rx

from workstation import db
from workstation.models import CounterKind, Role
from workstation.services.lobby import terminal as lobby_terminal
from workstation.services.lobby.terminal import AttemptRow
from workstation.services.queue import checkin, floor_ticket
from workstation.services.queue import choices as queue_choices
from workstation.services.queue.calls import QueueError
from workstation.services.queue.checkin import AppointmentMatch
from workstation.services.queue.choices import Choice
from workstation.state.auth import AuthState, acting_user, require_role
from workstation.state.live import office_changes, run_action, run_refresh

RECEPTION_ROLES = (Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN)


FLOOR_KINDS = (CounterKind.REGULAR, CounterKind.DEALER)
"""Reception follows the whole floor: the regular queue and the dealers."""


def _chosen_services(form_data: dict[str, Any]) -> list[int]:
    """Service ids ticked in a form (checkboxes named "service_<id>")."""
    return [int(key.removeprefix("service_")) for key, value in form_data.items()
            if key.startswith("service_") and value]


class ReceptionState(AuthState):
    """Reception's forms and the queue it fills."""

    last_result: str = ""
    matches: list[AppointmentMatch] = []
    offer_visit_id: int = 0
    offer_message: str = ""
    service_options: list[Choice] = []
    dealer_options: list[Choice] = []
    floor_ticket: str = ""
    terminal_attempts: list[AttemptRow] = []
    _listener: int = 0

    async def _run(self, call, offer_visit=lambda: 0):
        """Run one reception service off the event loop and answer with a toast (the lists follow on the
        live channel).

        `offer_visit` names the booked visit that may be queued as a walk-in when the service refuses
        with that offer. A transient database error is retried once (`db.retry_once`); if the database
        stays away reception sees `db.DB_UNAVAILABLE` and nothing was changed.
        """

        def run():
            try:
                try:
                    return db.retry_once(call), None, 0
                except QueueError as err:
                    return None, err, (db.retry_once(offer_visit) or 0) if err.offer_walk_in else 0
            except db.DatabaseUnavailableError as err:  # nothing was changed
                return None, err, 0

        result, refused, offer = await run_action(run)
        if refused is not None:
            self.offer_message = refused.message if getattr(refused, "offer_walk_in", False) else ""
            self.offer_visit_id = offer
            return rx.toast.error(refused.message)
        self.last_result = result.message
        self.offer_visit_id, self.offer_message = 0, ""
        self.matches = []
        return rx.toast.success(result.message)

    @rx.event
    @require_role(*RECEPTION_ROLES)
    def load(self):
        """on_load: choices for the forms, the queue, then live updates."""
        user = acting_user()
        self.service_options = queue_choices.service_choices(user.office_id)
        self.dealer_options = queue_choices.dealer_choices()
        self.floor_ticket = floor_ticket.issue(user, self.session_token, FLOOR_KINDS, RECEPTION_ROLES)
        self.terminal_attempts = lobby_terminal.recent_attempts(user.office_id)
        return ReceptionState.listen

    @rx.event
    @require_role(*RECEPTION_ROLES)
    def renew_floor_ticket(self):
        """The channel refused the page's ticket (expired or a new login): a new one after the role check."""
        self.floor_ticket = floor_ticket.issue(acting_user(), self.session_token, FLOOR_KINDS, RECEPTION_ROLES)

    @rx.event(background=True)
    @require_role(*RECEPTION_ROLES)
    async def listen(self):
        """Follow the refused scans at the check-in terminals (they signal a change of the queue); the
        state is touched only when they changed."""
        user = acting_user()
        async with self:
            self._listener += 1
            mine = self._listener
            shown = list(self.terminal_attempts)
        async for _changed in office_changes(user.office_id, lambda: self._verified_user() is not None):
            attempts = await run_refresh(lobby_terminal.recent_attempts, user.office_id)
            async with self:
                if self._listener != mine:
                    return
                if attempts != shown:
                    self.terminal_attempts = shown = attempts

    @rx.event
    @require_role(*RECEPTION_ROLES)
    async def check_in_code(self, form_data: dict[str, Any]):
        """Check in by booking code (typed or scanned from the QR code)."""
        user = acting_user()
        code = str(form_data.get("code", ""))
        return await self._run(lambda: checkin.check_in_by_code(user.office_id, code, user.id),
                               lambda: checkin.visit_for_code(user.office_id, code))

    @rx.event
    @require_role(*RECEPTION_ROLES)
    def search_name(self, form_data: dict[str, Any]):
        """Today's appointments by the holder's name."""
        user = acting_user()
        self.offer_visit_id, self.offer_message = 0, ""
        try:
            self.matches = checkin.find_appointments(user.office_id, str(form_data.get("name", "")))
        except QueueError as err:
            self.matches = []
            self.offer_message = err.message if err.offer_walk_in else ""
            return rx.toast.error(err.message)
        return None

    @rx.event
    @require_role(*RECEPTION_ROLES)
    async def check_in_match(self, visit_id: int):
        """Check in one of the appointments found by name."""
        user, visit_id = acting_user(), int(visit_id)
        return await self._run(lambda: checkin.check_in(visit_id, user.id, office_id=user.office_id), lambda: visit_id)

    @rx.event
    @require_role(*RECEPTION_ROLES)
    async def queue_offer_as_walk_in(self):
        """Queue the appointment holder outside the check-in window as a walk-in."""
        user, visit_id = acting_user(), self.offer_visit_id
        return await self._run(lambda: checkin.queue_booked_as_walk_in(visit_id, user.id, office_id=user.office_id))

    @rx.event
    @require_role(*RECEPTION_ROLES)
    async def add_walk_in(self, form_data: dict[str, Any]):
        """Queue a walk-in (or, ticked, an emergency) with their concerns."""
        user = acting_user()
        return await self._run(lambda: checkin.add_walk_in(
            user.office_id, str(form_data.get("first_name", "")), str(form_data.get("last_name", "")),
            _chosen_services(form_data), user.id, note=str(form_data.get("note", "")),
            emergency=bool(form_data.get("emergency")),
        ))

    @rx.event
    @require_role(*RECEPTION_ROLES)
    async def add_dealer(self, form_data: dict[str, Any]):
        """Queue a dealer with a batch of registrations."""
        user = acting_user()
        try:
            dealer_id = int(form_data.get("dealer") or 0)
            batch = int(form_data.get("batch") or 0)
        except ValueError:
            return rx.toast.error("Bitte Händler und Anzahl der Vorgänge als Zahl angeben.")
        return await self._run(lambda: checkin.add_dealer_visit(
            user.office_id, dealer_id, batch, _chosen_services(form_data), user.id,
            note=str(form_data.get("note", ""))))
