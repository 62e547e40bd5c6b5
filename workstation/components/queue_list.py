"""The queue as a list: who waits, since when, for what; used by counter and reception screens."""

from collections.abc import Callable

import reflex as rx

from workstation.services.queue.floor import FloorLoad, QueueRow

_KIND_COLORS = {"emergency": "red", "appointment": "teal", "walk_in": "amber", "dealer": "violet"}


def kind_badge(row: QueueRow) -> rx.Component:
    """Termin / Spontan / Notfall / Händler as a coloured badge."""
    return rx.badge(row.kind_label, color_scheme=rx.match(row.kind, *_KIND_COLORS.items(), "gray"), variant="soft")


def _minutes(row: QueueRow, minute: rx.Var) -> rx.Var:
    """The minutes since `row.since` at the floor's current minute, worked out in the browser: a row
    stays the same (and is not sent again) while only the clock moves on."""
    return rx.cond((row.since > 0) & (minute > row.since), (minute - row.since).to_string(), "0") + " min"


def _row(row: QueueRow, action: Callable[[QueueRow], rx.Component] | None, time_label: str | None,
         minute: rx.Var | None) -> rx.Component:
    return rx.table.row(
        rx.table.cell(kind_badge(row)),
        rx.table.cell(rx.text(row.name, weight="medium"),
                      rx.cond(row.ticket != "", rx.text("Nr. " + row.ticket, size="1", color_scheme="gray")),
                      rx.cond(row.batch_size > 0, rx.text(row.batch_size.to_string() + " Vorgänge", size="1"))),
        rx.table.cell(rx.text(row.services, size="2")),
        rx.table.cell(rx.cond(row.slot != "", rx.text(row.slot), rx.text("–", color_scheme="gray"))),
        *([rx.table.cell(rx.text(_minutes(row, minute)), aria_label=time_label)] if time_label else []),
        rx.table.cell(rx.text(row.place, size="2")),
        rx.table.cell(action(row) if action else rx.fragment()),
        data_visit=row.visit_id,
    )


def queue_table(title: str, rows: rx.Var, *, empty: str, minute: rx.Var | None = None,
                time_label: str | None = "Wartezeit",
                action: Callable[[QueueRow], rx.Component] | None = None) -> rx.Component:
    """A titled table of queue rows; `action` renders a button per row (e.g. call out of order).

    `time_label` names the minutes column (waiting, at the counter, parked), counted up to `minute`
    (the floor load's); None leaves it out.
    """
    return rx.el.section(
        rx.heading(title, size="4", as_="h2", margin_bottom="0.5rem"),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell("Art"),
                    rx.table.column_header_cell("Name"),
                    rx.table.column_header_cell("Anliegen"),
                    rx.table.column_header_cell("Termin"),
                    *([rx.table.column_header_cell(time_label)] if time_label else []),
                    rx.table.column_header_cell("Ort"),
                    rx.table.column_header_cell(rx.el.span("Aktion", class_name="sr-only")),
                )),
                rx.table.body(rx.foreach(rows, lambda row: _row(row, action, time_label, minute))),
                size="1",
                variant="surface",
                width="100%",
            ),
            rx.text(empty, color_scheme="gray", size="2"),
        ),
        aria_label=title,
        width="100%",
    )


def floor_load(load: FloorLoad) -> rx.Component:
    """The floor in a few numbers: waiting, expected, served now, counters busy, waiting times."""

    def stat(label: str, value: rx.Var) -> rx.Component:
        return rx.card(rx.text(label, size="1", color_scheme="gray"), rx.text(value, size="5", weight="bold"),
                       aria_label=label)

    return rx.el.section(
        rx.grid(
            stat("Wartend", load.waiting.to_string()),
            stat("Termine erwartet", load.expected.to_string()),
            stat("Am Schalter", load.serving.to_string()),
            stat("Schalter belegt", load.counters_busy.to_string() + " / " + load.counters_open.to_string()),
            stat("Längste Wartezeit", load.longest_wait_min.to_string() + " min"),
            stat("Mittlere Wartezeit", load.mean_wait_min.to_string() + " min"),
            columns="3",
            spacing="2",
            width="100%",
        ),
        aria_label="Auslastung",
        width="100%",
    )
