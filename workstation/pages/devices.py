"""Geräte: the lobby's check-in terminals, call displays and feedback terminals (team lead, admin)."""

import reflex as rx

from workstation import routes
from workstation.components.data_table import data_table
from workstation.components.layout import page_shell
from workstation.services.lobby.devices import KIND_LABELS, ORIENTATIONS, ROW_CHOICES, DeviceRow
from workstation.state.auth import AuthState
from workstation.state.devices_admin import DevicesState

_SELECT_STYLE = {"height": "2rem", "padding": "0 0.5rem"}


def _select(label: str, field_id: str, name: str, options: dict[str, str], default: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options.items()],
            id=field_id,
            name=name,
            default_value=default,
            style=_SELECT_STYLE,
        ),
    )


def _create_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.hstack(
                _select("Art", "device-kind", "kind", dict(KIND_LABELS), "checkin"),
                rx.vstack(
                    rx.el.label("Name", html_for="device-name"),
                    rx.input(id="device-name", name="name", required=True, placeholder="Eingang links"),
                ),
                _select("Zeilen (Aufrufanzeige)", "device-rows", "rows", {str(n): str(n) for n in ROW_CHOICES}, "8"),
                _select("Format (Aufrufanzeige)", "device-orientation", "orientation", ORIENTATIONS, "landscape"),
                rx.button("Gerät anlegen", type="submit"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=DevicesState.create,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _pairing() -> rx.Component:
    return rx.cond(
        DevicesState.pairing_code != "",
        rx.callout.root(
            rx.callout.text(DevicesState.pairing_notice),
            rx.text(DevicesState.pairing_code, size="8", weight="bold", data_testid="pairing-code"),
            rx.callout.text(
                "Auf dem Gerät die Seite ",
                rx.code(routes.DEVICE_PAIR),
                " öffnen und den Code eingeben, oder diesen Link im Kiosk-Browser öffnen:",
            ),
            rx.code(DevicesState.pairing_link, data_testid="pairing-link"),
            role="status",
            width="100%",
        ),
    )


def _row(device: DeviceRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(device.name),
        rx.table.cell(device.kind_label),
        rx.table.cell(device.layout),
        rx.table.cell(device.state),
        rx.table.cell(device.last_seen),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Neuer Kopplungscode",
                    size="1",
                    variant="soft",
                    on_click=DevicesState.new_code(device.id, device.name),
                ),
                rx.cond(
                    ~device.revoked,
                    rx.button(
                        "Sperren", size="1", variant="soft", color_scheme="red", on_click=DevicesState.revoke(device.id)
                    ),
                ),
                spacing="2",
            )
        ),
    )


@rx.page(route=routes.DEVICES, title="Geräte – Bürgerbüro", on_load=[AuthState.guard_page, DevicesState.load])
def devices_page() -> rx.Component:
    """Create a device, pair it with the one-time code, revoke it."""
    return page_shell(
        "Geräte im Wartebereich",
        rx.text(
            "Check-in-Terminals, Aufrufanzeigen und Feedback-Terminals sind Browser im Kiosk-Modus. Sie "
            "werden einmal gekoppelt und melden sich nie mit einem Dienstkonto an (siehe docs/lobby.md)."
        ),
        _create_form(),
        _pairing(),
        data_table("Geräte", ("Name", "Art", "Layout", "Status", "Zuletzt gesehen"), DevicesState.device_rows, _row,
                   action_header="Aktionen", empty="Noch keine Geräte angelegt."),
    )
