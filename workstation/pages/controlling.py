"""Controlling: trends of the stored daily figures, key figures against last year, exports."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.components.satisfaction_panel import satisfaction_panel
from workstation.services.metrics.report import AREA_LABELS, LABELS
from workstation.state.auth import AuthState
from workstation.state.controlling import GRAIN_LABELS, ControllingState

_SELECT_STYLE = {"height": "2rem", "padding": "0 0.5rem"}


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=control_id), control, spacing="1")


def _select(control_id: str, value: rx.Var, on_change, options: list[tuple[str, str]],
            extra: rx.Component | None = None) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(text, value=key) for key, text in options],
        *([extra] if extra is not None else []),
        id=control_id, value=value, on_change=on_change, style=_SELECT_STYLE,
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.hstack(
            _labelled("Von", "ctl-first", rx.input(id="ctl-first", type="date", value=ControllingState.first,
                                                   on_change=ControllingState.set_first)),
            _labelled("Bis", "ctl-last", rx.input(id="ctl-last", type="date", value=ControllingState.last,
                                                  on_change=ControllingState.set_last)),
            _labelled("Zeiteinheit", "ctl-grain", _select("ctl-grain", ControllingState.grain,
                                                          ControllingState.set_grain, list(GRAIN_LABELS.items()))),
            _labelled("Bereich", "ctl-area", _select("ctl-area", ControllingState.area, ControllingState.set_area,
                                                     [("", "Ganze Dienststelle"), *AREA_LABELS.items()])),
            _labelled("Dienstleistung", "ctl-service", _select(
                "ctl-service", ControllingState.service, ControllingState.set_service, [("", "Alle")],
                rx.foreach(ControllingState.services, lambda s: rx.el.option(s["name"], value=s["code"])))),
            _labelled("Kennzahl", "ctl-metric", _select(
                "ctl-metric", ControllingState.metric, ControllingState.set_metric,
                [(key, label) for key, (label, _unit) in LABELS.items()])),
            spacing="4",
            wrap="wrap",
            align="end",
        ),
        width="100%",
    )


def _key_figure(fig: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(fig["label"], size="2", color="var(--gray-11)"),
            rx.text(fig["value"], size="6", weight="bold"),
            rx.text("Vorjahr: ", fig["previous"], " ", fig["change"], size="1", color="var(--gray-11)"),
            spacing="1",
        ),
    )


def _chart() -> rx.Component:
    return rx.card(
        rx.heading(ControllingState.metric_label, " – Verlauf und Vorjahr", size="4", as_="h2"),
        rx.recharts.line_chart(
            rx.recharts.line(data_key="value", name="Zeitraum", stroke="var(--accent-9)", stroke_width=2,
                             connect_nulls=True),
            rx.recharts.line(data_key="previous", name="Vorjahr", stroke="var(--gray-9)", stroke_dasharray="5 5",
                             connect_nulls=True),
            rx.recharts.x_axis(data_key="label"),
            rx.recharts.y_axis(),
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.graphing_tooltip(),
            rx.recharts.legend(),
            data=ControllingState.chart,
            width="100%",
            height=320,
        ),
        width="100%",
    )


def _table() -> rx.Component:
    return rx.el.section(
        rx.heading("Werte je Zeitraum", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Zeitraum", "Wert", "Vorjahr")])),
            rx.table.body(rx.foreach(ControllingState.rows, lambda r: rx.table.row(
                rx.table.row_header_cell(r["label"]), rx.table.cell(r["value"]), rx.table.cell(r["previous"])))),
            variant="surface",
            width="100%",
        ),
        aria_label="Werte je Zeitraum",
        width="100%",
    )


@rx.page(route=routes.CONTROLLING, title="Controlling – Bürgerbüro",
         on_load=[AuthState.guard_page, ControllingState.load])
def controlling_page() -> rx.Component:
    """Daily figures as trends, key figures and exports for team leads and controlling."""
    return page_shell(
        "Controlling: Kennzahlen",
        _filters(),
        rx.cond(ControllingState.notice != "",
                rx.callout(ControllingState.notice, icon="info", role="status", width="100%")),
        rx.heading("Kennzahlen im Zeitraum", size="4", as_="h2"),
        rx.grid(rx.foreach(ControllingState.figures, _key_figure), columns="4", spacing="3", width="100%"),
        _chart(),
        _table(),
        satisfaction_panel(ControllingState.satisfaction_overall, ControllingState.complaints_rate,
                           ControllingState.satisfaction_groups),
        actions=rx.hstack(
            rx.button(rx.icon("file-text", size=16, aria_hidden="true"), "CSV exportieren",
                      on_click=ControllingState.download_csv, variant="soft"),
            rx.button(rx.icon("sheet", size=16, aria_hidden="true"), "Excel exportieren",
                      on_click=ControllingState.download_excel, variant="soft"),
            spacing="2",
        ),
    )
