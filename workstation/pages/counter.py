"""Counter workstation (also the dealer desks): the person at the counter with all concerns, the next
person as the queue shows them, and the floor's queue."""

import reflex as rx

from workstation import routes
from workstation.components.briefing_notes import briefing_notes_panel
from workstation.components.concerns_panel import concerns_panel
from workstation.components.floor_lists import floor_lists, floor_next_preview
from workstation.components.layout import page_shell
from workstation.components.shortcuts import shortcut, shortcut_legend
from workstation.components.workday_switch import workday_switch
from workstation.models import WorkMode
from workstation.services.queue.choices import Choice
from workstation.services.queue.desks import Desk
from workstation.services.queue.panel import PanelService
from workstation.state.auth import AuthState
from workstation.state.counter import CALL_NEXT_ID, CounterState
from workstation.state.workday import WorkdayState


def _label(text: str, for_id: str) -> rx.Component:
    return rx.el.label(text, html_for=for_id, font_weight="500", font_size="0.875rem")


def _desk_card(desk: Desk) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(rx.text(desk.name, weight="bold"),
                      rx.text(rx.cond(desk.taken_by != "", "besetzt: " + desk.taken_by, "frei"), size="1"),
                      spacing="0"),
            rx.spacer(),
            rx.button("Platz nehmen", on_click=CounterState.take_desk(desk.counter_id),
                      aria_label="An " + desk.name + " Platz nehmen"),
            align="center",
        ),
    )


def _desk_chooser() -> rx.Component:
    return rx.el.section(
        rx.heading("Schalter wählen", size="4", as_="h2"),
        rx.text("An welchem Schalter sitzen Sie heute?", color_scheme="gray"),
        rx.grid(rx.foreach(CounterState.desk_choices, _desk_card), columns="3", spacing="3", width="100%"),
        aria_label="Schalter wählen",
        width="100%",
    )


def _options(choices: rx.Var, placeholder: str) -> list[rx.Component]:
    return [rx.el.option(placeholder, value=""),
            rx.foreach(choices, lambda c: rx.el.option(c.label, value=c.value))]


def _select(name: str, label: str, choices: rx.Var, placeholder: str) -> rx.Component:
    return rx.vstack(
        _label(label, name),
        rx.el.select(*_options(choices, placeholder), id=name, name=name,
                     style={"padding": "0.35rem", "border_radius": "var(--radius-2)", "width": "100%"}),
        spacing="1",
        width="100%",
    )


def _no_show_confirmation() -> rx.Component:
    """"Nicht erschienen" ends the visit for good: it asks once more before it acts."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button("Nicht erschienen …", color_scheme="red", variant="soft", size="3")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Als nicht erschienen vermerken?"),
            rx.alert_dialog.description(
                CounterState.panel.name + " wurde " + CounterState.panel.call_count.to_string()
                + "-mal aufgerufen. Der Termin wird geschlossen; kommt die Person später, nimmt der Empfang "
                "sie als Spontankunde auf."
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Abbrechen", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Nicht erschienen", color_scheme="red", on_click=CounterState.no_show)
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def _called_actions() -> rx.Component:
    return rx.hstack(
        # Mounted when the person is called: the keyboard lands on it.
        rx.button("Bearbeitung beginnen", on_click=CounterState.start, size="3", auto_focus=True, **shortcut("B")),
        rx.cond(
            CounterState.panel.call_count < CounterState.noshow_limit,
            rx.button("Erneut aufrufen (" + CounterState.panel.call_count.to_string() + "/"
                      + CounterState.noshow_limit.to_string() + ")", on_click=CounterState.recall,
                      variant="soft", size="3", **shortcut("E")),
            _no_show_confirmation(),
        ),
        spacing="3",
        wrap="wrap",
    )


def _outcome_row(service: PanelService) -> rx.Component:
    done_id = "done_" + service.concern_id.to_string()
    reason_id = "reason_" + service.concern_id.to_string()
    return rx.hstack(
        rx.el.input(type="checkbox", id=done_id, name=done_id, default_checked=True),
        rx.el.label(service.name + " erledigt", html_for=done_id, min_width="16rem"),
        rx.input(id=reason_id, name=reason_id, placeholder="Grund, falls nicht erledigt",
                 aria_label="Grund, falls " + service.name + " nicht erledigt", size="1", width="18rem"),
        align="center",
    )


def _extra_service(choice: Choice) -> rx.Component:
    extra_id = "extra_" + choice.value
    return rx.hstack(rx.el.input(type="checkbox", id=extra_id, name=extra_id),
                     rx.el.label(choice.label, html_for=extra_id), align="center")


def _finish_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Abschließen", size="3", as_="h3"),
            rx.foreach(CounterState.panel.services, _outcome_row),
            rx.el.details(
                rx.el.summary("Zusätzlich erledigte Dienstleistungen"),
                rx.vstack(rx.foreach(CounterState.service_options, _extra_service), spacing="1", padding_top="0.5rem"),
            ),
            rx.button("Besuch abschließen", type="submit", size="3", auto_focus=True, **shortcut("A")),
            spacing="2",
            width="100%",
        ),
        on_submit=CounterState.finish,
        reset_on_submit=False,
        key=CounterState.panel.visit_id,
    )


def _park_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.vstack(_label("Notiz", "park_note"), rx.input(id="park_note", name="note", size="2"), spacing="1"),
            rx.vstack(_label("Raum / Ort", "park_room"), rx.input(id="park_room", name="room", size="2"),
                      spacing="1"),
            rx.button("Parken", type="submit", variant="soft"),
            align="end",
            wrap="wrap",
        ),
        on_submit=CounterState.park,
        key=CounterState.panel.visit_id,
    )


def _redirect_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(_select("area", "Bereich", CounterState.area_options, "– Bereich –"), width="12rem"),
            rx.box(_select("counter", "Schalter", CounterState.counter_options, "– beliebiger Schalter –"),
                   width="12rem"),
            rx.vstack(_label("Hinweis", "redirect_note"), rx.input(id="redirect_note", name="note", size="2"),
                      spacing="1"),
            rx.button("Weiterleiten", type="submit", variant="soft"),
            align="end",
            wrap="wrap",
        ),
        on_submit=CounterState.redirect,
        key=CounterState.panel.visit_id,
    )


def _active_actions() -> rx.Component:
    return rx.vstack(
        rx.cond(CounterState.panel.status == "called", _called_actions(), _finish_form()),
        rx.divider(),
        rx.heading("Parken", size="2", as_="h3"),
        _park_form(),
        rx.heading("Weiterleiten", size="2", as_="h3"),
        _redirect_form(),
        spacing="3",
        width="100%",
    )


def _focus() -> rx.Component:
    """The full panel for the visit at this counter; otherwise the next person, drawn in the browser from the
    live queue row (data minimisation: no audited read of their record before they are called)."""
    return rx.cond(
        CounterState.panel.visit_id > 0,
        concerns_panel(CounterState.panel, heading="An Ihrem Schalter", actions=_active_actions()),
        floor_next_preview(counter_id=CounterState.desk_id),
    )


def _out_of_order_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Außer der Reihe aufrufen"),
            rx.dialog.description(CounterState.call_target_name + " wird vor allen anderen aufgerufen. "
                                  "Der Grund wird protokolliert."),
            rx.form(
                rx.vstack(
                    _label("Grund", "call_reason"),
                    rx.input(id="call_reason", name="reason", auto_focus=True, width="100%"),
                    rx.hstack(
                        rx.button("Abbrechen", type="button", variant="soft", color_scheme="gray",
                                  on_click=CounterState.choose_call_target(0)),
                        rx.button("Aufrufen", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="2",
                ),
                on_submit=CounterState.call_specific,
            ),
        ),
        open=CounterState.call_target > 0,
        on_open_change=CounterState.call_dialog_changed,
    )


def _workstation() -> rx.Component:
    # Main column: the person in focus, then the briefing notes. Side column: the floor and the queue.
    return rx.grid(
        rx.vstack(
            _focus(),
            shortcut_legend(("N", "Nächste Person aufrufen"), ("B", "Bearbeitung beginnen"), ("E", "Erneut aufrufen"),
                            ("A", "Besuch abschließen")),
            briefing_notes_panel(),
            spacing="4",
            width="100%",
        ),
        rx.vstack(
            # Load, queue, at the counters, parked, expected: rendered in the browser from the live channel.
            floor_lists(
                ticket=CounterState.floor_ticket, screen="counter", counter_id=CounterState.desk_id,
                shown_mode=CounterState.focus_mode, shown_visit=CounterState.panel.visit_id,
                shown_version=CounterState.panel.version,
                on_call_target=CounterState.choose_call_target, on_resume=CounterState.resume,
                on_focus=CounterState.focus_changed, on_ticket_needed=CounterState.renew_floor_ticket,
            ),
            spacing="4",
            width="100%",
        ),
        columns=rx.breakpoints(initial="1", lg="2"),
        spacing="5",
        width="100%",
    )


def _header_actions() -> rx.Component:
    return rx.cond(
        CounterState.desk_id > 0,
        rx.hstack(
            rx.badge(CounterState.desk_name, size="3", variant="surface"),
            rx.button("Schalter wechseln", on_click=CounterState.choose_other_desk, variant="ghost", size="2"),
            rx.button(rx.icon("megaphone", size=18, aria_hidden="true"), "Nächste Person aufrufen",
                      on_click=CounterState.call_next, size="3", id=CALL_NEXT_ID,
                      disabled=CounterState.focus_mode == "active", **shortcut("N")),
            align="center",
            spacing="3",
        ),
        rx.fragment(),
    )


@rx.page(
    route=routes.COUNTER,
    title="Schalter – Bürgerbüro",
    on_load=[AuthState.guard_page, WorkdayState.follow_workday, CounterState.load],
)
def counter_page() -> rx.Component:
    """The advisor's screen for the whole morning."""
    return page_shell(
        "Schalter",
        rx.cond(CounterState.desk_id > 0, _workstation(), _desk_chooser()),
        _out_of_order_dialog(),
        actions=rx.hstack(workday_switch(WorkMode.BACKOFFICE), _header_actions(), align="center", spacing="3"),
    )
