"""Satisfaction and complaints on the controlling page: one small table per breakdown."""

import reflex as rx


def _group(group: rx.Var) -> rx.Component:
    return rx.card(
        rx.table.root(
            rx.el.caption(group["title"].to(str), class_name="sr-only"),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(group["title"].to(str)),
                    rx.table.column_header_cell("Zufriedenheit Ø (1–5)"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    group["rows"].to(list[dict[str, str]]),
                    lambda r: rx.table.row(rx.table.row_header_cell(r["label"]), rx.table.cell(r["text"])),
                )
            ),
            size="1",
            width="100%",
        ),
    )


def satisfaction_panel(overall: rx.Var, complaints: rx.Var, groups: rx.Var) -> rx.Component:
    """The feedback terminals' satisfaction by time of day, area, aspect, week and month, and the complaint rate."""
    return rx.el.section(
        rx.heading("Zufriedenheit und Beschwerden", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.hstack(
            rx.card(
                rx.text("Zufriedenheit Ø im Zeitraum", size="1"),
                rx.text(overall, size="5", weight="bold"),
                aria_label="Zufriedenheit im Zeitraum",
            ),
            rx.card(
                rx.text("Beschwerden je 1.000 Kontakte", size="1"),
                rx.text(complaints, size="5", weight="bold"),
                aria_label="Beschwerden je 1.000 Kontakte",
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.grid(
            rx.foreach(groups, _group),
            columns=rx.breakpoints(initial="1", md="2", xl="3"),
            spacing="3",
            width="100%",
            margin_top="0.75rem",
        ),
        aria_label="Zufriedenheit und Beschwerden",
        width="100%",
    )
