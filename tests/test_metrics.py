"""Daily controlling figures: a small day built by hand, with the expected figures worked out below."""

from datetime import date, datetime

import polars as pl
import pytest
from sqlalchemy import func, select

from workstation import clock, db
from workstation.models import (
    BackofficeTask,
    Citizen,
    Concern,
    Counter,
    DailyMetric,
    DocumentApplication,
    FeedbackEntry,
    LeadTimeRecord,
    Office,
    OnlineServiceRecord,
    Service,
    StaffAssignment,
    StaffUser,
    Visit,
)
from workstation.models.metrics import MetricName as M
from workstation.services import metrics
from workstation.services.metrics import compute, visit_rules

DAY = date(2026, 3, 10)  # a Tuesday


def t(month: int, day: int, hh: int, mm: int = 0) -> datetime:
    """Berlin wall time in 2026 → stored naive UTC."""
    return clock.to_utc(datetime(2026, month, day, hh, mm))


def _office(session) -> int:
    office = Office(code="L6F3", name="Bürgerbüro Test", city="Offenbach", opening_hours="Mo–Fr 8–13 Uhr")
    session.add(office)
    session.flush()
    return office.id


def _visit(session, office_id, services, concerns=(), **kw) -> Visit:
    v = Visit(office_id=office_id, **kw)
    session.add(v)
    session.flush()
    for code in concerns:
        session.add(Concern(visit_id=v.id, service_id=services[code]))
    return v


@pytest.fixture
def day_built(any_db):
    """The office's 10 March 2026 (times Berlin), on SQLite and on PostgreSQL."""
    return _build_day()


@pytest.fixture
def day_built_on_sqlite(sqlite_db):
    """The same day on SQLite only."""
    return _build_day()


def _build_day() -> int:
    with db.session_scope() as s:
        oid = _office(s)
        services = {}
        for code, area, minutes in (("REG_UM", "registration", 15), ("ID_KIND", "id_documents", 20),
                                    ("VEH_UM", "vehicles", 30)):
            svc = Service(office_id=oid, code=code, name=code, area=area, planned_minutes=minutes)
            s.add(svc)
            s.flush()
            services[code] = svc.id
        appt = {"kind": "appointment", "status": "finished"}
        # wait 08:05 − max(07:55, 08:00) = 5, service 14 (planned 15); booked 4 days ahead
        _visit(s, oid, services, ["REG_UM"], area="registration", **appt, booked_at=t(3, 6, 10),
               slot_start=t(3, 10, 8), checked_in_at=t(3, 10, 7, 55), called_at=t(3, 10, 8, 5),
               started_at=t(3, 10, 8, 6), finished_at=t(3, 10, 8, 20))
        # wait 09:00 − max(08:40, 08:30) = 20, service 30 (planned 20 + 15 = 35); booked 9 days ahead
        _visit(s, oid, services, ["ID_KIND", "REG_UM"], area="id_documents", **appt, booked_at=t(3, 1, 12),
               slot_start=t(3, 10, 8, 30), checked_in_at=t(3, 10, 8, 40), called_at=t(3, 10, 9),
               started_at=t(3, 10, 9, 1), finished_at=t(3, 10, 9, 31))
        # walk-in: wait 30, service 10 (planned 15)
        _visit(s, oid, services, ["REG_UM"], kind="walk_in", status="finished", area="registration",
               checked_in_at=t(3, 10, 9), called_at=t(3, 10, 9, 30), started_at=t(3, 10, 9, 30),
               finished_at=t(3, 10, 9, 40))
        # emergency: wait 2, service 10 (planned 20)
        _visit(s, oid, services, ["ID_KIND"], kind="emergency", status="finished", area="id_documents",
               checked_in_at=t(3, 10, 10), called_at=t(3, 10, 10, 2), started_at=t(3, 10, 10, 2),
               finished_at=t(3, 10, 10, 12))
        # no-show, booked 1 day ahead
        _visit(s, oid, services, ["VEH_UM"], kind="appointment", status="no_show", area="vehicles",
               booked_at=t(3, 9, 9), slot_start=t(3, 10, 11), no_show_at=t(3, 10, 11, 30))
        # cancelled
        _visit(s, oid, services, ["VEH_UM"], kind="appointment", status="cancelled", area="vehicles",
               booked_at=t(3, 2, 9), slot_start=t(3, 10, 11, 30), cancelled_at=t(3, 5, 9))
        # bad: called before checked in (served, but no waiting or service time used)
        _visit(s, oid, services, ["VEH_UM"], kind="walk_in", status="finished", area="vehicles",
               checked_in_at=t(3, 10, 12), called_at=t(3, 10, 11, 50), started_at=t(3, 10, 11, 51),
               finished_at=t(3, 10, 12, 10))
        # bad: finished before started; booked 7 days ahead
        _visit(s, oid, services, ["REG_UM"], area="registration", **appt, booked_at=t(3, 3, 9),
               slot_start=t(3, 10, 13), checked_in_at=t(3, 10, 12, 50), called_at=t(3, 10, 13),
               started_at=t(3, 10, 13, 5), finished_at=t(3, 10, 13))
        # lead time: the engine's record of that morning (registration's first free time 2 days ahead)
        s.add(LeadTimeRecord(office_id=oid, area="registration", day=DAY, recorded_at=t(3, 10, 6),
                             service_code="REG_UM", minutes=15, first_free_at=t(3, 12, 9), lead_days=2))

        def task(type_, opened, closed=None, due=None):
            s.add(BackofficeTask(office_id=oid, type=type_, title="x", created_at=opened, updated_at=opened,
                                 closed_at=closed, due_date=due, status="done" if closed else "open"))

        task("citizen_email", t(3, 10, 9), t(3, 10, 14))  # opened, closed, e-mail answered
        task("authority_request", t(3, 2, 9), due=date(2026, 3, 9))  # backlog, overdue
        task("insurance_notice", t(3, 5, 9), t(3, 10, 15), due=date(2026, 3, 20))  # closed
        task("licence_withdrawal", t(3, 10, 10), due=DAY)  # opened, backlog, overdue (due today, still open)
        task("citizen_email", t(3, 10, 11), t(3, 10, 10))  # bad: closed before opened
        task("citizen_email", t(2, 1, 9), t(2, 15, 9))  # long gone

        citizen = Citizen(first_name="Vanessa", last_name="Graf", created_at=t(1, 1, 9))
        s.add(citizen)
        s.flush()

        def application(number, doc, arrived, notified=None, handed=None):
            s.add(DocumentApplication(office_id=oid, citizen_id=citizen.id, application_number=number,
                                      doc_type=doc, status="handed_over" if handed else "arrived",
                                      applied_at=t(1, 2, 9), arrived_at=arrived, notified_at=notified,
                                      handed_over_at=handed))

        application("A1", "PA", t(3, 10, 8), t(3, 10, 8, 5))  # arrived, notified
        application("A2", "RP", t(3, 2, 8), t(3, 2, 9), t(3, 10, 10))  # handed over after 8 days
        application("A3", "FS", t(2, 5, 8))  # 33 days waiting: uncollected after 4 weeks
        application("A4", "PA", t(2, 20, 8))  # 18 days waiting
        application("A5", "PA", t(3, 10, 12), handed=t(3, 10, 11))  # bad: handed over before it arrived

        for i in range(3):
            s.add(OnlineServiceRecord(office_id=oid, reference=f"OS{i}", kind="parking_permit",
                                      area="registration", completed_at=t(3, 10, 20 + i)))
        s.add(FeedbackEntry(office_id=oid, area="registration", at=t(3, 10, 9), score=5))
        s.add(FeedbackEntry(office_id=oid, area="id_documents", at=t(3, 10, 10), score=2, complaint=True))

        counters = [Counter(office_id=oid, name=n, kind=k) for n, k in (("1", "regular"), ("2", "regular"),
                                                                         ("E", "reception"))]
        s.add_all(counters)
        s.flush()
        for i, counter in enumerate(counters):
            user = StaffUser(office_id=oid, username=f"u{i}", display_name="x", role="advisor", password_hash="-",
                             created_at=t(1, 1, 9), weekly_hours=(39, 19.5, 39)[i])
            s.add(user)
            s.flush()
            s.add(StaffAssignment(day=DAY, user_id=user.id, counter_id=counter.id))
    return oid


def test_hand_built_day_gives_the_worked_out_figures(day_built):
    report = metrics.refresh(DAY, DAY)
    got = metrics.day_figures(DAY, day_built)
    expected = {
        M.CONTACTS_SERVED: 6,
        M.APPOINTMENTS_BOOKED: 5,
        M.APPOINTMENTS_CANCELLED: 1,
        M.NO_SHOWS: 1,
        M.NO_SHOW_RATE: 1 / 4,  # no-shows ÷ (booked − cancelled)
        M.WALK_INS: 2,
        M.EMERGENCIES: 1,
        M.WAITS_MEASURED: 4,  # waits 2, 5, 20, 30
        M.WAIT_MEAN_MIN: 14.25,
        M.WAIT_MEDIAN_MIN: 12.5,
        M.WAIT_P90_MIN: 27.0,  # 20 + 0.7 × (30 − 20)
        M.WAIT_WITHIN_15_SHARE: 0.5,
        M.SERVICES_MEASURED: 4,  # 14, 30, 10, 10 minutes
        M.SERVICE_MEAN_MIN: 16.0,
        M.SERVICE_PLANNED_MIN: (15 + 35 + 15 + 20) / 4,
        M.BOOKING_TO_VISIT_DAYS: (4 + 9 + 1 + 7) / 4,
        M.LEAD_TIME_DAYS: 2,
        M.BACKOFFICE_OPENED: 2,
        M.BACKOFFICE_CLOSED: 2,
        M.BACKOFFICE_BACKLOG: 2,
        M.BACKOFFICE_OVERDUE: 2,
        M.EMAILS_ANSWERED: 1,
        M.PICKUP_ARRIVED: 1,
        M.PICKUP_NOTIFIED: 1,
        M.PICKUP_HANDED_OVER: 1,
        M.PICKUP_DAYS_TO_HANDOVER: 8,
        M.PICKUP_UNCOLLECTED_4W: 1,
        M.ONLINE_SERVICES: 3,
        M.ONLINE_SHARE: 3 / (3 + 6),
        M.FEEDBACK_RECEIVED: 2,
        M.FEEDBACK_SCORE_MEAN: 3.5,
        M.COMPLAINTS: 1,
        M.STAFF_AT_COUNTERS: 2,
        M.STAFF_FTE_AT_COUNTERS: 1.5,  # full time + half time at counters 1 and 2 (reception does not count)
        M.BAD_RECORDS: 4,  # 2 visits, 1 task, 1 application
    }
    assert {m.value: got[m] for m in expected} == pytest.approx({m.value: v for m, v in expected.items()})
    assert report.bad_records == {(DAY, day_built): 4}

    rows = metrics.figures(DAY, DAY, day_built)

    def figure(area, service, metric):
        hit = rows.filter((rows["area"] == area) & (rows["service_code"] == service) & (rows["metric"] == metric))
        return hit["value"].item()

    assert figure("registration", "", M.CONTACTS_SERVED) == 3
    assert figure("registration", "", M.WAIT_MEAN_MIN) == pytest.approx(17.5)
    assert figure("registration", "", M.LEAD_TIME_DAYS) == 2
    assert figure("registration", "", M.ONLINE_SHARE) == pytest.approx(3 / 6)
    assert figure("vehicles", "", M.NO_SHOW_RATE) == 1.0
    assert figure("driving_licences", "", M.PICKUP_UNCOLLECTED_4W) == 1
    assert figure("id_documents", "", M.COMPLAINTS) == 1
    # REG_UM: served in 4 visits; the bad one has no time; the combined visit's 30 min split 15/35
    assert figure("registration", "REG_UM", M.CONTACTS_SERVED) == 4
    assert figure("registration", "REG_UM", M.SERVICE_MEAN_MIN) == pytest.approx((14 + 30 * 15 / 35 + 10) / 3)
    assert figure("registration", "REG_UM", M.SERVICE_PLANNED_MIN) == 15


def test_rerunning_a_day_replaces_its_figures(day_built):
    metrics.refresh(DAY, DAY)
    with db.session_scope() as s:
        before = s.execute(select(func.count()).select_from(DailyMetric)).scalar_one()
        s.add(Visit(office_id=day_built, kind="walk_in", status="finished", area="vehicles",
                    checked_in_at=t(3, 10, 9), called_at=t(3, 10, 9, 10), started_at=t(3, 10, 9, 10),
                    finished_at=t(3, 10, 9, 20)))
    metrics.refresh(DAY, DAY)
    with db.session_scope() as s:
        after = s.execute(select(func.count()).select_from(DailyMetric)).scalar_one()
    got = metrics.day_figures(DAY, day_built)
    assert got[M.CONTACTS_SERVED] == 7 and got[M.WALK_INS] == 3
    assert after == before  # same keys, new values, nothing doubled


def test_a_day_without_data_gives_zeros(sqlite_db):
    with db.session_scope() as s:
        oid = _office(s)
    with clock.freeze(datetime(2026, 12, 28, 2, 0)):
        report = metrics.refresh(date(2026, 12, 25), date(2026, 12, 26))
    got = metrics.day_figures(date(2026, 12, 26), oid)
    assert report.bad_records == {}
    assert set(got) == {m.value for m in compute.OFFICE_METRICS}
    assert all(v == 0 for v in got.values())


def test_refresh_refuses_a_reversed_range(sqlite_db):
    with pytest.raises(ValueError, match="Enddatum"):
        metrics.refresh(date(2026, 3, 2), date(2026, 3, 1))


def test_missing_days_lists_what_the_catch_up_must_compute(sqlite_db):
    with db.session_scope() as s:
        _office(s)
    metrics.refresh(date(2026, 3, 9), date(2026, 3, 9))
    assert metrics.missing_days(date(2026, 3, 10), 3) == [date(2026, 3, 8), date(2026, 3, 10)]




def test_nightly_job_computes_yesterday_and_catches_up_missing_days(sqlite_db, monkeypatch):
    from workstation.jobs import metrics_job

    monkeypatch.setenv("WORKSTATION_METRICS_CATCHUP_DAYS", "5")
    with db.session_scope() as s:
        _office(s)
    metrics.refresh(date(2026, 3, 7), date(2026, 3, 7))
    with clock.freeze(datetime(2026, 3, 10, 1, 30)):
        reports = metrics_job.run_nightly()
        again = metrics_job.run_nightly()
    assert [(r.first, r.last) for r in reports] == [(date(2026, 3, 5), date(2026, 3, 6)),
                                                   (date(2026, 3, 8), date(2026, 3, 9))]
    assert [(r.first, r.last) for r in again] == [(date(2026, 3, 9), date(2026, 3, 9))]


def test_job_registers_one_nightly_run():
    from apscheduler.schedulers.background import BackgroundScheduler

    from workstation.jobs import metrics_job

    scheduler = BackgroundScheduler(timezone="Europe/Berlin")
    scheduler.start(paused=True)
    try:
        metrics_job.register(scheduler)
        metrics_job.register(scheduler)
        [job] = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert job.id == metrics_job.JOB_ID and "hour='1', minute='30'" in str(job.trigger)


def test_command_computes_a_range_and_reports_bad_records(day_built, capsys):
    from workstation.commands import metrics as command

    assert command.main(["--from", "2026-03-09", "--to", "2026-03-10"]) == 0
    out = capsys.readouterr().out
    assert "09.03.2026–10.03.2026" in out and "10.03.2026 Dienststelle 1: 4 fehlerhafte Datensätze" in out
    assert command.main(["--from", "2026-03-10", "--to", "2026-03-09"]) == 1


def test_sqlite_shell_and_cursor_read_the_same_figures(day_built_on_sqlite, monkeypatch):
    from workstation.services.metrics import load

    if load.shutil.which("sqlite3") is None:
        pytest.skip("sqlite3 shell not installed")
    with_shell = metrics.compute_range(date(2026, 3, 1), DAY)
    monkeypatch.setattr(load.shutil, "which", lambda _name: None)
    with_cursor = metrics.compute_range(date(2026, 3, 1), DAY)
    order = [*compute.KEYS, "metric"]
    assert with_shell.sort(order).equals(with_cursor.sort(order))
    assert with_shell.filter(pl.col("metric") == M.CONTACTS_SERVED).height > 0


def test_local_day_matches_the_berlin_calendar_across_clock_changes():
    hours = pl.datetime_range(datetime(2025, 3, 28), datetime(2026, 11, 2), "17m", eager=True).alias("ts")
    frame = pl.DataFrame([hours.cast(pl.Datetime("ms"))]).with_columns(
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise(pl.col("ts")).alias("ts"))
    got = frame.select(visit_rules.local_day(pl.col("ts")))["ts"]
    want = frame.select(pl.col("ts").dt.replace_time_zone("UTC").dt.convert_time_zone("Europe/Berlin").dt.date())["ts"]
    assert got.equals(want)
    assert got.null_count() == frame["ts"].null_count() > 0


def test_timestamps_in_another_iso_form_are_still_read():
    from workstation.services.metrics import load

    raw = pl.DataFrame({"at": ["2026-03-10 07:00:00.250000", "2026-03-10 07:05:00", None], "day": ["2026-03-10"] * 3})
    got = load._parse(raw, ("at",), ("day",))
    assert got["at"].to_list() == [datetime(2026, 3, 10, 7, 0, 0, 250000), datetime(2026, 3, 10, 7, 5), None]
    assert got["day"].to_list() == [DAY] * 3


def test_online_cases_and_feedback_are_recorded_once_and_counted(sqlite_db):
    from workstation.services.metrics import records

    with db.session_scope() as s:
        oid = _office(s)
    assert records.record_online_case(oid, "OS-1", "parking_permit", "registration", t(3, 10, 21))
    assert not records.record_online_case(oid, "OS-1", "parking_permit", "registration", t(3, 10, 21))
    records.record_feedback(oid, t(3, 10, 9), score=4, area="vehicles")
    records.record_feedback(oid, t(3, 10, 10), complaint=True, comment="Zu lange gewartet")
    with pytest.raises(records.RecordError, match="zwischen 1 und 5"):
        records.record_feedback(oid, t(3, 10, 11), score=6)
    with pytest.raises(records.RecordError, match="Bereich"):
        records.record_online_case(oid, "OS-2", "certificate", "mars", t(3, 10, 21))
    metrics.refresh(DAY, DAY)
    got = metrics.day_figures(DAY, oid)
    assert (got[M.ONLINE_SERVICES], got[M.ONLINE_SHARE]) == (1, 1.0)
    assert (got[M.FEEDBACK_RECEIVED], got[M.FEEDBACK_SCORE_MEAN], got[M.COMPLAINTS]) == (2, 4.0, 1)


def _walk_in(session, oid, checked_in, called, finished=None):
    finished = finished or called
    return _visit(session, oid, {}, kind="walk_in", status="finished", area="registration",
                  checked_in_at=checked_in, called_at=called, started_at=called, finished_at=finished)


def test_unreadable_timestamps_are_bad_records_and_the_night_still_computes(sqlite_db):
    with db.session_scope() as s:
        oid = _office(s)
        _walk_in(s, oid, t(3, 10, 8), t(3, 10, 8, 10), t(3, 10, 8, 20))
        _walk_in(s, oid, t(3, 10, 9), t(3, 10, 9, 20), t(3, 10, 9, 30))
        odd = [_walk_in(s, oid, t(3, 10, 10), t(3, 10, 10, 5)).id for _ in range(2)]
    with db.engine().begin() as conn:  # what another program or a broken import could leave behind
        conn.exec_driver_sql(f"UPDATE visit SET called_at = 'n/a' WHERE id = {odd[0]}")
        conn.exec_driver_sql(f"UPDATE visit SET started_at = '2026-03-10T09:05:00' WHERE id = {odd[1]}")

    report = metrics.refresh(DAY, DAY)

    got = metrics.day_figures(DAY, oid)
    assert report.bad_records == {(DAY, oid): 2}
    assert got[M.BAD_RECORDS] == 2
    assert got[M.WAIT_MEAN_MIN] == 15  # (10 + 20) / 2: the unreadable visits enter no average


def test_a_call_on_a_later_day_is_a_bad_record_not_a_two_day_wait(sqlite_db):
    with db.session_scope() as s:
        oid = _office(s)
        _walk_in(s, oid, t(3, 10, 8), t(3, 10, 8, 10), t(3, 10, 8, 20))
        _walk_in(s, oid, t(3, 10, 17, 50), t(3, 12, 8, 0), t(3, 12, 8, 10))

    metrics.refresh(DAY, DAY)

    got = metrics.day_figures(DAY, oid)
    assert got[M.BAD_RECORDS] == 1
    assert got[M.WAIT_MEAN_MIN] == 10


def test_today_and_future_days_are_not_stored_as_final(sqlite_db):
    with db.session_scope() as s:
        oid = _office(s)
    with clock.freeze(datetime(2026, 3, 10, 11, 0)):
        report = metrics.refresh(date(2026, 3, 9), date(2026, 3, 12))
        nothing = metrics.refresh(date(2026, 3, 10), date(2026, 3, 11))
    assert (report.first, report.last) == (date(2026, 3, 9), date(2026, 3, 9))
    assert nothing.rows == 0
    assert metrics.day_figures(date(2026, 3, 9), oid) != {}
    assert metrics.day_figures(date(2026, 3, 10), oid) == {}
    assert metrics.day_figures(date(2026, 3, 11), oid) == {}


def test_one_failing_range_does_not_stop_the_nightly_catch_up(sqlite_db, monkeypatch):
    from workstation.jobs import metrics_job

    monkeypatch.setenv("WORKSTATION_METRICS_CATCHUP_DAYS", "5")
    with db.session_scope() as s:
        _office(s)
    metrics.refresh(date(2026, 3, 7), date(2026, 3, 7))
    real = metrics.refresh

    def failing_early(first, last):
        if first == date(2026, 3, 5):
            raise RuntimeError("disk full")
        return real(first, last)

    monkeypatch.setattr(metrics, "refresh", failing_early)
    with clock.freeze(datetime(2026, 3, 10, 1, 30)):
        reports = metrics_job.run_nightly()
    assert [(r.first, r.last) for r in reports] == [(date(2026, 3, 8), date(2026, 3, 9))]
    assert metrics.missing_days(date(2026, 3, 9), 5) == [date(2026, 3, 5), date(2026, 3, 6)]


def test_a_periods_median_and_90_percent_are_of_its_waits_not_the_mean_of_its_days(sqlite_db):
    from workstation.services.metrics import report

    with db.session_scope() as s:
        oid = _office(s)
        for wait in (10, 20, 30):
            _walk_in(s, oid, t(3, 9, 8), t(3, 9, 8, wait))
        _walk_in(s, oid, t(3, 10, 8), t(3, 10, 9, 40))
    metrics.refresh(date(2026, 3, 9), date(2026, 3, 10))

    [week] = report.trend(oid, date(2026, 3, 9), date(2026, 3, 10), "week").to_dicts()
    figures = {f.label: f for f in report.key_figures(oid, date(2026, 3, 9), date(2026, 3, 10))}

    assert week[M.WAIT_MEDIAN_MIN] == pytest.approx(25)  # of 10, 20, 30, 100 — not (3·20 + 1·100) / 4 = 40
    assert week[M.WAIT_P90_MIN] == pytest.approx(79)  # linear, as the daily figure: 30 + 0.7 · 70
    assert figures["Wartezeit 90 %"].value == pytest.approx(79)
    assert figures["Wartezeit 90 %"].previous is None  # no figures a year earlier: no data, not 0
    assert figures["Online-Anteil"].value is None
