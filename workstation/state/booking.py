"""Public booking page state: no login; German or English; the hold token stays on the server.

Each handler calls the booking services and keeps only display values; every rule and check is in
`services/booking`. The proof of work runs in the browser (assets/booking_pow.js) between "Buchen"
and the server's confirmation: `submit` sends the signed challenge, `finish` receives the solution.
"""

import json
from datetime import date, datetime
from typing import Any

import reflex as rx

from workstation import clock
from workstation.services.booking import attachments, bookings, holds, limits, public
from workstation.services.booking.errors import BookingError
from workstation.state.booking_texts import TEXTS


def client_of(state: rx.State) -> str:
    """The client the rate limit counts: the browser's address, else its session token."""
    return state.router.session.client_ip or state.router.session.client_token


def time_rows(isos: list[str], lang: str, *, with_day: bool = True) -> list[dict[str, str]]:
    return [{"iso": iso, "label": public.time_label(datetime.fromisoformat(iso), lang, with_day=with_day)}
            for iso in isos]


class BookingTimes(rx.State):
    """Choosing a time for a set of concerns: next free times, the month calendar, a day's times.

    Shared by the booking page and the change page (moving a booking); `_items` are the concerns.
    """

    lang: str = "de"
    error: str = ""
    first_times: list[dict[str, str]] = []
    weeks: list[list[dict[str, str]]] = []
    month_label: str = ""
    month_index: int = 0
    month_count: int = 1
    chosen_day: str = ""
    chosen_day_label: str = ""
    day_times: list[dict[str, str]] = []
    _items: list[tuple[int, int]] = []
    _first_isos: list[str] = []
    _day_isos: list[str] = []

    @rx.var
    def texts(self) -> dict[str, str]:
        return TEXTS[self.lang]

    def _relabel_times(self) -> None:
        self.first_times = time_rows(self._first_isos, self.lang)
        self.day_times = time_rows(self._day_isos, self.lang, with_day=False)
        if self.chosen_day:
            self.chosen_day_label = public.day_label(date.fromisoformat(self.chosen_day), self.lang)

    def _load_times(self, items: list[tuple[int, int]]) -> None:
        """Next free times and the calendar month of the first one (or of today)."""
        self._items = items
        self.chosen_day, self.chosen_day_label, self._day_isos = "", "", []
        self._first_isos = [t.isoformat() for t in public.first_times(items, client_of(self))]
        months = public.bookable_months()
        self.month_count = len(months)
        first = clock.to_local(datetime.fromisoformat(self._first_isos[0])).date() if self._first_isos else None
        self.month_index = months.index((first.year, first.month)) if first else 0
        self._show_month()
        self._relabel_times()

    def _show_month(self) -> None:
        year, month = public.bookable_months()[self.month_index]
        self.weeks = public.month_grid(self._items, year, month, self.lang, client_of(self))
        self.month_label = f"{public.MONTHS[self.lang][month - 1]} {year}"

    @rx.event
    def change_month(self, step: int):
        """Show the previous or next month of the horizon."""
        self.month_index = min(max(self.month_index + int(step), 0), self.month_count - 1)
        try:
            self._show_month()
        except BookingError as exc:
            self.error = exc.text(self.lang)

    @rx.event
    def choose_day(self, iso: str):
        """List every free time of the chosen day."""
        try:
            day = date.fromisoformat(iso)
            self._day_isos = [t.isoformat() for t in public.day_times(self._items, day, client_of(self))]
        except (BookingError, ValueError) as exc:
            self.error = exc.text(self.lang) if isinstance(exc, BookingError) else ""
            return
        self.error = ""
        self.chosen_day = iso
        self._relabel_times()


class BookingState(BookingTimes):
    """The booking of this browser tab: concerns, time, details, confirmation."""

    step: str = "concerns"
    services: list[dict[str, Any]] = []
    counts: dict[str, str] = {}
    summary_labels: list[str] = []
    summary_minutes: int = 0
    summary_documents: list[str] = []
    summary_error: str = ""
    chosen_label: str = ""
    held_until: str = ""
    busy: bool = False
    booked: dict[str, Any] = {}
    _hold_token: str = ""
    _form: dict[str, Any] = {}

    @rx.event
    def load(self):
        """Read the catalogue (a finished booking starts afresh)."""
        if self.step == "done":
            self.step, self.counts, self.booked = "concerns", {}, {}
        self.services = public.catalogue_rows(self.lang)
        self._summarise()

    @rx.event
    def toggle_language(self):
        """Switch between German and English; the choice stays."""
        self.lang = "en" if self.lang == "de" else "de"
        self.services = public.catalogue_rows(self.lang)
        self._summarise()
        self._relabel_times()
        if self.weeks:
            try:
                self._show_month()
            except BookingError as exc:
                self.error = exc.text(self.lang)
        if self.booked:
            self.booked = {**self.booked, "when": public.time_label(datetime.fromisoformat(self.booked["start"]),
                                                                    self.lang)}

    def _chosen_items(self) -> list[tuple[int, int]]:
        return [(int(k), int(v)) for k, v in self.counts.items() if k.isdigit() and v.isdigit() and int(v) > 0]

    def _summarise(self) -> None:
        result = public.summary(self._chosen_items(), self.lang)
        self.summary_labels, self.summary_minutes = result.labels, result.minutes
        self.summary_documents, self.summary_error = result.documents, result.error

    @rx.event
    def set_count(self, service_id: str, value: str):
        """A count chosen in a concern's list box (anything but a small number counts as none)."""
        count = str(value) if str(value).isdigit() and len(str(value)) <= 2 else "0"
        self.counts = {**self.counts, str(service_id)[:12]: count}
        self._summarise()

    @rx.event
    def to_time(self):
        """Go on to choosing a time when the concerns can be booked together."""
        self._summarise()
        if self.summary_error or not self.summary_labels:
            self.summary_error = self.summary_error or TEXTS[self.lang]["nothing_chosen"]
            return
        try:
            self._load_times(self._chosen_items())
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self.error = ""
        self.step = "time"

    @rx.event
    def back_to_concerns(self):
        self._release()
        self.step, self.error = "concerns", ""

    def _release(self) -> None:
        if self._hold_token:
            holds.release(self._hold_token)
            self._hold_token = ""

    @rx.event
    def choose_time(self, iso: str):
        """Hold the chosen time for the form (a previous hold of this tab is given back)."""
        try:
            held = holds.hold(public.office_id(), self._chosen_items(), public.start_from_iso(iso),
                              release=self._hold_token or None)
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self._hold_token = held.token
        self.chosen_label = public.time_label(held.start, self.lang)
        self.held_until = public.time_label(held.expires_at, self.lang, with_day=False)
        self.error, self.step = "", "details"

    @rx.event
    def back_to_time(self):
        self._release()
        self.step, self.error = "time", ""

    @rx.event
    def submit(self, form_data: dict[str, Any]):
        """Keep the form, then let the browser solve the proof of work (its answer comes to `finish`)."""
        if self.busy:
            return None
        self._form = {k: str(form_data.get(k, ""))[:300] for k in ("first_name", "last_name", "email", "phone")}
        self._form["consent"] = bool(form_data.get("consent"))
        self.busy, self.error = True, ""
        challenge = limits.new_challenge(client_of(self))
        return rx.call_script(f"window.bookingProofOfWork({json.dumps(challenge)})", callback=BookingState.finish)

    @rx.event
    def finish(self, payload: str):
        """Book with the solved challenge; on success show the code, the QR code and what to bring."""
        form = self._form
        try:
            booked = bookings.confirm(self._hold_token, form.get("first_name", ""), form.get("last_name", ""),
                                      form.get("email", ""), form.get("phone") or None, form.get("consent", False),
                                      str(payload or ""), client_of(self))
        except BookingError as exc:
            self.error = exc.text(self.lang)
            self.busy = False
            if exc.code == "hold_expired":
                self._hold_token = ""
            return
        self._hold_token, self._form, self.busy = "", {}, False
        self.booked = {"code": booked.code, "qr": attachments.qr_data_uri(booked.code),
                       "start": booked.start.isoformat(), "when": public.time_label(booked.start, self.lang),
                       "place": f"{booked.office_name}, {booked.office_city}", "hours": booked.opening_hours,
                       "concerns": booked.concerns, "documents": booked.documents}
        self.step = "done"
