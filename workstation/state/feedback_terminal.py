"""State of the feedback terminal: faces for the overall impression, optional aspects and a comment.

Anonymous: nothing of the visit or the person is asked or stored. The server takes one vote per
`feedback_gap_seconds` per terminal (`lobby.feedback.submit_vote`).
"""

import asyncio
from typing import Any

import reflex as rx

from workstation.models import DeviceKind
from workstation.services.lobby import feedback
from workstation.state.device import DeviceState, acting_device, require_device
from workstation.state.live import run_action

THANKS_SECONDS = 6
FACE_ICONS = {1: "angry", 2: "frown", 3: "meh", 4: "smile", 5: "laugh"}
FACE_LABELS = {
    "de": {1: "sehr unzufrieden", 2: "unzufrieden", 3: "teils, teils", 4: "zufrieden", 5: "sehr zufrieden"},
    "en": {1: "very dissatisfied", 2: "dissatisfied", 3: "so-so", 4: "satisfied", 5: "very satisfied"},
}
ASPECT_LABELS_EN = {
    "wait_score": "Waiting time",
    "friendliness_score": "Friendliness",
    "competence_score": "Competence",
    "rooms_score": "Rooms",
}
AREA_LABELS_EN = {
    "registration": "Registration",
    "id_documents": "Passports and ID cards",
    "vehicles": "Vehicle registration",
    "driving_licences": "Driving licences",
    "partner": "Partner desks",
}
TEXTS = {
    "de": {
        "title": "Wie zufrieden waren Sie heute?",
        "aspects": "Wenn Sie mögen: Wie war …",
        "area": "Worum ging es? (freiwillig)",
        "comment": "Ihre Anmerkung (freiwillig, bitte ohne Namen)",
        "send": "Bewertung abschicken",
        "thanks": "Vielen Dank für Ihre Rückmeldung!",
        "language": "English",
        "choose": "Bitte wählen Sie zuerst ein Gesicht für Ihren Gesamteindruck.",
    },
    "en": {
        "title": "How satisfied were you today?",
        "aspects": "If you like: how was …",
        "area": "What was it about? (optional)",
        "comment": "Your comment (optional, please no names)",
        "send": "Send rating",
        "thanks": "Thank you for your feedback!",
        "language": "Deutsch",
        "choose": "Please first choose a face for your overall impression.",
    },
}


class FeedbackTerminalState(DeviceState):
    """The answers being given on this terminal."""

    lang: str = "de"
    scores: list[int] = []
    overall: int = 0
    aspects: dict[str, int] = {}
    area: str = ""
    thanks: bool = False
    _sent: int = 0

    @rx.var
    def texts(self) -> dict[str, str]:
        return TEXTS[self.lang]

    @rx.var
    def faces(self) -> list[dict[str, str]]:
        return [{"score": str(s), "icon": FACE_ICONS[s], "label": FACE_LABELS[self.lang][s]} for s in self.scores]

    @rx.var
    def area_choices(self) -> list[dict[str, str]]:
        labels = feedback.AREA_LABELS if self.lang == "de" else AREA_LABELS_EN
        return [{"area": area, "label": label} for area, label in labels.items()]

    @rx.var
    def aspect_rows(self) -> list[dict[str, str]]:
        labels = feedback.ASPECTS if self.lang == "de" else ASPECT_LABELS_EN
        return [
            {"name": name, "label": label, "chosen": str(self.aspects.get(name, 0))} for name, label in labels.items()
        ]

    def _clear(self) -> None:
        self.overall, self.aspects, self.area, self.thanks = 0, {}, "", False

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    def load(self):
        """on_load: the faces this office uses (3, 4 or 5)."""
        self.scores = feedback.face_scores()
        self._clear()

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    def toggle_language(self):
        """Deutsch / English."""
        self.lang = "en" if self.lang == "de" else "de"

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    def choose_overall(self, score: str):
        """A face for the overall impression."""
        self.overall = int(score) if str(score).isdigit() else 0

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    def choose_aspect(self, name: str, score: str):
        """A face for one of the optional aspects."""
        if name in feedback.ASPECTS and str(score).isdigit():
            self.aspects = {**self.aspects, name: int(score)}

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    def choose_area(self, area: str):
        """What the visit was about (optional); choosing it again takes it back."""
        self.area = "" if area == self.area or area not in feedback.AREA_LABELS else area

    @rx.event
    @require_device(DeviceKind.FEEDBACK)
    async def send(self, form_data: dict[str, Any]):
        """Record the vote (once per few seconds per terminal), thank, and start over."""
        if not self.overall:
            return rx.toast.error(TEXTS[self.lang]["choose"])
        comment = str(form_data.get("comment", ""))[: feedback.COMMENT_MAX]
        device, overall, aspects, area = acting_device(), self.overall, dict(self.aspects), self.area
        try:
            await run_action(lambda: feedback.submit_vote(device, overall, aspects, comment, area=area))
        except feedback.FeedbackError as err:
            self._clear()
            return rx.toast.info(str(err))
        self._clear()
        self.thanks = True
        self._sent += 1
        return FeedbackTerminalState.start_over(self._sent)

    @rx.event(background=True)
    async def start_over(self, sent: int):
        """The thanks stay a few seconds, then the faces are back for the next person."""
        await asyncio.sleep(THANKS_SECONDS)
        async with self:
            if self._sent == sent:
                self.thanks = False
                self.lang = "de"
