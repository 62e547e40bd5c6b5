"""Terminplanung (team lead, admin): bookable counters per area and weekday, closing days, booking rules."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.services.booking.setup import WEEKDAY_NAMES
from workstation.state.auth import AuthState
from workstation.state.booking_setup import BookingSetupState as S


def _label(text: str, for_id: str) -> rx.Component:
    return rx.el.label(text, html_for=for_id, font_weight="500", font_size="0.875rem")


def _input(text: str, name: str, kind: str = "text", **props) -> rx.Component:
    return rx.vstack(_label(text, f"setup-{name}"), rx.input(id=f"setup-{name}", name=name, type=kind, **props),
                     spacing="1")


def _select(text: str, name: str, options) -> rx.Component:
    return rx.vstack(_label(text, f"setup-{name}"), rx.el.select(*options, id=f"setup-{name}", name=name),
                     spacing="1")


def _service_options():
    return [rx.foreach(S.services, lambda s: rx.el.option(s["name"].to(str), value=s["id"].to(str)))]


def _card(title: str, *children: rx.Component) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, as_="h2", size="4"), *children, spacing="3", width="100%"),
                   width="100%")


def _lanes() -> rx.Component:
    return _card(
        "Buchbare Schalter je Bereich und Wochentag",
        rx.table.root(
            rx.el.caption("Buchbare Schalter", class_name="sr-only"),
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Bereich", "Wochentag", "Schalter", "Zeit")])),
            rx.table.body(rx.foreach(S.lanes, lambda r: rx.table.row(
                rx.table.cell(r["area"]), rx.table.cell(r["weekday"]), rx.table.cell(r["lanes"]),
                rx.table.cell(r["window"])))),
            size="1", width="100%",
        ),
        rx.form(
            rx.hstack(
                _select("Bereich", "area", [rx.foreach(S.areas, lambda a: rx.el.option(a["label"], value=a["code"]))]),
                _select("Wochentag", "weekday", [rx.el.option(name, value=str(i))
                                                 for i, name in enumerate(WEEKDAY_NAMES)]),
                _input("Schalter", "lanes", "number", min=0, max=60, required=True, width="5rem"),
                _input("von", "opens", "time", required=True),
                _input("bis", "closes", "time", required=True),
                rx.button("Speichern", type="submit"),
                align="end", flex_wrap="wrap",
            ),
            on_submit=S.set_lanes, reset_on_submit=False,
        ),
    )


def _closing_days() -> rx.Component:
    return _card(
        "Schließtage (zusätzlich zu Sonntagen und Feiertagen)",
        rx.el.ul(rx.foreach(S.closing_days, lambda d: rx.el.li(rx.hstack(
            rx.text(d["label"], " ", d["reason"]),
            rx.button("Aufheben", size="1", variant="soft", on_click=S.reopen_day(d["iso"]),
                      aria_label="Schließtag " + d["label"] + " aufheben"),
            align="center")))),
        rx.form(
            rx.hstack(_input("Tag", "day", "date", required=True), _input("Grund", "reason", max_length=200),
                      rx.button("Tag schließen", type="submit"), align="end", flex_wrap="wrap"),
            on_submit=S.close_day, reset_on_submit=True,
        ),
    )


def _rules() -> rx.Component:
    return _card(
        "Dienstleistungen: Dauer, Anzahl, Unterlagen, online",
        rx.form(
            rx.vstack(
                _select("Dienstleistung", "service", _service_options()),
                rx.hstack(_input("Dauer (Minuten)", "minutes", "number", min=1, max=240, required=True),
                          _input("höchstens je Termin", "max_count", "number", min=1, max=10, required=True)),
                rx.vstack(_label("Mitzubringen (eine Zeile je Unterlage)", "setup-documents"),
                          rx.text_area(id="setup-documents", name="documents", width="100%"), spacing="1",
                          width="100%"),
                rx.hstack(rx.el.input(type="checkbox", id="setup-online", name="online"),
                          rx.el.label("online buchbar", html_for="setup-online"), align="center"),
                rx.button("Dienstleistung speichern", type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.update_service, reset_on_submit=False, width="100%",
        ),
        rx.form(
            rx.hstack(
                _select("Dienstleistung", "first", _service_options()),
                _select("und", "second", _service_options()),
                _select("Regel", "rule", [rx.el.option("nicht in einem Termin", value="conflict"),
                                          rx.el.option("in einem Termin erlaubt", value="allowed")]),
                rx.button("Kombination speichern", type="submit"),
                align="end", flex_wrap="wrap",
            ),
            on_submit=S.set_conflict, reset_on_submit=False,
        ),
    )


@rx.page(route=routes.BOOKING_SETUP, title="Terminplanung – Bürgerbüro", on_load=[AuthState.guard_page, S.load])
def booking_setup_page() -> rx.Component:
    return page_shell(
        "Terminplanung",
        rx.cond(S.message != "", rx.callout(S.message, role="status", width="100%")),
        _lanes(),
        _closing_days(),
        _rules(),
    )
