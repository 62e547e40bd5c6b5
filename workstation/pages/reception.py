"""Reception: check-in by booking code or name, walk-ins, emergencies and dealers; the live queue."""

import reflex as rx

from workstation import routes
from workstation.components.floor_lists import floor_lists
from workstation.components.layout import page_shell
from workstation.services.queue.checkin import AppointmentMatch
from workstation.services.queue.choices import Choice
from workstation.state.auth import AuthState
from workstation.state.reception import ReceptionState


def _label(text: str, for_id: str) -> rx.Component:
    return rx.el.label(text, html_for=for_id, font_weight="500", font_size="0.875rem")


def _field(label: str, field_id: str, name: str, **props) -> rx.Component:
    return rx.vstack(_label(label, field_id), rx.input(id=field_id, name=name, width="100%", **props), spacing="1",
                     width="100%")


def _code_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(_field("Buchungscode", "booking_code", "code", auto_focus=True, auto_complete="off",
                          placeholder="scannen oder eintippen"), flex="1"),
            rx.button("Einchecken", type="submit", size="2"),
            align="end",
            width="100%",
        ),
        on_submit=ReceptionState.check_in_code,
        reset_on_submit=True,
    )


def _match_row(match: AppointmentMatch) -> rx.Component:
    return rx.table.row(
        rx.table.cell(match.slot),
        rx.table.cell(match.name),
        rx.table.cell(match.services),
        rx.table.cell(match.status),
        rx.table.cell(rx.cond(
            match.offers_check_in,
            rx.button("Einchecken", size="1", on_click=ReceptionState.check_in_match(match.visit_id),
                      aria_label=match.name + " einchecken"),
            rx.text("–", aria_label="Einchecken nicht möglich"),
        )),
    )


def _name_search() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.box(_field("Name", "search_name", "name", auto_complete="off"), flex="1"),
                rx.button("Termin suchen", type="submit", variant="soft"),
                align="end",
                width="100%",
            ),
            on_submit=ReceptionState.search_name,
            reset_on_submit=False,
        ),
        rx.cond(
            ReceptionState.matches.length() > 0,
            rx.table.root(rx.table.body(rx.foreach(ReceptionState.matches, _match_row)), size="1", width="100%"),
        ),
        width="100%",
    )


def _walk_in_offer() -> rx.Component:
    return rx.cond(
        ReceptionState.offer_message != "",
        rx.callout.root(
            rx.callout.text(ReceptionState.offer_message),
            rx.cond(
                ReceptionState.offer_visit_id > 0,
                rx.button("Als Spontankunde aufnehmen", on_click=ReceptionState.queue_offer_as_walk_in,
                          size="2", margin_top="0.5rem"),
                rx.callout.text("Bitte unten als Spontankunde aufnehmen."),
            ),
            color_scheme="amber",
            role="alert",
            width="100%",
        ),
    )


def _service_checkbox(prefix: str):
    def render(choice: Choice) -> rx.Component:
        box_id = prefix + "service_" + choice.value
        return rx.hstack(rx.el.input(type="checkbox", id=box_id, name="service_" + choice.value),
                         rx.el.label(choice.label, html_for=box_id), align="center")

    return render


def _walk_in_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(_field("Vorname", "walkin_first", "first_name"), _field("Nachname", "walkin_last", "last_name"),
                      width="100%"),
            rx.el.fieldset(
                rx.el.legend("Anliegen", font_weight="500", font_size="0.875rem"),
                rx.grid(rx.foreach(ReceptionState.service_options, _service_checkbox("walkin_")), columns="2",
                        spacing="1"),
                border="none",
                padding="0",
            ),
            _field("Notiz", "walkin_note", "note"),
            rx.hstack(rx.el.input(type="checkbox", id="walkin_emergency", name="emergency"),
                      rx.el.label("Notfall (vor allen anderen aufrufen)", html_for="walkin_emergency"),
                      align="center"),
            rx.button("In die Warteschlange", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=ReceptionState.add_walk_in,
        reset_on_submit=True,
    )


def _dealer_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    _label("Händler", "dealer"),
                    rx.el.select(rx.el.option("– Händler –", value=""),
                                 rx.foreach(ReceptionState.dealer_options,
                                            lambda c: rx.el.option(c.label, value=c.value)),
                                 id="dealer", name="dealer", style={"padding": "0.35rem", "width": "100%"}),
                    spacing="1",
                    width="100%",
                ),
                rx.box(_field("Vorgänge", "dealer_batch", "batch", type="number", min=1), width="8rem"),
                width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend("Dienstleistungen", font_weight="500", font_size="0.875rem"),
                rx.grid(rx.foreach(ReceptionState.service_options, _service_checkbox("dealer_")), columns="2",
                        spacing="1"),
                border="none",
                padding="0",
            ),
            rx.button("Zum Händlerschalter", type="submit", variant="soft"),
            spacing="2",
            width="100%",
        ),
        on_submit=ReceptionState.add_dealer,
        reset_on_submit=True,
    )


def _card(title: str, *children: rx.Component) -> rx.Component:
    return rx.card(rx.el.section(rx.heading(title, size="4", as_="h2", margin_bottom="0.5rem"), *children,
                                 aria_label=title), width="100%")


def _terminal_attempts() -> rx.Component:
    """Scans at the check-in terminals that checked nobody in: the person was sent here."""
    return rx.cond(
        ReceptionState.terminal_attempts.length() > 0,
        _card(
            "Am Terminal abgewiesen",
            rx.table.root(
                rx.el.caption("Am Terminal abgewiesen", class_name="sr-only"),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Zeit", "Code", "Grund")])),
                rx.table.body(rx.foreach(ReceptionState.terminal_attempts, lambda a: rx.table.row(
                    rx.table.cell(a.at), rx.table.cell(rx.code(a.code)), rx.table.cell(a.reason)))),
                size="1",
                width="100%",
            ),
        ),
    )


@rx.page(route=routes.RECEPTION, title="Empfang – Bürgerbüro", on_load=[AuthState.guard_page, ReceptionState.load])
def reception_page() -> rx.Component:
    """Check people in and watch the queue fill and empty."""
    return page_shell(
        "Empfang",
        rx.link("Termin vergeben (Telefon, Empfang)", href=routes.STAFF_BOOKING, class_name="no-print"),
        rx.cond(ReceptionState.last_result != "",
                rx.callout(ReceptionState.last_result, icon="circle-check", color_scheme="green", role="status",
                           width="100%")),
        rx.grid(
            rx.vstack(
                _card("Einchecken mit Termin", _code_form(), _name_search(), _walk_in_offer()),
                _card("Spontankunde oder Notfall", _walk_in_form()),
                _card("Autohändler", _dealer_form()),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                _terminal_attempts(),
                # Load, queue, dealers, expected: rendered in the browser from the live channel.
                floor_lists(ticket=ReceptionState.floor_ticket, screen="reception",
                            on_ticket_needed=ReceptionState.renew_floor_ticket),
                spacing="4",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="5",
            width="100%",
        ),
    )
