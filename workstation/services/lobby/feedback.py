"""The feedback terminal's votes and the complaints register.

A vote is anonymous: it stores the office, the instant and the answers, never a visit, a person or
the terminal. A terminal takes at most one vote per `feedback_gap_seconds` (claimed on the server with
one conditional UPDATE of the device), so a child tapping the faces does not skew the figures. The
faces (3, 4 or 5, a setting) map onto the 1–5 scale the controlling figures use.

Complaints that reach the office by letter, e-mail, phone or in person are recorded by staff with
date, area, channel, topic and outcome; they are `FeedbackEntry` rows with `complaint` set, so the
daily figures count them with the terminals' answers.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import AuditAction, FeedbackEntry
from workstation.services.common.formatting import AREA_LABELS
from workstation.services.lobby.devices import Device, take_action_slot
from workstation.services.staff import audit

ASPECTS = {
    "wait_score": "Wartezeit",
    "friendliness_score": "Freundlichkeit",
    "competence_score": "Kompetenz",
    "rooms_score": "Räume",
}
CHANNELS = {
    "letter": "Brief",
    "email": "E-Mail",
    "phone": "Telefon",
    "in_person": "persönlich",
    "online": "Online-Formular",
}
COMMENT_MAX = 500
COMPLAINTS_LISTED = 50


class FeedbackError(ValueError):
    """Refused input; the message is German and shown as it is."""


@dataclass(frozen=True)
class ComplaintRow:
    """One entry of the complaints register."""

    id: int
    received: str
    area: str
    channel: str
    topic: str
    outcome: str


def face_scores(faces: int | None = None) -> list[int]:
    """The 1–5 score of each face, worst first: 3 faces are 1, 3, 5; 4 faces 1, 2, 4, 5."""
    faces = faces or settings().feedback_faces
    return {3: [1, 3, 5], 4: [1, 2, 4, 5]}.get(faces, [1, 2, 3, 4, 5])


def _score(value) -> int | None:
    if value in (None, "", 0):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise FeedbackError("Bitte ein Gesicht wählen.") from None
    if not 1 <= score <= 5:
        raise FeedbackError("Bitte ein Gesicht wählen.")
    return score


def submit_vote(
    device: Device,
    overall: int,
    aspects: dict[str, int | None],
    comment: str = "",
    *,
    area: str = "",
    now: datetime | None = None,
) -> None:
    """Record one anonymous vote of a feedback terminal (see the module's docstring); `area` is what the
    person said their concern was about, if they said."""
    now = now or clock.now()
    if area and area not in AREA_LABELS:
        raise FeedbackError("Unbekannter Bereich.")
    score = _score(overall)
    if score is None:
        raise FeedbackError("Bitte wählen Sie zuerst ein Gesicht für Ihren Gesamteindruck.")
    unknown = set(aspects) - set(ASPECTS)
    if unknown:
        raise FeedbackError("Unbekannte Frage.")
    answers = {name: _score(value) for name, value in aspects.items()}
    if not take_action_slot(device.id, settings().feedback_gap_seconds, now=now):
        raise FeedbackError("Vielen Dank – Ihre Bewertung ist schon angekommen.")
    with db.session_scope() as session:
        session.add(
            FeedbackEntry(
                office_id=device.office_id,
                area=area,
                at=now,
                score=score,
                channel="terminal",
                comment=comment.strip()[:COMMENT_MAX],
                **answers,
            )
        )


def record_complaint(
    office_id: int,
    received_on: date,
    area: str,
    channel: str,
    topic: str,
    outcome: str,
    actor_id: int | None,
    *,
    today: date | None = None,
) -> int:
    """Add a complaint to the register; returns its id."""
    today = today or clock.to_local(clock.now()).date()
    if received_on > today:
        raise FeedbackError("Das Eingangsdatum liegt in der Zukunft.")
    if area and area not in AREA_LABELS:
        raise FeedbackError("Bitte einen Bereich wählen.")
    if channel not in CHANNELS:
        raise FeedbackError("Bitte angeben, wie die Beschwerde einging.")
    topic = topic.strip()
    if not topic:
        raise FeedbackError("Bitte kurz angeben, worum es geht.")
    at = clock.to_utc(datetime.combine(received_on, time(12, 0)))
    with db.session_scope() as session:
        entry = FeedbackEntry(
            office_id=office_id,
            area=area,
            at=at,
            complaint=True,
            channel=channel,
            topic=topic[:200],
            outcome=outcome.strip()[:500],
            recorded_by=actor_id,
        )
        session.add(entry)
        session.flush()
        audit.record(
            session,
            user_id=actor_id,
            action=AuditAction.CHANGE,
            entity="complaint",
            entity_id=entry.id,
            detail=f"Beschwerde erfasst: {topic[:80]}",
        )
        return entry.id


def set_outcome(complaint_id: int, office_id: int, outcome: str, actor_id: int | None) -> None:
    """Note what became of a complaint (answered, remedied, rejected, ...)."""
    with db.session_scope() as session:
        entry = session.get(FeedbackEntry, complaint_id)
        if entry is None or entry.office_id != office_id or not entry.complaint:
            raise FeedbackError("Diese Beschwerde gibt es nicht.")
        entry.outcome = outcome.strip()[:500]
        session.add(entry)
        audit.record(
            session,
            user_id=actor_id,
            action=AuditAction.CHANGE,
            entity="complaint",
            entity_id=entry.id,
            detail="Ergebnis geändert",
        )


def list_complaints(office_id: int) -> list[ComplaintRow]:
    """The register, newest first."""
    with db.read_scope() as session:
        entries = session.exec(
            select(FeedbackEntry)
            .where(FeedbackEntry.office_id == office_id, FeedbackEntry.complaint)
            .order_by(FeedbackEntry.at.desc(), FeedbackEntry.id.desc())
            .limit(COMPLAINTS_LISTED)
        ).all()
        return [
            ComplaintRow(
                e.id,
                f"{clock.to_local(e.at):%d.%m.%Y}",
                AREA_LABELS.get(e.area, "–"),
                CHANNELS.get(e.channel or "", e.channel or "–"),
                e.topic or e.comment or "–",
                e.outcome or "offen",
            )
            for e in entries
        ]
