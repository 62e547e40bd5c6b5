"""State of the counter workstation (regular counters and dealer desks).

Handlers are thin: they check the role, call one queue service and show its German message as a
toast. The floor's lists are not part of this state: the page follows them on the live floor
channel (`workstation.live_floor`, one shared delta per change for all screens) with the ticket
`load` hands out. This state holds the counter and the visit at it ("active") with its full panel;
it re-reads them after the counter's own actions and when the channel shows that the visit at this
counter changed (`focus_changed`).

Data minimisation: the next person of an idle counter is not read here. The page draws "Als
Nächstes dran" from the queue row the channel sends every screen of the office anyway
(`FloorNextPreview`); the full panel (documents, plates, history, notes), whose read is audited, is
read only once the visit is at this counter. That also keeps an idle screen free of server events
when the queue moves.
"""

import dataclasses
from typing import Any

import reflex as rx

from workstation import db, routes
from workstation.config import settings
from workstation.models import Role, WorkMode
from workstation.services.common import changes
from workstation.services.queue import calls as queue
from workstation.services.queue import choices as queue_choices
from workstation.services.queue import desks, floor_ticket, workday
from workstation.services.queue import floor as queue_floor
from workstation.services.queue import panel as queue_panel
from workstation.services.queue.calls import Outcome, QueueError
from workstation.services.queue.choices import Choice
from workstation.services.queue.panel import ConcernsPanel
from workstation.services.staff.auth import SessionUser
from workstation.state.auth import AuthState, acting_user, require_role
from workstation.state.live import minute_ticks, run_action, run_refresh

COUNTER_ROLES = (Role.ADVISOR, Role.TEAM_LEAD, Role.ADMIN)
CALL_NEXT_ID = "call-next"
"""The "Nächste Person aufrufen" button: the keyboard goes back there when a visit leaves the counter."""
NO_PANEL = ConcernsPanel(visit_id=0, version=0, name="", kind_label="", status="", status_label="", slot="",
                         arrived="", call_count=0, batch_size=0, services=[], total_minutes=0, documents=[],
                         booking_note="", desk_note="")


@dataclasses.dataclass(frozen=True)
class _View:
    focus: queue_floor.CounterFocus
    panel: ConcernsPanel | None
    # This process's change version of the office, read before the view was: the view is at least that
    # new. A screen never applies a view older than the one it shows (a refresh that was under way when the
    # advisor's own click answered would otherwise turn the screen back for a moment).
    stamp: tuple[str, int] = ("", 0)


def _active_view(user: SessionUser, focus: queue_floor.CounterFocus, shown: tuple[int, int],
                 stamp: tuple[str, int]) -> _View:
    """Only a visit at this counter is held, its panel re-read (and audited) only when it changed; the next
    person is the browser's preview of the queue row (data minimisation: no read of their record)."""
    if focus.mode != "active":
        return _View(queue_floor.NO_FOCUS, None, stamp)
    panel = None
    if (focus.visit_id, focus.version) != shown:
        panel = queue_panel.concerns_panel(focus.visit_id, user.id)
    return _View(focus, panel, stamp)


def _read_view(user: SessionUser, desk_id: int, desk_kind: str, shown: tuple[int, int]) -> _View:
    """The visit at the counter from the shared floor overview (the one the live channel sent)."""
    stamp = (changes.process_key(), changes.version(user.office_id))
    focus = queue_floor.floor_overview(user.office_id, desk_kind).focus_by_counter.get(desk_id, queue_floor.NO_FOCUS)
    return _active_view(user, focus, shown, stamp)


def _read_own(user: SessionUser, desk_id: int, desk_kind: str, shown: tuple[int, int]) -> _View:
    """The screen of a counter after its own click: the visit at it straight from the database (never the
    floor overview, which the live channel rebuilds after the change); the lists follow on the channel."""
    stamp = (changes.process_key(), changes.version(user.office_id))
    return _active_view(user, queue_floor.counter_focus(user.office_id, desk_id, desk_kind), shown, stamp)


def _read_called(user: SessionUser, visit_id: int) -> _View:
    """The screen of a counter that just called someone: their panel at once; the lists follow on the
    live channel."""
    stamp = (changes.process_key(), changes.version(user.office_id))
    panel = queue_panel.concerns_panel(visit_id, user.id)
    return _View(queue_floor.CounterFocus("active", visit_id, panel.version if panel else 0), panel, stamp)


def _then_call_next(ok: bool, toast):
    """After a visit left the counter, the keyboard is back on "Nächste Person aufrufen" (not the page body)."""
    return [event for event in (toast, rx.set_focus(CALL_NEXT_ID)) if event is not None] if ok else toast


class CounterState(AuthState):
    """One advisor's counter: the visit at it (`focus_mode` "active" with its panel, else "" and no panel)
    and the actions on it."""

    desk_id: int = 0
    desk_name: str = ""
    desk_kind: str = ""
    desk_choices: list[desks.Desk] = []
    floor_ticket: str = ""
    focus_mode: str = ""
    panel: ConcernsPanel = NO_PANEL
    service_options: list[Choice] = []
    counter_options: list[Choice] = []
    area_options: list[Choice] = []
    call_target: int = 0
    call_target_name: str = ""
    noshow_limit: int = 0
    _listener: int = 0
    _stamp: tuple[str, int] = ("", 0)

    # --- view ---------------------------------------------------------------------------------

    def _apply(self, view: _View) -> None:
        """Assign only what changed: unchanged vars are not sent to the browser again."""
        if view.stamp[0] == self._stamp[0] and view.stamp[1] < self._stamp[1]:
            return
        self._stamp = view.stamp
        if self.focus_mode != view.focus.mode:
            self.focus_mode = view.focus.mode
        if not view.focus.visit_id:
            if self.panel.visit_id:
                self.panel = NO_PANEL
        elif view.panel is not None:
            self.panel = view.panel

    def _refresh(self, user: SessionUser) -> None:
        if self.desk_id:
            self._apply(_read_view(user, self.desk_id, self.desk_kind, (self.panel.visit_id, self.panel.version)))

    def _set_desk(self, desk: desks.Desk | None, user: SessionUser) -> None:
        """Sit at `desk` (None: none yet) with a ticket for the live channel of its counter kind only."""
        self.desk_id, self.desk_name, self.desk_kind = (desk.counter_id, desk.name, desk.kind) if desk else (0, "", "")
        self.floor_ticket = floor_ticket.issue(user, self.session_token, (desk.kind,), COUNTER_ROLES) if desk else ""

    @rx.event
    @require_role(*COUNTER_ROLES)
    def load(self):
        """on_load: the counter taken today (or the choice of counters), the view, then live updates."""
        user = acting_user()
        self._set_desk(desks.my_counter(user.id), user)
        self.desk_choices = desks.desks(user.office_id)
        self.service_options = queue_choices.service_choices(user.office_id)
        self.area_options = queue_choices.area_choices()
        self.counter_options = [Choice(str(d.counter_id), d.name) for d in self.desk_choices]
        self.noshow_limit = settings().noshow_after_calls
        self.panel = NO_PANEL
        self._stamp = ("", 0)
        self._refresh(user)
        return CounterState.listen

    @rx.event(background=True)
    @require_role(*COUNTER_ROLES)
    async def listen(self):
        """At the configured hour (13:00) or when the appointments are done, an advisor's screen turns to
        the task list by itself; someone at or waiting for the counter keeps it here. Checked at each
        minute boundary only: a turn within the minute is soon enough, and a floor change then costs an
        open counter nothing here (the lists follow the floor on the live channel). Ends when the page
        is left or reopened or the login ends."""
        user = acting_user()
        async with self:
            self._listener += 1
            mine = self._listener
        if user.role != Role.ADVISOR:
            return
        async for _minute in minute_ticks(lambda: self._verified_user() is not None):
            async with self:
                if self._listener != mine:
                    return
            if await run_refresh(workday.advisor_mode, user.id) == WorkMode.BACKOFFICE:
                yield rx.redirect(routes.BACKOFFICE)
                return

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def focus_changed(self, mode: str, visit_id: int, version: int):
        """The live channel showed a change of the visit at this counter (someone sent here, or the shown
        visit left): re-read it. The browser does not call this when only the next person changed.

        The arguments only say that something changed; what is shown is read on the server for the
        user's own office and counter (the shared overview the channel came from), the panel with its
        audit only for a visit at this counter and only when it changed.
        """
        user = acting_user()
        if not self.desk_id:
            return
        shown = (self.panel.visit_id, self.panel.version)
        self._apply(await run_refresh(_read_view, user, self.desk_id, self.desk_kind, shown))

    @rx.event
    @require_role(*COUNTER_ROLES)
    def renew_floor_ticket(self):
        """The channel refused the page's ticket (expired or a new login): a new one after the role check."""
        user = acting_user()
        self._set_desk(desks.my_counter(user.id) if self.desk_id else None, user)

    @rx.event
    @require_role(*COUNTER_ROLES)
    def take_desk(self, counter_id: int):
        """Sit down at a counter for today."""
        user = acting_user()
        try:
            desk = desks.take_counter(user.id, int(counter_id))
        except QueueError as err:
            return rx.toast.error(err.message)
        self._set_desk(desk, user)
        self.panel = NO_PANEL
        self._refresh(user)
        return rx.toast.success(f"Sie sitzen heute an {desk.name}.")

    @rx.event
    @require_role(*COUNTER_ROLES)
    def choose_other_desk(self):
        """Show the choice of counters again (e.g. after moving to a dealer desk)."""
        user = acting_user()
        if self.focus_mode == "active":
            return rx.toast.error("Bitte den Besuch an Ihrem Schalter erst abschließen, parken oder weiterleiten.")
        self.desk_choices = desks.desks(user.office_id)
        self._set_desk(None, user)
        self.panel = NO_PANEL
        return None

    # --- actions ------------------------------------------------------------------------------

    async def _act(self, action, success: str = "", *,
                   calls_next: bool = False) -> tuple[bool, rx.event.EventSpec | None]:
        """Run `action(user, desk_id)` and re-read the counter's focus off the event loop; a refusal
        becomes a German toast. The answer never waits for the floor overview: the lists follow with
        the refresh every screen gets after a change.

        A transient database error is retried once (`db.retry_once`); if the database stays away the
        advisor sees `db.DB_UNAVAILABLE` and nothing was changed (the service's transaction rolled back).

        With `calls_next` the action returns the visit it called to this counter: the screen then shows
        their panel straight away.
        """
        user = acting_user()
        if not self.desk_id:
            return False, rx.toast.error("Bitte zuerst einen Schalter wählen.")
        desk_id, desk_kind, shown = self.desk_id, self.desk_kind, (self.panel.visit_id, self.panel.version)

        def run() -> tuple[QueueError | db.DatabaseUnavailableError | None, _View | None]:
            try:
                try:
                    called = db.retry_once(action, user, desk_id)
                except QueueError as err:
                    return err, db.retry_once(_read_own, user, desk_id, desk_kind, shown)
                if calls_next:
                    return None, db.retry_once(_read_called, user, called)
                return None, db.retry_once(_read_own, user, desk_id, desk_kind, shown)
            except db.DatabaseUnavailableError as err:  # the screen keeps what it showed; `listen` re-reads later
                return err, None

        refused, view = await run_action(run)
        if view is not None:
            self._apply(view)
        if refused is not None:
            return False, rx.toast.error(refused.message)
        return True, (rx.toast.success(success) if success else None)

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def call_next(self):
        """Nächste Person aufrufen."""
        _, toast = await self._act(lambda user, desk: queue.call_next(desk, user.id), calls_next=True)
        return toast

    @rx.event
    @require_role(*COUNTER_ROLES)
    def choose_call_target(self, visit_id: int):
        """Open the out-of-order call for one waiting person of the user's office (0 closes it)."""
        user, visit_id = acting_user(), int(visit_id)
        waiting = []
        if visit_id and self.desk_id:
            waiting = queue_floor.floor_overview(user.office_id, self.desk_kind).waiting
        row = next((r for r in waiting if r.visit_id == visit_id), None)
        self.call_target, self.call_target_name = (row.visit_id, row.name) if row else (0, "")
        if visit_id and row is None:
            return rx.toast.error("Diese Person wartet nicht mehr. Die Liste ist bereits aktualisiert.")
        return None

    @rx.event
    def call_dialog_changed(self, is_open: bool):
        """Closing the out-of-order dialog (Escape, click outside) forgets the chosen person."""
        if not is_open:
            self.call_target = 0

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def call_specific(self, form_data: dict[str, Any]):
        """Call the chosen person out of order, with the reason."""
        target, reason = self.call_target, str(form_data.get("reason", ""))
        ok, toast = await self._act(lambda user, desk: queue.call_specific(target, desk, user.id, reason))
        if ok:
            self.call_target = 0
        return toast

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def recall(self):
        """Call the person at the counter again."""
        visit_id, version = self.panel.visit_id, self.panel.version
        _, toast = await self._act(lambda user, desk: queue.recall(visit_id, desk, user.id,
                                                                   expected_version=version))
        return toast

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def no_show(self):
        """Record that the called person did not come."""
        visit_id, version = self.panel.visit_id, self.panel.version
        ok, toast = await self._act(lambda user, desk: queue.mark_no_show(visit_id, desk, user.id,
                                                                         expected_version=version),
                                   "Als nicht erschienen vermerkt.")
        return _then_call_next(ok, toast)

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def start(self):
        """The person sat down: start serving."""
        visit_id, version = self.panel.visit_id, self.panel.version
        _, toast = await self._act(lambda user, desk: queue.start(visit_id, desk, user.id, expected_version=version))
        return toast

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def park(self, form_data: dict[str, Any]):
        """Send the person to wait elsewhere with a note and room."""
        visit_id, version = self.panel.visit_id, self.panel.version
        note, room = str(form_data.get("note", "")), str(form_data.get("room", ""))
        ok, toast = await self._act(lambda user, desk: queue.park(visit_id, desk, user.id, note, room,
                                                                 expected_version=version), "Geparkt.")
        return _then_call_next(ok, toast)

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def resume(self, visit_id: int):
        """Take a parked person back to this counter."""
        _, toast = await self._act(lambda user, desk: queue.resume(int(visit_id), desk, user.id))
        return toast

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def redirect(self, form_data: dict[str, Any]):
        """Send the person back to the queue for another area or counter."""
        visit_id, version = self.panel.visit_id, self.panel.version
        area = str(form_data.get("area") or "") or None
        target = int(form_data["counter"]) if str(form_data.get("counter") or "").isdigit() else None
        note = str(form_data.get("note", ""))
        ok, toast = await self._act(lambda user, desk: queue.redirect(visit_id, desk, user.id, area=area,
                                                                     target_counter_id=target, note=note,
                                                                     expected_version=version), "Weitergeleitet.")
        return _then_call_next(ok, toast)

    @rx.event
    @require_role(*COUNTER_ROLES)
    async def finish(self, form_data: dict[str, Any]):
        """Close the visit: ticked concerns are done, unticked ones need a reason; extra services are added."""
        visit_id, version = self.panel.visit_id, self.panel.version
        outcomes = {
            s.concern_id: Outcome(done=bool(form_data.get(f"done_{s.concern_id}")),
                                  reason=str(form_data.get(f"reason_{s.concern_id}", "")))
            for s in self.panel.services
        }
        extras = tuple(int(key.removeprefix("extra_")) for key, value in form_data.items()
                       if key.startswith("extra_") and value)
        ok, toast = await self._act(lambda user, desk: queue.finish(visit_id, desk, user.id, outcomes,
                                                                   extra_service_ids=extras, expected_version=version),
                                   "Besuch abgeschlossen.")
        return _then_call_next(ok, toast)
