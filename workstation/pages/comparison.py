"""Vergleich: the offices' KGSt-style key figures side by side, a year against the year before."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.state.auth import AuthState
from workstation.state.comparison import ComparisonState


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Kennzahl"),
            rx.foreach(ComparisonState.office_names, lambda name: rx.table.column_header_cell(name)),
        )),
        rx.table.body(rx.foreach(ComparisonState.rows, lambda row: rx.table.row(
            rx.table.row_header_cell(row["label"]),
            rx.foreach(row["cells"].to(list[str]), lambda cell: rx.table.cell(cell)),
        ))),
        variant="surface",
        width="100%",
        aria_label="Kennzahlen der Ämter im Vergleich",
    )


@rx.page(route=routes.COMPARISON, title="Vergleich der Ämter – Bürgerbüro",
         on_load=[AuthState.guard_page, ComparisonState.load])
def comparison_page() -> rx.Component:
    """Key figures of the city's offices next to each other, exportable for the KGSt comparison ring."""
    return page_shell(
        "Vergleich der Ämter",
        rx.hstack(
            rx.el.label("Jahr", html_for="cmp-year"),
            rx.el.select(rx.foreach(ComparisonState.years, lambda y: rx.el.option(y, value=y)),
                         id="cmp-year", value=ComparisonState.year, on_change=ComparisonState.set_year,
                         style={"height": "2rem", "padding": "0 0.5rem"}),
            rx.text(ComparisonState.span_label, size="2", color="var(--gray-11)"),
            align="center",
            spacing="3",
        ),
        _table(),
        actions=rx.hstack(
            rx.button(rx.icon("file-text", size=16, aria_hidden="true"), "CSV exportieren",
                      on_click=ComparisonState.download_csv, variant="soft"),
            rx.button(rx.icon("sheet", size=16, aria_hidden="true"), "Excel exportieren",
                      on_click=ComparisonState.download_excel, variant="soft"),
            spacing="2",
        ),
    )
