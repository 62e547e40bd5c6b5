"""The back-office task list ("Nacharbeit"): filters, "Meine Aufgaben", claim, detail, bulk assignment, import."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.components.workday_switch import customer_waiting_notice, workday_switch
from workstation.models import TaskPriority, TaskStatus, TaskType, WorkMode
from workstation.services.attachments import ALLOWED_LABEL
from workstation.state.auth import AuthState
from workstation.state.backoffice import (
    DUE_OPTIONS,
    MINE,
    NOBODY,
    PRIORITY_OPTIONS,
    SORT_OPTIONS,
    STATUS_OPTIONS,
    TYPE_OPTIONS,
    BackofficeState,
)
from workstation.state.workday import WorkdayState

S = BackofficeState
_PRIORITY_COLOURS = {"urgent": "red", "high": "orange", "normal": "gray", "low": "gray"}
_STATUS_COLOURS = {"open": "blue", "in_progress": "amber", "waiting": "violet", "done": "green"}


def _select(options: list[dict], value, on_change, label: str, width: str = "11rem") -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width=width),
        rx.select.content(*[rx.select.item(o["label"], value=o["value"]) for o in options]),
        value=value,
        on_change=on_change,
    )


def _staff_select(value, on_change, label: str, extra: list[dict] | None = None) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, placeholder="Person wählen", width="12rem"),
        rx.select.content(
            *[rx.select.item(o["label"], value=o["value"]) for o in (extra or [])],
            rx.foreach(S.staff, lambda p: rx.select.item(p["name"], value=p["id"])),
        ),
        value=value,
        on_change=on_change,
    )


def _counts() -> rx.Component:
    def figure(label: str, key: str, colour: str) -> rx.Component:
        return rx.badge(label, ": ", S.counts[key], color_scheme=colour, size="2", variant="soft")

    return rx.hstack(
        figure("Offen", "open", "blue"),
        figure("Überfällig", "overdue", "red"),
        figure("Heute fällig", "due_today", "amber"),
        figure("Heute erledigt", "done_today", "green"),
        spacing="2",
        wrap="wrap",
        aria_label="Kennzahlen der Nacharbeit",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("user-check", size=16, aria_hidden="true"),
            "Meine Aufgaben",
            variant=rx.cond(S.assignee_filter == MINE, "solid", "outline"),
            aria_pressed=rx.cond(S.assignee_filter == MINE, "true", "false"),
            on_click=S.toggle_mine,
        ),
        _select(TYPE_OPTIONS, S.type_filter, S.set_type_filter, "Art"),
        _select(STATUS_OPTIONS, S.status_filter, S.set_status_filter, "Status"),
        _staff_select(
            S.assignee_filter,
            S.set_assignee_filter,
            "Zuständig",
            extra=[
                {"value": "alle", "label": "Alle Zuständigen"},
                {"value": MINE, "label": "Ich"},
                {"value": NOBODY, "label": "Niemand (frei)"},
            ],
        ),
        _select(DUE_OPTIONS, S.due_filter, S.set_due_filter, "Fälligkeit"),
        _select(SORT_OPTIONS, S.sort, S.set_sort, "Sortierung"),
        rx.input(
            placeholder="Titel oder Bezug suchen",
            aria_label="Suche",
            type="search",
            on_change=S.set_search.debounce(300),
            width="14rem",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _bulk_bar() -> rx.Component:
    return rx.cond(
        S.lead,
        rx.hstack(
            rx.text(S.selected_ids.length(), " ausgewählt", color_scheme="gray"),
            _staff_select(S.bulk_target, S.set_bulk_target, "Zuweisen an"),
            rx.button(
                "Zuweisen",
                on_click=S.assign_selected,
                disabled=S.selected_ids.length() == 0,
            ),
            align="center",
            spacing="2",
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.cond(
            S.lead,
            rx.table.cell(
                rx.checkbox(
                    checked=S.selected_ids.contains(row["id"]),
                    on_change=lambda checked: S.toggle_selected(row["id"], checked),
                    aria_label="Auswählen: " + row["title"].to(str),
                )
            ),
        ),
        rx.table.cell(row["type_label"]),
        rx.table.cell(
            rx.link(row["title"], on_click=S.open_task(row["id"]), cursor="pointer", weight="medium"),
            rx.cond(row["reference"] != "", rx.text(row["reference"], size="1", color_scheme="gray")),
        ),
        rx.table.cell(
            rx.hstack(
                rx.text(
                    row["due"],
                    color=rx.cond(row["overdue"], "var(--red-11)", "inherit"),
                    weight=rx.cond(row["overdue"], "bold", "regular"),
                ),
                rx.cond(row["overdue"], rx.badge("überfällig", color_scheme="red")),
                rx.cond(row["due_today"], rx.badge("heute", color_scheme="amber")),
                spacing="1",
                align="center",
            )
        ),
        rx.table.cell(
            rx.badge(row["priority_label"], color_scheme=rx.match(row["priority"], *_PRIORITY_COLOURS.items(), "gray"))
        ),
        rx.table.cell(
            rx.badge(
                row["status_label"],
                color_scheme=rx.match(row["status"], *_STATUS_COLOURS.items(), "gray"),
                variant="soft",
            )
        ),
        rx.table.cell(rx.cond(row["unassigned"], rx.text("—", color_scheme="gray"), row["assignee"])),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    row["unassigned"],
                    rx.button(
                        "Übernehmen",
                        size="1",
                        on_click=S.claim(row["id"]),
                        aria_label="Übernehmen: " + row["title"].to(str),
                    ),
                ),
                rx.button(
                    "Öffnen",
                    size="1",
                    variant="soft",
                    on_click=S.open_task(row["id"]),
                    aria_label="Öffnen: " + row["title"].to(str),
                ),
                spacing="1",
            )
        ),
        background=rx.cond(row["overdue"], "var(--red-2)", "transparent"),
        data_overdue=rx.cond(row["overdue"], "true", "false"),
    )


def _table() -> rx.Component:
    headers = ["Art", "Aufgabe", "Fällig", "Priorität", "Status", "Zuständig", ""]
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.cond(
                        S.lead,
                        rx.table.column_header_cell(
                            rx.checkbox(
                                checked=(S.selected_ids.length() > 0) & (S.selected_ids.length() == S.rows.length()),
                                on_change=S.toggle_all,
                                aria_label="Alle angezeigten Aufgaben auswählen",
                            )
                        ),
                    ),
                    *[rx.table.column_header_cell(h) for h in headers],
                )
            ),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            variant="surface",
            aria_label="Aufgaben",
        ),
        rx.cond(S.rows.length() == 0, rx.text("Keine Aufgaben für diese Auswahl.", color_scheme="gray")),
        rx.cond(
            S.total > S.rows.length(),
            rx.text(
                S.rows.length(),
                " von ",
                S.total,
                " Aufgaben angezeigt – bitte Auswahl eingrenzen.",
                color_scheme="gray",
                size="2",
            ),
        ),
        width="100%",
    )


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
                    _staff_select(S.handover_to, S.set_handover_to, "Übergeben an"),
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


def _detail() -> rx.Component:
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


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=control_id, font_weight="500"), control, spacing="1", width="100%")


def _form_select(options: list[dict], name: str, control_id: str, default: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=control_id, width="100%"),
        rx.select.content(*[rx.select.item(o["label"], value=o["value"]) for o in options]),
        name=name,
        default_value=default,
    )


def _new_task_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus", size=16, aria_hidden="true"), "Neue Aufgabe")),
        rx.dialog.content(
            rx.dialog.title("Neue Aufgabe"),
            rx.form(
                rx.vstack(
                    rx.el.input(type="hidden", name="form_token", value=S.new_form_token),
                    _labelled(
                        "Art",
                        "new-type",
                        _form_select(TYPE_OPTIONS[1:], "task_type", "new-type", TaskType.CITIZEN_EMAIL),
                    ),
                    _labelled(
                        "Titel", "new-title", rx.input(id="new-title", name="title", required=True, width="100%")
                    ),
                    _labelled(
                        "Bezug (Aktenzeichen, Kennzeichen, Seriennummer)",
                        "new-reference",
                        rx.input(id="new-reference", name="reference", width="100%"),
                    ),
                    _labelled("Fällig am", "new-due", rx.input(id="new-due", name="due_date", type="date")),
                    _labelled(
                        "Priorität",
                        "new-priority",
                        _form_select(PRIORITY_OPTIONS, "priority", "new-priority", TaskPriority.NORMAL),
                    ),
                    _labelled(
                        "Beschreibung",
                        "new-description",
                        rx.text_area(id="new-description", name="description", rows="3", width="100%"),
                    ),
                    rx.hstack(
                        rx.dialog.close(rx.button("Abbrechen", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Anlegen", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.create_task,
                reset_on_submit=True,
            ),
            max_width="32rem",
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )


def _import_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("file-up", size=16, aria_hidden="true"), "CSV-Import", variant="outline")),
        rx.dialog.content(
            rx.dialog.title("Behördenanfragen importieren"),
            rx.dialog.description(
                "CSV mit Semikolon: behoerde; aktenzeichen; art; bezug; frist; prioritaet; beschreibung. "
                "Jede Zeile wird geprüft; bei Fehlern wird zunächst nichts importiert."
            ),
            rx.vstack(
                rx.upload(
                    rx.text("CSV-Datei hierher ziehen oder klicken", size="2"),
                    id="import_file",
                    multiple=False,
                    accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                    on_drop=S.upload_import(rx.upload_files(upload_id="import_file")),
                    border="1px dashed var(--gray-7)",
                    padding="1rem",
                    width="100%",
                    aria_label="CSV-Datei hochladen",
                ),
                rx.cond(
                    S.import_summary != "",
                    rx.callout(
                        S.import_summary,
                        icon=rx.cond(S.import_done, "circle-check", "info"),
                        color_scheme=rx.cond(S.import_done, "green", "amber"),
                        role="status",
                        width="100%",
                    ),
                ),
                rx.cond(
                    S.import_rejected.length() > 0,
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(rx.table.column_header_cell("Zeile"), rx.table.column_header_cell("Grund"))
                        ),
                        rx.table.body(
                            rx.foreach(
                                S.import_rejected,
                                lambda r: rx.table.row(rx.table.cell(r["line"]), rx.table.cell(r["reason"])),
                            )
                        ),
                        aria_label="Abgelehnte Zeilen",
                        size="1",
                        width="100%",
                    ),
                ),
                rx.hstack(
                    rx.cond(
                        S.import_can_partial,
                        rx.button(
                            "Nur gültige Zeilen importieren", color_scheme="amber", on_click=S.import_valid_lines
                        ),
                    ),
                    rx.dialog.close(rx.button("Schließen", variant="soft", color_scheme="gray")),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="0.75rem",
            ),
            max_width="44rem",
        ),
        open=S.import_open,
        on_open_change=S.set_import_open,
    )


@rx.page(
    route=routes.BACKOFFICE,
    title="Nacharbeit – Bürgerbüro",
    on_load=[AuthState.guard_page, WorkdayState.load_workday, BackofficeState.load],
)
def backoffice_page() -> rx.Component:
    """The afternoon's task list."""
    return page_shell(
        "Nacharbeit",
        customer_waiting_notice(),
        _counts(),
        _filters(),
        _bulk_bar(),
        _table(),
        _detail(),
        actions=rx.hstack(
            workday_switch(WorkMode.QUEUE),
            _import_dialog(),
            _new_task_dialog(),
            rx.icon_button(
                rx.icon("refresh-cw", size=16), variant="soft", on_click=S.refresh, aria_label="Aktualisieren"
            ),
            spacing="2",
        ),
    )
