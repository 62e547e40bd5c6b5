"""Abholung: scan a serial number, hand over with identity check, documents waiting, feed entries to clarify."""

import reflex as rx

from workstation import routes
from workstation.components.data_table import data_table
from workstation.components.layout import page_shell
from workstation.components.pager import pager
from workstation.state.auth import AuthState
from workstation.state.pickup import PickupState

FILTERS = (("arrived", "Eingetroffen"), ("shipped", "Unterwegs"), ("overdue", "Überfällig"),
           ("handed_over", "Heute ausgehändigt"), ("all", "Alle wartenden"))


def _labelled_checkbox(id_: str, name: str, label: str, **props) -> rx.Component:
    return rx.hstack(
        rx.el.input(type="checkbox", id=id_, name=name, style={"width": "1.1rem", "height": "1.1rem"}, **props),
        rx.el.label(label, html_for=id_),
        align="center",
        spacing="2",
    )


def _scan_card() -> rx.Component:
    return rx.card(
        rx.form(
            rx.hstack(
                rx.vstack(
                    rx.el.label("Seriennummer mit Prüfziffer", html_for="scan-serial", font_weight="500"),
                    rx.input(id="scan-serial", name="serial", placeholder="z. B. L6F3R7T2K8", auto_focus=True,
                             auto_complete="off", size="3", width="18rem", max_length=14),
                    spacing="1",
                ),
                rx.button(rx.icon("scan-barcode", size=18, aria_hidden="true"), "Suchen", type="submit", size="3"),
                align="end",
                spacing="3",
            ),
            on_submit=PickupState.scan,
            reset_on_submit=True,
        ),
        rx.cond(PickupState.scan_error != "",
                rx.callout(PickupState.scan_error, icon="triangle-alert", color_scheme="red", role="alert",
                           margin_top="0.75rem")),
        rx.cond(PickupState.last_handover != "",
                rx.callout(PickupState.last_handover, icon="circle-check", color_scheme="green", role="status",
                           margin_top="0.75rem")),
        width="100%",
    )


def _fact(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.text(value, weight="medium"), spacing="0")


def _handover_form() -> rx.Component:
    doc = PickupState.selected
    return rx.form(
        rx.vstack(
            rx.heading("Aushändigung", size="4", as_="h3"),
            _labelled_checkbox("identity-checked", "identity_checked",
                               "Identität der abholenden Person anhand eines Ausweises geprüft"),
            rx.hstack(
                rx.checkbox(id="with-representative", name="with_representative",
                            checked=PickupState.with_representative, on_change=PickupState.set_with_representative),
                rx.el.label("Abholung durch eine bevollmächtigte Person", html_for="with-representative"),
                align="center",
                spacing="2",
            ),
            rx.cond(
                PickupState.with_representative,
                rx.vstack(
                    rx.el.label("Name der bevollmächtigten Person", html_for="representative-name"),
                    rx.input(id="representative-name", name="representative_name", width="20rem"),
                    _labelled_checkbox("poa-checked", "power_of_attorney_checked",
                                       "Schriftliche Vollmacht liegt vor und wurde geprüft"),
                    spacing="2",
                    padding_left="1.6rem",
                ),
            ),
            rx.el.fieldset(
                rx.el.legend("Altes Dokument", font_weight="500"),
                rx.hstack(
                    rx.hstack(rx.el.input(type="radio", id="old-invalidated", name="old_document",
                                          value="invalidated"),
                              rx.el.label("entwertet", html_for="old-invalidated"), spacing="1", align="center"),
                    rx.hstack(rx.el.input(type="radio", id="old-none", name="old_document", value="none"),
                              rx.el.label("kein altes Dokument vorhanden", html_for="old-none"), spacing="1",
                              align="center"),
                    spacing="5",
                ),
                style={"border": "none", "padding": 0, "margin": 0},
            ),
            rx.cond(
                doc["eid"],
                _labelled_checkbox("pin-letter", "pin_letter_handed",
                                   "PIN-Brief übergeben (nur an die antragstellende Person selbst)"),
            ),
            rx.hstack(
                rx.button(rx.icon("hand-helping", size=18, aria_hidden="true"), "Aushändigen", type="submit",
                          size="3", color_scheme="green"),
                rx.button("Abbrechen", type="button", variant="soft", color_scheme="gray", size="3",
                          on_click=PickupState.clear_selection),
                spacing="3",
            ),
            spacing="3",
            align="start",
        ),
        on_submit=PickupState.hand_over,
        reset_on_submit=True,
    )


def _selected_card() -> rx.Component:
    doc = PickupState.selected
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(doc["doc_name"].to(str) + " – " + doc["citizen_name"].to(str), size="5", as_="h2"),
                rx.badge(doc["status_de"], size="2",
                         color_scheme=rx.cond(doc["ready"], "green", "orange")),
                align="center",
                spacing="3",
            ),
            rx.hstack(
                _fact("Seriennummer", doc["serial_number"]),
                _fact("Antragsnummer", doc["application_number"]),
                _fact("Eingetroffen", doc["arrived"]),
                _fact("Benachrichtigung", doc["channel_de"]),
                _fact("Benachrichtigt", rx.cond(doc["notified"], "ja", "noch nicht")),
                spacing="6",
                wrap="wrap",
            ),
            rx.cond(
                doc["ready"],
                rx.vstack(
                    rx.cond(
                        doc["confirmed"],
                        rx.text("Eingang an der Ausgabe bestätigt.", color_scheme="green"),
                        rx.button("Eingang bestätigen (Dokument liegt vor)", variant="soft",
                                  on_click=PickupState.confirm_arrival),
                    ),
                    _handover_form(),
                    rx.cond(
                        doc["holding_over"],
                        rx.callout(
                            rx.hstack(
                                rx.text("Die Abholfrist ist abgelaufen."),
                                rx.button("Als zurückgegeben/vernichtet vermerken", size="1", variant="soft",
                                          color_scheme="orange", on_click=PickupState.mark_returned),
                                align="center",
                                spacing="3",
                            ),
                            icon="clock-alert",
                            color_scheme="orange",
                        ),
                    ),
                    spacing="4",
                    width="100%",
                ),
                rx.callout("Dieses Dokument ist noch nicht im Bürgerbüro eingetroffen und kann nicht ausgehändigt "
                           "werden.", icon="info", color_scheme="orange"),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        aria_label="Ausgewähltes Dokument",
    )


def _document_row(doc: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(doc["citizen_name"]),
        rx.table.cell(doc["doc_name"]),
        rx.table.cell(rx.code(doc["serial_number"])),
        rx.table.cell(doc["application_number"]),
        rx.table.cell(rx.hstack(rx.badge(doc["status_de"], color_scheme=rx.cond(doc["ready"], "green", "gray")),
                                rx.cond(doc["overdue"], rx.badge("überfällig", color_scheme="red")), spacing="1")),
        rx.table.cell(doc["arrived"]),
        rx.table.cell(rx.cond(doc["notified"], doc["channel_de"], "–")),
        rx.table.cell(rx.cond(
            doc["handed_over"] != "",
            rx.text(doc["handed_over"].to(str) + " von " + doc["handed_over_by"].to(str) + " ("
                    + doc["collected_by"].to(str) + ")", size="1"),
            rx.button("Auswählen", size="1", variant="soft", on_click=PickupState.select(doc["id"]),
                      aria_label="Auswählen: " + doc["citizen_name"].to(str)),
        )),
    )


def _waiting_list() -> rx.Component:
    return rx.vstack(
        rx.heading("Dokumente", size="4", as_="h2"),
        rx.hstack(
            rx.vstack(
                rx.el.label("Suche (Name, Seriennummer, Antragsnummer)", html_for="pickup-search"),
                rx.input(id="pickup-search", value=PickupState.search, on_change=PickupState.set_search.debounce(300),
                         width="22rem"),
                spacing="1",
            ),
            rx.vstack(
                rx.el.label("Anzeigen", html_for="pickup-filter"),
                rx.el.select(*[rx.el.option(label, value=value) for value, label in FILTERS], id="pickup-filter",
                             value=PickupState.status_filter, on_change=PickupState.set_status_filter,
                             style={"height": "2rem", "padding": "0 0.5rem"}),
                spacing="1",
            ),
            align="end",
            spacing="4",
        ),
        pager(PickupState.range_label, PickupState.has_previous_page, PickupState.has_next_page,
              PickupState.previous_page, PickupState.next_page, "Dokumentenliste"),
        data_table("Dokumentenliste", ("Name", "Dokument", "Seriennummer", "Antrag", "Status", "Eingetroffen",
                                       "Benachrichtigt"), PickupState.documents, _document_row, action_header="Aktion"),
        rx.cond(PickupState.documents.length() == 0, rx.text("Keine Dokumente für diese Auswahl.",
                                                              color_scheme="gray")),
        spacing="3",
        width="100%",
    )


def _rejection_row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(item["created"]),
        rx.table.cell(item["reason"]),
        rx.table.cell(rx.vstack(
            rx.text(item["filename"], size="1", style={"word_break": "break-all"}),
            rx.text(item["serial_number"].to(str) + " " + item["application_number"].to(str), size="1"),
            spacing="0",
        )),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="rejection_id", value=item["id"]),
                    rx.input(name="note", placeholder="Wie geklärt?", aria_label="Klärung", size="1",
                             width="10rem"),
                    rx.button("Erledigt", type="submit", size="1", variant="soft"),
                    spacing="2",
                ),
                on_submit=PickupState.resolve,
                reset_on_submit=True,
            )
        ),
    )


def _rejections() -> rx.Component:
    return rx.cond(
        PickupState.rejections.length() > 0,
        rx.vstack(
            rx.heading("Zu klären: Meldungen der Bundesdruckerei", size="4", as_="h2"),
            data_table("Abgelehnte Meldungen", ("Eingang", "Grund", "Datei / Nummern", "Klärung"),
                       PickupState.rejections, _rejection_row),
            spacing="3",
            width="100%",
        ),
    )


@rx.page(route=routes.PICKUP, title="Abholung – Bürgerbüro", on_load=[AuthState.guard_page, PickupState.load])
def pickup_page() -> rx.Component:
    """The hand-out counter."""
    return page_shell(
        "Abholung",
        _scan_card(),
        rx.cond(PickupState.has_selection, _selected_card()),
        _waiting_list(),
        _rejections(),
    )
