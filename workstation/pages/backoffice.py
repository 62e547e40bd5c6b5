"""The back-office task list ("Nacharbeit"): filters, "Meine Aufgaben", claim, detail, bulk assignment, import."""

import reflex as rx

from workstation import routes
from workstation.components.backoffice_csv_import import import_dialog
from workstation.components.backoffice_new_task import new_task_dialog
from workstation.components.backoffice_staff_select import staff_select
from workstation.components.backoffice_task_detail import task_detail_dialog
from workstation.components.layout import page_shell
from workstation.components.pager import pager
from workstation.components.workday_switch import customer_waiting_notice, workday_switch
from workstation.models import WorkMode
from workstation.state.auth import AuthState
from workstation.state.backoffice import BackofficeState
from workstation.state.backoffice_views import DUE_OPTIONS, MINE, NOBODY, SORT_OPTIONS, STATUS_OPTIONS, TYPE_OPTIONS
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
        staff_select(
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
            staff_select(S.bulk_target, S.set_bulk_target, "Zuweisen an"),
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
        pager(S.range_label, S.has_previous_page, S.has_next_page, S.previous_page, S.next_page, "Aufgabenliste"),
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
        width="100%",
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
        task_detail_dialog(),
        actions=rx.hstack(
            workday_switch(WorkMode.QUEUE),
            import_dialog(),
            new_task_dialog(),
            rx.icon_button(
                rx.icon("refresh-cw", size=16), variant="soft", on_click=S.refresh, aria_label="Aktualisieren"
            ),
            spacing="2",
        ),
    )
