"""Gerät koppeln: the only page an unpaired or revoked lobby device sees (no login)."""

import reflex as rx

from workstation import routes
from workstation.components.kiosk import kiosk_page
from workstation.state.device import DeviceState


@rx.page(route=routes.DEVICE_PAIR, title="Gerät koppeln – Bürgerbüro", on_load=DeviceState.pair_from_link)
def device_pair_page() -> rx.Component:
    """Enter the pairing code from the Geräte page (or open the pairing link)."""
    return kiosk_page(
        rx.heading("Gerät koppeln", size="8", as_="h1"),
        rx.text(
            "Dieses Gerät ist nicht gekoppelt. Teamleitung oder Verwaltung legen es auf der Seite „Geräte“ an "
            "und erhalten einen Kopplungscode.",
            size="4",
        ),
        rx.form(
            rx.vstack(
                rx.el.label("Kopplungscode", html_for="pair-code", font_weight="500"),
                rx.input(
                    id="pair-code",
                    name="code",
                    size="3",
                    auto_complete="off",
                    placeholder="ABCD-EFGH",
                    max_length=12,
                    required=True,
                    width="100%",
                ),
                rx.button("Koppeln", type="submit", size="3", loading=DeviceState.pairing),
                spacing="2",
                width="100%",
            ),
            on_submit=DeviceState.pair_with_code,
            reset_on_submit=True,
        ),
        rx.cond(
            DeviceState.pair_error != "",
            rx.callout(DeviceState.pair_error, icon="triangle-alert", color_scheme="red", role="alert"),
        ),
    )
