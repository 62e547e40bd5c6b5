"""The person picker of the back-office task list: filter by assignee, bulk assignment and hand-over.

Its own module because both the list page and the task detail dialog use it.
"""

import reflex as rx

from workstation.state.backoffice import BackofficeState

S = BackofficeState


def staff_select(value, on_change, label: str, extra: list[dict] | None = None) -> rx.Component:
    """A select of the office's back-office staff; `extra` choices come before the people."""
    return rx.select.root(
        rx.select.trigger(aria_label=label, placeholder="Person wählen", width="12rem"),
        rx.select.content(
            *[rx.select.item(o["label"], value=o["value"]) for o in (extra or [])],
            rx.foreach(S.staff, lambda p: rx.select.item(p["name"], value=p["id"])),
        ),
        value=value,
        on_change=on_change,
    )
