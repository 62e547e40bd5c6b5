"""The board's handlers on the server: team leads write notes, advisors read them but cannot write."""

from sqlmodel import select

from tests.factories import office_with_users
from workstation import db
from workstation.models import BriefingNote
from workstation.services.staff import auth
from workstation.state.briefing import BriefingState
from workstation.state.briefing_notes import BriefingNotesState


def _as(cls, username: str):
    token, _ = auth.login(username, "geheim-123")
    state = cls()
    state.session_token = token
    return state


def _notes() -> list[str]:
    with db.session_scope() as session:
        return list(session.exec(select(BriefingNote.body_md)).all())


def test_lead_adds_a_note_and_an_advisor_sees_it(sqlite_db):
    office_with_users("team_lead", "advisor")
    lead = _as(BriefingState, "team_lead")
    BriefingState.load.fn(lead)
    assert lead.loaded and lead.title.startswith("Briefing ")

    BriefingState.add_note.fn(lead, {"body": "**Drucker 2** ist defekt.", "pinned": "on", "expires": ""})
    assert [n["body_md"] for n in lead.notes] == ["**Drucker 2** ist defekt."]
    assert lead.notes[0]["pinned"] is True

    advisor = _as(BriefingNotesState, "advisor")
    BriefingNotesState.load_notes.fn(advisor)
    assert [n["body_md"] for n in advisor.current_notes] == ["**Drucker 2** ist defekt."]


def test_bad_note_input_keeps_nothing_and_says_why(sqlite_db):
    office_with_users("team_lead")
    lead = _as(BriefingState, "team_lead")
    BriefingState.add_note.fn(lead, {"body": "Text", "expires": "31.02.2026"})
    assert lead.note_error == "Bitte ein gültiges Datum eingeben, z. B. 30.11.2026."
    assert _notes() == []


def test_advisor_cannot_write_or_read_the_board_by_sending_events(sqlite_db):
    office_with_users("advisor")
    advisor = _as(BriefingState, "advisor")
    result = BriefingState.add_note.fn(advisor, {"body": "Hallo"})
    assert "Keine Berechtigung" in str(result)
    assert _notes() == []
    BriefingState.load.fn(advisor)
    assert advisor.loaded is False and advisor.yesterday_cards == []


def test_lead_answers_pins_and_withdraws_from_the_board(sqlite_db):
    office_with_users("team_lead")
    lead = _as(BriefingState, "team_lead")
    BriefingState.set_note_kind.fn(lead, "question")
    BriefingState.add_note.fn(lead, {"body": "Wer macht Spätdienst?"})
    question = lead.notes[0]
    assert question["open_question"] is True

    BriefingState.start_answer.fn(lead, question["id"])
    BriefingState.set_answer_text.fn(lead, "")
    BriefingState.save_answer.fn(lead)
    assert lead.answer_error == "Bitte eine Antwort eingeben."
    BriefingState.set_answer_text.fn(lead, "Herr Keller")
    BriefingState.save_answer.fn(lead)
    assert (lead.notes[0]["open_question"], lead.notes[0]["answer_md"], lead.answering_id) == (False, "Herr Keller", 0)

    # a double click sends the same "pin" twice: the note ends up pinned, not toggled back
    BriefingState.toggle_pin.fn(lead, question["id"], False)
    BriefingState.toggle_pin.fn(lead, question["id"], False)
    assert lead.notes[0]["pinned"] is True

    BriefingState.withdraw_note.fn(lead, question["id"])
    assert lead.notes == []
