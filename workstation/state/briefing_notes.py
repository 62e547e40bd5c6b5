"""State of the notes panel that advisors (and every other staff page) can show."""

import reflex as rx

from workstation.models import Role
from workstation.services import briefing_board, briefing_notes
from workstation.state.auth import AuthState, acting_user, require_role


class BriefingNotesState(AuthState):
    """Current news and questions of the user's office, read when the panel appears."""

    current_notes: list[dict] = []

    @rx.event
    @require_role(*Role)
    def load_notes(self):
        """Read the notes that are current now (expired ones are gone, pinned ones first)."""
        self.current_notes = briefing_board.note_rows(briefing_notes.current_notes(acting_user().office_id))
