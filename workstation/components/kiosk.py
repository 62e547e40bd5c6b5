"""The frame of a lobby device page: full screen, large type, no staff navigation."""

import reflex as rx


def kiosk_page(*children: rx.Component, lang: rx.Var | str = "de", class_name: str = "") -> rx.Component:
    """A device page: one main landmark, centred content, readable from a distance."""
    return rx.el.main(
        rx.vstack(*children, spacing="5", width="100%", max_width="60rem", align="stretch"),
        class_name=f"kiosk {class_name}".strip(),
        lang=lang,
    )


def language_button(label: rx.Var, on_click, lang: rx.Var) -> rx.Component:
    """Deutsch / English switch of a citizen-facing device page."""
    return rx.button(label, variant="soft", size="3", on_click=on_click, lang=rx.cond(lang == "de", "en", "de"))
