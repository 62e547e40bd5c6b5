"""The briefing board as a wall-screen presentation: dark, large type, everything on one screen.

The briefing page shows the same figures three ways (desk view, wall screen, print); this module holds the
wall-screen layout so the page module stays at the desk view. The page swaps it in with "Präsentation".
"""

import reflex as rx

from workstation.components import briefing_charts
from workstation.components.briefing_notes import note_body
from workstation.state.briefing import BriefingState

S = BriefingState

WALL_BG = "#0B1016"
WALL_PANEL = "#151D27"
WALL_INK = "#F5F7FA"
WALL_MUTED = "#B8C2CE"
WALL_NOTES = 4
"""Notes on the wall screen: one row, so that the whole board fits a 1920×1080 screen."""


def _wall_card(card: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(card["label"], font_size="1rem", color=WALL_MUTED),
        rx.text(
            card["value"],
            font_size="2rem",
            font_weight="800",
            line_height="1.15",
            color=WALL_INK,
            white_space="nowrap",
        ),
        rx.cond(card["hint"] != "", rx.text(card["hint"], font_size="0.9rem", color=WALL_MUTED)),
        background=WALL_PANEL,
        border_radius="10px",
        padding="0.45rem 0.8rem",
        role="group",
        aria_label=card["label"],
    )


def _wall_cards(cards: rx.Var, columns: int = 4) -> rx.Component:
    return rx.grid(rx.foreach(cards, _wall_card), columns=str(columns), gap="0.6rem")


def _wall_heading(text) -> rx.Component:
    return rx.heading(text, as_="h2", font_size="1.55rem", color=WALL_INK, margin_bottom="0.35rem")


def _wall_panel(*children, **props) -> rx.Component:
    return rx.box(*children, background=WALL_PANEL, border_radius="10px", padding="0.75rem 1rem", **props)


def _wall_label(text: str) -> rx.Component:
    return rx.text(text, font_size="1.15rem", color=WALL_MUTED)


def _wall_list(title: str, items: rx.Var, empty: str) -> rx.Component:
    return rx.box(
        _wall_label(title),
        rx.cond(
            items.length() > 0,
            rx.foreach(items, lambda line: rx.text(line, font_size="1rem", color=WALL_INK)),
            rx.text(empty, font_size="1rem", color=WALL_INK),
        ),
        margin_bottom="0.5rem",
    )


def presentation() -> rx.Component:
    """The whole board for the wall screen, with a button back to the desk view."""
    return rx.box(
        rx.hstack(
            rx.heading(S.title, as_="h1", font_size="2rem", color=WALL_INK),
            rx.spacer(),
            rx.text("Esc beendet die Präsentation", font_size="1rem", color=WALL_MUTED),
            rx.el.button(
                "Präsentation beenden",
                on_click=S.set_presenting(False),
                aria_keyshortcuts="Escape",
                data_escape_action="true",
                color=WALL_INK,
                background="transparent",
                border=f"2px solid {WALL_MUTED}",
                border_radius="8px",
                padding="0.4rem 1rem",
                font_size="1.1rem",
                cursor="pointer",
            ),
            align="center",
            width="100%",
            margin_bottom="0.4rem",
        ),
        rx.grid(
            rx.box(
                _wall_heading(S.review_title),
                _wall_cards(S.yesterday_cards, columns=5),  # ten figures in two rows
                rx.grid(
                    _wall_panel(
                        _wall_label("Kontakte nach Bereich"),
                        briefing_charts.served_by_area_chart(S.served_chart, dark=True, height=220),
                    ),
                    _wall_panel(
                        _wall_list("Längste Wartezeiten", S.longest_waits, "niemand über 15 Min."),
                        _wall_list("Deutlich über Plan", S.overruns, "keine"),
                        _wall_label("Geschlossene Schalter"),
                        rx.text(S.closed_counters, font_size="1rem", color=WALL_INK),
                    ),
                    columns="9fr 16fr",
                    gap="0.6rem",
                    margin_top="0.6rem",
                ),
            ),
            rx.box(
                _wall_heading(S.today_title),
                _wall_cards(S.today_cards),
                _wall_panel(
                    _wall_label("Termine je Stunde · nötige und besetzte Schalter"),
                    briefing_charts.hours_chart(S.hours_chart, dark=True, height=280),
                    margin_top="0.6rem",
                ),
            ),
            columns="2",
            gap="2rem",
            width="100%",
        ),
        rx.box(
            _wall_heading("Neuigkeiten und offene Fragen"),
            rx.cond(
                S.notes.length() > 0,
                rx.grid(
                    # One row of notes fits the screen; the desk view and the counters list them all.
                    rx.foreach(S.notes[:WALL_NOTES], lambda note: _wall_panel(note_body(note, large=True),
                                                                              color=WALL_INK)),
                    columns=str(WALL_NOTES),
                    gap="0.6rem",
                ),
                rx.text("Keine aktuellen Notizen.", font_size="1.3rem", color=WALL_MUTED),
            ),
            rx.cond(
                S.notes.length() > WALL_NOTES,
                rx.text("und ", S.notes.length() - WALL_NOTES, " weitere am Arbeitsplatz", font_size="1rem",
                        color=WALL_MUTED, margin_top="0.4rem"),
            ),
            margin_top="0.75rem",
        ),
        class_name="bb-wall",
        background=WALL_BG,
        color=WALL_INK,
        min_height="100vh",
        padding="0.9rem 1.5rem",
        role="main",
        aria_label="Briefing-Präsentation",
    )
