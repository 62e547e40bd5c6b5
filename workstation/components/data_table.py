"""The staff pages' register tables: one look, and the same structure for screen readers everywhere.

Every register (staff accounts, devices, complaints, the outbox, pickup documents) is a table with a
caption that only screen readers hear, one header per column and, where rows carry buttons, an action
column whose header is announced but not shown. Built in one place so no register forgets the caption
or leaves the action column without a name (axe's "empty-table-header").
"""

from collections.abc import Callable

import reflex as rx


def data_table(caption: str, headers: tuple[str, ...], rows: rx.Var, row: Callable[[rx.Var], rx.Component], *,
               action_header: str = "", empty: str = "") -> rx.Component:
    """A surface table of `rows` drawn by `row`; `action_header` names a last column of buttons,
    `empty` is said instead of the table while there are no rows."""
    cells = [rx.table.column_header_cell(h) for h in headers]
    if action_header:
        cells.append(rx.table.column_header_cell(rx.el.span(action_header, class_name="sr-only")))
    table = rx.table.root(
        rx.el.caption(caption, class_name="sr-only"),
        rx.table.header(rx.table.row(*cells)),
        rx.table.body(rx.foreach(rows, row)),
        variant="surface",
        width="100%",
    )
    return rx.cond(rows.length() > 0, table, rx.text(empty)) if empty else table
