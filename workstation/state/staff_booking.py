"""Staff booking (Terminvergabe): reception and advisors book for a caller or a person at the desk."""

from datetime import date, datetime
from typing import Any

import reflex as rx

from workstation.models import Role
from workstation.models.enums import BookingChannel
from workstation.services.booking import attachments, bookings, public, staff
from workstation.services.booking.errors import BookingError
from workstation.state.auth import AuthState, acting_user, require_role

BOOKING_ROLES = (Role.RECEPTION, Role.ADVISOR, Role.TEAM_LEAD, Role.ADMIN)


class StaffBookingState(AuthState):
    """The caller's concerns and details, the offered times, and the booking made."""

    services: list[dict[str, Any]] = []
    counts: dict[str, str] = {}
    times: list[dict[str, str]] = []
    message: str = ""
    booked: dict[str, str] = {}
    _form: dict[str, Any] = {}

    @rx.event
    @require_role(*BOOKING_ROLES)
    def load(self):
        """The whole active catalogue; a new caller starts with an empty form."""
        self.services = staff.catalogue_rows(acting_user().office_id)
        self.times, self.message, self.booked = [], "", {}

    @rx.event
    @require_role(*BOOKING_ROLES)
    def set_count(self, service_id: str, value: str):
        count = str(value) if str(value).isdigit() and len(str(value)) <= 2 else "0"
        self.counts = {**self.counts, str(service_id)[:12]: count}

    def _items(self) -> list[tuple[int, int]]:
        return [(int(k), int(v)) for k, v in self.counts.items() if k.isdigit() and v.isdigit() and int(v) > 0]

    @rx.event
    @require_role(*BOOKING_ROLES)
    def find_times(self, form_data: dict[str, Any]):
        """Keep the caller's details and list the free times (of one day if a day was given)."""
        self._form = {k: str(form_data.get(k, ""))[:300] for k in ("first_name", "last_name", "email", "phone",
                                                                    "channel", "day")}
        self._form["emergency"] = bool(form_data.get("emergency"))
        try:
            day = date.fromisoformat(self._form["day"]) if self._form["day"] else None
            found = staff.free_times(acting_user().office_id, self._items(), emergency=self._form["emergency"], day=day)
        except (BookingError, ValueError) as exc:
            self.message = exc.message if isinstance(exc, BookingError) else "Bitte ein gültiges Datum wählen."
            self.times = []
            return
        self.times = [{"iso": t.isoformat(), "label": public.time_label(t, "de")} for t in found]
        self.message = "" if found else "Keine freie Zeit gefunden."
        self.booked = {}

    @rx.event
    @require_role(*BOOKING_ROLES)
    def book(self, iso: str):
        """Book the chosen time for the caller; shows the code to read out or print."""
        acting_user()
        form = self._form
        channel = BookingChannel.COUNTER if form.get("channel") == "counter" else BookingChannel.PHONE
        try:
            booked = bookings.book_for_caller(acting_user().office_id, self._items(), datetime.fromisoformat(iso),
                                              form.get("first_name", ""), form.get("last_name", ""),
                                              form.get("email") or None, form.get("phone") or None, channel=channel,
                                              emergency=bool(form.get("emergency")))
        except BookingError as exc:
            self.message = exc.message
            return
        self.times, self.message, self.counts = [], "", {}
        self.booked = {"code": booked.code, "qr": attachments.qr_data_uri(booked.code),
                       "when": public.time_label(booked.start, "de"), "concerns": ", ".join(booked.concerns),
                       "documents": ", ".join(booked.documents)}
