"""Feedback terminal votes, the complaints register and the satisfaction figures controlling reads."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.queue_floor import at, build_floor
from workstation import clock, db
from workstation.models import DailyMetric, DeviceKind, FeedbackEntry
from workstation.services.lobby import devices, feedback
from workstation.services.lobby.feedback import FeedbackError
from workstation.services.metrics import report, satisfaction

DAY = date(2026, 11, 23)


@pytest.fixture
def floor(any_db):
    return build_floor()


@pytest.fixture
def terminal(floor):
    pairing = devices.create_device(floor.office_id, DeviceKind.FEEDBACK, "Ausgang", None, now=at(7, 0))
    return devices.pair(pairing.code, now=at(7, 0))[1]


def test_a_vote_is_anonymous_and_one_per_ten_seconds_per_terminal(floor, terminal):
    feedback.submit_vote(terminal, 5, {"wait_score": 4, "rooms_score": None}, " Sehr nett ", now=at(9, 0))
    with pytest.raises(FeedbackError, match="schon angekommen"):
        feedback.submit_vote(terminal, 1, {}, now=at(9, 0) + timedelta(seconds=9))
    feedback.submit_vote(terminal, 2, {}, area="vehicles", now=at(9, 0) + timedelta(seconds=10))
    with db.session_scope() as session:
        entries = session.exec(select(FeedbackEntry).order_by(FeedbackEntry.id)).all()
    assert [(e.score, e.wait_score, e.rooms_score, e.comment, e.area) for e in entries] == [
        (5, 4, None, "Sehr nett", ""),
        (2, None, None, "", "vehicles"),
    ]
    assert set(FeedbackEntry.model_fields) & {"visit_id", "citizen_id", "device_id"} == set()


def test_a_vote_needs_a_face_and_known_questions(floor, terminal):
    with pytest.raises(FeedbackError, match="Gesicht"):
        feedback.submit_vote(terminal, 0, {}, now=at(9, 0))
    with pytest.raises(FeedbackError, match="Gesicht"):
        feedback.submit_vote(terminal, 6, {}, now=at(9, 0))
    with pytest.raises(FeedbackError, match="Unbekannte"):
        feedback.submit_vote(terminal, 4, {"parking": 3}, now=at(9, 0))
    with pytest.raises(FeedbackError, match="Unbekannter Bereich"):
        feedback.submit_vote(terminal, 4, {}, area="zoo", now=at(9, 0))


@pytest.mark.parametrize(("faces", "scores"), [(3, [1, 3, 5]), (4, [1, 2, 4, 5]), (5, [1, 2, 3, 4, 5])])
def test_three_to_five_faces_map_onto_the_one_to_five_scale(faces, scores):
    assert feedback.face_scores(faces) == scores


def test_the_complaints_register_keeps_date_area_channel_topic_and_outcome(floor):
    complaint = feedback.record_complaint(
        floor.office_id, DAY, "vehicles", "email", "Wartezeit am Telefon", "", floor.advisors[0], today=DAY
    )
    with pytest.raises(FeedbackError, match="Zukunft"):
        feedback.record_complaint(floor.office_id, DAY + timedelta(days=1), "", "email", "x", "", None, today=DAY)
    with pytest.raises(FeedbackError, match="eingin"):
        feedback.record_complaint(floor.office_id, DAY, "", "fax", "x", "", None, today=DAY)
    with pytest.raises(FeedbackError, match="worum"):
        feedback.record_complaint(floor.office_id, DAY, "", "phone", "  ", "", None, today=DAY)
    feedback.set_outcome(complaint, floor.office_id, "Rückruf, entschuldigt", floor.advisors[0])
    [row] = feedback.list_complaints(floor.office_id)
    assert (row.received, row.area, row.channel, row.topic, row.outcome) == (
        "23.11.2026",
        "Zulassung",
        "E-Mail",
        "Wartezeit am Telefon",
        "Rückruf, entschuldigt",
    )
    with pytest.raises(FeedbackError, match="gibt es nicht"):
        feedback.set_outcome(complaint, floor.office_id + 1, "x", None)


def _vote(office_id: int, local: datetime, score: int, area: str = "") -> None:
    with db.session_scope() as session:
        session.add(FeedbackEntry(office_id=office_id, area=area, at=clock.to_utc(local), score=score))


def test_satisfaction_per_time_window_week_month_and_area_says_no_data_where_there_is_none(floor, monkeypatch):
    oid = floor.office_id
    _vote(oid, datetime(2026, 11, 23, 9, 30), 5, "registration")
    _vote(oid, datetime(2026, 11, 23, 11, 59), 4, "registration")
    _vote(oid, datetime(2026, 11, 24, 12, 0), 2, "vehicles")
    feedback.record_complaint(
        oid, date(2026, 11, 24), "vehicles", "letter", "Unfreundlich", "", None, today=DAY + timedelta(days=1)
    )
    with db.session_scope() as session:
        for day, contacts in ((date(2026, 11, 23), 900), (date(2026, 11, 24), 1100)):
            session.add(
                DailyMetric(day=day, office_id=oid, metric="contacts_served", value=contacts, computed_at=at(1, 30))
            )

    found = satisfaction.summary(oid, date(2026, 11, 9), date(2026, 11, 30))
    assert found.overall.mean == pytest.approx(11 / 3) and found.overall.answers == 3
    assert [(c.label, c.text) for c in found.windows] == [
        ("Vormittag (bis 12:00 Uhr)", "4,5 (2 Antworten)"),
        ("Nachmittag (ab 12:00 Uhr)", "2,0 (1 Antworten)"),
    ]
    assert [(c.label, c.text) for c in found.weeks] == [
        ("KW 46/2026", "keine Daten"),
        ("KW 47/2026", "keine Daten"),
        ("KW 48/2026", "3,7 (3 Antworten)"),
        ("KW 49/2026", "keine Daten"),
    ]
    assert [c.text for c in found.months] == ["3,7 (3 Antworten)"]
    by_area = {c.label: c.text for c in found.areas}
    assert by_area["Meldewesen"] == "4,5 (2 Antworten)" and by_area["Fahrerlaubnis"] == "keine Daten"
    assert found.complaints_per_1000 == pytest.approx(0.5) and found.complaints_text == "0,50 (1 von 2.000)"

    monkeypatch.setenv("WORKSTATION_MORNING_UNTIL", "11:00")
    windows = satisfaction.summary(oid, date(2026, 11, 23), date(2026, 11, 24)).windows
    assert [c.answers for c in windows] == [1, 2]

    empty = satisfaction.summary(oid, date(2026, 10, 1), date(2026, 10, 31))
    assert empty.overall.text == "keine Daten" and empty.complaints_text == "keine Daten"


def test_the_export_has_morning_afternoon_and_complaint_rate_per_period(floor):
    oid = floor.office_id
    _vote(oid, datetime(2026, 11, 23, 9, 30), 5)
    _vote(oid, datetime(2026, 11, 23, 14, 0), 3)
    feedback.record_complaint(oid, DAY, "", "phone", "Lange Schlange", "", None, today=DAY)
    with db.session_scope() as session:
        session.add(DailyMetric(day=DAY, office_id=oid, metric="contacts_served", value=400, computed_at=at(1, 30)))
    table = satisfaction.export_table(oid, date(2026, 11, 1), date(2026, 11, 30), "month")
    row = table.row(0, named=True)
    assert row["Zufriedenheit vormittags (1–5)"] == 5 and row["Zufriedenheit nachmittags (1–5)"] == 3
    assert row["Beschwerden je 1.000 Kontakte"] == pytest.approx(2.5)
    csv = report.to_csv(table, satisfaction.export_units()).decode("utf-8-sig")
    assert "Zufriedenheit vormittags (1–5)" in csv.splitlines()[0]
    assert csv.splitlines()[1].endswith(";5,0;3,0;2,5")


def test_the_briefing_board_shows_last_weeks_satisfaction_and_says_when_there_is_none(floor):
    from workstation.services.briefing import board

    oid = floor.office_id
    empty = board._satisfaction_cards(oid, DAY)
    assert [(c["label"], c["value"]) for c in empty] == [
        ("Zufriedenheit (7 Tage)", "keine Daten"),
        ("Beschwerden je 1.000 Kontakte (30 Tage)", "keine Daten"),
    ]
    _vote(oid, datetime(2026, 11, 20, 9, 0), 5)
    _vote(oid, datetime(2026, 11, 20, 15, 0), 4)
    week = board._satisfaction_cards(oid, DAY)[0]
    assert (week["value"], week["hint"]) == ("4,5", "vormittags 5,0 · nachmittags 4,0")
