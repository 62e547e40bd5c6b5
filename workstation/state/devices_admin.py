"""State of the Geräte page: the office's lobby devices, their pairing codes and revocation (team lead, admin)."""

from typing import Any

import reflex as rx

from workstation import clock, routes
from workstation.models import Role
from workstation.services.lobby import devices
from workstation.services.lobby.devices import DeviceError, DeviceRow, Pairing
from workstation.state.auth import AuthState, acting_user, require_role

DEVICE_ROLES = (Role.TEAM_LEAD, Role.ADMIN)


class DevicesState(AuthState):
    """The device list and the pairing code just issued (shown once)."""

    device_rows: list[DeviceRow] = []
    pairing_code: str = ""
    pairing_link: str = ""
    pairing_notice: str = ""

    def _reload(self) -> None:
        self.device_rows = devices.list_devices(acting_user().office_id)

    def _show(self, pairing: Pairing, name: str) -> None:
        origin = self.router.url.origin if self.router.url else ""
        self.pairing_code = pairing.code
        self.pairing_link = f"{origin}{routes.DEVICE_PAIR}?code={pairing.code}"
        until = clock.to_local(pairing.expires_at).strftime("%H:%M")
        self.pairing_notice = f"Kopplungscode für „{name}“ (einmal gültig bis {until} Uhr):"

    @rx.event
    @require_role(*DEVICE_ROLES)
    def load(self):
        self.pairing_code = self.pairing_link = self.pairing_notice = ""
        self._reload()

    @rx.event
    @require_role(*DEVICE_ROLES)
    def create(self, form_data: dict[str, Any]):
        """A new device and its first pairing code."""
        user = acting_user()
        name = str(form_data.get("name", ""))
        try:
            pairing = devices.create_device(
                user.office_id,
                str(form_data.get("kind", "")),
                name,
                user.id,
                rows=int(form_data.get("rows") or 8),
                orientation=str(form_data.get("orientation", "landscape")),
            )
        except (DeviceError, ValueError) as err:
            return rx.toast.error(str(err) if isinstance(err, DeviceError) else "Bitte die Zeilenzahl wählen.")
        self._show(pairing, name.strip())
        self._reload()
        return None

    @rx.event
    @require_role(*DEVICE_ROLES)
    def new_code(self, device_id: int, name: str):
        """A fresh pairing code (e.g. for a replaced browser); the old token stops when it is used."""
        user = acting_user()
        try:
            pairing = devices.new_pairing_code(int(device_id), user.office_id, user.id)
        except DeviceError as err:
            return rx.toast.error(str(err))
        self._show(pairing, name)
        self._reload()
        return None

    @rx.event
    @require_role(*DEVICE_ROLES)
    def revoke(self, device_id: int):
        """Cut a device off at once."""
        user = acting_user()
        try:
            devices.revoke(int(device_id), user.office_id, user.id)
        except DeviceError as err:
            return rx.toast.error(str(err))
        self.pairing_code = self.pairing_link = self.pairing_notice = ""
        self._reload()
        return rx.toast.success("Gerät gesperrt. Es zeigt nur noch die Kopplungsseite.")
