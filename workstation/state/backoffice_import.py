"""The back office's CSV import of authority requests: check a file, show its rejected lines, import.

A substate of the task list, so that an import refreshes the list it belongs to; rules in
docs/backoffice-import.md. Every line of a file ends up imported or listed with a German reason.
"""

import reflex as rx

from workstation.services.backoffice import csv_import as task_import
from workstation.services.backoffice.task_model import TaskError
from workstation.state.auth import acting_user, require_role
from workstation.state.backoffice import BACKOFFICE_ROLES, BackofficeState


class TaskImportState(BackofficeState):
    """The dialog "CSV-Import": the checked file waits on the server until the user decides."""

    import_open: bool = False
    import_summary: str = ""
    import_rejected: list[dict[str, str]] = []
    import_can_partial: bool = False
    import_done: bool = False
    _import_data: bytes = b""

    @rx.event
    def set_import_open(self, value: bool):
        self.import_open = value
        if not value:
            self._import_data = b""
            self.import_summary, self.import_rejected = "", []
            self.import_can_partial = self.import_done = False

    def _show_report(self, report: task_import.ImportReport) -> None:
        self.import_summary = report.summary
        self.import_rejected = [{"line": str(r.line), "reason": r.reason} for r in report.rejected]
        self.import_can_partial = bool(report.good and report.rejected and not report.committed)
        self.import_done = report.committed

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    async def upload_import(self, files: list[rx.UploadFile]):
        """Check the chosen file; a file without rejected lines is imported at once."""
        if not files:
            return None
        data = await files[0].read()
        try:
            report = task_import.run_import(acting_user().id, data)
        except TaskError as err:
            return rx.toast.error(str(err))
        self._import_data = b"" if report.committed else data
        self._show_report(report)
        if report.committed:
            (await self.get_state(BackofficeState))._refresh()
        return None

    @rx.event
    @require_role(*BACKOFFICE_ROLES)
    async def import_valid_lines(self):
        """After reading the report: import only the valid lines of the checked file."""
        if not self._import_data:
            return rx.toast.error("Bitte wählen Sie die Datei erneut aus.")
        try:
            report = task_import.run_import(acting_user().id, self._import_data, accept_partial=True)
        except TaskError as err:
            return rx.toast.error(str(err))
        self._import_data = b""
        self._show_report(report)
        (await self.get_state(BackofficeState))._refresh()
        return None
