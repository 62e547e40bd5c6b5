"""Administration page state: staff accounts and the retention table (Löschfristen) with its last runs."""

from typing import Any

import reflex as rx

from workstation import clock
from workstation.models import Role
from workstation.services.privacy import retention, retention_table
from workstation.services.staff import admin as staff_admin
from workstation.state.auth import AuthState, acting_user, require_role


def _when(instant) -> str:
    return f"{clock.to_local(instant):%d.%m.%Y %H:%M}" if instant else ""


def _run_row(run: retention.RunSummary) -> dict[str, Any]:
    """A past retention run as plain display values."""
    if run.finished_at is not None:
        state = "abgeschlossen"
    elif run.error:
        state = "abgebrochen (der nächste Lauf setzt fort)"
    else:
        state = "läuft"
    details = ", ".join(f"{retention_table.LABELS.get(key, key)}: {n}" for key, n in run.counts.items() if n)
    return {
        "id": run.id,
        "started": _when(run.started_at),
        "finished": _when(run.finished_at),
        "state": state,
        "total": run.total,
        "details": details or "nichts fällig",
        "error": run.error,
    }


ADMIN_ROLES = (Role.ADMIN, Role.CITY_ADMIN)
"""An office's administration, and the city's for the office its session acts for."""


class AdminState(AuthState):
    """Account list, the result of the last change, the retention table and its last runs."""

    staff: list[dict[str, Any]] = []
    notice: str = ""
    retention_rows: list[dict[str, str]] = []
    retention_runs: list[dict[str, Any]] = []

    def _reload(self) -> None:
        user = acting_user()
        self.staff = [row.__dict__ for row in staff_admin.list_staff(user.office_id)]

    def _load_retention(self) -> None:
        self.retention_rows = [dict(row.__dict__) for row in retention_table.retention_table()]
        self.retention_runs = [_run_row(run) for run in retention.recent_runs(10)]

    @rx.event
    @require_role(*ADMIN_ROLES)
    def load(self):
        self.notice = ""
        self._reload()
        self._load_retention()

    @rx.event
    @require_role(*ADMIN_ROLES)
    def create(self, form_data: dict[str, Any]):
        self.notice = ""  # a one-time password shown for an earlier change must not stand beside a new error
        user = acting_user()
        try:
            password = staff_admin.create_account(
                actor_id=user.id,
                office_id=user.office_id,
                username=str(form_data.get("username", "")),
                display_name=str(form_data.get("display_name", "")),
                role=str(form_data.get("role", "")),
                hours=str(form_data.get("weekly_hours", "39")),
            )
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self.notice = f"Konto „{form_data.get('username')}“ angelegt. Erstes Passwort: {password}"
        self._reload()
        return None

    @rx.event
    @require_role(*ADMIN_ROLES)
    def unlock(self, user_id: int):
        self.notice = ""
        try:
            staff_admin.unlock(acting_user().id, acting_user().office_id, user_id)
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self._reload()
        return rx.toast.success("Sperre aufgehoben.")

    @rx.event
    @require_role(*ADMIN_ROLES)
    def toggle_active(self, user_id: int, active: bool):
        self.notice = ""
        try:
            staff_admin.set_active(acting_user().id, acting_user().office_id, user_id, not active)
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self._reload()
        return None

    @rx.event
    @require_role(*ADMIN_ROLES)
    def reset_password(self, user_id: int, username: str):
        try:
            password = staff_admin.reset_password(acting_user().id, acting_user().office_id, user_id)
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self.notice = f"Neues Passwort für „{username}“: {password}"
        return None
