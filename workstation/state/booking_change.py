"""Public cancel/move page state: the link's token stays on the server; German or English."""

from datetime import datetime

import reflex as rx

from workstation.config import settings
from workstation.services.booking import changes, public
from workstation.services.booking.changes import BookingView
from workstation.services.booking.errors import BookingError
from workstation.state.booking import BookingTimes
from workstation.state.booking_texts import TEXTS


class BookingChangeState(BookingTimes):
    """The booking behind the link of this tab, and what the citizen did with it."""

    found: bool = False
    code: str = ""
    when: str = ""
    concerns: list[str] = []
    documents: list[str] = []
    cancelled: bool = False
    changeable: bool = False
    moving: bool = False
    done_message: str = ""
    closed_text: str = ""
    _token: str = ""
    _start: str = ""
    _request: list[tuple[int, int]] = []

    def _show(self, view: BookingView) -> None:
        self.found, self.code, self._start = True, view.code, view.start.isoformat()
        self.when = public.time_label(view.start, self.lang)
        self.concerns, self.documents, self._request = view.concerns, view.documents, view.request
        self.cancelled, self.changeable = view.cancelled, view.changeable
        self._scope = view.office_code
        self.closed_text = TEXTS[self.lang]["change_closed"].format(hours=settings().booking_change_until_hours)

    @rx.event
    def load(self):
        """Read the token from the link (?t=…) and show its booking."""
        self._token = self.router.url.query_parameters.get("t", "")[:64]
        self.moving, self.done_message, self.found = False, "", False
        if not self._token:
            self.error = TEXTS[self.lang]["missing_link"]
            return
        try:
            self._show(changes.lookup(self._token))
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self.error = ""

    @rx.event
    def toggle_language(self):
        """Switch between German and English."""
        self.lang = "en" if self.lang == "de" else "de"
        if self._start:
            self.when = public.time_label(datetime.fromisoformat(self._start), self.lang)
            self.closed_text = TEXTS[self.lang]["change_closed"].format(hours=settings().booking_change_until_hours)
        self._relabel_times()
        if self.weeks:
            try:
                self._show_month()
            except BookingError as exc:
                self.error = exc.text(self.lang)

    @rx.event
    def cancel(self):
        """Cancel the booking (a second click finds it cancelled and says so)."""
        try:
            self._show(changes.cancel(self._token))
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self.error, self.moving, self.done_message = "", False, TEXTS[self.lang]["cancelled"]

    @rx.event
    def start_move(self):
        """Offer free times for the same concerns."""
        try:
            self._load_times(self._request)
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self.error, self.moving = "", True

    @rx.event
    def choose_new(self, iso: str):
        """Hold the new time and move the booking there in one go."""
        try:
            held = self._hold(iso)
            self._show(changes.move(self._token, held.token))
        except BookingError as exc:
            self.error = exc.text(self.lang)
            return
        self.error, self.moving, self.done_message = "", False, TEXTS[self.lang]["moved"]
