"""Öffentliche Seite „Termin buchen“ (no login; German and English; phone-friendly, keyboard only works)."""

import reflex as rx

from workstation import routes
from workstation.components.booking_time import time_chooser
from workstation.state.booking import BookingState

T = BookingState.texts


def public_frame(*content: rx.Component, title: rx.Var, state: type[rx.State] = BookingState,
                 proof_of_work: bool = True) -> rx.Component:
    """The frame of the public pages: heading with the language switch, one column that fits a phone.

    `state` is the page's state (its language and switch); `proof_of_work` loads the solver the form needs.
    """
    return rx.el.main(
        rx.script(src="/booking_pow.js") if proof_of_work else rx.fragment(),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("landmark", size=26, aria_hidden="true"),
                    rx.heading(title, size="6", as_="h1"),
                    rx.spacer(),
                    rx.button(state.texts["language"], variant="ghost", on_click=state.toggle_language,
                              lang=rx.cond(state.lang == "de", "en", "de"), class_name="no-print"),
                    align="center",
                    width="100%",
                    flex_wrap="wrap",
                ),
                *content,
                spacing="4",
                width="100%",
            ),
            size="3",
            width="48rem",
            max_width="100%",
        ),
        display="flex",
        justify_content="center",
        padding="1rem 0.5rem",
        min_height="100vh",
        background="var(--gray-2)",
        lang=state.lang,
    )


def error_callout() -> rx.Component:
    return rx.cond(BookingState.error != "",
                   rx.callout(BookingState.error, icon="triangle-alert", color_scheme="red", role="alert",
                              width="100%"))


def _service_row(service: rx.Var) -> rx.Component:
    sid, name, minutes, documents = (service[key].to(str) for key in ("id", "name", "minutes", "documents"))
    field_id = "count-" + sid
    return rx.el.li(
        rx.hstack(
            rx.vstack(
                rx.el.label(name, html_for=field_id, font_weight="500"),
                rx.text(minutes + " " + T["minutes"] + " · " + T["bring"] + ": " + documents,
                        size="2", color_scheme="gray"),
                spacing="0",
                flex="1",
            ),
            rx.el.select(
                rx.foreach(service["options"].to(list[str]), lambda n: rx.el.option(n, value=n)),
                id=field_id,
                value=BookingState.counts[sid].to(str) | "0",
                on_change=lambda value: BookingState.set_count(sid, value),
                aria_description=T["count_of"],
                style={"min_width": "3.5rem", "min_height": "2.5rem", "font_size": "1rem"},
            ),
            align="center",
            width="100%",
        ),
        list_style="none",
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-5)",
    )


def _summary() -> rx.Component:
    return rx.box(
        rx.heading(T["summary"], as_="h2", size="4"),
        rx.cond(
            BookingState.summary_error != "",
            rx.text(BookingState.summary_error, color_scheme="red"),
            rx.cond(
                BookingState.summary_labels.length() > 0,
                rx.vstack(
                    rx.text(rx.foreach(BookingState.summary_labels, lambda label: rx.el.span(label, " · "))),
                    rx.text(T["planned"] + ": ", rx.el.strong(BookingState.summary_minutes, " ", T["minutes"])),
                    rx.text(T["documents"] + ":", font_weight="500"),
                    rx.el.ul(rx.foreach(BookingState.summary_documents, lambda doc: rx.el.li(doc)),
                             padding_left="1.25rem", margin="0"),
                    spacing="1",
                ),
                rx.text(T["nothing_chosen"], color_scheme="gray"),
            ),
        ),
        role="status",
        aria_live="polite",
        padding="0.75rem",
        background="var(--gray-3)",
        border_radius="var(--radius-3)",
        width="100%",
    )


def _office_button(office: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.button(
            rx.vstack(
                rx.text(office["name"].to(str), weight="bold"),
                rx.text(office["address"].to(str), size="2"),
                rx.text(office["hours"].to(str), size="2", color_scheme="gray"),
                spacing="0",
                align="start",
            ),
            on_click=BookingState.choose_office(office["code"].to(str)),
            variant="outline",
            size="3",
            width="100%",
            height="auto",
            padding_y="0.6rem",
            justify="start",
            text_align="left",
        ),
        list_style="none",
    )


def office_step() -> rx.Component:
    """In a city: the office, or the earliest free time in any office that offers the chosen concerns."""
    return rx.vstack(
        rx.heading(T["step_office"], as_="h2", size="5"),
        rx.text(T["office_intro"]),
        rx.el.ul(
            rx.el.li(rx.button(rx.vstack(rx.text(T["any_office"], weight="bold"),
                                         rx.text(T["any_office_hint"], size="2"), spacing="0", align="start"),
                               on_click=BookingState.choose_office("*"), size="3", width="100%", height="auto",
                               padding_y="0.6rem", justify="start", text_align="left"),
                     list_style="none"),
            rx.foreach(BookingState.offices, _office_button),
            display="flex", flex_direction="column", gap="0.5rem", padding="0", margin="0", width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _chosen_office() -> rx.Component:
    """Which office (or "any office") the booking is for, with the way back to the choice (city only)."""
    return rx.cond(
        BookingState.choose_office_step,
        rx.hstack(
            rx.text(T["office_label"] + ": ", rx.el.strong(BookingState.office_label)),
            rx.button(T["other_office"], variant="ghost", size="1", on_click=BookingState.back_to_offices),
            align="center",
            flex_wrap="wrap",
        ),
    )


def concerns_step() -> rx.Component:
    return rx.vstack(
        rx.heading(T["step_concerns"], as_="h2", size="5"),
        _chosen_office(),
        rx.text(T["intro"]),
        rx.el.ul(rx.foreach(BookingState.services, _service_row), padding="0", margin="0", width="100%"),
        _summary(),
        rx.button(T["to_time"], on_click=BookingState.to_time, size="3", width="100%"),
        spacing="3",
        width="100%",
    )


def time_step() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("arrow-left", aria_hidden="true"), T["back"], variant="ghost",
                  on_click=BookingState.back_to_concerns),
        rx.heading(T["step_time"], as_="h2", size="5"),
        rx.text(T["planned"] + ": " + BookingState.summary_minutes.to_string() + " " + T["minutes"]),
        time_chooser(BookingState.choose_time),
        spacing="3",
        width="100%",
    )


def _field(label: rx.Var, name: str, kind: str = "text", auto: str = "off", required: bool = True) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"booking-{name}", font_weight="500"),
        rx.input(id=f"booking-{name}", name=name, type=kind, auto_complete=auto, required=required, max_length=254,
                 size="3", width="100%"),
        spacing="1",
        width="100%",
    )


def details_step() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("arrow-left", aria_hidden="true"), T["other_time"], variant="ghost",
                  on_click=BookingState.back_to_time),
        rx.heading(T["step_details"], as_="h2", size="5"),
        rx.callout(BookingState.chosen_label, icon="calendar-check", width="100%"),
        rx.text(T["held"] + " " + BookingState.held_until + "."),
        rx.form(
            rx.vstack(
                _field(T["first_name"], "first_name", auto="given-name"),
                _field(T["last_name"], "last_name", auto="family-name"),
                _field(T["email"], "email", "email", "email"),
                _field(T["phone"], "phone", "tel", "tel", required=False),
                rx.hstack(
                    rx.el.input(type="checkbox", id="booking-consent", name="consent", required=True,
                                style={"width": "1.25rem", "height": "1.25rem", "margin_top": "0.2rem"}),
                    rx.el.label(T["consent"], html_for="booking-consent"),
                    align="start",
                ),
                rx.button(rx.cond(BookingState.busy, T["checking"], T["book"]), type="submit", size="3",
                          width="100%", loading=BookingState.busy),
                spacing="3",
                width="100%",
            ),
            on_submit=BookingState.submit,
            reset_on_submit=False,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def done_step() -> rx.Component:
    booked = BookingState.booked
    return rx.vstack(
        rx.heading(T["done"], as_="h2", size="5", id="booking-done", tab_index=-1),
        rx.hstack(
            rx.image(src=booked["qr"].to(str), alt=T["qr_alt"] + " " + booked["code"].to(str), width="10rem",
                     height="10rem"),
            rx.vstack(
                rx.text(T["code"], size="2", color_scheme="gray"),
                rx.text(booked["code"].to(str), size="8", weight="bold", font_family="monospace",
                        letter_spacing="0.15em"),
                spacing="0",
            ),
            align="center",
            flex_wrap="wrap",
        ),
        rx.el.dl(
            rx.el.dt(T["when"], font_weight="600"), rx.el.dd(booked["when"].to(str), margin_left="0"),
            rx.el.dt(T["where"], font_weight="600"),
            rx.el.dd(booked["place"].to(str), " (", booked["hours"].to(str), ")", margin_left="0"),
            rx.el.dt(T["concerns"], font_weight="600"),
            rx.el.dd(rx.foreach(booked["concerns"].to(list[str]), lambda c: rx.el.div(c)), margin_left="0"),
            rx.el.dt(T["documents"], font_weight="600"),
            rx.el.dd(rx.el.ul(rx.foreach(booked["documents"].to(list[str]), lambda d: rx.el.li(d)),
                              padding_left="1.25rem", margin="0"), margin_left="0"),
        ),
        rx.text(T["mail_sent"]),
        rx.hstack(
            rx.button(rx.icon("printer", aria_hidden="true"), T["print"], variant="outline",
                      on_click=rx.call_script("window.print()")),
            rx.button(T["new_booking"], variant="ghost", on_click=BookingState.load),
            class_name="no-print",
            flex_wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.BOOKING, title="Termin buchen – Bürgerbüro", on_load=BookingState.load)
def booking_page() -> rx.Component:
    """(In a city: office →) concerns → time → details → confirmation, one step at a time."""
    return public_frame(
        error_callout(),
        rx.match(
            BookingState.step,
            ("time", time_step()),
            ("details", details_step()),
            ("done", done_step()),
            ("office", office_step()),
            concerns_step(),
        ),
        title=T["title"],
    )
