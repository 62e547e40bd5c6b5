"""Paging for long lists: the count at the top ("51–100 von 9.843"), previous and next page by button.

A list of thousands of rows is neither readable nor fast in the browser; staff see one page and how
many there are in all. The buttons are real buttons with German names, so keyboards and screen
readers reach them and browser tests find them by role.
"""

import reflex as rx


def pager(label: rx.Var, has_previous: rx.Var, has_next: rx.Var, on_previous, on_next, what: str) -> rx.Component:
    """`label` is the range text from the state (e.g. "1–50 von 1.234"); `what` names the list for screen readers."""
    return rx.hstack(
        rx.text(label, role="status", aria_live="polite", weight="medium"),
        rx.spacer(),
        rx.button(rx.icon("chevron-left", size=16, aria_hidden="true"), "Vorherige Seite", variant="soft",
                  size="1", disabled=~has_previous, on_click=on_previous, aria_label=f"Vorherige Seite: {what}"),
        rx.button("Nächste Seite", rx.icon("chevron-right", size=16, aria_hidden="true"), variant="soft", size="1",
                  disabled=~has_next, on_click=on_next, aria_label=f"Nächste Seite: {what}"),
        align="center",
        width="100%",
    )
