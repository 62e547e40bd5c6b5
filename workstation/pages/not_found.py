"""The page for addresses that do not exist (Reflex's 404 route), in German."""

import reflex as rx

from workstation import routes


@rx.page(route="404", title="Seite nicht gefunden – Bürgerbüro")
def not_found_page() -> rx.Component:
    """Says what happened and offers the way back; the start page sends each role (or the login) on."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("landmark", size=26, aria_hidden="true"),
                    rx.heading("Seite nicht gefunden", size="6", as_="h1"),
                    align="center",
                ),
                rx.text("Diese Adresse gibt es in der Bürgerbüro Workstation nicht (Fehler 404). "
                        "Vielleicht hat sich ein Tippfehler eingeschlichen oder der Link ist veraltet."),
                rx.link("Zur Startseite", href=routes.HOME, weight="medium"),
                spacing="4",
            ),
            size="4",
            width="30rem",
            max_width="95vw",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )
