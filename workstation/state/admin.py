"""Administration page state: staff accounts."""

from typing import Any

import reflex as rx

from workstation.models import Role
from workstation.services.staff import admin as staff_admin
from workstation.state.auth import AuthState, acting_user, require_role


class AdminState(AuthState):
    """Account list and the result of the last change."""

    staff: list[dict[str, Any]] = []
    notice: str = ""

    def _reload(self) -> None:
        user = acting_user()
        self.staff = [row.__dict__ for row in staff_admin.list_staff(user.office_id)]

    @rx.event
    @require_role(Role.ADMIN)
    def load(self):
        self.notice = ""
        self._reload()

    @rx.event
    @require_role(Role.ADMIN)
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
            )
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self.notice = f"Konto „{form_data.get('username')}“ angelegt. Erstes Passwort: {password}"
        self._reload()
        return None

    @rx.event
    @require_role(Role.ADMIN)
    def unlock(self, user_id: int):
        self.notice = ""
        staff_admin.unlock(acting_user().id, user_id)
        self._reload()
        return rx.toast.success("Sperre aufgehoben.")

    @rx.event
    @require_role(Role.ADMIN)
    def toggle_active(self, user_id: int, active: bool):
        self.notice = ""
        try:
            staff_admin.set_active(acting_user().id, user_id, not active)
        except staff_admin.StaffAdminError as err:
            return rx.toast.error(str(err))
        self._reload()
        return None

    @rx.event
    @require_role(Role.ADMIN)
    def reset_password(self, user_id: int, username: str):
        password = staff_admin.reset_password(acting_user().id, user_id)
        self.notice = f"Neues Passwort für „{username}“: {password}"
        return None
