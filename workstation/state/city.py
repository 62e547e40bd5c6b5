"""The city admin's page: the city's offices, switching the office the session acts for, a new office."""

from typing import Any

import reflex as rx

from workstation.models import Role
from workstation.services.city import offices
from workstation.services.staff import auth
from workstation.services.staff.auth import SessionUser
from workstation.state.auth import AuthState, acting_user, require_role


class CityState(AuthState):
    """The list of offices and which of them this session acts for."""

    offices: list[dict[str, Any]] = []
    acting_office_id: int = 0
    acting_office_name: str = ""

    def _reload(self, user: SessionUser) -> None:
        self.offices = [dict(row.__dict__) for row in offices.list_offices()]
        self.acting_office_id = user.office_id
        self.acting_office_name = next((o["name"] for o in self.offices if o["id"] == user.office_id), "")

    @rx.event
    @require_role(Role.CITY_ADMIN)
    def load(self):
        """on_load: every office of the installation."""
        self._reload(acting_user())

    @rx.event
    @require_role(Role.CITY_ADMIN)
    def switch_office(self, office_id: int):
        """Act for another office: its controlling, staff accounts and figures (every other role keeps its own)."""
        try:
            user = auth.switch_office(self.session_token, int(office_id))
        except auth.LoginError as err:
            return rx.toast.error(err.message)
        self._reload(user)
        return rx.toast.success(f"Sie handeln jetzt für {self.acting_office_name}.")

    @rx.event
    @require_role(Role.CITY_ADMIN)
    def create_office(self, form_data: dict[str, Any]):
        """A new office with a copy of another office's catalogue."""
        source = str(form_data.get("copy_from") or "")
        try:
            offices.create_office(
                actor_id=acting_user().id, code=str(form_data.get("code", "")), name=str(form_data.get("name", "")),
                city=str(form_data.get("city", "")), kind=str(form_data.get("kind", "")),
                opening_hours=str(form_data.get("opening_hours", "")),
                copy_catalogue_from=int(source) if source.isdigit() else None,
            )
        except offices.OfficeError as err:
            return rx.toast.error(str(err))
        self._reload(acting_user())
        return rx.toast.success(f"Amt „{str(form_data.get('name', '')).strip()}“ angelegt.")
