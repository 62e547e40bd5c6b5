"""Public status page state: no login, no personal data, German or English."""

from typing import Any

import reflex as rx

from workstation.services.pickup import status_lookup as document_status
from workstation.services.pickup.status_lookup import Answer

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Ist mein Dokument abholbereit?",
        "intro": "Geben Sie die Seriennummer Ihres neuen Ausweises, Passes oder Führerscheins mit der Prüfziffer "
                 "ein (10 Zeichen, steht auf Ihrer Antragsbestätigung). Wir zeigen nur den Bearbeitungsstand.",
        "label": "Seriennummer mit Prüfziffer",
        "button": "Status abfragen",
        "language": "English",
        Answer.INVALID: "Diese Nummer ist nicht gültig. Bitte prüfen Sie die 9 Zeichen und die Prüfziffer.",
        Answer.NOT_READY: "Ihr Dokument ist noch nicht abholbereit. Sie werden benachrichtigt, sobald es da ist.",
        Answer.READY: "Ihr Dokument ist abholbereit. Bitte bringen Sie Ihr bisheriges Dokument mit.",
        Answer.COLLECTED: "Dieses Dokument wurde bereits abgeholt.",
        Answer.POSTED: "Dieses Dokument wurde Ihnen direkt per Post zugesandt.",
        Answer.CONTACT_OFFICE: "Bitte wenden Sie sich an das Bürgerbüro.",
        Answer.LIMITED: "Zu viele Abfragen. Bitte versuchen Sie es in einigen Minuten erneut.",
    },
    "en": {
        "title": "Is my document ready for collection?",
        "intro": "Enter the serial number of your new ID card, passport or driving licence with its check digit "
                 "(10 characters, printed on your application receipt). We only show the processing status.",
        "label": "Serial number with check digit",
        "button": "Check status",
        "language": "Deutsch",
        Answer.INVALID: "This number is not valid. Please check the 9 characters and the check digit.",
        Answer.NOT_READY: "Your document is not ready yet. You will be notified as soon as it has arrived.",
        Answer.READY: "Your document is ready for collection. Please bring your previous document.",
        Answer.COLLECTED: "This document has already been collected.",
        Answer.POSTED: "This document was sent to you directly by post.",
        Answer.CONTACT_OFFICE: "Please contact the citizen office.",
        Answer.LIMITED: "Too many requests. Please try again in a few minutes.",
    },
}
GOOD = frozenset({Answer.READY})


class CitizenStatusState(rx.State):
    """The question and the answer of this browser tab (deliberately not an AuthState: no login)."""

    lang: str = "de"
    answer: str = ""
    busy: bool = False

    @rx.var
    def texts(self) -> dict[str, str]:
        return TEXTS[self.lang]

    @rx.var
    def answer_text(self) -> str:
        return TEXTS[self.lang].get(self.answer, "") if self.answer else ""

    @rx.var
    def answer_ready(self) -> bool:
        return self.answer in GOOD

    @rx.event
    def toggle_language(self):
        """Switch between German and English."""
        self.lang = "en" if self.lang == "de" else "de"

    @rx.event
    async def check(self, form_data: dict[str, Any]):
        """Look the number up; the answer is padded to a fixed minimum time and rate-limited per client."""
        if self.busy:
            return
        self.busy = True
        yield
        client = self.router.session.client_ip or self.router.session.client_token
        try:
            self.answer = await document_status.lookup_padded(str(form_data.get("serial", ""))[:32], client)
        finally:
            self.busy = False
