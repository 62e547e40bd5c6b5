"""The briefing board on a small office built by hand; expected figures are worked out in the comments.

Today is Monday 23.11.2026, 07:45 (Berlin). The last office day is Friday 20.11.2026.
"""

import asyncio
from datetime import date, datetime

import polars as pl
import pytest
from sqlmodel import select

from workstation import clock, db
from workstation.models import (
    AuditLog,
    BackofficeTask,
    Citizen,
    Concern,
    Counter,
    DailyMetric,
    Dealer,
    DocumentApplication,
    MetricName,
    Office,
    Service,
    StaffAssignment,
    StaffUser,
    Visit,
)
from workstation.services import metrics
from workstation.services.briefing import board as briefing_board
from workstation.services.briefing import notes as briefing_notes
from workstation.services.briefing import review as briefing
from workstation.services.briefing import visit_times
from workstation.services.briefing.notes import NoteError
from workstation.services.common import changes, formatting

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = clock.to_utc(datetime(2026, 11, 23, 7, 45))


def at(day: date, hhmm: str) -> datetime:
    """Berlin wall time on a day → stored naive UTC."""
    hour, minute = map(int, hhmm.split(":"))
    return clock.to_utc(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def office(any_db):
    """The hand-built office; returns the ids the tests need."""
    with db.session_scope() as s:
        office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach", opening_hours="Mo–Fr")
        s.add(office)
        s.flush()
        oid = office.id
        counters = {
            name: Counter(office_id=oid, name=name, kind=kind)
            for name, kind in [
                ("Empfang", "reception"),
                ("Schalter 1", "regular"),
                ("Schalter 2", "regular"),
                ("Schalter 10", "regular"),
                ("Händler 1", "dealer"),
                ("Ausgabe", "pickup"),
            ]
        }
        s.add_all(counters.values())
        users = {
            name: StaffUser(
                office_id=oid, username=name.lower(), display_name=name, role=role, password_hash="x", created_at=NOW
            )
            for name, role in [
                ("Lena Leitung", "team_lead"),
                ("Anna Acker", "advisor"),
                ("Ben Bauer", "advisor"),
                ("Rita Rau", "reception"),
                ("Dirk Dahl", "advisor"),
            ]
        }
        s.add_all(users.values())
        citizen = Citizen(first_name="Vanessa", last_name="Graf", created_at=NOW)
        dealer = Dealer(name="Autohaus Main", customer_number="H-1")
        s.add_all([citizen, dealer])
        services = {
            "UM": Service(office_id=oid, code="UM", name="Ummeldung", area="registration", planned_minutes=15),
            "PA": Service(office_id=oid, code="PA", name="Personalausweis", area="id_documents", planned_minutes=20),
            "KFZ": Service(office_id=oid, code="KFZ", name="Umschreibung", area="vehicles", planned_minutes=30),
        }
        s.add_all(services.values())
        s.flush()
        c1, c2 = counters["Schalter 1"].id, counters["Schalter 2"].id
        # Friday: Schalter 1 and 2 staffed, Schalter 10 and the dealer desk not.
        for day, plan in [
            (FRIDAY, [("Anna Acker", "Schalter 1"), ("Ben Bauer", "Schalter 2")]),
            (
                MONDAY,
                [
                    ("Anna Acker", "Schalter 1"),
                    ("Ben Bauer", "Schalter 2"),
                    ("Rita Rau", "Empfang"),
                    ("Dirk Dahl", "Händler 1"),
                ],
            ),
        ]:
            for user, counter in plan:
                s.add(StaffAssignment(day=day, user_id=users[user].id, counter_id=counters[counter].id))

        def visit(kind, status, area, services_, **times):
            v = Visit(office_id=oid, kind=kind, status=status, area=area, citizen_id=citizen.id, **times)
            s.add(v)
            s.flush()
            for code in services_:
                s.add(Concern(visit_id=v.id, service_id=services[code].id))
            return v

        f = FRIDAY
        # Friday; waits are called − max(checked in, booked start) for appointments, − checked in for walk-ins.
        visits = {
            # wait 2 (slot 08:00 after check-in 07:55), service 12 of 15 planned
            "v1": visit("appointment", "finished", "registration", ["UM"], slot_start=at(f, "08:00"),
                        checked_in_at=at(f, "07:55"), called_at=at(f, "08:02"), started_at=at(f, "08:03"),
                        finished_at=at(f, "08:15"), counter_id=c1),
            # wait 10, service 49 of 15 planned → far over
            "v2": visit("appointment", "finished", "registration", ["UM"], slot_start=at(f, "08:15"),
                        checked_in_at=at(f, "08:20"), called_at=at(f, "08:30"), started_at=at(f, "08:31"),
                        finished_at=at(f, "09:20"), counter_id=c2),
            # early check-in 08:10 for 08:30, called 08:50 → wait 20
            "v3": visit("appointment", "finished", "id_documents", ["PA"], slot_start=at(f, "08:30"),
                        checked_in_at=at(f, "08:10"), called_at=at(f, "08:50"), started_at=at(f, "08:51"),
                        finished_at=at(f, "09:10"), counter_id=c1),
            # walk-in, wait 30
            "v4": visit("walk_in", "finished", "registration", ["UM"], checked_in_at=at(f, "09:00"),
                        called_at=at(f, "09:30"), started_at=at(f, "09:31"), finished_at=at(f, "09:40"),
                        counter_id=c2),
            # walk-in, wait 4
            "v5": visit("walk_in", "finished", "vehicles", ["KFZ"], checked_in_at=at(f, "10:00"),
                        called_at=at(f, "10:04"), started_at=at(f, "10:05"), finished_at=at(f, "10:30"),
                        counter_id=c1),
            # no-show: never checked in, placed on Friday by its booked start
            "v6": visit("appointment", "no_show", "vehicles", ["KFZ"], slot_start=at(f, "11:00"),
                        no_show_at=at(f, "11:20")),
            # cancelled: neither served nor no-show
            "v7": visit("appointment", "cancelled", "registration", ["UM"], slot_start=at(f, "11:30"),
                        cancelled_at=at(date(2026, 11, 19), "12:00")),
            # called before the booked start → wait 0
            "v8": visit("appointment", "finished", "id_documents", ["PA"], slot_start=at(f, "12:00"),
                        checked_in_at=at(f, "11:50"), called_at=at(f, "11:58"), started_at=at(f, "11:58"),
                        finished_at=at(f, "12:10"), counter_id=c2),
            # bad record (called before check-in): served, but no waiting time
            "v9": visit("walk_in", "finished", "partner", [], checked_in_at=at(f, "12:30"),
                        called_at=at(f, "12:20"), started_at=at(f, "12:31"), finished_at=at(f, "12:40")),
            # Thursday: not part of Friday's figures
            "thu": visit("walk_in", "finished", "registration", ["UM"], checked_in_at=at(date(2026, 11, 19), "17:00"),
                         called_at=at(date(2026, 11, 19), "18:00"), started_at=at(date(2026, 11, 19), "18:00"),
                         finished_at=at(date(2026, 11, 19), "18:10")),
        }  # fmt: skip
        m = MONDAY
        # Monday: 8–9 h: three appointments (15 + 20 + 30 = 65 planned minutes); 9–10 h: one (15 min).
        visit("appointment", "booked", "registration", ["UM"], slot_start=at(m, "08:00"))
        visit("appointment", "booked", "id_documents", ["PA"], slot_start=at(m, "08:00"))
        visit("appointment", "booked", "vehicles", ["KFZ"], slot_start=at(m, "08:30"))
        visit("appointment", "booked", "registration", ["UM"], slot_start=at(m, "09:15"))
        visit("appointment", "cancelled", "registration", ["UM"], slot_start=at(m, "08:45"))
        visit("emergency", "waiting", "id_documents", ["PA"], checked_in_at=at(m, "07:40"))
        s.add(
            Visit(
                office_id=oid,
                kind="dealer",
                status="booked",
                area="vehicles",
                dealer_id=dealer.id,
                batch_size=12,
                slot_start=at(m, "10:00"),
            )
        )

        def task(title, created, closed=None, due=None, status="open"):
            s.add(
                BackofficeTask(
                    office_id=oid,
                    type="citizen_email",
                    title=title,
                    created_at=created,
                    updated_at=created,
                    closed_at=closed,
                    due_date=due,
                    status=status,
                )
            )

        # Closed on Friday: A. Open at the end of Friday: B, C (closed Monday), D → backlog 3.
        task("A", at(date(2026, 11, 18), "10:00"), closed=at(f, "14:00"), status="done")
        task("B", at(date(2026, 11, 18), "10:00"), due=MONDAY)
        task("C", at(f, "13:30"), closed=at(m, "07:00"), status="done")
        task("D", at(date(2026, 11, 19), "10:00"), due=FRIDAY)
        task("bad: closed before created", at(f, "12:00"), closed=at(f, "11:00"), status="done")  # left out

        def application(number, status, arrived, handed=None):
            s.add(
                DocumentApplication(
                    office_id=oid,
                    citizen_id=citizen.id,
                    application_number=number,
                    doc_type="PA",
                    status=status,
                    applied_at=at(date(2026, 11, 1), "10:00"),
                    arrived_at=arrived,
                    handed_over_at=handed,
                )
            )

        # Handed out on Friday: 1. Ready for pickup now: 2, of which 1 arrived since Friday (Saturday).
        application("A1", "handed_over", at(date(2026, 11, 19), "09:00"), handed=at(f, "10:00"))
        application("A2", "arrived", at(date(2026, 11, 21), "09:00"))
        application("A3", "arrived", at(date(2026, 11, 18), "09:00"))
        ids = {k: v.id for k, v in visits.items()}
        return {"office": oid, "lead": users["Lena Leitung"].id, "citizen": citizen.id, **ids}


def test_visit_times_use_the_controlling_definitions():
    walk_in = Visit(id=1, office_id=1, kind="walk_in", status="finished", area="registration",
                    checked_in_at=datetime(2026, 1, 1, 9), called_at=datetime(2026, 1, 1, 9, 12),
                    started_at=datetime(2026, 1, 1, 9, 13), finished_at=datetime(2026, 1, 1, 9, 33))  # fmt: skip
    early = Visit(id=2, office_id=1, kind="appointment", status="called", area="registration",
                  slot_start=datetime(2026, 1, 1, 9), checked_in_at=datetime(2026, 1, 1, 8, 45),
                  called_at=datetime(2026, 1, 1, 9, 5))  # fmt: skip
    called_early = Visit(id=3, office_id=1, kind="appointment", status="called", area="registration",
                         slot_start=datetime(2026, 1, 1, 9), checked_in_at=datetime(2026, 1, 1, 8, 45),
                         called_at=datetime(2026, 1, 1, 8, 55))  # fmt: skip
    called_before_check_in = Visit(id=4, office_id=1, kind="walk_in", status="finished", area="registration",
                                   checked_in_at=datetime(2026, 1, 1, 9), called_at=datetime(2026, 1, 1, 8, 50),
                                   finished_at=datetime(2026, 1, 1, 9, 10))  # fmt: skip
    finished_first = Visit(id=5, office_id=1, kind="walk_in", status="finished", area="registration",
                           checked_in_at=datetime(2026, 1, 1, 9), called_at=datetime(2026, 1, 1, 9, 40),
                           started_at=datetime(2026, 1, 1, 9, 41), finished_at=datetime(2026, 1, 1, 9, 30))  # fmt: skip
    times = visit_times.visit_times([walk_in, early, called_early, called_before_check_in, finished_first])
    assert times[1] == visit_times.VisitTimes(served=True, wait=12, service=20)
    assert times[2] == visit_times.VisitTimes(served=False, wait=5, service=None)  # from the booked start
    assert times[3].wait == 0  # called before the booked start
    # Bad records still count as served, but the controlling job takes none of their times, nor does the board.
    assert times[4] == visit_times.VisitTimes(served=True, wait=None, service=None)
    assert times[5] == visit_times.VisitTimes(served=True, wait=None, service=None)
    assert visit_times.WAIT_TARGET_MIN == 15


def controlling_figures(office_id: int) -> dict[tuple[str, str], float]:
    """What the controlling job computes for Friday, office and area level."""
    frame = metrics.compute_range(FRIDAY, FRIDAY).filter(
        (pl.col("office_id") == office_id) & (pl.col("service_code") == "")
    )
    return {(r["area"], r["metric"]): r["value"] for r in frame.to_dicts()}


def test_review_computes_yesterdays_figures_when_controlling_has_not_run(office):
    review = briefing.review(office["office"], office["lead"], now=NOW)

    assert review.day == FRIDAY  # Monday's board looks back at Friday
    assert review.stored is False
    # Exactly the controlling figures, computed by the controlling code: no second computation to disagree.
    assert review.figures == controlling_figures(office["office"])
    with db.session_scope() as s:
        assert s.exec(select(DailyMetric)).all() == []  # a page view does not write the controlling record
    assert review.value(MetricName.CONTACTS_SERVED) == 7
    assert review.served_by_area() == [("registration", 3), ("id_documents", 2), ("partner", 1), ("vehicles", 1)]
    # Waits [2, 10, 20, 30, 4, 0]: mean 66/6 = 11, p90 = 20 + 0.5 · (30 − 20) = 25, within 15: 4 of 6.
    assert review.value(MetricName.WAIT_MEAN_MIN) == pytest.approx(11.0)
    assert review.value(MetricName.WAIT_P90_MIN) == pytest.approx(25.0)
    assert review.value(MetricName.WAIT_WITHIN_15_SHARE) == pytest.approx(4 / 6)
    assert review.value(MetricName.WAIT_MEAN_MIN, "registration") == pytest.approx(14.0)  # (2 + 10 + 30) / 3
    assert review.value(MetricName.WAIT_MEAN_MIN, "partner") is None  # its one visit is a bad record: no wait
    assert review.value(MetricName.NO_SHOWS) == 1
    assert review.value(MetricName.NO_SHOWS, "vehicles") == 1
    assert review.value(MetricName.BACKOFFICE_CLOSED) == 1
    assert review.value(MetricName.BACKOFFICE_BACKLOG) == 3
    assert review.value(MetricName.PICKUP_HANDED_OVER) == 1

    assert [(s.visit_id, round(s.minutes)) for s in review.longest_waits] == [(office["v4"], 30), (office["v3"], 20)]
    assert review.longest_waits[0].at == clock.to_local(at(FRIDAY, "09:00"))
    assert review.longest_waits[0].services == "Ummeldung"
    assert [(s.visit_id, round(s.minutes), s.planned_minutes) for s in review.overruns] == [(office["v2"], 49, 15)]
    assert review.closed_counters == ["Schalter 10", "Händler 1"]


def test_review_shows_the_stored_controlling_figures(office):
    metrics.refresh(FRIDAY, FRIDAY)
    review = briefing.review(office["office"], office["lead"], now=NOW)
    assert review.stored is True
    assert review.figures == controlling_figures(office["office"])

    # The stored figures are shown as stored, never recomputed from the records.
    with db.session_scope() as s:
        for row in s.exec(select(DailyMetric).where(DailyMetric.day == FRIDAY, DailyMetric.area == "")):
            if row.metric == MetricName.CONTACTS_SERVED:
                row.value = 99
            if row.metric == MetricName.WAITS_MEASURED:
                row.value = 0  # no waits measured: the job's average of nothing (0) is shown as "–"
            s.add(row)
    review = briefing.review(office["office"], office["lead"], now=NOW)
    assert review.value(MetricName.CONTACTS_SERVED) == 99
    assert review.value(MetricName.WAIT_MEAN_MIN) is None
    assert review.value(MetricName.WAIT_MEAN_MIN, "registration") == pytest.approx(14.0)


def test_incompletely_stored_figures_are_replaced_not_mixed(office):
    with db.session_scope() as s:
        s.add(
            DailyMetric(
                day=FRIDAY, office_id=office["office"], metric=MetricName.CONTACTS_SERVED, value=99, computed_at=NOW
            )
        )
    review = briefing.review(office["office"], office["lead"], now=NOW)
    assert review.stored is False
    assert review.figures == controlling_figures(office["office"])
    assert review.value(MetricName.CONTACTS_SERVED) == 7


def test_reading_the_standouts_is_audited(office):
    with clock.freeze(datetime(2026, 11, 23, 7, 45)):
        briefing.review(office["office"], office["lead"])
    with db.session_scope() as s:
        rows = s.exec(select(AuditLog).order_by(AuditLog.entity_id)).all()
    assert sorted(r.entity_id for r in rows) == sorted([office["v2"], office["v3"], office["v4"]])
    assert {(r.user_id, r.citizen_id, r.action, r.at) for r in rows} == {
        (office["lead"], office["citizen"], "read", NOW)
    }


def test_today_load_against_staffed_counters(office):
    load = briefing.today_load(office["office"], now=NOW, new_since=FRIDAY)
    assert load.day == MONDAY
    assert [(h.hour, h.booked, h.booked_minutes) for h in load.hours] == [(8, 3, 65), (9, 1, 15)]
    assert load.hours[0].by_area == {"registration": 1, "id_documents": 1, "vehicles": 1}
    assert load.hours[0].counters_needed == pytest.approx(65 / 60)
    assert load.appointments == 4  # the cancelled one is not counted
    assert load.peak_hour == 8
    assert (load.staffed_counters, load.staffed_dealer_desks) == (2, 1)
    assert (load.emergency_quota, load.emergencies_so_far) == (10, 1)
    assert [(b.dealer, b.batch_size, b.at.strftime("%H:%M")) for b in load.dealer_batches] == [
        ("Autohaus Main", 12, "10:00")
    ]
    assert (load.documents_ready, load.documents_new) == (2, 1)
    assert (load.tasks_due_today, load.tasks_overdue) == (1, 1)
    assert [(d.counter, d.staff) for d in load.desks] == [
        ("Empfang", ("Rita Rau",)),
        ("Schalter 1", ("Anna Acker",)),
        ("Schalter 2", ("Ben Bauer",)),
        ("Schalter 10", ()),
        ("Händler 1", ("Dirk Dahl",)),
        ("Ausgabe", ()),
    ]


def test_emergency_quota_is_configuration(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_EMERGENCY_SLOTS", "4")
    assert briefing.today_load(office["office"], now=NOW).emergency_quota == 4


def test_notes_lifecycle(office):
    oid, lead = office["office"], office["lead"]
    news = briefing_notes.create_note(oid, lead, "news", "**Neu:** Kinderreisepass nur noch bis 31.12.", now=NOW)
    again = briefing_notes.create_note(oid, lead, "news", "**Neu:** Kinderreisepass nur noch bis 31.12.", now=NOW)
    assert again == news  # a double click saves one note
    question = briefing_notes.create_note(oid, lead, "question", "Wer übernimmt Schalter 10?", now=NOW)
    short = briefing_notes.create_note(oid, lead, "news", "Drucker 2 defekt", expires_at=at(MONDAY, "12:00"), now=NOW)
    pinned = briefing_notes.create_note(oid, lead, "news", "Fahrzeugsystem ab 9 Uhr", pinned=True, now=NOW)

    notes = briefing_notes.current_notes(oid, now=NOW)
    # pinned first, then the open question, then newest first
    assert [n.id for n in notes] == [pinned, question, short, news]
    assert notes[0].author == "Lena Leitung"

    briefing_notes.answer_question(oid, question, "Anna Acker ab 10 Uhr", now=NOW)
    briefing_notes.set_pinned(oid, pinned, False)
    later = at(MONDAY, "13:00")
    notes = briefing_notes.current_notes(oid, now=later)
    assert short not in [n.id for n in notes]  # expired at 12:00
    answered = next(n for n in notes if n.id == question)
    assert (answered.answer_md, answered.answered_at, answered.is_open_question) == ("Anna Acker ab 10 Uhr", NOW, False)

    briefing_notes.withdraw(oid, news, now=later)
    assert news not in [n.id for n in briefing_notes.current_notes(oid, now=later)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body_md": "   "}, "Bitte einen Text eingeben."),
        ({"body_md": "x" * 2001}, "Der Text ist zu lang"),
        ({"body_md": "ok", "expires_at": NOW}, "Das Ablaufdatum muss in der Zukunft liegen."),
        ({"body_md": "ok", "kind": "gossip"}, "Unbekannte Art der Notiz."),
    ],
)
def test_bad_notes_are_refused_in_german(office, kwargs, message):
    kwargs = {"kind": "news", **kwargs}
    with pytest.raises(NoteError, match=message):
        briefing_notes.create_note(office["office"], office["lead"], now=NOW, **kwargs)
    assert briefing_notes.current_notes(office["office"], now=NOW) == []


def test_only_questions_can_be_answered(office):
    news = briefing_notes.create_note(office["office"], office["lead"], "news", "Info", now=NOW)
    with pytest.raises(NoteError, match="Nur Fragen"):
        briefing_notes.answer_question(office["office"], news, "Antwort", now=NOW)
    with pytest.raises(NoteError, match="gibt es nicht"):
        briefing_notes.set_pinned(office["office"] + 1, news, True)


def test_german_formats():
    assert formatting.number(1234.5, 1) == "1.234,5"
    assert formatting.number(1234567) == "1.234.567"
    assert formatting.minutes(9.4) == "9 Min."
    assert formatting.percent(4 / 6) == "67 %"
    assert formatting.day(date(2026, 11, 22)) == "22.11.2026"
    assert formatting.weekday_day(FRIDAY) == "Fr, 20.11.2026"
    assert formatting.hour_range(9) == "9–10 Uhr"
    assert formatting.minutes(None) == "–"


def test_board_shows_the_figures_the_german_way(office):
    briefing_notes.create_note(office["office"], office["lead"], "question", "Wer übernimmt Schalter 10?", now=NOW)
    view = briefing_board.board_view(office["office"], office["lead"], now=NOW)

    assert view.title == "Briefing Mo, 23.11.2026"
    assert view.review_title == "Rückblick Fr, 20.11.2026"
    assert view.today_title == "Heute – Mo, 23.11.2026"
    assert view.source.startswith("Zahlen aus dem Controlling, soeben berechnet")
    cards = {c["label"]: (c["value"], c["hint"]) for c in view.yesterday_cards}
    assert cards["Kontakte bedient"] == ("7", "")
    assert cards["Wartezeit Ø"][0] == "11 Min."
    assert cards["Wartezeit 90 %"][0] == "25 Min."
    assert cards["In 15 Min. bedient"][0] == "67 %"
    assert cards["Nacharbeit erledigt"] == ("1", "3 noch offen")
    assert view.served_chart == [
        {"area": "registration", "bereich": "Meldewesen", "bedient": 3},
        {"area": "id_documents", "bereich": "Pass/Ausweis", "bedient": 2},
        {"area": "partner", "bereich": "Partnerschalter", "bedient": 1},
        {"area": "vehicles", "bereich": "Zulassung", "bedient": 1},
    ]
    assert view.longest_waits == [
        "09:00 Uhr · Meldewesen (Ummeldung): 30 Min.",
        "08:10 Uhr · Pass/Ausweis (Personalausweis): 20 Min.",
    ]
    assert view.overruns == ["08:31 Uhr · Meldewesen (Ummeldung): 49 Min. statt 15 Min."]
    assert view.closed_counters == "Schalter 10, Händler 1"

    today = {c["label"]: (c["value"], c["hint"]) for c in view.today_cards}
    assert today["Spitzenstunde"] == ("8–9 Uhr", "3 Termine, 1,1 Schalter nötig")
    assert today["Notfallkontingent"] == ("9 frei", "1 von 10 genutzt")
    assert today["Händler-Stapel"] == ("1", "12 Vorgänge")
    assert today["Zur Abholung bereit"] == ("2", "1 neu eingetroffen")
    assert view.hours_chart[0] == {
        "stunde": "8 Uhr",
        "Meldewesen": 1,
        "Pass/Ausweis": 1,
        "Zulassung": 1,
        "Fahrerlaubnis": 0,
        "Partnerschalter": 0,
        "Schalter nötig": 1.1,
        "Schalter besetzt": 2,
    }
    assert view.hours_table[0] == {"hour": "8–9 Uhr", "booked": "3", "needed": "1,1", "staffed": "2"}
    assert view.dealer_batches == [{"time": "10:00", "dealer": "Autohaus Main", "size": "12"}]
    assert {"desk": "Schalter 10", "kind": "Schalter", "staff": "nicht besetzt", "open": ""} in view.desks
    assert view.staffing_summary.startswith("Empfang: Rita Rau · Schalter 1: Anna Acker · ")
    assert view.notes[0]["kind_label"] == "Frage" and view.notes[0]["open_question"] is True


def test_expiry_date_is_the_last_day_shown():
    assert briefing_notes.parse_expiry("") is None
    assert briefing_notes.parse_expiry("2026-11-30") == at(date(2026, 12, 1), "00:00")
    assert briefing_notes.parse_expiry("30.11.2026") == at(date(2026, 12, 1), "00:00")
    with pytest.raises(NoteError, match="gültiges Datum"):
        briefing_notes.parse_expiry("31.11.2026")


def test_a_new_office_looks_back_at_the_previous_weekday(sqlite_db):
    with db.session_scope() as s:
        office = Office(code="NEU1", name="Neu", city="Offenbach", opening_hours="Mo–Fr")
        s.add(office)
        s.flush()
        assert briefing.previous_office_day(s, office.id, MONDAY) == FRIDAY
        assert briefing.previous_office_day(s, office.id, date(2026, 11, 24)) == MONDAY


def test_raw_html_in_notes_is_shown_as_text():
    assert briefing_notes.markdown_without_html("**fett** <script>alert(1)</script>") == (
        "**fett** &lt;script>alert(1)&lt;/script>"
    )
    assert briefing_notes.markdown_without_html('<img src=x onerror="alert(1)">') == '&lt;img src=x onerror="alert(1)">'
    # what was typed is what is shown: an entity typed as text stays text, a quote stays a quote
    assert briefing_notes.markdown_without_html("A &lt; B & C") == "A &amp;lt; B &amp; C"
    assert briefing_notes.markdown_without_html("> Zitat") == "> Zitat"


def test_board_notes_carry_no_raw_html(office):
    oid, lead = office["office"], office["lead"]
    question = briefing_notes.create_note(oid, lead, "question", "Wer? <b onmouseover=x>fett</b>", now=NOW)
    briefing_notes.answer_question(oid, question, "<iframe src=x></iframe>", now=NOW)
    view = briefing_board.board_view(oid, lead, now=NOW)
    assert view.notes[0]["body_md"] == "Wer? &lt;b onmouseover=x>fett&lt;/b>"
    assert view.notes[0]["answer_md"] == "&lt;iframe src=x>&lt;/iframe>"
    assert briefing_notes.current_notes(oid, now=NOW)[0].body_md == "Wer? <b onmouseover=x>fett</b>"  # stored as typed


def test_a_new_note_wakes_the_notes_panels_but_not_the_queue_screens(office):
    oid, lead = office["office"], office["lead"]

    async def scenario() -> tuple[int, int]:
        notes_seen, queue_seen = changes.version(oid, changes.NOTES), changes.version(oid)
        asyncio.get_running_loop().call_later(
            0.05, lambda: briefing_notes.create_note(oid, lead, "news", "Fotostation defekt", now=NOW))
        notes_now = await changes.wait_for_change(oid, notes_seen, timeout=5, topic=changes.NOTES)
        queue_now = await changes.wait_for_change(oid, queue_seen, timeout=0.2)
        return notes_now - notes_seen, queue_now - queue_seen

    assert asyncio.run(scenario()) == (1, 0)
