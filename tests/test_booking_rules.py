"""What a citizen is offered: catalogue rules, capacity per lane, closed days, the horizon, the emergency quota."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import Reservation
from workstation.services.booking import bookings, capacity, catalogue, claims, holds, search
from workstation.services.booking.errors import BookingError
from workstation.services.booking.units import to_unit
from workstation.services.briefing import review as briefing


@pytest.fixture
def office(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    return booking_data.build()


def _plan(office, **counts):
    with db.read_scope() as session:
        return catalogue.plan(session, [(office.services[c], n) for c, n in counts.items()], online=True)


def _first(office, plan, now=NOW, count=5, **kw):
    with db.read_scope() as session:
        return search.first_free(session, office.office_id, plan.area, plan.units, clock.to_utc(now), count, **kw)


def test_plan_sums_durations_counts_documents_once_and_takes_the_longest_concerns_area(office):
    plan = _plan(office, ANM=1, PA=1, KRP=2)
    assert plan.minutes == 10 + 15 + 20
    assert plan.area == "id_documents"  # KRP × 2 (20 min) is the longest
    assert plan.documents == ["Personalausweis", "Wohnungsgeberbestätigung", "Passfoto", "Bisheriger Ausweis",
                              "Geburtsurkunde"]
    assert bookings.concern_labels(plan) == ["Anmeldung", "Personalausweis beantragen", "Kinderreisepass × 2"]


@pytest.mark.parametrize(("counts", "code", "words"), [
    ({}, "empty", "mindestens ein Anliegen"),
    ({"KRP": 4}, "count", "höchstens 3-mal"),
    ({"ANM": 1, "ABM": 1}, "conflict", "nicht in einem Termin"),
    ({"INT": 1}, "unknown_service", "nicht online gebucht"),
])
def test_catalogue_rules_refuse_with_a_german_message(office, counts, code, words):
    with pytest.raises(BookingError) as refused:
        _plan(office, **counts)
    assert refused.value.code == code
    assert words in refused.value.message
    assert refused.value.message_en


def test_staff_may_book_services_citizens_cannot(office):
    with db.read_scope() as session:
        plan = catalogue.plan(session, [(office.services["INT"], 1)], online=False)
    assert plan.minutes == 10


def test_first_free_times_start_at_opening_after_the_lead_time_on_the_quarter_hour(office):
    plan = _plan(office, ANM=1)
    times = _first(office, plan)
    assert [clock.to_local(t).strftime("%H:%M") for t in times] == ["08:00", "08:15", "08:30", "08:45", "09:00"]
    later = _first(office, plan, now=datetime(2026, 11, 23, 9, 40))
    assert clock.to_local(later[0]).strftime("%H:%M") == "10:15"


def test_a_time_is_offered_only_where_the_whole_duration_fits_one_lane(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 2}, opens=time(8), closes=time(9))
    # Lane 1: booked 08:00-08:10 and taken 08:20-09:00; lane 2: taken 08:00-08:30 and 08:40-09:00.
    # 20 free minutes in all, never 15 in one piece.
    bookings.book_for_caller(office.office_id, [(office.services["ANM"], 1)], at(8, 0), "A", "B", now=at(7))
    with db.session_scope() as session:
        claims.take(session, office_id=office.office_id, area="registration", lane=1, start=to_unit(at(8, 20)),
                    end=to_unit(at(9, 0)), state=claims.BOOKED, now=at(7))
        claims.take(session, office_id=office.office_id, area="registration", lane=2, start=to_unit(at(8, 0)),
                    end=to_unit(at(8, 30)), state=claims.BOOKED, now=at(7))
        claims.take(session, office_id=office.office_id, area="registration", lane=2, start=to_unit(at(8, 40)),
                    end=to_unit(at(9, 0)), state=claims.BOOKED, now=at(7))
    with db.read_scope() as session:
        assert search.free_on_day(session, office.office_id, "registration", 3, date(2026, 11, 23),
                                  at(7)) == []
        assert search.free_on_day(session, office.office_id, "registration", 2, date(2026, 11, 23),
                                  at(7)) == [at(8, 10), at(8, 30)]


def test_sundays_public_holidays_and_closing_days_are_never_offered(office):
    with db.session_scope() as session:
        capacity.close_day(session, office.office_id, date(2026, 12, 1), "Betriebsausflug")
    plan = _plan(office, ANM=1)
    with db.read_scope() as session:
        days = search.days_with_free(session, office.office_id, plan.area, plan.units, clock.to_utc(NOW),
                                     date(2026, 11, 28), date(2026, 12, 31))
    assert date(2026, 11, 29) not in days  # Sunday
    assert date(2026, 12, 1) not in days  # closing day
    assert date(2026, 12, 25) not in days and date(2026, 12, 26) not in days  # Christmas (Hessen)
    assert date(2026, 11, 28) not in days  # Saturday: no lane
    assert date(2026, 11, 30) in days and date(2026, 12, 2) in days


def test_nothing_is_offered_or_held_beyond_the_horizon(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_BOOKING_HORIZON_DAYS", "90")
    plan = _plan(office, ANM=1)
    with db.read_scope() as session:
        days = search.days_with_free(session, office.office_id, plan.area, plan.units, clock.to_utc(NOW))
    assert days[0] == date(2026, 11, 23)
    assert days[-1] <= date(2026, 11, 23) + timedelta(days=90)
    beyond = clock.to_utc(datetime(2027, 2, 23, 9, 0))
    with pytest.raises(BookingError) as refused:
        holds.hold(office.office_id, [(office.services["ANM"], 1)], beyond, clock.to_utc(NOW))
    assert refused.value.code == "outside"


def test_times_outside_the_lanes_or_off_the_grid_or_in_the_past_are_refused(office):
    for start in (at(13, 0), at(7, 0), at(8, 2), at(6, 0, day=22), at(8, 0, day=29)):
        with pytest.raises(BookingError) as refused:
            holds.hold(office.office_id, [(office.services["ANM"], 1)], start, clock.to_utc(NOW))
        assert refused.value.code == "outside", start


def test_emergency_share_is_read_per_area_and_rounds_up_to_whole_lanes():
    assert capacity.emergency_share("vehicles", "vehicles=0.2,*=0.1") == 0.2
    assert capacity.emergency_share("registration", "vehicles=0.2,*=0.1") == 0.1
    assert capacity.emergency_share("registration", "0") == 0
    assert capacity.emergency_lanes([1, 2, 3, 4, 5, 6, 7, 8], 0.1) == {8}
    assert capacity.emergency_lanes([1, 2, 3, 4], 0.3) == {3, 4}
    assert capacity.emergency_lanes([1], 0.5) == set()  # a single lane stays public
    assert capacity.emergency_lanes([1, 2], 1.0) == {2}  # never all lanes


def test_the_emergency_quota_is_never_offered_online_and_staff_book_into_it(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch, WORKSTATION_BOOKING_EMERGENCY_SHARE="0.5")
    office = booking_data.build({"registration": 2}, opens=time(8), closes=time(8, 30))
    services = [(office.services["ANM"], 1)]
    now = clock.to_utc(NOW)
    for start in (at(8, 0), at(8, 10), at(8, 20)):
        holds.hold(office.office_id, services, start, now)
    with pytest.raises(BookingError) as refused:
        holds.hold(office.office_id, services, at(8, 0), now)
    assert refused.value.code == "taken"
    assert clock.to_local(_first(office, _plan(office, ANM=1))[0]).date() == date(2026, 11, 24)
    urgent = bookings.book_for_caller(office.office_id, services, at(8, 0), "Eilig", "Fall", emergency=True, now=now)
    assert urgent.code
    with db.read_scope() as session:
        reservation = session.exec(select(Reservation).where(Reservation.visit_id == urgent.visit_id)).one()
    assert reservation.emergency and reservation.lane == 2
    load = briefing.today_load(office.office_id, now=now)
    assert (load.emergency_quota, load.emergencies_so_far) == (10, 1)  # the briefing's "Notfallkontingent"
