"""Terminvergabe: staff book an appointment for a caller or a person at the desk (same rules as online)."""

import reflex as rx

from workstation import routes
from workstation.components.layout import page_shell
from workstation.state.auth import AuthState
from workstation.state.staff_booking import StaffBookingState as S


def _field(label: str, name: str, kind: str = "text", required: bool = False) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=f"staff-{name}", font_weight="500", font_size="0.875rem"),
                     rx.input(id=f"staff-{name}", name=name, type=kind, required=required, width="100%"),
                     spacing="1", width="100%")


def _service(service: rx.Var) -> rx.Component:
    sid = service["id"].to(str)
    return rx.hstack(
        rx.el.label(service["name"].to(str) + " (" + service["minutes"].to(str) + " Min.)",
                    html_for="staff-count-" + sid, flex="1"),
        rx.el.select(rx.foreach(service["options"].to(list[str]), lambda n: rx.el.option(n, value=n)),
                     id="staff-count-" + sid, value=S.counts[sid].to(str) | "0",
                     on_change=lambda value: S.set_count(sid, value)),
        width="100%",
    )


def _result() -> rx.Component:
    return rx.cond(
        S.booked.contains("code"),
        rx.callout.root(
            rx.hstack(
                rx.image(src=S.booked["qr"], alt="QR-Code des Buchungscodes " + S.booked["code"], width="8rem",
                         height="8rem"),
                rx.vstack(
                    rx.text("Termin gebucht: ", rx.el.strong(S.booked["when"])),
                    rx.text("Buchungscode ", rx.el.strong(S.booked["code"], font_family="monospace",
                                                          font_size="1.5rem")),
                    rx.text(S.booked["concerns"]),
                    rx.text("Bitte mitbringen: " + S.booked["documents"]),
                    rx.button("Drucken", on_click=rx.call_script("window.print()"), class_name="no-print"),
                ),
                align="center",
            ),
            color_scheme="green",
            role="status",
            width="100%",
        ),
    )


@rx.page(route=routes.STAFF_BOOKING, title="Terminvergabe – Bürgerbüro", on_load=[AuthState.guard_page, S.load])
def staff_booking_page() -> rx.Component:
    """Concerns and details of the caller, then a free time."""
    return page_shell(
        "Terminvergabe",
        rx.text("Für Anrufer und Personen am Empfang; E-Mail freiwillig (sonst Code vorlesen oder ausdrucken)."),
        rx.cond(AuthState.user_role.contains("team_lead") | AuthState.user_role.contains("admin"),
                rx.link("Terminplanung: Schalter, Schließtage, Regeln", href=routes.BOOKING_SETUP)),
        rx.cond(S.message != "", rx.callout(S.message, color_scheme="red", role="alert", width="100%")),
        _result(),
        rx.form(
            rx.vstack(
                rx.el.fieldset(
                    rx.el.legend("Anliegen und Anzahl", font_weight="500"),
                    rx.vstack(rx.foreach(S.services, _service), spacing="1", width="100%"),
                    border="none", padding="0", width="100%",
                ),
                rx.hstack(_field("Vorname", "first_name", required=True),
                          _field("Nachname", "last_name", required=True), width="100%"),
                rx.hstack(_field("Telefon", "phone", "tel"), _field("E-Mail (freiwillig)", "email", "email"),
                          width="100%"),
                rx.hstack(
                    rx.el.label("Weg", html_for="staff-channel", font_weight="500"),
                    rx.el.select(rx.el.option("Telefon", value="phone"), rx.el.option("Vor Ort", value="counter"),
                                 id="staff-channel", name="channel"),
                    _field("Tag (leer: nächste freie Zeiten)", "day", "date"),
                    align="end",
                    width="100%",
                ),
                rx.hstack(rx.el.input(type="checkbox", id="staff-emergency", name="emergency"),
                          rx.el.label("Dringender Fall: Notfallkontingent nutzen", html_for="staff-emergency"),
                          align="center"),
                rx.button("Freie Zeiten zeigen", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.find_times,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            S.times.length() > 0,
            rx.vstack(
                rx.heading("Freie Zeiten", as_="h2", size="4"),
                rx.el.ul(rx.foreach(S.times, lambda t: rx.el.li(
                    rx.button(t["label"], on_click=S.book(t["iso"]), variant="outline"), list_style="none")),
                    padding="0", margin="0", display="flex", flex_direction="column", gap="0.4rem"),
                width="100%",
            ),
        ),
    )
