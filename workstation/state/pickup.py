"""Pickup desk state: waiting documents, the scanned document, hand-over, feed entries to resolve."""

from typing import Any

import reflex as rx

from workstation import clock, db
from workstation.formatting import range_de
from workstation.models import Role
from workstation.services.pickup import desk as pickup
from workstation.state import paging
from workstation.state.auth import AuthState, acting_user, require_role

DESK_ROLES = (Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN)
"""Rows of the document list per page (the shelf holds thousands; the count stands above the list)."""
STATUS_DE = {"shipped": "unterwegs", "arrived": "eingetroffen", "handed_over": "ausgehändigt"}
CHANNEL_DE = {"email": "E-Mail", "sms": "SMS", "none": "keine"}


def _when(value) -> str:
    return f"{clock.to_local(value):%d.%m.%Y %H:%M}" if value else ""


def _document(row: pickup.WaitingDocument) -> dict[str, Any]:
    """A waiting document as plain, display-ready values (no contact data leaves the server)."""
    return {
        "id": row.application_id,
        "application_number": row.application_number,
        "doc_name": row.doc_name,
        "serial_number": row.serial_number,
        "status": row.status,
        "status_de": STATUS_DE.get(row.status, row.status),
        "citizen_name": row.citizen_name,
        "arrived": _when(row.arrived_at),
        "days_waiting": row.days_waiting,
        "channel_de": CHANNEL_DE.get(row.notify_channel, row.notify_channel),
        "notified": row.notified,
        "reminded": row.reminded,
        "confirmed": row.confirmed,
        "overdue": row.overdue,
        "holding_over": row.holding_over,
        "eid": row.doc_type in pickup.EID_DOCUMENTS,
        "handed_over": _when(row.handed_over_at),
        "handed_over_by": row.handed_over_by,
        "collected_by": row.representative_name or "persönlich",
        "ready": row.status == "arrived",
    }


class PickupState(AuthState):
    """What the pickup desk sees; every handler checks the role on the server."""

    documents: list[dict[str, Any]] = []
    total: int = 0
    offset: int = 0
    range_label: str = ""
    search: str = ""
    status_filter: str = "arrived"
    scan_error: str = ""
    selected: dict[str, Any] = {}
    with_representative: bool = False
    rejections: list[dict[str, Any]] = []
    last_handover: str = ""

    @rx.var
    def has_selection(self) -> bool:
        return bool(self.selected)

    @rx.var
    def has_previous_page(self) -> bool:
        return self.offset > 0

    @rx.var
    def has_next_page(self) -> bool:
        return self.offset + paging.PAGE_SIZE < self.total

    @rx.event
    @require_role(*DESK_ROLES)
    def previous_page(self):
        """The page before (the list keeps its search and filter)."""
        self.offset = paging.turn(self.offset, self.total, forward=False)
        self._reload()

    @rx.event
    @require_role(*DESK_ROLES)
    def next_page(self):
        """The page after."""
        self.offset = paging.turn(self.offset, self.total, forward=True)
        self._reload()

    def _reload(self) -> None:
        status = "" if self.status_filter == "all" else self.status_filter
        office_id = acting_user().office_id
        self.total = pickup.waiting_count(self.search, status, office_id=office_id)
        self.offset = paging.clamp(self.offset, self.total)
        rows = pickup.waiting(self.search, status, limit=paging.PAGE_SIZE, offset=self.offset, office_id=office_id)
        self.documents = [_document(r) for r in rows]
        self.range_label = range_de(self.offset, len(rows), self.total)
        self.rejections = [
            {"id": r.id, "created": _when(r.created_at), "filename": r.filename, "serial_number": r.serial_number,
             "application_number": r.application_number, "feed_status": r.feed_status, "reason": r.reason}
            for r in pickup.open_rejections(office_id=office_id)
        ]

    @rx.event
    @require_role(*DESK_ROLES)
    def load(self):
        """on_load: the list, and nothing selected."""
        self.selected = {}
        self.scan_error = self.last_handover = ""
        self._reload()

    @rx.event
    @require_role(*DESK_ROLES)
    def set_search(self, value: str):
        """Search by name, serial number or application number (as one types)."""
        self.search = value
        self.offset = 0
        self._reload()

    @rx.event
    @require_role(*DESK_ROLES)
    def set_status_filter(self, value: str):
        """Show arrived, on the way, overdue or all documents."""
        self.status_filter = value
        self.offset = 0
        self._reload()

    @rx.event
    @require_role(*DESK_ROLES)
    def scan(self, form_data: dict[str, Any]):
        """A scanned or typed serial number with check digit selects its document."""
        self.last_handover = ""
        try:
            row = db.retry_once(pickup.find_by_scan, str(form_data.get("serial", "")), acting_user().id,
                                office_id=acting_user().office_id)
        except pickup.PickupError as err:
            self.scan_error = err.message
            self.selected = {}
            return None
        self.scan_error = ""
        self.with_representative = False
        self.selected = _document(row)
        return None

    @rx.event
    @require_role(*DESK_ROLES)
    def select(self, application_id: int):
        """Pick a document from the list (same as scanning it)."""
        match = next((d for d in self.documents if d["id"] == application_id), None)
        if match is None:
            return None
        self.scan_error = self.last_handover = ""
        self.with_representative = False
        self.selected = match
        return None

    @rx.event
    @require_role(*DESK_ROLES)
    def clear_selection(self):
        """Back to the list without handing anything over."""
        self.selected = {}

    @rx.event
    @require_role(*DESK_ROLES)
    def set_with_representative(self, value: bool):
        """Someone else collects: ask for the name and the power of attorney."""
        self.with_representative = bool(value)

    @rx.event
    @require_role(*DESK_ROLES)
    def confirm_arrival(self):
        """The delivered document is physically at the desk."""
        if not self.selected:
            return None
        try:
            db.retry_once(pickup.confirm_arrival, int(self.selected["id"]), acting_user().id,
                          office_id=acting_user().office_id)
        except pickup.PickupError as err:
            return rx.toast.error(err.message)
        self.selected = {**self.selected, "confirmed": True}
        self._reload()
        return rx.toast.success("Eingang bestätigt.")

    @rx.event
    @require_role(*DESK_ROLES)
    def hand_over(self, form_data: dict[str, Any]):
        """Hand the selected document over after the checks of the form."""
        if not self.selected:
            return rx.toast.error("Bitte zuerst ein Dokument scannen oder auswählen.")
        representative = str(form_data.get("representative_name", "")).strip() if self.with_representative else ""
        if self.with_representative and not representative:
            return rx.toast.error("Bitte den Namen der bevollmächtigten Person eintragen.")
        form = pickup.HandOver(
            identity_checked=bool(form_data.get("identity_checked")),
            old_document=str(form_data.get("old_document", "")),
            pin_letter_handed=bool(form_data.get("pin_letter_handed")),
            representative_name=representative,
            power_of_attorney_checked=bool(form_data.get("power_of_attorney_checked")),
        )
        try:
            db.retry_once(pickup.hand_over, int(self.selected["id"]), form, acting_user().id,
                          office_id=acting_user().office_id)
        except pickup.PickupError as err:
            return rx.toast.error(err.message)
        self.last_handover = (f"{self.selected['doc_name']} {self.selected['serial_number']} an "
                              f"{representative or self.selected['citizen_name']} ausgehändigt.")
        self.selected = {}
        self.with_representative = False
        self._reload()
        return rx.toast.success(self.last_handover)

    @rx.event
    @require_role(*DESK_ROLES)
    def mark_returned(self):
        """The holding period is over and the document went back or was destroyed."""
        if not self.selected:
            return None
        try:
            db.retry_once(pickup.mark_returned, int(self.selected["id"]), acting_user().id,
                          office_id=acting_user().office_id)
        except pickup.PickupError as err:
            return rx.toast.error(err.message)
        self.selected = {}
        self._reload()
        return rx.toast.success("Als zurückgegeben bzw. vernichtet vermerkt.")

    @rx.event
    @require_role(*DESK_ROLES)
    def resolve(self, form_data: dict[str, Any]):
        """Close a feed entry the desk has clarified, with a note how."""
        try:
            db.retry_once(pickup.resolve_rejection, int(form_data.get("rejection_id", 0)),
                          str(form_data.get("note", "")), acting_user().id, office_id=acting_user().office_id)
        except (pickup.PickupError, ValueError) as err:
            return rx.toast.error(getattr(err, "message", "Ungültiger Eintrag."))
        self._reload()
        return rx.toast.success("Als geklärt vermerkt.")
