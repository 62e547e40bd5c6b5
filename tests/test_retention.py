"""Löschfristen: each rule erases exactly what is due, the figures stay, runs are idempotent and crash-safe."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from tests import pickup_data
from tests.factories import office_with_users
from workstation import clock, db
from workstation.jobs import retention_job, scheduler
from workstation.models import (
    ApplicationStatus,
    AuditLog,
    BackofficeTask,
    BookingAccess,
    BookingAttempt,
    CheckinAttempt,
    Citizen,
    Concern,
    DailyMetric,
    DocumentApplication,
    Notification,
    Office,
    Reservation,
    ReservedPlate,
    RetentionRun,
    Service,
    SlotClaim,
    StatusLookup,
    TaskAttachment,
    TaskEvent,
    UsedChallenge,
    UserSession,
    Visit,
    VisitEvent,
)
from workstation.services import metrics
from workstation.services.privacy import retention, retention_table
from workstation.services.staff import auth
from workstation.state.admin import AdminState

NOW = clock.to_utc(datetime(2026, 11, 23, 3, 0))  # the nightly run on Monday 23 November 2026
TODAY = date(2026, 11, 23)
LONG_AGO = NOW - timedelta(days=400)
ROOT = Path(__file__).resolve().parent.parent


def berlin(day: date, hour: int = 10) -> datetime:
    return clock.to_utc(datetime(day.year, day.month, day.day, hour))


def days_ago(n: int) -> datetime:
    return NOW - timedelta(days=n)


def _citizen(session, name: str, *, created: datetime = LONG_AGO, email: str | None = None) -> int:
    row = Citizen(first_name="Erika", last_name=name, email=email, street="Kaiserstraße 1", created_at=created)
    session.add(row)
    session.flush()
    return row.id


def _visit(session, office_id: int, citizen_id: int | None, day: date, **kw) -> int:
    row = Visit(office_id=office_id, kind="appointment", status="finished", area="registration",
                citizen_id=citizen_id, slot_start=berlin(day), checked_in_at=berlin(day, 9),
                finished_at=berlin(day, 11), **kw)
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def office(any_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSTATION_ATTACHMENTS", str(tmp_path / "attachments"))
    users = office_with_users("admin")
    with db.session_scope() as session:
        office_id = session.exec(select(Office.id)).one()
    return {"office": office_id, "admin": users["admin"], "attachments": tmp_path / "attachments"}


def _build(office: dict) -> dict[str, int]:
    """For every rule one row just past its period and one a day short of it (defaults of the settings)."""
    oid, ids = office["office"], {}
    ids["app_uncollected"] = pickup_data.application(oid, "A-1", status=ApplicationStatus.ARRIVED,
                                                     arrived_at=days_ago(121), serial="L01234567")
    ids["app_waiting"] = pickup_data.application(oid, "A-2", status=ApplicationStatus.ARRIVED,
                                                 arrived_at=days_ago(119), serial="L01234568")
    ids["app_cancelled"] = pickup_data.application(oid, "A-3", status=ApplicationStatus.CANCELLED)
    ids["app_applied"] = pickup_data.application(oid, "A-4")
    with db.session_scope() as s:
        for key, ago in (("app_old", 181), ("app_recent", 179)):
            app_id = pickup_data_handed_over(s, oid, key, days_ago(ago))
            ids[key] = app_id
        for key, status, sent, created in (
            ("note_old", "sent", days_ago(8), days_ago(8)),
            ("note_recent", "sent", days_ago(6), days_ago(6)),
            ("note_pending", "pending", None, days_ago(30)),
            ("note_uncollected", "pending", None, days_ago(100)),
        ):
            note = Notification(dedupe_key=key, kind="arrival", channel="email", recipient=f"{key}@example.org",
                                subject="Abholbereit", body="…", status=status, sent_at=sent, created_at=created,
                                application_id=ids["app_uncollected"] if key == "note_uncollected" else None)
            s.add(note)
            s.flush()
            ids[key] = note.id
        ids["walk_in"] = _citizen(s, "Spontan")
        ids["visit_old"] = _visit(s, oid, ids["walk_in"], TODAY - timedelta(days=91), booking_code="OLD-1",
                                  booking_note="Rollstuhl", desk_note="Unterlagen fehlen", park_room="Raum 2")
        s.add(VisitEvent(visit_id=ids["visit_old"], at=berlin(TODAY - timedelta(days=91)), kind="park",
                         detail="Unterlagen fehlen (Raum 2)"))
        ids["visit_90"] = _visit(s, oid, _citizen(s, "Neunzig"), TODAY - timedelta(days=90), desk_note="Notiz")
        ids["bea"] = _citizen(s, "Bea", email="bea@example.org")
        ids["visit_15"] = _visit(s, oid, ids["bea"], TODAY - timedelta(days=15), booking_code="B-15",
                                 booking_note="Kind 6 Jahre")
        ids["cem"] = _citizen(s, "Cem", email="cem@example.org")
        ids["visit_14"] = _visit(s, oid, ids["cem"], TODAY - timedelta(days=14), booking_code="B-14",
                                 booking_note="Dolmetscher")
        ids["new_citizen"] = _citizen(s, "Neu", created=days_ago(10), email="neu@example.org")
        ids["plate_citizen"] = _citizen(s, "Kennzeichen")
        for key, ago in (("plate_old", 91), ("plate_recent", 89)):
            plate = ReservedPlate(office_id=oid, plate=f"OF-{key}", citizen_id=ids["plate_citizen"] if ago > 90 else
                                  ids["cem"], status="assigned", reserved_at=days_ago(ago + 5),
                                  expires_at=days_ago(ago - 80), assigned_at=days_ago(ago))
            s.add(plate)
            s.flush()
            ids[key] = plate.id
        ids["task_citizen"] = _citizen(s, "Aufgabe")
        for key, ago, status in (("task_old", 366, "done"), ("task_recent", 364, "done"), ("task_open", None, "open")):
            task = BackofficeTask(office_id=oid, type="authority_request", title=f"Anfrage zu Frau {key}",
                                  description="Frau Muster, geb. 1.1.1970", outcome="erledigt", status=status,
                                  citizen_id=ids["task_citizen"] if key == "task_old" else ids["cem"],
                                  created_at=days_ago(400), updated_at=days_ago(400),
                                  closed_at=days_ago(ago) if ago else None)
            s.add(task)
            s.flush()
            ids[key] = task.id
            s.add(TaskEvent(task_id=task.id, at=days_ago(400), action="note", detail="Telefonat mit Frau Muster"))
            s.add(TaskAttachment(task_id=task.id, filename="brief.pdf", stored_path=f"{task.id}/brief.pdf",
                                 content_type="application/pdf", size_bytes=3, uploaded_at=days_ago(400)))
            target = office["attachments"] / str(task.id) / "brief.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"pdf")
        for key, ago in (("audit_old", 731), ("audit_recent", 729)):
            row = AuditLog(at=days_ago(ago), user_id=office["admin"], action="read", entity="citizen", citizen_id=1)
            s.add(row)
            s.flush()
            ids[key] = row.id
        for key, ago in (("session_old", 31), ("session_recent", 29)):
            row = UserSession(token_hash=key, user_id=office["admin"], created_at=days_ago(ago + 1),
                              expires_at=days_ago(ago))
            s.add(row)
            s.flush()
            ids[key] = row.id
        _build_booking(s, oid, ids)
        for key, ago in (("attempt_old", 15), ("attempt_recent", 13)):
            row = CheckinAttempt(office_id=office["office"], at=days_ago(ago), code=key, reason="too_late")
            s.add(row)
            s.flush()
            ids[key] = row.id
        for key, minutes in (("lookup_old", 11), ("lookup_recent", 9)):
            row = StatusLookup(client_hash=key, at=NOW - timedelta(minutes=minutes))
            s.add(row)
            s.flush()
            ids[key] = row.id
    return ids


def _build_booking(s, oid: int, ids: dict[str, int]) -> None:
    """Change links of the 15- and 14-day-old bookings, booking mails, holds, spent challenges, attempts."""
    for key in ("visit_15", "visit_14"):
        s.add(BookingAccess(visit_id=ids[key], token_hash=f"hash-{key}", created_at=days_ago(30)))
    for key, ago in (("booking_mail_old", 15), ("booking_mail_recent", 13)):
        note = Notification(dedupe_key=key, kind="booking_confirmation", channel="email", recipient="b@example.org",
                            subject="Terminbestätigung", body="Buchungscode B-15", attachments="[]", status="sent",
                            sent_at=days_ago(ago), created_at=days_ago(ago))
        s.add(note)
        s.flush()
        ids[key] = note.id
    for key, expires, unit in (("hold_old", NOW - timedelta(minutes=1), 100), ("hold_live", NOW + timedelta(minutes=1),
                                                                              200)):
        hold = Reservation(office_id=oid, area="registration", lane=1, start_unit=unit, end_unit=unit + 2,
                           state="held", expires_at=expires, hold_hash=key, request="[[1, 1]]", created_at=NOW)
        s.add(hold)
        s.flush()
        ids[key] = hold.id
        s.add_all([SlotClaim(reservation_id=hold.id, office_id=oid, area="registration", lane=1, unit=u)
                   for u in (unit, unit + 1)])
    for key, expires in (("challenge_old", NOW - timedelta(minutes=1)), ("challenge_live", NOW + timedelta(hours=1))):
        row = UsedChallenge(challenge_hash=key, expires_at=expires)
        s.add(row)
        s.flush()
        ids[key] = row.id
    for key, minutes in (("attempt_old", 11), ("attempt_recent", 9)):
        row = BookingAttempt(client_hash=key, kind="search", at=NOW - timedelta(minutes=minutes))
        s.add(row)
        s.flush()
        ids[key] = row.id


def pickup_data_handed_over(session, office_id: int, key: str, at: datetime) -> int:
    """A document handed over to a representative at `at`; its contact data was erased then."""
    citizen = Citizen(first_name="Hanna", last_name=f"Abholer-{key}", created_at=LONG_AGO)
    session.add(citizen)
    session.flush()
    app = DocumentApplication(office_id=office_id, citizen_id=citizen.id, application_number=f"H-{key}",
                              doc_type="RP", status=ApplicationStatus.HANDED_OVER, applied_at=at - timedelta(days=30),
                              arrived_at=at - timedelta(days=3), status_at=at - timedelta(days=3), handed_over_at=at,
                              representative_name="Max Vollmacht")
    session.add(app)
    session.flush()
    return app.id


def _snapshot() -> dict[str, list]:
    """Every row of the tables the job touches, as plain values (to prove a second run changes nothing)."""
    tables = (Citizen, Visit, VisitEvent, Concern, DocumentApplication, Notification, ReservedPlate, BackofficeTask,
              TaskEvent, TaskAttachment, AuditLog, UserSession, StatusLookup, BookingAccess, Reservation, SlotClaim,
              UsedChallenge, BookingAttempt)
    with db.session_scope() as s:
        return {t.__name__: sorted((r.model_dump() for r in s.exec(select(t)).all()), key=lambda r: r["id"])
                for t in tables}


EXPECTED = {"document_contact": 2, "outbox": 3, "booking": 2, "booking_mails": 1, "booking_holds": 1,
            "booking_challenges": 1, "booking_attempts": 1, "citizen_contact": 1, "visits": 1, "plates": 1,
            "documents": 1, "tasks": 1, "citizens": 4, "audit": 1, "sessions": 1, "checkin_attempts": 1,
            "status_lookups": 1}


def test_each_rule_erases_what_is_due_and_nothing_a_day_younger(office):
    ids = _build(office)
    report = retention.run(now=NOW, batch=2)
    assert report.counts == EXPECTED

    with db.session_scope() as s:
        apps = {key: s.get(DocumentApplication, ids[key]) for key in
                ("app_uncollected", "app_waiting", "app_cancelled", "app_applied", "app_old", "app_recent")}
        assert (apps["app_uncollected"].notify_email, apps["app_uncollected"].status) == (None, "arrived")
        assert apps["app_waiting"].notify_email == "vanessa.graf@example.org"
        assert apps["app_cancelled"].notify_email is None
        assert apps["app_applied"].notify_email == "vanessa.graf@example.org"
        assert apps["app_old"].representative_name is None
        assert apps["app_recent"].representative_name == "Max Vollmacht"
        old_holder = s.get(Citizen, apps["app_old"].citizen_id)
        assert (old_holder.first_name, old_holder.last_name, old_holder.street) == ("", "", "")
        assert s.get(Citizen, apps["app_recent"].citizen_id).last_name == "Abholer-app_recent"

        notes = {key: s.get(Notification, ids[key]) for key in
                 ("note_old", "note_recent", "note_pending", "note_uncollected")}
        assert notes["note_old"].recipient is None
        assert notes["note_recent"].recipient == "note_recent@example.org"
        assert (notes["note_pending"].recipient, notes["note_pending"].status) == ("note_pending@example.org",
                                                                                   "pending")
        assert (notes["note_uncollected"].recipient, notes["note_uncollected"].status) == (None, "cancelled")

        old = s.get(Visit, ids["visit_old"])
        assert (old.citizen_id, old.booking_code, old.booking_note, old.desk_note, old.park_room) == (
            None, None, "", "", None)
        assert (old.kind, old.status, old.area, old.slot_start) == (
            "appointment", "finished", "registration", berlin(TODAY - timedelta(days=91)))
        assert [e.detail for e in s.exec(select(VisitEvent).where(VisitEvent.visit_id == old.id))] == [""]
        assert s.get(Citizen, ids["walk_in"]) is None
        v90 = s.get(Visit, ids["visit_90"])
        assert v90.citizen_id is not None and v90.desk_note == "Notiz"
        v15, v14 = s.get(Visit, ids["visit_15"]), s.get(Visit, ids["visit_14"])
        assert (v15.booking_code, v15.booking_note, v15.citizen_id) == (None, "", ids["bea"])
        assert (v14.booking_code, v14.booking_note) == ("B-14", "Dolmetscher")
        bea, cem = s.get(Citizen, ids["bea"]), s.get(Citizen, ids["cem"])
        assert (bea.last_name, bea.email) == ("Bea", None)
        assert cem.email == "cem@example.org"
        assert s.get(Citizen, ids["new_citizen"]).email == "neu@example.org"

        assert s.get(ReservedPlate, ids["plate_old"]).citizen_id is None
        assert s.get(ReservedPlate, ids["plate_recent"]).citizen_id == ids["cem"]
        assert s.get(Citizen, ids["plate_citizen"]) is None

        task_old = s.get(BackofficeTask, ids["task_old"])
        assert (task_old.citizen_id, task_old.title, task_old.description, task_old.outcome) == (
            None, retention.ANONYMISED_TASK_TITLE, "", "")
        assert (task_old.type, task_old.closed_at) == ("authority_request", days_ago(366))
        assert s.exec(select(TaskAttachment).where(TaskAttachment.task_id == task_old.id)).all() == []
        assert not (office["attachments"] / str(task_old.id) / "brief.pdf").exists()
        assert [e.detail for e in s.exec(select(TaskEvent).where(TaskEvent.task_id == task_old.id))] == [""]
        assert s.get(Citizen, ids["task_citizen"]) is None
        for key in ("task_recent", "task_open"):
            task = s.get(BackofficeTask, ids[key])
            assert task.description == "Frau Muster, geb. 1.1.1970"
            assert (office["attachments"] / str(task.id) / "brief.pdf").exists()

        assert s.exec(select(BookingAccess.token_hash)).all() == ["hash-visit_14"]
        old_mail = s.get(Notification, ids["booking_mail_old"])
        recent_mail = s.get(Notification, ids["booking_mail_recent"])
        assert (old_mail.body, old_mail.attachments, old_mail.subject) == ("", "", "Terminbestätigung")
        assert recent_mail.body == "Buchungscode B-15"
        assert s.exec(select(SlotClaim.unit)).all() == [200, 201]
        for model, old_key, recent_key in ((AuditLog, "audit_old", "audit_recent"),
                                           (Reservation, "hold_old", "hold_live"),
                                           (UsedChallenge, "challenge_old", "challenge_live"),
                                           (BookingAttempt, "attempt_old", "attempt_recent"),
                                           (UserSession, "session_old", "session_recent"),
                                           (StatusLookup, "lookup_old", "lookup_recent"),
                                           (CheckinAttempt, "attempt_old", "attempt_recent")):
            assert s.get(model, ids[old_key]) is None
            assert s.get(model, ids[recent_key]) is not None

        run = s.get(RetentionRun, report.run_id)
        assert run.finished_at is not None and run.error == ""
        assert json.loads(run.counts) == EXPECTED

    before = _snapshot()
    again = retention.run(now=NOW, batch=2)
    assert again.total == 0
    assert _snapshot() == before


def test_the_figures_of_a_past_day_stay_identical_after_its_visits_are_anonymised(any_db):
    day = TODAY - timedelta(days=100)
    with db.session_scope() as s:
        s.add(Office(code="L6F3", name="Bürgerbüro", city="Offenbach", opening_hours="Mo–Fr"))
        s.flush()
        oid = s.exec(select(Office.id)).one()
        service = Service(office_id=oid, code="UMM", name="Ummeldung", area="registration", planned_minutes=10)
        s.add(service)
        s.flush()
        for i, (kind, status) in enumerate((("appointment", "finished"), ("appointment", "no_show"),
                                            ("walk_in", "finished"), ("emergency", "finished"),
                                            ("appointment", "cancelled"))):
            cid = _citizen(s, f"Person{i}", email=f"p{i}@example.org")
            visit = Visit(office_id=oid, kind=kind, status=status, area="registration", citizen_id=cid,
                          booking_code=f"C-{i}" if kind == "appointment" else None, booking_note="Notiz",
                          desk_note="am Schalter", booked_at=berlin(day - timedelta(days=5)),
                          slot_start=berlin(day, 8 + i) if kind == "appointment" else None,
                          checked_in_at=berlin(day, 8 + i) if status == "finished" else None,
                          called_at=berlin(day, 8 + i) + timedelta(minutes=7 * i) if status == "finished" else None,
                          started_at=berlin(day, 8 + i) + timedelta(minutes=7 * i + 1) if status == "finished"
                          else None,
                          finished_at=berlin(day, 8 + i) + timedelta(minutes=7 * i + 12) if status == "finished"
                          else None,
                          cancelled_at=berlin(day - timedelta(days=1)) if status == "cancelled" else None)
            s.add(visit)
            s.flush()
            s.add(Concern(visit_id=visit.id, service_id=service.id, status="not_done", not_done_reason="Pass fehlt"))
            s.add(VisitEvent(visit_id=visit.id, at=berlin(day, 8 + i), kind="check_in", detail="Rollstuhl"))

    def figures() -> list[tuple]:
        metrics.refresh(day, day)
        with db.session_scope() as s:
            return sorted((m.day, m.area, m.service_code, m.metric, m.value) for m in s.exec(select(DailyMetric)))

    before = figures()
    assert any(f[3] == "contacts_served" and f[4] > 0 for f in before)
    report = retention.run(now=NOW)
    assert report.counts["visits"] == 5 and report.counts["citizens"] == 5
    with db.session_scope() as s:
        assert {v.citizen_id for v in s.exec(select(Visit))} == {None}
        assert s.exec(select(Citizen)).all() == []
        assert {c.not_done_reason for c in s.exec(select(Concern))} == {""}
    assert figures() == before


def test_a_run_that_stops_between_batches_leaves_whole_batches_and_the_next_run_finishes(any_db, monkeypatch):
    with db.session_scope() as s:
        s.add(Office(code="L6F3", name="Bürgerbüro", city="Offenbach", opening_hours="Mo–Fr"))
        s.flush()
        oid = s.exec(select(Office.id)).one()
        for i in range(5):
            vid = _visit(s, oid, _citizen(s, f"P{i}"), TODAY - timedelta(days=120 + i), desk_note=f"Notiz {i}")
            s.add(VisitEvent(visit_id=vid, at=days_ago(120), kind="park", detail=f"Notiz {i}"))

    real = retention.STEPS["visits"]
    calls = []

    def stops_after_the_first_batch(session, due, limit, after):
        calls.append(after)
        if len(calls) == 2:
            raise RuntimeError("Server neu gestartet")
        return real(session, due, limit, after)

    monkeypatch.setitem(retention.STEPS, "visits", stops_after_the_first_batch)
    with pytest.raises(RuntimeError):
        retention.run(now=NOW, batch=2)

    with db.session_scope() as s:
        visits = s.exec(select(Visit).order_by(Visit.id)).all()
        done = [v for v in visits if v.citizen_id is None]
        assert len(done) == 2 and all(v.desk_note == "" for v in done)
        assert all(v.citizen_id is not None and v.desk_note for v in visits if v not in done)
        events = {e.visit_id: e.detail for e in s.exec(select(VisitEvent))}
        assert [events[v.id] for v in done] == ["", ""]
        run = s.exec(select(RetentionRun)).one()
        assert run.finished_at is None and "Server neu gestartet" in run.error
        assert json.loads(run.counts)["visits"] == 2

    monkeypatch.setitem(retention.STEPS, "visits", real)
    report = retention.run(now=NOW, batch=2)
    assert (report.counts["visits"], report.counts["citizens"]) == (3, 5)
    with db.session_scope() as s:
        assert {v.citizen_id for v in s.exec(select(Visit))} == {None}
    assert retention.run(now=NOW, batch=2).total == 0
    runs = retention.recent_runs()
    assert [r.finished_at is not None for r in runs] == [True, True, False]


def test_the_nightly_job_is_registered_and_records_its_run(sqlite_db, caplog):
    assert retention_job.JOB_ID in {job.id for job in scheduler.build_scheduler().get_jobs()}
    with clock.freeze(datetime(2026, 11, 23, 2, 30)), caplog.at_level("INFO"):
        report = retention_job.run_nightly()
    assert report.total == 0
    assert "Löschlauf" in caplog.text
    assert [r.id for r in retention.recent_runs()] == [report.run_id]


def test_admin_page_shows_the_table_and_the_runs_and_refuses_other_roles(sqlite_db):
    office_with_users("admin", "advisor")
    retention.run(now=NOW)

    advisor = AdminState()
    advisor.session_token = auth.login("advisor", "geheim-123")[0]
    result = AdminState.load.fn(advisor)
    assert "Keine Berechtigung" in str(result)
    assert (advisor.retention_rows, advisor.retention_runs) == ([], [])

    admin = AdminState()
    admin.session_token = auth.login("admin", "geheim-123")[0]
    AdminState.load.fn(admin)
    assert [row["key"] for row in admin.retention_rows if row["key"]] == [r.key for r in retention_table.RULES]
    assert any("90 Tage" in row["period"] for row in admin.retention_rows if row["key"] == "visits")
    assert len(admin.retention_runs) == 1 and admin.retention_runs[0]["state"] == "abgeschlossen"


def test_the_periods_follow_the_settings(monkeypatch):
    monkeypatch.setenv("WORKSTATION_RETAIN_VISIT_DAYS", "30")
    rows = {row.key: row for row in retention_table.retention_table()}
    assert rows["visits"].period == "30 Tage nach dem Tag des Besuchs"


def test_the_data_protection_document_lists_every_rule():
    text = (ROOT / "docs" / "data-protection.md").read_text(encoding="utf-8")
    assert [r.key for r in retention_table.RULES if f"`{r.key}`" not in text] == []
