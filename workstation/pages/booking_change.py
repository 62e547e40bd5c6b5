"""Öffentliche Seite „Termin absagen oder verlegen“ (opened from the link in the confirmation mail)."""

import reflex as rx

from workstation import routes
from workstation.components.booking_time import time_chooser
from workstation.pages.booking import public_frame
from workstation.state.booking_change import BookingChangeState as S

T = S.texts


def _booking() -> rx.Component:
    return rx.vstack(
        rx.el.dl(
            rx.el.dt(T["code"], font_weight="600"), rx.el.dd(S.code, margin_left="0", font_family="monospace"),
            rx.el.dt(T["when"], font_weight="600"), rx.el.dd(S.when, margin_left="0"),
            rx.el.dt(T["concerns"], font_weight="600"),
            rx.el.dd(rx.foreach(S.concerns, lambda c: rx.el.div(c)), margin_left="0"),
            rx.el.dt(T["documents"], font_weight="600"),
            rx.el.dd(rx.el.ul(rx.foreach(S.documents, lambda d: rx.el.li(d)), padding_left="1.25rem", margin="0"),
                     margin_left="0"),
        ),
        rx.cond(
            S.cancelled,
            rx.callout(T["is_cancelled"], icon="info", width="100%"),
            rx.cond(
                S.changeable,
                rx.hstack(
                    rx.button(T["cancel"], color_scheme="red", on_click=S.cancel, size="3"),
                    rx.button(T["move"], variant="outline", on_click=S.start_move, size="3"),
                    flex_wrap="wrap",
                ),
                rx.callout(S.closed_text, icon="info", width="100%"),
            ),
        ),
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.BOOKING_CHANGE, title="Termin absagen oder verlegen – Bürgerbüro", on_load=S.load)
def booking_change_page() -> rx.Component:
    """The booking behind the link, with cancel and move."""
    return public_frame(
        rx.cond(S.error != "", rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert",
                                          width="100%")),
        rx.cond(S.done_message != "", rx.callout(S.done_message, icon="circle-check", color_scheme="green",
                                                 role="status", width="100%")),
        rx.cond(S.found, _booking()),
        rx.cond(S.moving, rx.vstack(rx.heading(T["choose_new"], as_="h2", size="5"),
                                    time_chooser(S.choose_new), width="100%")),
        rx.link(T["to_booking"], href=routes.BOOKING),
        title=T["change_title"],
        state=S,
        proof_of_work=False,
    )
