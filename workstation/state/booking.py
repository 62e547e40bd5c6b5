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
from workstation.services.booking import attachments, bookings, holds, limits, offices, public
from workstation.services.booking.errors import BookingError
from workstation.state.booking_texts import TEXTS


def client_of(state: rx.State) -> str:
    """The client the rate limit counts: the browser's address, else its session token."""
    return state.router.session.client_ip or state.router.session.client_token


def choice_value(start: datetime, office_code: str) -> str:
    """What a time button sends back: the start (naive UTC ISO) and the office it was offered for."""
    return f"{start.isoformat()}@{office_code}"


def time_rows(choices: list[str], lang: str, names: dict[str, str], *, with_day: bool = True) -> list[dict[str, str]]:
    """Buttons of free times; with `names` (offices by code, "any office" only) each says its office."""
    rows = []
    for value in choices:
        iso, _, code = value.partition("@")
        label = public.time_label(datetime.fromisoformat(iso), lang, with_day=with_day)
        rows.append({"iso": value, "label": f"{label} – {names[code]}" if code in names else label})
    return rows


class BookingTimes(rx.State):
    """Choosing a time for a set of concerns: next free times, the month calendar, a day's times.

    Shared by the booking page and the change page (moving a booking); `_items` are the concerns and
    `_scope` the office's code or "any office" (`offices.ANY`).
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
    _scope: str = ""
    _office_names: dict[str, str] = {}
    _first_isos: list[str] = []
    _day_isos: list[str] = []

    @rx.var
    def texts(self) -> dict[str, str]:
        return TEXTS[self.lang]

    def _relabel_times(self) -> None:
        names = self._office_names if self._scope == offices.ANY else {}
        self.first_times = time_rows(self._first_isos, self.lang, names)
        self.day_times = time_rows(self._day_isos, self.lang, names, with_day=False)
        if self.chosen_day:
            self.chosen_day_label = public.day_label(date.fromisoformat(self.chosen_day), self.lang)

    def _load_times(self, items: list[tuple[int, int]]) -> None:
        """Next free times and the calendar month of the first one (or of today)."""
        self._items = items
        self.chosen_day, self.chosen_day_label, self._day_isos = "", "", []
        found = public.first_times(items, client_of(self), self._scope)
        self._first_isos = [choice_value(start, code) for start, code in found]
        months = public.bookable_months()
        self.month_count = len(months)
        first = clock.to_local(found[0][0]).date() if found else None
        self.month_index = months.index((first.year, first.month)) if first else 0
        self._show_month()
        self._relabel_times()

    def _show_month(self) -> None:
        year, month = public.bookable_months()[self.month_index]
        self.weeks = public.month_grid(self._items, year, month, self.lang, client_of(self), self._scope)
        self.month_label = f"{public.MONTHS[self.lang][month - 1]} {year}"
        self._mark_tab_stop()

    def _mark_tab_stop(self) -> None:
        """One day of the calendar grid is in the Tab order: the chosen day, else the first free one, else the
        first of the month (the arrow keys reach the others, see assets/booking_calendar.js)."""
        days = [cell for week in self.weeks for cell in week if cell["day"]]
        stop = next((c["iso"] for c in days if c["iso"] == self.chosen_day), None) or \
            next((c["iso"] for c in days if c["free"]), None) or (days[0]["iso"] if days else "")
        self.weeks = [[{**cell, "tab": "0" if cell["day"] and cell["iso"] == stop else "-1"} for cell in week]
                      for week in self.weeks]

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
            self._day_isos = [choice_value(start, code)
                              for start, code in public.day_times(self._items, day, client_of(self), self._scope)]
        except (BookingError, ValueError) as exc:
            self.error = exc.text(self.lang) if isinstance(exc, BookingError) else ""
            return
        self.error = ""
        self.chosen_day = iso
        self._mark_tab_stop()
        self._relabel_times()

    def _hold(self, value: str, release: str | None = None) -> holds.Hold:
        """Hold a chosen time button's start at its office (within this page's scope)."""
        iso, _, code = str(value).partition("@")
        return public.hold(self._items, public.start_from_iso(iso), code or self._scope, self._scope, release)


class BookingState(BookingTimes):
    """The booking of this browser tab: concerns, time, details, confirmation."""

    step: str = "concerns"
    offices: list[dict[str, str]] = []
    choose_office_step: bool = False
    office_label: str = ""
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
        """Read the offices and the catalogue (a finished booking starts afresh).

        In a city the citizen first chooses the office or "any office"; `?amt=<code>` (or `?amt=*`) chooses
        it by link. A single office has nothing to choose."""
        if self.step == "done":
            self.step, self.counts, self.booked = "concerns", {}, {}
        self.offices = public.office_rows()
        self._office_names = {row["code"]: row["name"] for row in self.offices}
        self.choose_office_step = len(self.offices) > 1
        wanted = public.scope_of(self.router.url.query_parameters.get("amt", "")[:8], self.offices)
        if wanted or self._scope == offices.ANY or self._scope in self._office_names:
            self._enter_scope(wanted or self._scope)
        else:
            self._scope, self.step = "", "office"

    def _enter_scope(self, scope: str) -> None:
        if scope != self._scope:
            self._release()
            self.counts, self.step = {}, "concerns"
        self._scope = scope
        any_office = TEXTS[self.lang]["any_office"]
        self.office_label = any_office if scope == offices.ANY else self._office_names.get(scope, "")
        self.services = public.catalogue_rows(self.lang, scope)
        self._summarise()

    @rx.event
    def choose_office(self, code: str):
        """The office to book at, or `offices.ANY` for the earliest free time in any office."""
        scope = public.scope_of(str(code)[:8], self.offices)
        if not scope:
            return
        self._enter_scope(scope)
        self.error, self.step = "", "concerns"

    @rx.event
    def back_to_offices(self):
        self._release()
        self.step, self.error = "office", ""

    @rx.event
    def toggle_language(self):
        """Switch between German and English; the choice stays."""
        self.lang = "en" if self.lang == "de" else "de"
        if self._scope:
            self._enter_scope(self._scope)
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
        result = public.summary(self._chosen_items(), self.lang, self._scope)
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
            held = self._hold(iso, release=self._hold_token or None)
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self._hold_token = held.token
        code = str(iso).partition("@")[2]
        where = f" – {self._office_names[code]}" if self.choose_office_step and code in self._office_names else ""
        self.chosen_label = public.time_label(held.start, self.lang) + where
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
                       "place": f"{booked.office_name}, {booked.office_address or booked.office_city}",
                       "hours": booked.opening_hours,
                       "concerns": booked.concerns, "documents": booked.documents}
        self.step = "done"
