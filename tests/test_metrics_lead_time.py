"""The controlling lead time is the booking engine's first free online time, recorded each morning.

A small office built by hand: registration has one public counter lane 08:00–09:00 on weekdays and
one emergency lane; the reference concern is Anmeldung (30 min, the area's longest online concern).
Thursday 2 April 2026, 06:00: Thursday has only 20 minutes left, Good Friday and Easter Monday are
public holidays in Hesse, the weekend has no lanes, Tuesday has 15 minutes left, Wednesday is a
closing day → the first free time is Thursday 9 April 08:00: a lead time of 7 days.
"""

from datetime import date, datetime, time, timedelta

import holidays
import pytest
from sqlalchemy import func, select

from workstation import clock, db
from workstation.jobs import lead_time_job
from workstation.models import BookingLane, ClosingDay, LeadTimeRecord, Office, Reservation, Service
from workstation.models.metrics import MetricName as M
from workstation.services import metrics
from workstation.services.booking.units import to_unit
from workstation.services.metrics import lead_time, report

MORNING = datetime(2026, 4, 2, 6, 0)  # Thursday before Easter, Berlin
DAY = MORNING.date()
LANE_OPENS, LANE_CLOSES = time(8), time(9)
BOOKED = {  # Berlin (day, from, to) taken on the public lane
    date(2026, 4, 2): [(time(8), time(8, 40))],
    date(2026, 4, 7): [(time(8), time(8, 15)), (time(8, 30), time(9))],
}
CLOSED = date(2026, 4, 8)


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    # Two lanes, one of them the emergency quota (never offered online), a 30-minute minimum lead time.
    monkeypatch.setenv("WORKSTATION_BOOKING_EMERGENCY_SHARE", "0.5")
    monkeypatch.setenv("WORKSTATION_BOOKING_MIN_LEAD_MINUTES", "30")
    monkeypatch.setenv("WORKSTATION_HOLIDAY_SUBDIV", "HE")


def _at(day: date, t: time) -> datetime:
    return clock.to_utc(datetime.combine(day, t))


def _office(session, code: str, booked: dict = BOOKED, closed: date | None = CLOSED) -> int:
    office = Office(code=code, name=f"Bürgerbüro {code}", city="Offenbach", opening_hours="Mo–Fr 8–9 Uhr")
    session.add(office)
    session.flush()
    for svc_code, minutes in (("ANM", 30), ("ABM", 10)):
        session.add(Service(office_id=office.id, code=svc_code, name=svc_code, area="registration",
                            planned_minutes=minutes))
    session.add(Service(office_id=office.id, code="INT", name="intern", area="registration", planned_minutes=60,
                        online_bookable=False))
    for lane in (1, 2):
        for weekday in range(5):
            session.add(BookingLane(office_id=office.id, area="registration", lane=lane, weekday=weekday,
                                    opens=LANE_OPENS, closes=LANE_CLOSES))
    for day, spans in booked.items():
        for start, end in spans:
            session.add(Reservation(office_id=office.id, area="registration", lane=1, state="booked",
                                    start_unit=to_unit(_at(day, start)), end_unit=to_unit(_at(day, end)),
                                    created_at=_at(DAY, time(5))))
    if closed:
        session.add(ClosingDay(office_id=office.id, day=closed, reason="Betriebsausflug"))
    return office.id


def _independent_lead_days(day: date, now: datetime, minutes: int, booked: dict, closed: set[date]) -> int:
    """Brute force over 5-minute starts: the first day with [s, s + minutes) inside the public lane, free,
    not before now + 30 minutes; Sundays, Hessian holidays and closing days skipped; lanes Mon–Fri."""
    he = holidays.country_holidays("DE", subdiv="HE", years=[day.year])
    for k in range(0, 91):
        d = day + timedelta(days=k)
        if d.weekday() >= 5 or d in he or d in closed:
            continue
        start = _at(d, LANE_OPENS)
        while start + timedelta(minutes=minutes) <= _at(d, LANE_CLOSES):
            end = start + timedelta(minutes=minutes)
            overlaps = any(start < _at(d, b) and _at(d, a) < end for a, b in booked.get(d, []))
            if start >= now + timedelta(minutes=30) and not overlaps:
                return k
            start += timedelta(minutes=5)
    return 90


def _records() -> list[LeadTimeRecord]:
    with db.read_scope() as session:
        return list(session.exec(select(LeadTimeRecord).order_by(LeadTimeRecord.office_id)).scalars())


def test_the_morning_record_is_the_engines_first_free_time_for_the_reference_concern(any_db):
    with db.session_scope() as session:
        oid = _office(session, "L6F3")
    assert lead_time.record(clock.to_utc(MORNING)) == 1
    [rec] = _records()
    expected = _independent_lead_days(DAY, clock.to_utc(MORNING), 30, BOOKED, {CLOSED})
    assert expected == 7
    assert (rec.office_id, rec.area, rec.day, rec.service_code, rec.minutes, rec.lead_days, rec.source) == (
        oid, "registration", DAY, "ANM", 30, expected, "engine")
    assert rec.first_free_at == _at(date(2026, 4, 9), time(8))
    # The short concern would have fitted on Thursday itself: the reference concern decides the figure.
    assert _independent_lead_days(DAY, clock.to_utc(MORNING), 10, BOOKED, {CLOSED}) == 0


def test_the_controlling_lead_time_reads_the_records_and_days_without_one_have_none(sqlite_db):
    with db.session_scope() as session:
        oid = _office(session, "L6F3")
    lead_time.record(clock.to_utc(MORNING))
    with clock.freeze(datetime(2026, 4, 4, 9)):
        metrics.refresh(DAY - timedelta(days=1), DAY)
    assert metrics.day_figures(DAY, oid)[M.LEAD_TIME_DAYS] == 7
    rows = metrics.figures(DAY, DAY, oid).filter(metric=M.LEAD_TIME_DAYS, area="registration")
    assert rows["value"].to_list() == [7]
    assert M.LEAD_TIME_DAYS not in metrics.day_figures(DAY - timedelta(days=1), oid)  # no record: no figure

    def key_lead(first: date, last: date) -> float | None:
        return next(f.value for f in report.key_figures(oid, first, last) if f.label == "Vorlaufzeit")

    assert key_lead(DAY - timedelta(days=1), DAY) == 7  # the day without a record is left out, not 0
    assert key_lead(DAY - timedelta(days=1), DAY - timedelta(days=1)) is None  # "keine Daten"


def test_rerunning_the_job_adds_nothing_and_keeps_the_mornings_record(sqlite_db):
    with db.session_scope() as session:
        oid = _office(session, "L6F3")
    with clock.freeze(MORNING):
        assert lead_time_job.record_lead_times() == 1
    with db.session_scope() as session:  # a cancellation later that day frees Tuesday
        session.execute(Reservation.__table__.delete().where(Reservation.start_unit == to_unit(
            _at(date(2026, 4, 7), time(8, 30)))))
    with clock.freeze(MORNING + timedelta(hours=5)):
        assert lead_time_job.record_lead_times() == 0
    with db.read_scope() as session:
        assert session.execute(select(func.count()).select_from(LeadTimeRecord)).scalar_one() == 1
    assert [(r.office_id, r.lead_days) for r in _records()] == [(oid, 7)]
    with clock.freeze(MORNING + timedelta(days=1, hours=1)):  # next morning (Good Friday): Tuesday is free now
        lead_time_job.record_lead_times()
    assert [r.lead_days for r in _records()] == [7, 4]


def test_each_office_is_recorded_from_its_own_lanes_and_bookings(sqlite_db):
    with db.session_scope() as session:
        busy = _office(session, "L6F3")
        free = _office(session, "K2X9", booked={}, closed=None)
    assert lead_time.record(clock.to_utc(MORNING), office_ids=[free]) == 1
    assert [(r.office_id, r.lead_days) for r in _records()] == [(free, 0)]
    lead_time.record(clock.to_utc(MORNING))
    assert {r.office_id: r.lead_days for r in _records()} == {busy: 7, free: 0}
    with clock.freeze(datetime(2026, 4, 4, 9)):
        metrics.refresh(DAY, DAY, office_ids=[busy])
    assert metrics.day_figures(DAY, busy)[M.LEAD_TIME_DAYS] == 7
    assert metrics.day_figures(DAY, free) == {}


def test_an_area_without_public_lanes_or_online_concerns_gets_no_record(sqlite_db):
    with db.session_scope() as session:
        oid = _office(session, "L6F3")
        session.add(Service(office_id=oid, code="UMS", name="Umschreibung", area="vehicles", planned_minutes=15))
        session.add(BookingLane(office_id=oid, area="id_documents", lane=1, weekday=0, opens=LANE_OPENS,
                                closes=LANE_CLOSES))
    lead_time.record(clock.to_utc(MORNING))
    assert [r.area for r in _records()] == ["registration"]
