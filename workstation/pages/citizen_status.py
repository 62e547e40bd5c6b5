"""Öffentliche Seite „Ist mein Dokument abholbereit?“ (no login; German and English)."""

import reflex as rx

from workstation import routes
from workstation.state.citizen_status import CitizenStatusState

T = CitizenStatusState.texts


@rx.page(route=routes.CITIZEN_STATUS, title="Ist mein Dokument abholbereit? – Bürgerbüro")
def citizen_status_page() -> rx.Component:
    """Serial number in, status out; nothing about the person."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("landmark", size=26, aria_hidden="true"),
                    rx.heading(T["title"], size="6", as_="h1"),
                    rx.spacer(),
                    rx.button(T["language"], variant="ghost", on_click=CitizenStatusState.toggle_language,
                              lang=rx.cond(CitizenStatusState.lang == "de", "en", "de")),
                    align="center",
                    width="100%",
                ),
                rx.text(T["intro"], color_scheme="gray"),
                rx.form(
                    rx.vstack(
                        rx.el.label(T["label"], html_for="status-serial", font_weight="500"),
                        rx.input(id="status-serial", name="serial", placeholder="L6F3R7T2K8", max_length=14,
                                 auto_complete="off", size="3", width="100%", required=True),
                        rx.button(T["button"], type="submit", size="3", loading=CitizenStatusState.busy,
                                  width="100%"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=CitizenStatusState.check,
                    reset_on_submit=False,
                ),
                rx.cond(
                    CitizenStatusState.answer_text != "",
                    rx.callout(CitizenStatusState.answer_text, role="status",
                               icon=rx.cond(CitizenStatusState.answer_ready, "circle-check", "info"),
                               color_scheme=rx.cond(CitizenStatusState.answer_ready, "green", "blue"),
                               width="100%"),
                ),
                spacing="4",
                width="100%",
            ),
            size="4",
            width="32rem",
            max_width="95vw",
        ),
        min_height="100vh",
        background="var(--gray-2)",
        lang=CitizenStatusState.lang,
    )
