"""The button that switches an advisor's workstation between the queue and the back-office list by hand."""

import reflex as rx

from workstation.models import Role, WorkMode
from workstation.state.workday import WorkdayState

_TARGET = {
    WorkMode.QUEUE: ("Zur Warteschlange", "users"),
    WorkMode.BACKOFFICE: ("Zur Nacharbeit", "list-todo"),
}


def workday_switch(target: WorkMode) -> rx.Component:
    """A button to the other mode, shown to advisors; the tooltip says why the current mode was chosen.

    Args:
        target: the mode the button switches to (QUEUE on the task list, BACKOFFICE on the counter page).
    """
    label, icon = _TARGET[target]
    return rx.cond(
        WorkdayState.user_role == Role.ADVISOR,
        rx.tooltip(
            rx.button(
                rx.icon(icon, size=16, aria_hidden="true"),
                label,
                variant="outline",
                on_click=WorkdayState.switch_to(target.value),
            ),
            content=rx.cond(WorkdayState.work_manual, "Von Hand gewählt", WorkdayState.work_reason),
        ),
    )


def customer_waiting_notice() -> rx.Component:
    """On the task list: tells an advisor that someone is waiting in their queue, with the way back."""
    return rx.cond(
        (WorkdayState.user_role == Role.ADVISOR) & WorkdayState.work_customer_waiting,
        rx.callout(
            rx.hstack(
                rx.text("Kundschaft wartet in Ihrer Warteschlange."),
                rx.button("Zur Warteschlange", size="1", on_click=WorkdayState.switch_to(WorkMode.QUEUE.value)),
                align="center",
                spacing="3",
            ),
            icon="bell-ring",
            color_scheme="amber",
            role="status",
            width="100%",
        ),
    )
