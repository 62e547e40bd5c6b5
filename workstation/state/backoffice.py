"""State of the back-office task list: filters, the list, the task detail and attachments
(the CSV import is `state.backoffice_import`).

Thin on purpose: every handler checks the role on the server (`require_role`), calls a service and
turns the result into plain values for the page. Refusals from the services (`TaskError`) come back
as German toasts.
"""

import asyncio
import secrets

import reflex as rx

from workstation import db, routes
from workstation.formatting import range_de
from workstation.models import Role, TaskStatus, WorkMode
from workstation.services.backoffice import attachments, task_queries
from workstation.services.backoffice import tasks as bo
from workstation.services.backoffice.labels import STATUS_LABELS
from workstation.services.backoffice.task_model import TaskError
from workstation.services.common import changes
from workstation.services.queue import workday
from workstation.state import backoffice_views as views
from workstation.state import paging
from workstation.state.auth import AuthState, acting_user, require_role

BACKOFFICE_ROLES = (Role.ADVISOR, Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN)


class BackofficeState(AuthState):
    """The task list page of the logged-in member of back-office staff."""

    rows: list[dict] = []
    total: int = 0
    offset: int = 0
    range_label: str = ""
    counts: dict[str, int] = {}
    type_filter: str = views.ALL
    status_filter: str = views.ALL
    assignee_filter: str = views.ALL
    due_filter: str = views.ALL
    search: str = ""
    sort: str = "due"
    staff: list[dict[str, str]] = []
    lead: bool = False
    selected_ids: list[int] = []
    bulk_target: str = ""

    detail_open: bool = False
    detail: dict[str, str] = {}
    detail_id: int = 0
    detail_version: int = 0
    detail_done: bool = False
    may_change: bool = False
    history: list[dict[str, str]] = []
    files: list[dict[str, str]] = []
    outcome: str = ""
    handover_to: str = ""
    handover_note: str = ""

    new_open: bool = False
    new_form_token: str = ""

    _workday_listener: int = 0

    # --- helpers (not events) ---------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        user = acting_user()
        filters = views.task_filter(
            self.type_filter, self.status_filter, self.assignee_filter, self.due_filter, self.search
        )
        page = task_queries.list_tasks(user.id, filters, sort=self.sort, limit=paging.PAGE_SIZE, offset=self.offset)
        if page.total and not page.rows:  # the selection shrank below this page: show its last page
            self.offset = paging.clamp(self.offset, page.total)
            page = task_queries.list_tasks(user.id, filters, sort=self.sort, limit=paging.PAGE_SIZE,
                                           offset=self.offset)
        self.rows = [views.task_row(r) for r in page.rows]
        self.total = page.total
        self.range_label = range_de(self.offset, len(self.rows), self.total)
        visible = {r["id"] for r in self.rows}
        self.selected_ids = [i for i in self.selected_ids if i in visible]
        self.counts = views.count_figures(task_queries.task_counts(user.office_id))

    def _first_page(self) -> None:
        """Another filter or order is another list: it starts on its first page."""
        self.offset = 0
        self._refresh()

    def _show(self, task_id: int) -> None:
        detail = task_queries.get_task(acting_user().id, task_id)
        row = detail.row
        self.detail_id = row.id
        self.detail_version = row.version
        self.detail_done = row.status == TaskStatus.DONE
        self.may_change = detail.may_change
        self.detail = views.detail_fields(detail)
        self.outcome = detail.outcome
        self.history = views.history_rows(detail.history)
        self.files = views.file_rows(detail.attachments)

    def _after_change(self, message: str):
        self._refresh()
        if self.detail_open and self.detail_id:
            self._show(self.detail_id)
        return rx.toast.success(message)

    # --- list -------------------------------------------------------------------------------------------------------

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def load(self):
        """on_load: the people tasks can be given to, whether the user leads, and the list."""
        user = acting_user()
        self.staff = [{"id": str(s.id), "name": s.name} for s in task_queries.staff_choices(user.id)]
        self.lead = user.role in (Role.TEAM_LEAD, Role.ADMIN)
        self.detail_open = False
        self._refresh()
        return BackofficeState.watch_workday if user.role == Role.ADVISOR else None

    @rx.event(background=True)
    @require_role(*BACKOFFICE_ROLES)
    async def watch_workday(self):
        """While an advisor works the list: when someone checks in for them, back to the counter.

        Sleeps in the queue's change signal (no polling); ends when the page is left or reopened.
        """
        user = acting_user()
        async with self:
            self._workday_listener += 1
            mine = self._workday_listener
        seen = changes.version(user.office_id)
        while True:
            # Look first, then wait: a check-in between the page load and this task's start is seen too.
            state = await asyncio.to_thread(workday.workday_state, user.id)
            async with self:
                if self._workday_listener != mine or routes.normalize(self.router.url.path) != routes.BACKOFFICE:
                    return
            if state.mode == WorkMode.QUEUE and state.customer_waiting:
                yield [rx.redirect(routes.COUNTER), rx.toast.info("Kundschaft wartet – weiter an der Warteschlange.")]
                return
            seen = await changes.wait_for_change(user.office_id, seen)

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def refresh(self):
        """Re-read the list (button "Aktualisieren")."""
        self._refresh()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def previous_page(self):
        """The 50 tasks before (filters and order stay)."""
        self.offset = paging.turn(self.offset, self.total, forward=False)
        self._refresh()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def next_page(self):
        """The 50 tasks after."""
        self.offset = paging.turn(self.offset, self.total, forward=True)
        self._refresh()

    @rx.var
    def has_previous_page(self) -> bool:
        return self.offset > 0

    @rx.var
    def has_next_page(self) -> bool:
        return self.offset + paging.PAGE_SIZE < self.total

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_type_filter(self, value: str):
        self.type_filter = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_status_filter(self, value: str):
        self.status_filter = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_assignee_filter(self, value: str):
        self.assignee_filter = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_due_filter(self, value: str):
        self.due_filter = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_sort(self, value: str):
        self.sort = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_search(self, value: str):
        self.search = value
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def toggle_mine(self):
        """ "Meine Aufgaben": the user's own tasks, or all again."""
        self.assignee_filter = views.ALL if self.assignee_filter == views.MINE else views.MINE
        self._first_page()

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def claim(self, task_id: int):
        """Take a task; the loser of a race is told who was faster."""
        try:
            row = db.retry_once(bo.claim_task, acting_user().id, task_id)
        except TaskError as err:
            self._refresh()
            return rx.toast.error(str(err))
        return self._after_change(f"Sie bearbeiten jetzt: {row.title}")

    # --- bulk assignment (team lead) --------------------------------------------------------------------------------

    @rx.event
    @require_role(Role.TEAM_LEAD, Role.ADMIN)
    def toggle_selected(self, task_id: int, checked: bool):
        if checked and task_id not in self.selected_ids:
            self.selected_ids = [*self.selected_ids, task_id]
        elif not checked:
            self.selected_ids = [i for i in self.selected_ids if i != task_id]

    @rx.event
    @require_role(Role.TEAM_LEAD, Role.ADMIN)
    def toggle_all(self, checked: bool):
        """Select every task shown in the list, or none."""
        self.selected_ids = [r["id"] for r in self.rows] if checked else []

    @rx.event
    @require_role(Role.TEAM_LEAD, Role.ADMIN)
    def set_bulk_target(self, value: str):
        self.bulk_target = value

    @rx.event
    @require_role(Role.TEAM_LEAD, Role.ADMIN)
    def assign_selected(self):
        """Give every selected task to the chosen person."""
        if not self.bulk_target.isdigit():
            return rx.toast.error("Bitte wählen Sie aus, wem die Aufgaben zugewiesen werden.")
        try:
            moved = db.retry_once(bo.bulk_assign, acting_user().id, self.selected_ids, int(self.bulk_target))
        except TaskError as err:
            return rx.toast.error(str(err))
        self.selected_ids = []
        return self._after_change(f"{moved} Aufgabe(n) zugewiesen.")

    # --- detail -----------------------------------------------------------------------------------------------------

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def open_task(self, task_id: int):
        try:
            self._show(task_id)
        except TaskError as err:
            self._refresh()
            return rx.toast.error(str(err))
        self.handover_to = ""
        self.handover_note = ""
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, value: bool):
        self.detail_open = value

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_outcome(self, value: str):
        self.outcome = value

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_handover_to(self, value: str):
        self.handover_to = value

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def set_handover_note(self, value: str):
        self.handover_note = value

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def save_outcome(self):
        try:
            db.retry_once(bo.record_outcome, acting_user().id, self.detail_id, self.outcome,
                          expected_version=self.detail_version)
        except TaskError as err:
            return rx.toast.error(str(err))
        return self._after_change("Ergebnis gespeichert.")

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def change_status(self, status: str):
        """Open, in progress, waiting for reply or done (done saves the outcome typed so far)."""
        outcome = self.outcome if status == TaskStatus.DONE else None
        try:
            db.retry_once(
                bo.set_status,
                acting_user().id, self.detail_id, status, outcome=outcome, expected_version=self.detail_version
            )
        except TaskError as err:
            return rx.toast.error(str(err))
        return self._after_change(f"Status: {STATUS_LABELS[status]}")

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def hand_over(self):
        if not self.handover_to.isdigit():
            return rx.toast.error("Bitte wählen Sie aus, an wen die Aufgabe geht.")
        try:
            row = db.retry_once(
                bo.hand_over,
                acting_user().id,
                self.detail_id,
                int(self.handover_to),
                note=self.handover_note,
                expected_version=self.detail_version,
            )
        except TaskError as err:
            return rx.toast.error(str(err))
        self.handover_note = ""
        return self._after_change(f"Übergeben an {row.assignee_name}.")

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    async def upload_attachment(self, files: list[rx.UploadFile]):
        """Attach files to the open task; each is checked for type and size by the service."""
        added = 0
        for file in files:
            data = await file.read()
            try:
                attachments.add_attachment(acting_user().id, self.detail_id, file.name or "anhang", data)
            except TaskError as err:
                self._show(self.detail_id)
                return rx.toast.error(f"{file.name}: {err}")
            added += 1
        return self._after_change(f"{added} Datei(en) angehängt.")

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def download_attachment(self, attachment_id: str):
        """Send the file to this browser only (a data download, never a public URL)."""
        if not str(attachment_id).isdigit():
            return rx.toast.error("Diesen Anhang gibt es nicht.")
        try:
            file = attachments.read_attachment(acting_user().id, int(attachment_id))
        except TaskError as err:
            return rx.toast.error(str(err))
        return rx.download(data=file.data, filename=file.filename, mime_type=file.content_type)

    # --- new task ---------------------------------------------------------------------------------------------------

    @rx.event
    def set_new_open(self, value: bool):
        """Opening the form gives it a fresh token; a second submit of the same form is then ignored."""
        self.new_open = value
        if value:
            self.new_form_token = secrets.token_hex(8)

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    def create_task(self, form: dict):
        """The form "Neue Aufgabe": type, title, reference, due date, priority, description."""
        if not self.new_form_token or form.get("form_token") != self.new_form_token:
            return None
        try:
            fields = views.new_task_fields(form)
        except ValueError:
            return rx.toast.error("Das Fälligkeitsdatum ist ungültig.")
        try:
            row = bo.create_task_by_hand(acting_user().id, **fields)
        except TaskError as err:
            return rx.toast.error(str(err))
        self.new_open = False
        self.new_form_token = ""
        return self._after_change(f"Aufgabe angelegt: {row.title}")
