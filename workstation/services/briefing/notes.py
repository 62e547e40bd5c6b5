"""News and open questions for the 07:45 briefing, written by team leads and read by advisors.

A note is current from its creation until its expiry (none = until withdrawn). Pinned notes come
first. Questions stay on the board until answered; advisors see the answer with the question.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.models import BriefingNote, NoteKind, StaffUser
from workstation.services.common import changes

MAX_BODY_CHARS = 2000
DOUBLE_SUBMIT_SECONDS = 30


class NoteError(ValueError):
    """A note could not be saved; the message is German and meant for the team lead."""


@dataclass(frozen=True)
class NoteView:
    """A note as the board and the workstation show it."""

    id: int
    kind: str
    body_md: str
    author: str
    created_at: datetime
    pinned: bool
    expires_at: datetime | None
    answered_at: datetime | None
    answer_md: str

    @property
    def is_open_question(self) -> bool:
        return self.kind == NoteKind.QUESTION and self.answered_at is None


def _clean_body(body_md: str, what: str) -> str:
    body = (body_md or "").strip()
    if not body:
        raise NoteError(f"Bitte {what} eingeben.")
    if len(body) > MAX_BODY_CHARS:
        raise NoteError(f"Der Text ist zu lang (höchstens {MAX_BODY_CHARS} Zeichen).")
    return body


def markdown_without_html(text: str) -> str:
    """A note's markdown with any raw HTML turned into plain text (`&` and `<` written as entities).

    Notes are rendered with `rx.markdown`, whose rehype-raw plugin (on by default) would render HTML
    typed into a note (a `<script>`, an `<img onerror=…>`). The note components also switch that plugin
    off (`use_raw=False`); escaping here as well keeps any other view of the notes safe. As entities the
    characters show as typed. `>` is left
    alone: it cannot open a tag and is markdown's quote marker. Inside a code span an entity shows
    literally, a price worth paying for notes that are prose. Applied when the notes go to the UI, so
    the stored text stays what the team lead wrote.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _view(note: BriefingNote, author: str) -> NoteView:
    return NoteView(
        id=note.id,
        kind=note.kind,
        body_md=note.body_md,
        author=author,
        created_at=note.created_at,
        pinned=note.pinned,
        expires_at=note.expires_at,
        answered_at=note.answered_at,
        answer_md=note.answer_md,
    )


def parse_expiry(text: str) -> datetime | None:
    """A date typed or picked as the last day a note is shown ("2026-11-30" or "30.11.2026") → its end.

    Empty means no expiry. The note disappears at midnight after that day (Berlin time).
    """
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return clock.local_day_bounds(day)[1]
    raise NoteError("Bitte ein gültiges Datum eingeben, z. B. 30.11.2026.")


def _get(session: Session, office_id: int, note_id: int) -> BriefingNote:
    note = session.get(BriefingNote, note_id)
    if note is None or note.office_id != office_id:
        raise NoteError("Diese Notiz gibt es nicht mehr.")
    return note


def create_note(
    office_id: int,
    author_id: int | None,
    kind: str,
    body_md: str,
    *,
    pinned: bool = False,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Save a note and return its id; the same text by the same author just sent again is not saved twice."""
    now = now or clock.now()
    if kind not in set(NoteKind):
        raise NoteError("Unbekannte Art der Notiz.")
    body = _clean_body(body_md, "einen Text")
    if expires_at is not None and expires_at <= now:
        raise NoteError("Das Ablaufdatum muss in der Zukunft liegen.")
    with db.session_scope() as session:
        recent = session.exec(
            select(BriefingNote).where(
                BriefingNote.office_id == office_id,
                BriefingNote.author_id == author_id,
                BriefingNote.kind == kind,
                BriefingNote.body_md == body,
                BriefingNote.created_at >= now - timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
            )
        ).first()
        if recent is not None:
            return recent.id
        note = BriefingNote(
            office_id=office_id,
            kind=kind,
            body_md=body,
            author_id=author_id,
            created_at=now,
            pinned=pinned,
            expires_at=expires_at,
        )
        session.add(note)
        session.flush()
        note_id = note.id
    changes.publish(office_id, changes.NOTES)
    return note_id


def set_pinned(office_id: int, note_id: int, pinned: bool) -> None:
    """Pin a note to the top of the board, or release it."""
    with db.session_scope() as session:
        _get(session, office_id, note_id).pinned = pinned
    changes.publish(office_id, changes.NOTES)


def set_expiry(office_id: int, note_id: int, expires_at: datetime | None, now: datetime | None = None) -> None:
    """Change when a note leaves the board (None = stays until withdrawn)."""
    now = now or clock.now()
    if expires_at is not None and expires_at <= now:
        raise NoteError("Das Ablaufdatum muss in der Zukunft liegen.")
    with db.session_scope() as session:
        _get(session, office_id, note_id).expires_at = expires_at
    changes.publish(office_id, changes.NOTES)


def withdraw(office_id: int, note_id: int, now: datetime | None = None) -> None:
    """Take a note off the board now (it stays stored, expired)."""
    now = now or clock.now()
    with db.session_scope() as session:
        note = _get(session, office_id, note_id)
        if note.expires_at is None or note.expires_at > now:
            note.expires_at = now
    changes.publish(office_id, changes.NOTES)


def answer_question(office_id: int, note_id: int, answer_md: str, now: datetime | None = None) -> None:
    """Mark a question answered with the answer text; answering again corrects the answer."""
    now = now or clock.now()
    answer = _clean_body(answer_md, "eine Antwort")
    with db.session_scope() as session:
        note = _get(session, office_id, note_id)
        if note.kind != NoteKind.QUESTION:
            raise NoteError("Nur Fragen können beantwortet werden.")
        note.answer_md = answer
        if note.answered_at is None:
            note.answered_at = now
    changes.publish(office_id, changes.NOTES)


def current_notes(office_id: int, now: datetime | None = None) -> list[NoteView]:
    """Notes not yet expired: pinned first, then open questions, then newest first."""
    now = now or clock.now()
    with db.session_scope() as session:
        rows = session.exec(
            select(BriefingNote, StaffUser.display_name)
            .join(StaffUser, col(BriefingNote.author_id) == StaffUser.id, isouter=True)
            .where(
                BriefingNote.office_id == office_id,
                BriefingNote.created_at <= now,
                or_(col(BriefingNote.expires_at).is_(None), col(BriefingNote.expires_at) > now),
            )
        ).all()
        views = [_view(note, author or "") for note, author in rows]
    return sorted(views, key=lambda v: (not v.pinned, not v.is_open_question, -v.created_at.timestamp(), -v.id))
