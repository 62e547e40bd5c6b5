"""Check-in-Terminal: scan the booking's QR code (or type the code) and get a ticket number."""

import reflex as rx

from workstation import routes
from workstation.components.kiosk import kiosk_page, language_button
from workstation.state.checkin_terminal import CODE_INPUT_ID, CheckinTerminalState

T = CheckinTerminalState.texts


def _answer() -> rx.Component:
    return rx.cond(
        CheckinTerminalState.answer_text != "",
        rx.callout.root(
            rx.vstack(
                rx.cond(
                    CheckinTerminalState.ticket != "",
                    rx.vstack(
                        rx.text(T["your_number"], size="5"),
                        rx.text(CheckinTerminalState.ticket, class_name="kiosk-ticket", data_testid="ticket"),
                        spacing="1",
                        align="center",
                        width="100%",
                    ),
                ),
                rx.callout.text(CheckinTerminalState.answer_text, size="5"),
                width="100%",
            ),
            color_scheme=rx.cond(CheckinTerminalState.answer_good, "green", "orange"),
            role="status",
            size="3",
        ),
    )


def _walk_in() -> rx.Component:
    return rx.cond(
        CheckinTerminalState.areas.length() > 0,
        rx.el.section(
            rx.heading(T["walk_in"], size="5", as_="h2", margin_bottom="0.5rem"),
            rx.flex(
                rx.foreach(
                    CheckinTerminalState.areas,
                    lambda a: rx.button(
                        a["label"], size="3", variant="outline", on_click=CheckinTerminalState.draw(a["area"])
                    ),
                ),
                spacing="3",
                wrap="wrap",
            ),
            aria_label=T["walk_in"],
        ),
    )


@rx.page(route=routes.TERMINAL_CHECKIN, title="Check-in – Bürgerbüro", on_load=CheckinTerminalState.load)
def checkin_terminal_page() -> rx.Component:
    """A focused field that takes a scanner's code plus Enter."""
    return kiosk_page(
        rx.hstack(
            rx.heading(T["title"], size="8", as_="h1"),
            rx.spacer(),
            language_button(T["language"], CheckinTerminalState.toggle_language, CheckinTerminalState.lang),
            align="center",
            width="100%",
        ),
        rx.text(T["intro"], size="5"),
        rx.form(
            rx.vstack(
                rx.el.label(T["label"], html_for=CODE_INPUT_ID, font_weight="500", font_size="1.25rem"),
                rx.hstack(
                    rx.input(
                        id=CODE_INPUT_ID,
                        name="code",
                        size="3",
                        auto_focus=True,
                        auto_complete="off",
                        max_length=40,
                        width="100%",
                    ),
                    rx.button(T["button"], type="submit", size="3"),
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=CheckinTerminalState.scan,
            reset_on_submit=True,
        ),
        _answer(),
        _walk_in(),
        lang=CheckinTerminalState.lang,
    )
