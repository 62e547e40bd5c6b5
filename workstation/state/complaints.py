"""State of the complaints register (reception, team lead, admin)."""

from datetime import date
from typing import Any

import reflex as rx

from workstation import clock
from workstation.models import Role
from workstation.services.lobby import feedback
from workstation.services.lobby.feedback import ComplaintRow, FeedbackError
from workstation.state.auth import AuthState, acting_user, require_role

COMPLAINT_ROLES = (Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN)


class ComplaintsState(AuthState):
    """The register and the complaint whose outcome is being entered."""

    complaints: list[ComplaintRow] = []
    today: str = ""
    editing_id: int = 0
    editing_topic: str = ""

    def _reload(self) -> None:
        self.complaints = feedback.list_complaints(acting_user().office_id)

    @rx.event
    @require_role(*COMPLAINT_ROLES)
    def load(self):
        self.today = clock.to_local(clock.now()).date().isoformat()
        self.editing_id, self.editing_topic = 0, ""
        self._reload()

    @rx.event
    @require_role(*COMPLAINT_ROLES)
    def add(self, form_data: dict[str, Any]):
        """Record a complaint."""
        user = acting_user()
        try:
            received = date.fromisoformat(str(form_data.get("received_on", "")))
        except ValueError:
            return rx.toast.error("Bitte das Eingangsdatum angeben (TT.MM.JJJJ).")
        try:
            feedback.record_complaint(
                user.office_id,
                received,
                str(form_data.get("area", "")),
                str(form_data.get("channel", "")),
                str(form_data.get("topic", "")),
                str(form_data.get("outcome", "")),
                user.id,
            )
        except FeedbackError as err:
            return rx.toast.error(str(err))
        self._reload()
        return rx.toast.success("Beschwerde erfasst.")

    @rx.event
    @require_role(*COMPLAINT_ROLES)
    def edit(self, complaint_id: int, topic: str):
        """Choose the complaint whose outcome is entered next."""
        self.editing_id, self.editing_topic = int(complaint_id), topic

    @rx.event
    @require_role(*COMPLAINT_ROLES)
    def save_outcome(self, form_data: dict[str, Any]):
        """Note what became of the chosen complaint."""
        user = acting_user()
        try:
            feedback.set_outcome(self.editing_id, user.office_id, str(form_data.get("outcome", "")), user.id)
        except FeedbackError as err:
            return rx.toast.error(str(err))
        self.editing_id, self.editing_topic = 0, ""
        self._reload()
        return rx.toast.success("Ergebnis gespeichert.")
