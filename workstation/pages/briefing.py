"""Briefing board for the 07:45 team briefing: desk view, wall-screen presentation and a one-page print."""

import reflex as rx

from workstation import routes
from workstation.components import briefing_charts
from workstation.components.briefing_notes import note_body
from workstation.components.briefing_print import PRINT_CSS, print_summary
from workstation.components.briefing_wall import presentation
from workstation.components.layout import page_shell
from workstation.state.auth import AuthState
from workstation.state.briefing import BriefingState

S = BriefingState


# ---------- desk view ----------


def _card(card: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(card["label"], size="2", color_scheme="gray", weight="medium"),
            rx.text(card["value"], size="6", weight="bold", white_space="nowrap"),
            rx.cond(card["hint"] != "", rx.text(card["hint"], size="1", color_scheme="gray")),
            spacing="1",
        ),
        role="group",
        aria_label=card["label"],
    )


def _cards(cards: rx.Var) -> rx.Component:
    return rx.grid(
        rx.foreach(cards, _card), columns="repeat(auto-fit, minmax(8.5rem, 1fr))", gap="0.75rem", width="100%"
    )


def _list_or(items: rx.Var, empty: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.el.ul(rx.foreach(items, lambda line: rx.el.li(line)), padding_left="1.2rem", margin="0"),
        rx.text(empty, color_scheme="gray", size="2"),
    )


def _standouts() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Auffällig", size="3", as_="h3"),
            rx.text("Längste Wartezeiten (über 15 Min.)", weight="medium", size="2"),
            _list_or(S.longest_waits, "Niemand wartete länger als 15 Min."),
            rx.text("Deutlich über der geplanten Zeit", weight="medium", size="2"),
            _list_or(S.overruns, "Keine Vorgänge deutlich über Plan."),
            rx.text("Geschlossene Schalter", weight="medium", size="2"),
            rx.text(S.closed_counters, size="2"),
            spacing="2",
        ),
        width="100%",
    )


def _review_section() -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.hstack(
                rx.heading(S.review_title, size="5", as_="h2"),
                rx.text(S.source, size="1", color_scheme="gray"),
                align="baseline",
                spacing="3",
                wrap="wrap",
            ),
            _cards(S.yesterday_cards),
            rx.grid(
                rx.card(
                    rx.heading("Kontakte nach Bereich", size="3", as_="h3"),
                    briefing_charts.served_by_area_chart(S.served_chart),
                ),
                _standouts(),
                columns=rx.breakpoints(initial="1", lg="2"),
                gap="0.75rem",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        aria_label="Rückblick",
        width="100%",
    )


def _table(caption: str, headers: list[str], rows: rx.Var, cells: list[str], empty: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.el.caption(caption, class_name="sr-only"),
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*[rx.table.cell(r[c]) for c in cells]))),
            size="1",
            width="100%",
        ),
        rx.text(empty, color_scheme="gray", size="2"),
    )


def _today_section() -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(S.today_title, size="5", as_="h2"),
            _cards(S.today_cards),
            rx.grid(
                rx.card(
                    rx.heading("Termine je Stunde und Bereich", size="3", as_="h3"),
                    rx.text(
                        "Balken: gebuchte Termine · Linien: nötige und besetzte Schalter", size="1", color_scheme="gray"
                    ),
                    briefing_charts.hours_chart(S.hours_chart),
                    grid_column=rx.breakpoints(initial="auto", lg="span 2"),
                ),
                rx.card(
                    rx.heading("Händler-Stapel", size="3", as_="h3"),
                    rx.box(
                        _table(
                            "Händler-Stapel",
                            ["Uhrzeit", "Händler", "Vorgänge"],
                            S.dealer_batches,
                            ["time", "dealer", "size"],
                            "Heute keine Händler-Stapel.",
                        ),
                        max_height="21rem",
                        overflow_y="auto",
                        # a scrolling box must be reachable by keyboard (Tab, then the arrow keys)
                        tab_index=0,
                        role="region",
                        aria_label="Händler-Stapel, scrollbar",
                    ),
                ),
                columns=rx.breakpoints(initial="1", lg="3"),
                align_items="start",
                gap="0.75rem",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        aria_label="Heute",
        width="100%",
    )


def _desk(desk: rx.Var) -> rx.Component:
    staffed = desk["open"] != ""
    return rx.box(
        rx.text(desk["desk"], size="1", color_scheme="gray"),
        rx.text(
            desk["staff"],
            size="2",
            weight=rx.cond(staffed, "medium", "regular"),
            color=rx.cond(staffed, "var(--gray-12)", "var(--red-11)"),
        ),
        padding="0.35rem 0.5rem",
        border_radius="var(--radius-2)",
        background=rx.cond(staffed, "var(--gray-2)", "var(--red-2)"),
        role="listitem",
    )


def _staffing_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Besetzung heute", size="3", as_="h3"),
            rx.cond(
                S.desks.length() > 0,
                rx.grid(
                    rx.foreach(S.desks, _desk),
                    columns="repeat(auto-fill, minmax(9.5rem, 1fr))",
                    gap="0.4rem",
                    width="100%",
                    role="list",
                    aria_label="Besetzung heute",
                ),
                rx.text("Noch keine Besetzung geplant.", color_scheme="gray", size="2"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _note_actions(note: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.cond(note["pinned"], "Lösen", "Anheften"),
            size="1",
            variant="soft",
            on_click=S.toggle_pin(note["id"], note["pinned"]),
        ),
        rx.cond(
            note["open_question"],
            rx.button(
                "Beantworten", size="1", variant="soft", color_scheme="green", on_click=S.start_answer(note["id"])
            ),
        ),
        rx.button("Zurückziehen", size="1", variant="soft", color_scheme="red", on_click=S.withdraw_note(note["id"])),
        spacing="2",
    )


def _answer_form(note: rx.Var) -> rx.Component:
    return rx.cond(
        S.answering_id == note["id"],
        rx.vstack(
            rx.el.label("Antwort", html_for="answer-text", font_weight="500", font_size="0.875rem"),
            rx.text_area(id="answer-text", value=S.answer_text, on_change=S.set_answer_text, width="100%", rows="3"),
            rx.cond(S.answer_error != "", rx.text(S.answer_error, color_scheme="red", size="2", role="alert")),
            rx.hstack(
                rx.button("Antwort speichern", size="1", on_click=S.save_answer),
                rx.button("Abbrechen", size="1", variant="soft", color_scheme="gray", on_click=S.cancel_answer),
            ),
            width="100%",
        ),
    )


def _note_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Neue Notiz", size="3", as_="h3"),
            rx.segmented_control.root(
                rx.segmented_control.item("Neuigkeit", value="news"),
                rx.segmented_control.item("Frage", value="question"),
                value=S.note_kind,
                on_change=S.set_note_kind,
                aria_label="Art der Notiz",
            ),
            rx.el.label("Text (Markdown)", html_for="note-body", font_weight="500", font_size="0.875rem"),
            rx.text_area(
                id="note-body",
                name="body",
                rows="3",
                width="100%",
                placeholder="z. B. **Ab heute:** Kinderreisepässe nur noch …",
            ),
            rx.hstack(
                rx.vstack(
                    rx.el.label(
                        "Anzeigen bis einschließlich", html_for="note-expires", font_weight="500", font_size="0.875rem"
                    ),
                    rx.input(id="note-expires", name="expires", type="date"),
                    spacing="1",
                ),
                rx.el.label(
                    rx.checkbox(name="pinned", id="note-pinned"),  # a Radix checkbox is a button: name it by id
                    "Anheften",
                    html_for="note-pinned",
                    display="flex",
                    gap="0.4rem",
                    align_items="center",
                    font_size="0.875rem",
                ),
                align="end",
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(S.note_error != "", rx.text(S.note_error, color_scheme="red", size="2", role="alert")),
            rx.button("Notiz speichern", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.add_note,
        reset_on_submit=False,
        width="100%",
    )


def _notes_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Neuigkeiten und offene Fragen", size="3", as_="h3"),
            rx.cond(
                S.notes.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.notes,
                        lambda note: rx.box(
                            note_body(note),
                            _note_actions(note),
                            _answer_form(note),
                            role="article",
                            padding_y="0.6rem",
                            border_top="1px solid var(--gray-4)",
                            width="100%",
                        ),
                    ),
                    spacing="0",
                    width="100%",
                ),
                rx.text("Keine aktuellen Notizen.", color_scheme="gray", size="2"),
            ),
            rx.divider(),
            _note_form(),
            spacing="3",
            width="100%",
        ),
        role="region",
        aria_label="Neuigkeiten und offene Fragen",
        width="100%",
    )


def _desk_view() -> rx.Component:
    actions = rx.hstack(
        rx.button(rx.icon("refresh-cw", size=16, aria_hidden="true"), "Aktualisieren", variant="soft", on_click=S.load),
        rx.button(
            rx.icon("printer", size=16, aria_hidden="true"),
            "Drucken",
            variant="soft",
            on_click=rx.call_script("window.print()"),
        ),
        rx.button(
            rx.icon("presentation", size=16, aria_hidden="true"), "Präsentation", on_click=S.set_presenting(True)
        ),
        spacing="2",
        class_name="bb-screen",
    )
    return page_shell(
        "Briefing",
        rx.box(
            rx.cond(
                S.loaded,
                rx.vstack(
                    _review_section(),
                    _today_section(),
                    rx.grid(
                        _notes_card(),
                        _staffing_card(),
                        columns=rx.breakpoints(initial="1", lg="2"),
                        gap="0.75rem",
                        width="100%",
                        align_items="start",
                    ),
                    spacing="5",
                    width="100%",
                ),
                rx.hstack(rx.spinner(size="3"), rx.text("Zahlen werden geladen …"), align="center"),
            ),
            class_name="bb-screen",
            width="100%",
        ),
        print_summary(),
        actions=actions,
    )


@rx.page(route=routes.BRIEFING, title="Briefing – Bürgerbüro", on_load=[AuthState.guard_page, BriefingState.load])
def briefing_page() -> rx.Component:
    """The board; "Präsentation" swaps the shell for the wall-screen layout on the same route."""
    return rx.fragment(
        rx.el.style(PRINT_CSS),
        rx.cond(S.presenting, presentation(), _desk_view()),
    )
