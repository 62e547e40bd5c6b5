"""Postausgang: notices to citizens (sent, waiting, failed) and the mails of the local sink."""

import reflex as rx

from workstation import routes
from workstation.components.data_table import data_table
from workstation.components.layout import page_shell
from workstation.state.auth import AuthState
from workstation.state.outbox import STATUS_DE, OutboxState

STATUS_COLOURS = {"pending": "orange", "sent": "green", "failed": "red", "cancelled": "gray"}


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["created"]),
        rx.table.cell(row["kind_de"]),
        rx.table.cell(row["channel"]),
        rx.table.cell(row["recipient"]),
        rx.table.row_header_cell(
            rx.el.details(rx.el.summary(row["subject"]),
                          rx.el.pre(row["body"], style={"white_space": "pre-wrap", "font_size": "0.85rem"}))
        ),
        rx.table.cell(rx.badge(row["status_de"], color_scheme=rx.match(row["status"], *STATUS_COLOURS.items(),
                                                                       "gray"))),
        rx.table.cell(rx.vstack(
            rx.text(row["sent"], size="1"),
            rx.cond(row["next_attempt"] != "", rx.text("nächster Versuch " + row["next_attempt"].to(str), size="1")),
            rx.cond(row["last_error"] != "", rx.text(row["last_error"], size="1", color_scheme="red")),
            spacing="0",
        )),
        rx.table.cell(rx.cond(row["status"] == "failed",
                              rx.button("Erneut senden", size="1", variant="soft",
                                        on_click=OutboxState.retry(row["id"])))),
    )


def _sink() -> rx.Component:
    return rx.cond(
        OutboxState.embedded_sink,
        rx.vstack(
            rx.heading("Lokaler Mail-Empfang (kein Mailserver konfiguriert)", size="4", as_="h2"),
            rx.text("Ohne Mailserver gehen E-Mails an einen Mail-Empfänger auf diesem Rechner. So sehen Sie genau, "
                    "was Bürgerinnen und Bürger erhalten würden.", color_scheme="gray"),
            rx.foreach(OutboxState.sink_mails, lambda m: rx.card(
                rx.text(m["received"] + " an " + m["to"], size="1", color_scheme="gray"),
                rx.heading(m["subject"], size="3", as_="h3"),
                rx.el.pre(m["body"], style={"white_space": "pre-wrap", "font_size": "0.85rem"}),
                width="100%",
            )),
            rx.cond(OutboxState.sink_mails.length() == 0, rx.text("Noch keine E-Mails empfangen.")),
            spacing="3",
            width="100%",
        ),
    )


def _table() -> rx.Component:
    return data_table("Benachrichtigungen", ("Erstellt", "Art", "Weg", "Empfänger", "Betreff", "Status", "Versand"),
                      OutboxState.rows, _row, action_header="Aktion")


@rx.page(route=routes.OUTBOX, title="Postausgang – Bürgerbüro", on_load=[AuthState.guard_page, OutboxState.load])
def outbox_page() -> rx.Component:
    """Every notice to citizens with its delivery state."""
    return page_shell(
        "Postausgang",
        rx.hstack(
            rx.foreach(OutboxState.counts, lambda item: rx.badge(item[0] + ": " + item[1].to(str), size="2",
                                                                 variant="soft")),
            rx.spacer(),
            rx.el.label("Anzeigen", html_for="outbox-filter"),
            rx.el.select(rx.el.option("Alle", value=""),
                         *[rx.el.option(label, value=value) for value, label in STATUS_DE.items()],
                         id="outbox-filter", value=OutboxState.status_filter,
                         on_change=OutboxState.set_status_filter, style={"height": "2rem", "padding": "0 0.5rem"}),
            rx.button(rx.icon("refresh-cw", size=16, aria_hidden="true"), "Aktualisieren", variant="soft",
                      on_click=OutboxState.load),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.cond(
            OutboxState.rows.length() == 0,
            rx.text(rx.cond(OutboxState.status_filter == "", "Keine Nachrichten im Postausgang.",
                            "Keine Nachrichten mit diesem Status."), color_scheme="gray"),
            _table(),
        ),
        _sink(),
    )
