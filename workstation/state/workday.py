"""Where an advisor's workstation belongs: the queue (counter page) or the back-office list.

An advisor lands on the page of the current mode at login (`state.auth.start_page`). The counter
page calls `WorkdayState.follow_workday` in its on_load (and whenever its live view wakes up): after
the appointments or from 13:00 it sends an advisor to the task list. The switch
button (`components/workday_switch.py`) is the advisor's hand-made choice; it holds until the next
automatic change (see `services/workday.py`).
"""

import reflex as rx

from workstation import routes
from workstation.models import Role
from workstation.services.queue import workday
from workstation.state.auth import AuthState, acting_user, require_role

WORKSTATION_ROLES = (Role.ADVISOR, Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN)


class WorkdayState(AuthState):
    """The advisor's current mode and why, for the switch button's label and hint."""

    work_mode: str = ""
    work_reason: str = ""
    work_manual: bool = False
    work_customer_waiting: bool = False

    def _remember(self, state: workday.WorkdayState) -> None:
        self.work_mode, self.work_reason, self.work_manual = state.mode, state.reason, state.manual
        self.work_customer_waiting = state.customer_waiting

    @rx.event
    @require_role(*WORKSTATION_ROLES)
    def follow_workday(self):
        """Send an advisor to the page of the current mode if they are elsewhere (on_load of the counter page)."""
        user = acting_user()
        state = workday.workday_state(user.id)
        self._remember(state)
        target = routes.WORK_MODE_ROUTES[state.mode]
        if user.role == Role.ADVISOR and target != routes.normalize(self.router.url.path):
            return rx.redirect(target)
        return None

    @rx.event
    @require_role(*WORKSTATION_ROLES)
    def load_workday(self):
        """Read the mode for the switch button without moving anyone (on_load of the task list)."""
        self._remember(workday.workday_state(acting_user().id))

    @rx.event
    @require_role(*WORKSTATION_ROLES)
    def switch_to(self, mode: str):
        """The switch button: choose queue or back office by hand and go to its page."""
        state = workday.switch_mode(acting_user().id, mode)
        self._remember(state)
        return rx.redirect(routes.WORK_MODE_ROUTES[state.mode])
