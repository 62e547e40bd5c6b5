"""Ämter der Stadt: the city admin's list of offices, the office this session acts for, a new office."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.services.city.offices import KIND_NAMES_DE
from workstation.state.auth import AuthState
from workstation.state.city import CityState

_SELECT_STYLE = {"height": "2rem", "padding": "0 0.5rem"}


def _field(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=control_id), control, spacing="1")


def _row(office: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(office["name"]),
        rx.table.cell(office["code"]),
        rx.table.cell(office["kind_de"]),
        rx.table.cell(office["services"]),
        rx.table.cell(office["counters"]),
        rx.table.cell(office["staff"]),
        rx.table.cell(
            rx.cond(office["id"] == CityState.acting_office_id,
                    rx.badge("aktuelles Amt", color_scheme="green"),
                    rx.button("Zu diesem Amt wechseln", size="1", variant="soft",
                              on_click=CityState.switch_office(office["id"])))
        ),
    )


def _office_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
            "Amt", "Behördenkennzahl", "Art", "Dienstleistungen", "Schalter", "Konten", "Handeln für")])),
        rx.table.body(rx.foreach(CityState.offices, _row)),
        variant="surface",
        width="100%",
    )


def _create_form() -> rx.Component:
    return rx.card(
        rx.heading("Neues Amt", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.form(
            rx.hstack(
                _field("Name", "office-name", rx.input(id="office-name", name="name", required=True)),
                _field("Behördenkennzahl", "office-code",
                       rx.input(id="office-code", name="code", required=True, max_length=4, width="6rem")),
                _field("Stadt", "office-city", rx.input(id="office-city", name="city", required=True)),
                _field("Art", "office-kind", rx.el.select(
                    *[rx.el.option(label, value=value) for value, label in KIND_NAMES_DE.items()],
                    id="office-kind", name="kind", style=_SELECT_STYLE)),
                _field("Öffnungszeiten", "office-hours", rx.input(id="office-hours", name="opening_hours")),
                _field("Katalog kopieren von", "office-copy", rx.el.select(
                    rx.el.option("(leerer Katalog)", value=""),
                    rx.foreach(CityState.offices, lambda o: rx.el.option(o["name"], value=o["id"].to_string())),
                    id="office-copy", name="copy_from", style=_SELECT_STYLE)),
                rx.button("Amt anlegen", type="submit"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=CityState.create_office,
            reset_on_submit=True,
        ),
        width="100%",
    )


@rx.page(route=routes.CITY, title="Ämter der Stadt – Bürgerbüro", on_load=[AuthState.guard_page, CityState.load])
def city_page() -> rx.Component:
    """The city's offices; the city admin switches the office its session acts for."""
    return page_shell(
        "Ämter der Stadt",
        rx.callout(rx.text("Sie handeln für: ", rx.text.strong(CityState.acting_office_name),
                           ". Controlling und Verwaltung zeigen dieses Amt."), icon="building-2", role="status",
                   width="100%"),
        _office_table(),
        _create_form(),
    )
