"""The dialog "CSV-Import" of the back-office list: authority requests from a CSV file, with the rejected lines.

Split from the page module: a self-contained dialog behind a header button (rules: docs/backoffice-import.md).
"""

import reflex as rx

from workstation.state.backoffice_import import TaskImportState

S = TaskImportState


def import_dialog() -> rx.Component:
    """Header button and dialog: upload, the check's summary and rejected lines, partial import."""
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
