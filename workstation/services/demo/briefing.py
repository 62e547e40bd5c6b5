"""Notes on the 07:45 briefing board: news of the week and open questions."""

from datetime import timedelta

from workstation.models import BriefingNote
from workstation.models.enums import NoteKind
from workstation.services.demo.calendar import utc_of
from workstation.services.demo.context import DemoBuild

_NOTES: tuple[tuple[NoteKind, str, int, bool, str], ...] = (
    # kind, text, written this many days ago, pinned, answer (for answered questions)
    (NoteKind.NEWS,
     "**Neue Fotostation** an Schalter 5–8: Passfotos für Ausweis und Pass können dort direkt "
     "aufgenommen werden. Bitte Kundinnen und Kunden ohne Foto dorthin verweisen.", 2, True, ""),
    (NoteKind.NEWS,
     "Die Bundesdruckerei liefert diese Woche **zwei Sendungen täglich** (vormittags und nachmittags). "
     "Ausgabe bitte nach jeder Lieferung die Ankunft bestätigen.", 1, False, ""),
    (NoteKind.QUESTION,
     "Wer übernimmt am Donnerstag den Spätdienst bis 18 Uhr an Schalter 12?", 1, False, ""),
    (NoteKind.QUESTION,
     "Dürfen Händler ab sofort mehr als 15 Vorgänge pro Termin einreichen?", 4, False,
     "Nein, weiterhin höchstens 15 Vorgänge pro Termin; größere Stapel bitte auf zwei Termine aufteilen."),
)


def build_briefing_notes(build: DemoBuild) -> None:
    """A couple of news items and questions by the team lead, one question still open."""
    author = build.staff_ids["teamleitung"]
    rows = []
    for (kind, text, days_ago, pinned, answer), i in zip(_NOTES, build.ids(BriefingNote, len(_NOTES)), strict=True):
        written = utc_of(build.today - timedelta(days=days_ago), 14, 30)
        rows.append({
            "id": int(i), "office_id": build.office_id, "kind": str(kind), "body_md": text, "author_id": author,
            "created_at": written, "pinned": pinned,
            "expires_at": utc_of(build.today + timedelta(days=7), 18) if kind == NoteKind.NEWS else None,
            "answered_at": written + timedelta(hours=20) if answer else None, "answer_md": answer,
        })
    build.add(BriefingNote, rows)
