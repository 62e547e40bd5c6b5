"""Recording the controlling inputs that no other part of the office writes: online cases and feedback.

Online cases come from the online-service platform's export (one row per completed case, with the
platform's reference); feedback from the terminals at the exit and from complaints received. Both are
plain inserts; an online case already recorded under its reference is not recorded twice.
"""

from datetime import datetime

from sqlmodel import select

from workstation import db
from workstation.models import Area, FeedbackEntry, OnlineServiceRecord


class RecordError(ValueError):
    """Input that cannot be recorded; the message is German and shown as is."""


def _check_area(area: str, allow_empty: bool = False) -> None:
    if not (allow_empty and area == "") and area not in {a.value for a in Area}:
        raise RecordError(f"Unbekannter Bereich: {area}")


def record_online_case(office_id: int, reference: str, kind: str, area: str, completed_at: datetime) -> bool:
    """Record one case completed online (naive UTC); False when the reference was recorded before."""
    _check_area(area)
    if not reference.strip():
        raise RecordError("Der Online-Vorgang hat kein Aktenzeichen.")
    with db.session_scope() as session:
        if session.exec(select(OnlineServiceRecord.id).where(OnlineServiceRecord.reference == reference)).first():
            return False
        session.add(OnlineServiceRecord(office_id=office_id, reference=reference, kind=kind, area=area,
                                        completed_at=completed_at))
    return True


def record_feedback(office_id: int, at: datetime, score: int | None = None, complaint: bool = False,
                    area: str = "", comment: str = "") -> None:
    """Record a terminal rating (1 = very bad … 5 = very good) and/or a complaint (naive UTC)."""
    _check_area(area, allow_empty=True)
    if score is not None and not 1 <= score <= 5:
        raise RecordError("Die Bewertung muss zwischen 1 und 5 liegen.")
    if score is None and not complaint:
        raise RecordError("Eine Rückmeldung braucht eine Bewertung oder eine Beschwerde.")
    with db.session_scope() as session:
        session.add(FeedbackEntry(office_id=office_id, area=area, at=at, score=score, complaint=complaint,
                                  comment=comment))
