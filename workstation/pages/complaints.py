"""Beschwerden: the complaints register (date, area, channel, topic, outcome)."""

import reflex as rx

from workstation import routes
from workstation.components.data_table import data_table
from workstation.components.layout import page_shell
from workstation.services.lobby.feedback import AREA_LABELS, CHANNELS, ComplaintRow
from workstation.state.auth import AuthState
from workstation.state.complaints import ComplaintsState

_SELECT_STYLE = {"height": "2rem", "padding": "0 0.5rem"}


def _field(label: str, field_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=field_id), control, spacing="1")


def _form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.hstack(
                _field(
                    "Eingang am",
                    "complaint-date",
                    rx.input(
                        id="complaint-date",
                        name="received_on",
                        type="date",
                        default_value=ComplaintsState.today,
                        required=True,
                    ),
                ),
                _field(
                    "Bereich",
                    "complaint-area",
                    rx.el.select(
                        rx.el.option("allgemein", value=""),
                        *[rx.el.option(label, value=value) for value, label in AREA_LABELS.items()],
                        id="complaint-area",
                        name="area",
                        style=_SELECT_STYLE,
                    ),
                ),
                _field(
                    "Eingangsweg",
                    "complaint-channel",
                    rx.el.select(
                        *[rx.el.option(label, value=value) for value, label in CHANNELS.items()],
                        id="complaint-channel",
                        name="channel",
                        default_value="email",
                        style=_SELECT_STYLE,
                    ),
                ),
                _field(
                    "Thema",
                    "complaint-topic",
                    rx.input(id="complaint-topic", name="topic", required=True, max_length=200, width="20rem"),
                ),
                _field(
                    "Ergebnis (falls schon bekannt)",
                    "complaint-outcome",
                    rx.input(id="complaint-outcome", name="outcome", max_length=500, width="16rem"),
                ),
                rx.button("Beschwerde erfassen", type="submit"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=ComplaintsState.add,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _outcome_form() -> rx.Component:
    return rx.cond(
        ComplaintsState.editing_id > 0,
        rx.card(
            rx.form(
                rx.hstack(
                    _field(
                        "Ergebnis zu „" + ComplaintsState.editing_topic + "“",
                        "complaint-new-outcome",
                        rx.input(
                            id="complaint-new-outcome", name="outcome", required=True, max_length=500, width="30rem"
                        ),
                    ),
                    rx.button("Ergebnis speichern", type="submit"),
                    align="end",
                ),
                on_submit=ComplaintsState.save_outcome,
                reset_on_submit=True,
            ),
            width="100%",
        ),
    )


def _row(row: ComplaintRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.received),
        rx.table.cell(row.area),
        rx.table.cell(row.channel),
        rx.table.cell(row.topic),
        rx.table.cell(row.outcome),
        rx.table.cell(
            rx.button("Ergebnis eintragen", size="1", variant="soft", on_click=ComplaintsState.edit(row.id, row.topic))
        ),
    )


@rx.page(
    route=routes.COMPLAINTS, title="Beschwerden – Bürgerbüro", on_load=[AuthState.guard_page, ComplaintsState.load]
)
def complaints_page() -> rx.Component:
    """Record complaints that reach the office; the controlling figures count them per 1,000 contacts."""
    return page_shell(
        "Beschwerden",
        _form(),
        _outcome_form(),
        data_table("Beschwerderegister", ("Eingang", "Bereich", "Eingangsweg", "Thema", "Ergebnis"),
                   ComplaintsState.complaints, _row, action_header="Aktion", empty="Noch keine Beschwerden erfasst."),
    )
