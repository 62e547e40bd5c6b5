"""Login page (German), and the root route that sends each role to its start page."""

import reflex as rx

from workstation import routes
from workstation.state.auth import AuthState


@rx.page(route=routes.LOGIN, title="Anmelden – Bürgerbüro")
def login_page() -> rx.Component:
    """Username and password; a wrong entry shows the German message as an alert."""
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("landmark", size=28, aria_hidden="true"),
                              rx.heading("Bürgerbüro Workstation", size="6", as_="h1"), align="center"),
                    rx.text("Bitte melden Sie sich mit Ihrem Dienstkonto an.", color_scheme="gray"),
                    rx.cond(
                        AuthState.login_error != "",
                        rx.callout(AuthState.login_error, icon="triangle-alert", color_scheme="red", role="alert",
                                   width="100%"),
                    ),
                    rx.el.label("Benutzername", html_for="username", font_weight="500"),
                    rx.input(id="username", name="username", auto_complete="username", required=True,
                             auto_focus=True, size="3", width="100%"),
                    rx.el.label("Passwort", html_for="password", font_weight="500"),
                    rx.input(id="password", name="password", type="password", auto_complete="current-password",
                             required=True, size="3", width="100%"),
                    rx.button("Anmelden", type="submit", size="3", width="100%"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=AuthState.login,
                reset_on_submit=False,
            ),
            size="4",
            width="26rem",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


@rx.page(route=routes.HOME, title="Bürgerbüro Workstation", on_load=AuthState.go_home)
def home_page() -> rx.Component:
    """Nothing to show: on_load redirects to the login or the role's start page."""
    return rx.center(rx.spinner(size="3"), min_height="100vh", aria_label="Wird geladen")
