"""State of the briefing board: copies the board view into vars and passes note actions to the service."""

from dataclasses import asdict
from typing import Any

import reflex as rx

from workstation.models import Role
from workstation.services.briefing import board as briefing_board
from workstation.services.briefing import notes as briefing_notes
from workstation.services.briefing.notes import NoteError
from workstation.state.auth import AuthState, acting_user, require_role

LEADS = (Role.TEAM_LEAD, Role.ADMIN)


class BriefingState(AuthState):
    """The 07:45 board for team leads: yesterday, today, notes, staffing; presentation mode is a toggle."""

    title: str = ""
    today_title: str = ""
    review_title: str = ""
    source: str = ""
    yesterday_cards: list[dict[str, str]] = []
    served_chart: list[dict] = []
    longest_waits: list[str] = []
    overruns: list[str] = []
    closed_counters: str = ""
    today_cards: list[dict[str, str]] = []
    hours_chart: list[dict] = []
    hours_table: list[dict[str, str]] = []
    dealer_batches: list[dict[str, str]] = []
    desks: list[dict[str, str]] = []
    staffing_summary: str = ""
    notes: list[dict] = []
    loaded: bool = False
    presenting: bool = False

    note_kind: str = "news"
    note_error: str = ""
    answering_id: int = 0
    answer_text: str = ""
    answer_error: str = ""

    def _refresh(self) -> None:
        user = acting_user()
        view = briefing_board.board_view(user.office_id, user.id)
        for name, value in asdict(view).items():
            setattr(self, name, value)
        self.loaded = True

    @rx.event
    @require_role(*LEADS)
    def load(self):
        """Read the whole board (on page load and on "Aktualisieren")."""
        self._refresh()

    @rx.event
    def set_presenting(self, on: bool):
        """Wall-screen mode on/off (only the layout changes; the data is already loaded)."""
        self.presenting = on
        if on:
            return rx.call_script("document.documentElement.requestFullscreen?.().catch(() => {})")
        return rx.call_script("document.fullscreenElement && document.exitFullscreen()")

    @rx.event
    def set_note_kind(self, kind: str | list[str]):
        self.note_kind = kind if isinstance(kind, str) else kind[0]

    @rx.event
    @require_role(*LEADS)
    def add_note(self, form_data: dict[str, Any]):
        """Save a news item or question from the form; on bad input keep the text and say why."""
        user = acting_user()
        try:
            briefing_notes.create_note(
                user.office_id,
                user.id,
                self.note_kind,
                str(form_data.get("body", "")),
                pinned=bool(form_data.get("pinned")),
                expires_at=briefing_notes.parse_expiry(str(form_data.get("expires", ""))),
            )
        except NoteError as err:
            self.note_error = str(err)
            return None
        self.note_error = ""
        self._refresh()
        return [rx.set_value("note-body", ""), rx.set_value("note-expires", ""), rx.toast.success("Notiz gespeichert.")]

    @rx.event
    @require_role(*LEADS)
    def toggle_pin(self, note_id: int, pinned: bool):
        """Pin or release a note; `pinned` is what the screen showed, so a double click does not undo itself."""
        try:
            briefing_notes.set_pinned(acting_user().office_id, int(note_id), not pinned)
        except NoteError as err:
            return rx.toast.error(str(err))
        self._refresh()
        return None

    @rx.event
    @require_role(*LEADS)
    def withdraw_note(self, note_id: int):
        """Take a note off the board now."""
        try:
            briefing_notes.withdraw(acting_user().office_id, int(note_id))
        except NoteError as err:
            return rx.toast.error(str(err))
        self._refresh()
        return rx.toast.success("Notiz zurückgezogen.")

    @rx.event
    def start_answer(self, note_id: int):
        """Open the answer field under one question."""
        self.answering_id = int(note_id)
        self.answer_text = ""
        self.answer_error = ""

    @rx.event
    def cancel_answer(self):
        self.answering_id = 0

    @rx.event
    def set_answer_text(self, text: str):
        self.answer_text = text

    @rx.event
    @require_role(*LEADS)
    def save_answer(self):
        """Mark the open question answered with the typed answer."""
        try:
            briefing_notes.answer_question(acting_user().office_id, self.answering_id, self.answer_text)
        except NoteError as err:
            self.answer_error = str(err)
            return None
        self.answering_id = 0
        self.answer_text = ""
        self.answer_error = ""
        self._refresh()
        return rx.toast.success("Frage als beantwortet markiert.")
