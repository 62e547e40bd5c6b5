"""The task detail dialog of the back-office list: facts, outcome, status, hand-over, attachments, history.

Split from the page module because it is the largest part of the page and a unit of its own: it opens over
the list (`BackofficeState.open_task`) and only reads and changes the one task shown.
"""

import reflex as rx

from workstation.components.backoffice_staff_select import staff_select
from workstation.models import TaskStatus
from workstation.services.backoffice.attachments import ALLOWED_LABEL
from workstation.state.backoffice import BackofficeState

S = BackofficeState


def _fact(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _detail_actions() -> rx.Component:
    status_button = {
        TaskStatus.IN_PROGRESS: "In Bearbeitung",
        TaskStatus.WAITING: "Wartet auf Antwort",
    }
    return rx.cond(
        S.may_change,
        rx.vstack(
            rx.el.label("Ergebnis", html_for="task-outcome", font_weight="500"),
            rx.text_area(
                id="task-outcome",
                value=S.outcome,
                on_change=S.set_outcome,
                rows="3",
                width="100%",
                placeholder="Was wurde getan oder festgestellt?",
            ),
            rx.hstack(
                rx.button("Ergebnis speichern", variant="soft", on_click=S.save_outcome),
                rx.cond(
                    S.detail_done,
                    rx.button("Wieder öffnen", variant="outline", on_click=S.change_status(TaskStatus.IN_PROGRESS)),
                    rx.fragment(
                        *[
                            rx.cond(
                                S.detail["status"] != status.value,
                                rx.button(label, variant="outline", on_click=S.change_status(status)),
                            )
                            for status, label in status_button.items()
                        ],
                        rx.button("Abschließen", color_scheme="green", on_click=S.change_status(TaskStatus.DONE)),
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(
                ~S.detail_done,
                rx.hstack(
                    staff_select(S.handover_to, S.set_handover_to, "Übergeben an"),
                    rx.input(
                        placeholder="Grund (optional)",
                        aria_label="Grund der Übergabe",
                        value=S.handover_note,
                        on_change=S.set_handover_note,
                        width="14rem",
                    ),
                    rx.button("Übergeben", variant="outline", on_click=S.hand_over),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
            ),
            rx.upload(
                rx.text(f"Anhang hinzufügen: Datei hierher ziehen oder klicken ({ALLOWED_LABEL})", size="2"),
                id="task_files",
                on_drop=S.upload_attachment(rx.upload_files(upload_id="task_files")),
                border="1px dashed var(--gray-7)",
                padding="0.75rem",
                width="100%",
                aria_label="Anhang hochladen",
            ),
            spacing="2",
            width="100%",
        ),
        rx.cond(
            ~S.detail_done,
            rx.hstack(
                rx.text(
                    rx.cond(
                        S.detail["assignee"] == "niemand",
                        "Diese Aufgabe ist frei.",
                        "Bearbeitet von " + S.detail["assignee"].to(str) + ".",
                    ),
                    color_scheme="gray",
                ),
                rx.cond(S.detail["assignee"] == "niemand", rx.button("Übernehmen", on_click=S.claim(S.detail_id))),
                align="center",
            ),
        ),
    )


def task_detail_dialog() -> rx.Component:
    """The open task in a dialog over the list (`BackofficeState.detail_open`)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.detail["title"]),
            rx.dialog.description(S.detail["type_label"], " · Status: ", S.detail["status_label"]),
            rx.scroll_area(
                rx.vstack(
                    rx.data_list.root(
                        _fact("Bezug", S.detail["reference"]),
                        _fact(
                            "Fällig",
                            rx.hstack(
                                S.detail["due"],
                                rx.cond(S.detail["overdue"] != "", rx.badge("überfällig", color_scheme="red")),
                            ),
                        ),
                        _fact("Priorität", S.detail["priority_label"]),
                        _fact("Zuständig", S.detail["assignee"]),
                        _fact("Angelegt", S.detail["created_at"] + " von " + S.detail["created_by"].to(str)),
                        rx.cond(S.detail["closed_at"] != "", _fact("Abgeschlossen", S.detail["closed_at"])),
                    ),
                    rx.cond(
                        S.detail["description"] != "",
                        rx.text(S.detail["description"], white_space="pre-wrap", size="2"),
                    ),
                    rx.cond(~S.may_change & (S.outcome != ""), rx.text("Ergebnis: ", S.outcome, size="2")),
                    _detail_actions(),
                    rx.heading("Anhänge", size="3", as_="h3"),
                    rx.cond(S.files.length() == 0, rx.text("Keine Anhänge.", size="2", color_scheme="gray")),
                    rx.foreach(
                        S.files,
                        lambda f: rx.hstack(
                            rx.button(
                                rx.icon("download", size=14, aria_hidden="true"),
                                f["name"],
                                variant="ghost",
                                on_click=S.download_attachment(f["id"]),
                            ),
                            rx.text(f["size"], " · ", f["by"], " · ", f["at"], size="1", color_scheme="gray"),
                            align="center",
                        ),
                    ),
                    rx.heading("Verlauf", size="3", as_="h3"),
                    rx.el.ol(
                        rx.foreach(
                            S.history,
                            lambda h: rx.el.li(
                                rx.text(h["at"], " · ", h["who"], " · ", rx.text.strong(h["what"]), size="2"),
                                rx.cond(h["detail"] != "", rx.text(h["detail"], size="2", color_scheme="gray")),
                                margin_bottom="0.4rem",
                            ),
                        ),
                        aria_label="Verlauf",
                        style={"listStyle": "none", "paddingLeft": 0},
                    ),
                    spacing="3",
                    width="100%",
                    padding_right="0.75rem",
                ),
                max_height="70vh",
                type="auto",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Schließen", variant="soft", color_scheme="gray")),
                justify="end",
                margin_top="0.75rem",
            ),
            max_width="46rem",
        ),
        open=S.detail_open,
        on_open_change=S.set_detail_open,
    )
