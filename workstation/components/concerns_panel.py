"""The pre-loaded concerns panel: what the advisor knows before the person sits down."""

import reflex as rx

from workstation.services.queue.panel import ConcernsPanel, PanelHistory, PanelPickup, PanelPlate, PanelService

_PLATE_COLORS = {"assigned": "green", "reserved": "blue", "expired": "red"}


def _section(title: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(rx.heading(title, size="3", as_="h3", margin_bottom="0.25rem"), *children,
                         aria_label=title, width="100%")


def _service_row(service: PanelService) -> rx.Component:
    return rx.table.row(
        rx.table.cell(service.name),
        rx.table.cell(service.minutes.to_string() + " min", text_align="right"),
    )


def _plate(plate: PanelPlate) -> rx.Component:
    return rx.hstack(
        rx.code(plate.plate, size="3", weight="bold"),
        rx.badge(plate.status_label, color_scheme=rx.match(plate.status, *_PLATE_COLORS.items(), "gray")),
        rx.text(plate.detail, size="1", color_scheme="gray"),
        align="center",
    )


def _pickup(doc: PanelPickup) -> rx.Component:
    return rx.text(doc.label + " (" + doc.number + "), liegt seit " + doc.since + " bereit", size="2")


def _history(item: PanelHistory) -> rx.Component:
    return rx.text(item.day + ": " + item.services + " – " + item.outcome, size="2")


def concerns_panel(panel: ConcernsPanel, *, heading: str, actions: rx.Component) -> rx.Component:
    """The person in focus with every concern, documents, plates, pickups and history."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(heading, size="1", color_scheme="gray"),
                    rx.heading(panel.name, size="6", as_="h2"),
                    spacing="0",
                ),
                rx.spacer(),
                rx.badge(panel.kind_label, size="2"),
                rx.cond(panel.ticket != "", rx.badge("Nr. " + panel.ticket, size="2", variant="outline")),
                rx.cond(panel.slot != "", rx.badge("Termin " + panel.slot, size="2", variant="outline")),
                rx.cond(panel.arrived != "", rx.badge("da seit " + panel.arrived, size="2", variant="outline")),
                rx.badge(panel.status_label, size="2", color_scheme="gray"),
                align="center",
                width="100%",
            ),
            rx.cond(panel.batch_size > 0, rx.text(panel.batch_size.to_string() + " Vorgänge im Stapel",
                                                  weight="medium")),
            _section(
                "Anliegen",
                rx.table.root(
                    rx.table.body(
                        rx.foreach(panel.services, _service_row),
                        rx.table.row(
                            rx.table.row_header_cell("Geplant gesamt"),
                            rx.table.cell(panel.total_minutes.to_string() + " min", text_align="right",
                                          font_weight="bold"),
                        ),
                    ),
                    size="1",
                    width="100%",
                ),
            ),
            rx.cond(
                panel.documents.length() > 0,
                _section("Mitzubringen",
                         rx.vstack(rx.foreach(panel.documents,
                                              lambda doc: rx.checkbox(doc, size="2")), spacing="1")),
            ),
            rx.cond(panel.booking_note != "",
                    _section("Notiz aus der Buchung", rx.text(panel.booking_note, size="2"))),
            rx.cond(panel.desk_note != "", _section("Notiz am Schalter", rx.text(panel.desk_note, size="2"))),
            rx.cond(panel.plates.length() > 0,
                    _section("Wunschkennzeichen", rx.vstack(rx.foreach(panel.plates, _plate), spacing="1"))),
            rx.cond(panel.pickup.length() > 0,
                    _section("Liegt zur Abholung bereit", rx.vstack(rx.foreach(panel.pickup, _pickup), spacing="1"))),
            _section("Besuche der letzten 12 Monate",
                     rx.cond(panel.history.length() > 0, rx.vstack(rx.foreach(panel.history, _history), spacing="1"),
                             rx.text("Keine.", size="2", color_scheme="gray"))),
            actions,
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
