"""State of the notes panel that advisors (and every other staff page) can show.

The panel is live: a note the team lead writes, pins, answers or withdraws during the day appears on
the open counter screens within a second, without a reload. Its `listen` task sleeps on the office's
notes signal (not the queue's, so calls at the counters do not re-read notes) and re-reads at each
minute boundary too, when a note may have expired.
"""

import reflex as rx

from workstation import routes
from workstation.models import Role
from workstation.services.briefing import board as briefing_board
from workstation.services.briefing import notes as briefing_notes
from workstation.services.common import changes
from workstation.state.auth import AuthState, acting_user, require_role
from workstation.state.live import office_changes, run_refresh


def _rows(office_id: int) -> list[dict]:
    return briefing_board.note_rows(briefing_notes.current_notes(office_id))


class BriefingNotesState(AuthState):
    """Current news and questions of the user's office, read when the panel appears and on every change."""

    current_notes: list[dict] = []
    _listener: int = 0

    @rx.event
    @require_role(*Role)
    def load_notes(self):
        """Read the notes that are current now (expired ones are gone, pinned ones first), then stay live."""
        self.current_notes = _rows(acting_user().office_id)
        return BriefingNotesState.listen

    @rx.event
    @require_role(*Role)
    def reload_notes(self):
        """Read the notes again now (the panel's refresh button)."""
        self.current_notes = _rows(acting_user().office_id)

    @rx.event(background=True)
    @require_role(*Role)
    async def listen(self):
        """Re-read the notes after each change of the office's notes; ends when the panel mounts anew, its
        page is left or the login ends."""
        user = acting_user()
        async with self:
            self._listener += 1
            mine, page = self._listener, routes.normalize(self.router.url.path)
        async for _changed in office_changes(user.office_id, lambda: self._verified_user() is not None,
                                            changes.NOTES):
            rows = await run_refresh(_rows, user.office_id)
            async with self:
                if self._listener != mine or routes.normalize(self.router.url.path) != page:
                    return
                self.current_notes = rows
