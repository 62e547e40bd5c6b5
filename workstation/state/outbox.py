"""Postausgang state: what was sent to citizens, what waits, what failed."""

from typing import Any

import reflex as rx

from workstation import clock
from workstation.config import settings
from workstation.models import Role
from workstation.services.messaging import outbox
from workstation.state.auth import AuthState, acting_user, require_role

OUTBOX_ROLES = (Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN)
STATUS_DE = {"pending": "wartet", "sent": "gesendet", "failed": "fehlgeschlagen", "cancelled": "entfallen"}
KIND_DE = {"arrival": "Abholbereit", "reminder": "Erinnerung"}


def _when(value) -> str:
    return f"{clock.to_local(value):%d.%m.%Y %H:%M}" if value else ""


class OutboxState(AuthState):
    """The outbox listing and, on the embedded default, the mails the local sink received."""

    rows: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    status_filter: str = ""
    sink_mails: list[dict[str, str]] = []
    embedded_sink: bool = False

    def _reload(self) -> None:
        self.rows = [
            {"id": r.id, "created": _when(r.created_at), "kind_de": KIND_DE.get(r.kind, r.kind),
             "channel": r.channel.upper(), "recipient": r.recipient, "subject": r.subject, "body": r.body,
             "status": r.status, "status_de": STATUS_DE.get(r.status, r.status), "attempts": r.attempts,
             "next_attempt": _when(r.next_attempt_at) if r.status == "pending" else "", "sent": _when(r.sent_at),
             "last_error": r.last_error}
            for r in outbox.listing(self.status_filter or None, viewer_id=acting_user().id,
                                     office_id=acting_user().office_id)
        ]
        self.counts = {STATUS_DE.get(k, k): v for k, v in outbox.counts(office_id=acting_user().office_id).items()}
        self.embedded_sink = not settings().smtp_host
        self.sink_mails = [
            {"received": f"{m.received.astimezone(clock.BERLIN):%d.%m.%Y %H:%M}" if m.received else "", "to": m.to,
             "subject": m.subject, "body": m.body}
            for m in outbox.sink_mails(office_id=acting_user().office_id, limit=50)
        ] if self.embedded_sink else []

    @rx.event
    @require_role(*OUTBOX_ROLES)
    def load(self):
        """on_load and the refresh button."""
        self._reload()

    @rx.event
    @require_role(*OUTBOX_ROLES)
    def set_status_filter(self, value: str):
        """Show one status, or all."""
        self.status_filter = value
        self._reload()

    @rx.event
    @require_role(*OUTBOX_ROLES)
    def retry(self, notification_id: int):
        """Queue a failed message again."""
        if not outbox.retry(notification_id, office_id=acting_user().office_id):
            return rx.toast.error("Diese Nachricht ist nicht fehlgeschlagen.")
        self._reload()
        return rx.toast.success("Wird beim nächsten Versandlauf erneut gesendet.")
