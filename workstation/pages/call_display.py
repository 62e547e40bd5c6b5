"""Aufrufanzeige: the waiting room's screen of the latest calls (ticket number and counter, never a name)."""

import reflex as rx

from workstation import routes
from workstation.services.lobby.call_board import CallRow
from workstation.state.call_display import CallDisplayState


def _row(row: CallRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row.ticket),
        rx.el.td(row.counter),
        class_name=rx.cond(row.key == CallDisplayState.highlight, "call-new", ""),
        key=row.key,
        data_ticket=row.ticket,
    )


@rx.page(route=routes.TERMINAL_DISPLAY, title="Aufrufe – Bürgerbüro", on_load=CallDisplayState.load)
def call_display_page() -> rx.Component:
    """6, 8 or 10 rows, landscape or portrait (set per device on the Geräte page)."""
    return rx.el.main(
        rx.script(src="/lobby.js"),
        rx.el.audio(id="lobby-gong", src="/gong.wav", preload="auto"),
        rx.el.h1("Aufrufe ", rx.el.span("/ Calls", lang="en")),
        rx.el.table(
            rx.el.caption("Die letzten Aufrufe: Nummer und Schalter", class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th("Nummer ", rx.el.span("/ Number", lang="en"), scope="col"),
                    rx.el.th("Schalter ", rx.el.span("/ Counter", lang="en"), scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(CallDisplayState.rows, _row), aria_live="polite"),
            class_name="call-table",
        ),
        rx.cond(
            ~CallDisplayState.sound_on,
            rx.button(
                "Ton an", id="sound-on", size="3", class_name="call-sound", on_click=CallDisplayState.turn_sound_on
            ),
        ),
        class_name=rx.cond(CallDisplayState.portrait, "call-display call-portrait", "call-display")
        + " call-rows-"
        + CallDisplayState.max_rows.to_string(),
        lang="de",
    )
