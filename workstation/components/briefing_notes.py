"""News and open questions from the briefing, as a panel for any staff page (e.g. the counter workstation).

Usage on a page: `briefing_notes_panel()`; it loads the notes itself when it appears.
"""

import reflex as rx

from workstation.state.briefing_notes import BriefingNotesState


def note_body(note: rx.Var, large: bool = False) -> rx.Component:
    """One note's kind, text (markdown), answer and author line."""
    size = "4" if large else "2"
    badge = "solid" if large else "soft"  # soft badges vanish on the dark wall screen
    return rx.vstack(
        rx.hstack(
            rx.badge(
                note["kind_label"],
                color_scheme=rx.cond(note["kind"] == "question", "orange", "blue"),
                variant="solid",
                size="2",
            ),
            rx.cond(
                note["pinned"],
                rx.badge(rx.icon("pin", size=12, aria_hidden="true"), "angeheftet", size="2", variant=badge),
            ),
            rx.cond(note["open_question"], rx.badge("offen", color_scheme="red", variant=badge, size="2")),
            rx.cond(
                note["expires"] != "",
                rx.text(note["expires"], font_size="1rem", opacity="0.8")
                if large
                else rx.text(note["expires"], size="1", color_scheme="gray"),
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.box(
            rx.markdown(note["body_md"], use_raw=False),
            font_size="1.15rem" if large else "1rem",
            class_name="bb-note-text",
        ),
        rx.cond(
            note["answer_md"] != "",
            rx.box(
                rx.text("Antwort", weight="bold", size=size),
                rx.markdown(note["answer_md"], use_raw=False),
                border_left="3px solid var(--green-9)",
                padding_left="0.75rem",
                font_size="1.1rem" if large else "1rem",
                class_name="bb-note-text",
            ),
        ),
        rx.text(note["author"], " · ", note["created"], font_size="1rem", opacity="0.8")
        if large
        else rx.text(note["author"], " · ", note["created"], size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
        align="start",
    )


def briefing_notes_panel() -> rx.Component:
    """Current notes for advisors, newest and pinned first; loads on mount."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("megaphone", size=18, aria_hidden="true"),
                rx.heading("Aus dem Briefing", size="3", as_="h2"),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("refresh-cw", size=14),
                    variant="ghost",
                    aria_label="Notizen aktualisieren",
                    on_click=BriefingNotesState.reload_notes,
                ),
                align="center",
                width="100%",
            ),
            rx.cond(
                BriefingNotesState.current_notes.length() > 0,
                rx.vstack(
                    rx.foreach(
                        BriefingNotesState.current_notes,
                        lambda note: rx.box(
                            note_body(note), padding_y="0.5rem", border_top="1px solid var(--gray-4)", width="100%"
                        ),
                    ),
                    spacing="0",
                    width="100%",
                ),
                rx.text("Keine aktuellen Neuigkeiten.", color_scheme="gray", size="2"),
            ),
            spacing="2",
            width="100%",
        ),
        role="region",
        aria_label="Aus dem Briefing",
        width="100%",
        on_mount=BriefingNotesState.load_notes,
    )
