"""The app shell: header with the user, navigation of the user's role, and the page content."""

import reflex as rx

from workstation import routes
from workstation.config import settings
from workstation.state.auth import AuthState

ROLE_LABELS = {
    "advisor": "Kundenberatung",
    "reception": "Empfang",
    "pickup": "Dokumentenausgabe",
    "team_lead": "Teamleitung",
    "controlling": "Controlling",
    "admin": "Verwaltung",
}


def _role_label() -> rx.Var:
    return rx.match(AuthState.user_role, *ROLE_LABELS.items(), "")


def _nav_link(item: routes.NavItem) -> rx.Component:
    return rx.cond(
        AuthState.nav_routes.contains(item.route),
        rx.link(
            rx.hstack(rx.icon(item.icon, size=18, aria_hidden="true"), rx.text(item.label), align="center"),
            href=item.route,
            underline="none",
            padding_x="0.75rem",
            padding_y="0.5rem",
            border_radius="var(--radius-2)",
            color=rx.cond(
                AuthState.router.url.path == item.route, "var(--accent-11)", "var(--gray-12)"
            ),
            background=rx.cond(AuthState.router.url.path == item.route, "var(--accent-3)", "transparent"),
            _hover={"background": "var(--gray-3)"},
            width="100%",
        ),
    )


def navigation() -> rx.Component:
    """Side navigation; only the entries of the logged-in role are rendered."""
    return rx.el.nav(
        rx.vstack(*[_nav_link(item) for item in routes.NAV], spacing="1", width="100%"),
        aria_label="Hauptnavigation",
        width="13rem",
        min_width="13rem",
        padding="0.75rem",
        border_right="1px solid var(--gray-5)",
        background="var(--gray-2)",
        min_height="calc(100vh - 3.5rem)",  # and as tall as the content: the row stretches it
        class_name="no-print",
    )


def _demo_clock_hint() -> list[rx.Component]:
    """A badge while `make run` runs the demo office on the demo clock (outside the demo day's morning)."""
    if not settings().demo_clock_on:
        return []
    hint = "Die Uhr dieser Demo startete um 07:55 Uhr des Demo-Tages (WORKSTATION_DEMO_CLOCK=off: echte Uhr)"
    return [rx.badge("Demo-Uhr", color_scheme="amber", variant="surface", title=hint)]


def header() -> rx.Component:
    """Top bar: office, logged-in person and role, logout."""
    return rx.el.header(
        rx.hstack(
            rx.hstack(
                rx.icon("landmark", size=22, aria_hidden="true"),
                # Not a heading: each page has one h1, its own title (page_shell).
                rx.text("Bürgerbüro Workstation", size="4", weight="medium"),
                align="center",
            ),
            rx.spacer(),
            *_demo_clock_hint(),
            rx.cond(
                AuthState.is_logged_in,
                rx.hstack(
                    rx.text(AuthState.user_name, weight="medium"),
                    rx.badge(_role_label(), variant="soft"),
                    rx.button(
                        rx.icon("log-out", size=16, aria_hidden="true"),
                        "Abmelden",
                        variant="soft",
                        color_scheme="gray",
                        on_click=AuthState.logout,
                    ),
                    align="center",
                    spacing="3",
                ),
            ),
            align="center",
            width="100%",
        ),
        padding_x="1.25rem",
        height="3.5rem",
        display="flex",
        align_items="center",
        border_bottom="1px solid var(--gray-5)",
        background="var(--color-panel-solid)",
        class_name="no-print",
    )


def page_shell(title: str, *children: rx.Component, actions: rx.Component | None = None) -> rx.Component:
    """A staff page: header, role navigation, a heading and the content.

    Args:
        title: German page heading (also the landmark label).
        children: the page's content.
        actions: optional controls shown right of the heading.
    """
    return rx.box(
        header(),
        rx.hstack(
            navigation(),
            rx.el.main(
                rx.vstack(
                    rx.hstack(
                        rx.heading(title, size="6", as_="h1"),
                        rx.spacer(),
                        actions or rx.fragment(),
                        align="center",
                        width="100%",
                    ),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                aria_label=title,
                padding="1.25rem",
                flex="1",
                min_width="0",
            ),
            spacing="0",
            align="stretch",  # the navigation's background runs down to the end of a long page
            width="100%",
        ),
        background="var(--gray-1)",
        min_height="100vh",
    )
