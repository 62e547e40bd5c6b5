"""Verwaltung: staff accounts (create, unlock, (de)activate, reset password) and the Löschfristen."""

import reflex as rx

from workstation import routes
from workstation.components.data_table import data_table
from workstation.components.layout import page_shell
from workstation.services.staff.admin import ROLE_NAMES_DE
from workstation.state.admin import AdminState
from workstation.state.auth import AuthState


def _row(user: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(user["display_name"]),
        rx.table.cell(user["username"]),
        rx.table.cell(user["role_de"]),
        rx.table.cell(user["weekly_hours"]),
        rx.table.cell(
            rx.cond(user["locked"], rx.badge("gesperrt", color_scheme="red"),
                    rx.cond(user["active"], rx.badge("aktiv", color_scheme="green"),
                            rx.badge("deaktiviert", color_scheme="gray")))
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(user["locked"], rx.button("Entsperren", size="1", variant="soft",
                                                  on_click=AdminState.unlock(user["id"]))),
                rx.button(rx.cond(user["active"], "Deaktivieren", "Aktivieren"), size="1", variant="soft",
                          color_scheme="gray", on_click=AdminState.toggle_active(user["id"], user["active"])),
                rx.button("Passwort zurücksetzen", size="1", variant="soft", color_scheme="gray",
                          on_click=AdminState.reset_password(user["id"], user["username"])),
                spacing="2",
            )
        ),
    )


def _create_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.hstack(
                rx.vstack(rx.el.label("Benutzername", html_for="new-username"),
                          rx.input(id="new-username", name="username", required=True)),
                rx.vstack(rx.el.label("Name", html_for="new-display-name"),
                          rx.input(id="new-display-name", name="display_name", required=True)),
                rx.vstack(
                    rx.el.label("Rolle", html_for="new-role"),
                    rx.el.select(
                        *[rx.el.option(label, value=value) for value, label in ROLE_NAMES_DE.items()],
                        id="new-role", name="role", default_value="advisor",
                        style={"height": "2rem", "padding": "0 0.5rem"},
                    ),
                ),
                rx.vstack(rx.el.label("Wochenstunden", html_for="new-weekly-hours"),
                          rx.input(id="new-weekly-hours", name="weekly_hours", default_value="39", required=True,
                                   input_mode="decimal", width="7rem")),
                rx.button("Konto anlegen", type="submit"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=AdminState.create,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _retention_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["label"], weight="medium"),
                                 rx.text(row["table"], size="1", color_scheme="gray")),
        rx.table.cell(rx.text(row["data"]), rx.text(row["purpose"], size="1", color_scheme="gray")),
        rx.table.cell(row["legal_basis"]),
        rx.table.cell(row["period"]),
        rx.table.cell(row["action"]),
    )


def _run_row(run: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(run["started"]),
        rx.table.cell(run["finished"]),
        rx.table.cell(run["state"], rx.cond(run["error"] != "", rx.text(run["error"], size="1", color_scheme="red"))),
        rx.table.cell(run["total"]),
        rx.table.cell(run["details"]),
    )


def _retention_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Löschfristen", as_="h2", size="5"),
        rx.text("Der nächtliche Löschlauf löscht oder anonymisiert personenbezogene Daten, deren Zweck erfüllt "
                "ist. Die Kennzahlen bleiben unverändert. Die Fristen sind Einstellungen "
                "(Umgebungsvariablen WORKSTATION_RETAIN_…)."),
        data_table("Löschfristen", ("Daten", "Inhalt und Zweck", "Rechtsgrundlage", "Frist", "Was geschieht"),
                   AdminState.retention_rows, _retention_row),
        rx.heading("Letzte Löschläufe", as_="h3", size="4"),
        data_table("Letzte Löschläufe", ("Beginn", "Ende", "Status", "Datensätze", "Einzelheiten"),
                   AdminState.retention_runs, _run_row, empty="Noch kein Löschlauf."),
        aria_label="Löschfristen",
        style={"display": "flex", "flexDirection": "column", "gap": "0.75rem", "width": "100%",
               "marginTop": "1.5rem"},
    )


@rx.page(route=routes.ADMIN, title="Verwaltung – Bürgerbüro", on_load=[AuthState.guard_page, AdminState.load])
def admin_page() -> rx.Component:
    """Accounts of the office for the administrator."""
    return page_shell(
        "Verwaltung: Dienstkonten",
        rx.cond(AdminState.notice != "", rx.callout(AdminState.notice, icon="info", role="status", width="100%")),
        _create_form(),
        data_table("Dienstkonten", ("Name", "Benutzername", "Rolle", "Wochenstunden", "Status", "Aktionen"),
                   AdminState.staff, _row),
        _retention_section(),
    )
