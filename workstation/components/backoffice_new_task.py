"""The dialog "Neue Aufgabe" of the back-office list: a task entered by hand.

Split from the page module: a self-contained form behind a header button, with its own small form helpers.
"""

import reflex as rx

from workstation.models import TaskPriority, TaskType
from workstation.state.backoffice import BackofficeState
from workstation.state.backoffice_views import PRIORITY_OPTIONS, TYPE_OPTIONS

S = BackofficeState


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=control_id, font_weight="500"), control, spacing="1", width="100%")


def _form_select(options: list[dict], name: str, control_id: str, default: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=control_id, width="100%"),
        rx.select.content(*[rx.select.item(o["label"], value=o["value"]) for o in options]),
        name=name,
        default_value=default,
    )


def new_task_dialog() -> rx.Component:
    """Header button and form; a fresh form token per opening stops double submits."""
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus", size=16, aria_hidden="true"), "Neue Aufgabe")),
        rx.dialog.content(
            rx.dialog.title("Neue Aufgabe"),
            rx.form(
                rx.vstack(
                    rx.el.input(type="hidden", name="form_token", value=S.new_form_token),
                    _labelled(
                        "Art",
                        "new-type",
                        _form_select(TYPE_OPTIONS[1:], "task_type", "new-type", TaskType.CITIZEN_EMAIL),
                    ),
                    _labelled(
                        "Titel", "new-title", rx.input(id="new-title", name="title", required=True, width="100%")
                    ),
                    _labelled(
                        "Bezug (Aktenzeichen, Kennzeichen, Seriennummer)",
                        "new-reference",
                        rx.input(id="new-reference", name="reference", width="100%"),
                    ),
                    _labelled("Fällig am", "new-due", rx.input(id="new-due", name="due_date", type="date")),
                    _labelled(
                        "Priorität",
                        "new-priority",
                        _form_select(PRIORITY_OPTIONS, "priority", "new-priority", TaskPriority.NORMAL),
                    ),
                    _labelled(
                        "Beschreibung",
                        "new-description",
                        rx.text_area(id="new-description", name="description", rows="3", width="100%"),
                    ),
                    rx.hstack(
                        rx.dialog.close(rx.button("Abbrechen", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Anlegen", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.create_task,
                reset_on_submit=True,
            ),
            max_width="32rem",
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )
