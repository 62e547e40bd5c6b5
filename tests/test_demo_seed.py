"""The demo office: what a new user sees after the first start, the same data for the same seed and day."""

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select
from sqlmodel import Session, SQLModel

from tests import dbutil
from workstation import clock, db
from workstation.commands import seed as seed_command
from workstation.models import (
    BackofficeTask,
    Citizen,
    Concern,
    Counter,
    DocumentApplication,
    Office,
    Reservation,
    ReservedPlate,
    Service,
    StaffAssignment,
    StaffUser,
    Visit,
)
from workstation.models.enums import ApplicationStatus, CounterKind, PlateStatus, TaskStatus, TaskType, VisitStatus
from workstation.services.booking import catalogue, search
from workstation.services.booking.units import to_unit
from workstation.services.common import serials
from workstation.services.demo.seed import (
    DEMO_ACCOUNTS,
    VANESSA_BOOKING_CODE,
    DemoAlreadySeededError,
    seed_demo_office,
    seed_if_empty,
)
from workstation.services.staff.passwords import verify_password

DEMO_DAY = date(2026, 11, 23)  # a Monday
SEED = 2022


@pytest.fixture(scope="module")
def seeded_path(tmp_path_factory) -> Path:
    """One SQLite database with the demo office, shared by the tests of this module (which do not change it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REFLEX_DB_URL", f"sqlite:///{path}")
        seed_demo_office(seed=SEED, today=DEMO_DAY)
    return path


@pytest.fixture(scope="module")
def seeded(seeded_path):
    """A read-only session on it (a plain engine: the app's engine takes SQLite's write lock on every BEGIN)."""
    eng = create_engine(f"sqlite:///{seeded_path}")
    with Session(eng) as session:
        yield session
    eng.dispose()


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _local(utc: datetime) -> datetime:
    return clock.to_local(utc).replace(tzinfo=None)


def test_office_desks_and_staff(seeded):
    office = seeded.execute(select(Office)).scalar_one()
    assert office.code == "L6F3" and "Offenbach" in office.name and "8:00" in office.opening_hours
    desks = {kind: _count(seeded, Counter, Counter.kind == str(kind)) for kind in CounterKind}
    assert desks == {CounterKind.REGULAR: 24, CounterKind.DEALER: 4, CounterKind.RECEPTION: 2, CounterKind.PICKUP: 2}
    names = set(seeded.execute(select(Counter.name)).scalars())
    assert {"Schalter 1", "Schalter 24", "Händlerschalter 4", "Empfang 2", "Ausgabe 1"} <= names
    assert 65 <= _count(seeded, StaffUser) <= 75


def test_every_demo_account_logs_in_with_its_password_and_role(seeded):
    for account in DEMO_ACCOUNTS:
        user = seeded.execute(select(StaffUser).where(StaffUser.username == account.username)).scalar_one()
        assert verify_password(account.password, user.password_hash), account.username
        assert (user.role, user.display_name) == (str(account.role), account.display_name)
    colleague = seeded.execute(select(StaffUser).where(StaffUser.username.not_in(
        [a.username for a in DEMO_ACCOUNTS]))).scalars().first()
    assert not verify_password("berater-demo", colleague.password_hash)
    assert {a.role for a in DEMO_ACCOUNTS} == {"advisor", "reception", "pickup", "team_lead", "controlling", "admin"}


def test_catalogue_has_the_services_of_the_customer_journey(seeded):
    names = set(seeded.execute(select(Service.name)).scalars())
    assert {"Ummeldung", "Kinderausweis", "Umschreibung Fahrzeug", "Reisepass beantragen", "Neuzulassung",
            "Führerschein Umtausch"} <= names
    ummeldung = seeded.execute(select(Service).where(Service.name == "Ummeldung")).scalar_one()
    assert ummeldung.area == "registration" and ummeldung.planned_minutes > 0
    assert "Wohnungsgeberbestätigung" in ummeldung.documents.splitlines()[1]


def test_vanessa_graf_at_eight_with_three_concerns_and_her_confirmed_plate(seeded):
    visit = seeded.execute(select(Visit).where(Visit.booking_code == VANESSA_BOOKING_CODE)).scalar_one()
    vanessa = seeded.get(Citizen, visit.citizen_id)
    assert (vanessa.first_name, vanessa.last_name) == ("Vanessa", "Graf")
    assert _local(visit.slot_start) == datetime(2026, 11, 23, 8, 0)
    assert visit.status == VisitStatus.BOOKED and visit.channel == "online"
    assert "4 Personen" in visit.booking_note and "Mia (7)" in visit.booking_note
    concerns = seeded.execute(
        select(Service.name).join(Concern, Concern.service_id == Service.id).where(Concern.visit_id == visit.id)
        .order_by(Concern.id)).scalars().all()
    assert concerns == ["Ummeldung", "Kinderausweis", "Umschreibung Fahrzeug"]
    plate = seeded.execute(select(ReservedPlate).where(ReservedPlate.plate == "OF-C-777")).scalar_one()
    assert plate.citizen_id == vanessa.id and plate.status == PlateStatus.ASSIGNED
    documents = seeded.execute(select(DocumentApplication).where(
        DocumentApplication.citizen_id == vanessa.id)).scalars().all()
    assert {d.status for d in documents} == {ApplicationStatus.HANDED_OVER, ApplicationStatus.ARRIVED}


def test_todays_appointments_fill_the_morning(seeded):
    start, end = clock.local_day_bounds(DEMO_DAY)
    today = seeded.execute(select(Visit).where(Visit.slot_start >= start, Visit.slot_start < end)).scalars().all()
    citizens = [v for v in today if v.kind == "appointment"]
    dealers = [v for v in today if v.kind == "dealer"]
    assert 400 <= len(citizens) <= 600  # the generated ~450 and the engine's bookings in the lanes' remaining time
    assert dealers and all(v.dealer_id and v.batch_size > 0 for v in dealers)
    assert {v.status for v in today} == {"booked"}
    assert all(datetime(2026, 11, 23, 8) <= _local(v.slot_start) and _local(v.slot_end) <= datetime(2026, 11, 23, 13)
               for v in today)
    assert len({v.booking_code for v in today}) == len(today)
    assert all(len(v.booking_code) == 6 for v in today)
    with_concerns = set(seeded.execute(select(Concern.visit_id).where(
        Concern.visit_id.in_([v.id for v in today]))).scalars())
    assert with_concerns == {v.id for v in today}


def test_demo_staff_sit_at_their_desks_today(seeded):
    seats = dict(seeded.execute(
        select(StaffUser.username, Counter.name)
        .join(StaffAssignment, StaffAssignment.user_id == StaffUser.id)
        .join(Counter, Counter.id == StaffAssignment.counter_id)
        .where(StaffAssignment.day == DEMO_DAY)).all())
    assert len(seats) == 32
    assert seats["berater"] == "Schalter 1" and seats["berater2"] == "Schalter 2"
    assert seats["haendler"] == "Händlerschalter 1"
    assert seats["empfang"].startswith("Empfang") and seats["abholung"].startswith("Ausgabe")


def test_back_office_year_and_todays_open_list(seeded):
    assert _count(seeded, BackofficeTask) == 225_579
    assert 30_000 <= _count(seeded, BackofficeTask, BackofficeTask.type == TaskType.CITIZEN_EMAIL) <= 32_000
    open_ = BackofficeTask.status != TaskStatus.DONE
    for task_type in TaskType:
        of_type = BackofficeTask.type == str(task_type)
        assert _count(seeded, BackofficeTask, open_, of_type) > 0, task_type
        assert _count(seeded, BackofficeTask, open_, of_type, BackofficeTask.due_date < DEMO_DAY) > 0, task_type
    assert _count(seeded, BackofficeTask, open_, BackofficeTask.due_date == DEMO_DAY) > 0
    assert _count(seeded, BackofficeTask, BackofficeTask.status == TaskStatus.DONE,
                  BackofficeTask.closed_at.is_(None)) == 0
    assert _count(seeded, BackofficeTask, open_) < 5_000
    assert _count(seeded, BackofficeTask, BackofficeTask.status.in_((TaskStatus.IN_PROGRESS, TaskStatus.WAITING)),
                  BackofficeTask.assignee_id.is_(None)) == 0
    assert _count(seeded, BackofficeTask, BackofficeTask.status == TaskStatus.OPEN,
                  BackofficeTask.assignee_id.is_(None)) > 0


def test_document_serials_carry_the_office_code_and_a_valid_alphabet(seeded):
    shipped = seeded.execute(select(DocumentApplication.serial_number).where(
        DocumentApplication.serial_number.is_not(None))).scalars().all()
    assert len(shipped) > 30_000
    assert all(serial.startswith("L6F3") and serials.is_well_formed(serial) for serial in shipped)


def test_year_of_history_matches_the_2022_figures(seeded):
    start, _ = clock.local_day_bounds(date(2025, 11, 23))
    end, _ = clock.local_day_bounds(DEMO_DAY)
    finished = seeded.execute(select(Visit.area, Visit.kind, Visit.slot_start, Visit.checked_in_at, Visit.called_at,
                                     Visit.finished_at).where(Visit.status == VisitStatus.FINISHED)).all()
    assert all(start <= v.finished_at < end for v in finished)
    by_area = {}
    for v in finished:
        by_area[v.area] = by_area.get(v.area, 0) + 1
    targets = {"registration": 37_000, "id_documents": 22_616, "vehicles": 20_016, "driving_licences": 14_312}
    targets["partner"] = 113_997 - sum(targets.values())
    for area, target in targets.items():
        assert abs(by_area[area] - target) <= 0.01 * target, area
    assert abs(len(finished) - 113_997) <= 1_140
    by_month = {}
    for v in finished:
        month = _local(v.finished_at).month
        by_month[month] = by_month.get(month, 0) + 1
    assert max(by_month, key=by_month.get) == 3
    assert abs(by_month[3] - 11_141) <= 0.03 * 11_141
    waits = sorted((v.called_at - max(v.checked_in_at, v.slot_start or v.checked_in_at)).total_seconds() / 60
                   for v in finished)
    assert 8.5 <= sum(waits) / len(waits) <= 9.5
    assert waits[len(waits) // 2] < sum(waits) / len(waits)  # skewed: median below mean
    assert all(w >= 0 for w in waits)
    kinds = {}
    for v in finished:
        kinds[v.kind] = kinds.get(v.kind, 0) + 1
    assert 0.03 < kinds["walk_in"] / len(finished) < 0.12 and 0 < kinds["emergency"] / len(finished) < 0.03
    assert kinds["dealer"] > 0
    no_shows = _count(seeded, Visit, Visit.status == VisitStatus.NO_SHOW)
    cancelled = _count(seeded, Visit, Visit.status == VisitStatus.CANCELLED)
    assert 0.04 < no_shows / len(finished) < 0.12 and 0.04 < cancelled / len(finished) < 0.12


def test_no_desk_serves_two_people_at_once_and_the_advisor_sat_there(seeded):
    rows = seeded.execute(
        select(Visit.counter_id, Visit.advisor_id, Visit.called_at, Visit.finished_at, StaffAssignment.user_id)
        .join(StaffAssignment, (StaffAssignment.counter_id == Visit.counter_id)
              & (StaffAssignment.day == func.date(Visit.called_at)), isouter=True)
        .where(Visit.status == VisitStatus.FINISHED).order_by(Visit.counter_id, Visit.called_at)).all()
    previous = {}
    for counter, advisor, called, finished, assigned in rows:
        assert called >= previous.get(counter, called)
        previous[counter] = finished
        assert assigned in (None, advisor)  # None only where the UTC date differs from the Berlin day
    assert sum(r.user_id == r.advisor_id for r in rows) > 0.9 * len(rows)


def test_yesterday_was_a_normal_working_day(seeded):
    start, end = clock.local_day_bounds(date(2026, 11, 20))  # the Friday before the demo Monday
    served = _count(seeded, Visit, Visit.finished_at >= start, Visit.finished_at < end)
    assert 300 <= served <= 600
    assert _count(seeded, BackofficeTask, BackofficeTask.closed_at >= start, BackofficeTask.closed_at < end) > 300


def test_pickup_shelf_and_parcels_on_the_way(seeded):
    arrived = seeded.execute(select(DocumentApplication).where(
        DocumentApplication.status == ApplicationStatus.ARRIVED)).scalars().all()
    now = clock.to_utc(datetime(2026, 11, 23, 7, 0))
    assert 100 < len(arrived) < 1_500
    assert any(d.confirmed_at is None for d in arrived)
    assert any(d.notified_at is not None for d in arrived)
    assert any((now - d.arrived_at).days > 28 for d in arrived)
    assert all(d.notify_email or d.notify_phone or d.notify_channel == "none" for d in arrived)
    assert all(d.notify_email.endswith("@example.org") for d in arrived if d.notify_email)
    assert _count(seeded, DocumentApplication, DocumentApplication.status == ApplicationStatus.SHIPPED) > 0
    handed = seeded.execute(select(DocumentApplication).where(
        DocumentApplication.status == ApplicationStatus.HANDED_OVER).limit(500)).scalars().all()
    assert all(d.applied_at < d.shipped_at < d.arrived_at < d.handed_over_at for d in handed)
    assert all(d.notify_email is None and d.notify_phone is None for d in handed)
    no_pickup = (ApplicationStatus.HANDED_OVER, ApplicationStatus.RETURNED, ApplicationStatus.DIRECT_MAIL,
                 ApplicationStatus.CANCELLED)
    assert _count(seeded, DocumentApplication, DocumentApplication.status.in_(no_pickup),
                  DocumentApplication.notify_email.is_not(None) | DocumentApplication.notify_phone.is_not(None)) == 0


def _fingerprint(url: str) -> tuple[dict[str, int], str]:
    eng = create_engine(url)
    with Session(eng) as session:
        counts = {m.__tablename__: _count(session, m) for m in (Visit, Concern, BackofficeTask, DocumentApplication,
                                                                   Citizen, StaffAssignment, ReservedPlate)}
        digest = hashlib.sha256()
        for row in session.execute(select(Visit.id, Visit.kind, Visit.status, Visit.area, Visit.citizen_id,
                                          Visit.booking_code, Visit.slot_start, Visit.called_at, Visit.finished_at,
                                          Visit.counter_id, Visit.advisor_id).order_by(Visit.id)):
            digest.update(repr(tuple(row)).encode())
        for row in session.execute(select(BackofficeTask.id, BackofficeTask.type, BackofficeTask.created_at,
                                          BackofficeTask.closed_at).order_by(BackofficeTask.id)):
            digest.update(repr(tuple(row)).encode())
    eng.dispose()
    return counts, digest.hexdigest()


def test_first_start_seeds_the_same_office_and_only_once(sqlite_db, seeded_path, monkeypatch):
    monkeypatch.delenv("WORKSTATION_DEMO_SEED", raising=False)
    with clock.freeze(datetime(2026, 11, 23, 7, 30)):
        assert seed_if_empty() is True
        assert _fingerprint(sqlite_db) == _fingerprint(f"sqlite:///{seeded_path}")
        assert seed_if_empty() is False
        with pytest.raises(DemoAlreadySeededError):
            seed_demo_office(seed=SEED, today=DEMO_DAY)
    with db.session_scope() as session:
        assert _count(session, Office) == 1


def test_postgresql_gets_the_same_office_with_its_constraints_and_sequences(seeded_path, monkeypatch):
    dbutil.require_pg()
    name, pg_url = dbutil.create_pg_database()
    try:
        monkeypatch.setenv("REFLEX_DB_URL", pg_url)
        seed_demo_office(seed=SEED, today=DEMO_DAY)
        assert _fingerprint(pg_url) == _fingerprint(f"sqlite:///{seeded_path}")
        inspector = inspect(db.engine_for(pg_url))
        for table in ("visit", "concern", "backofficetask", "documentapplication"):  # restored after the bulk load
            declared = SQLModel.metadata.tables[table]
            assert len(inspector.get_foreign_keys(table)) == len(declared.foreign_keys)
            assert {ix["name"] for ix in inspector.get_indexes(table)} == {ix.name for ix in declared.indexes}
        with db.session_scope() as session:  # the app's own inserts continue after the seeded ids
            session.add(Visit(office_id=1, kind="walk_in", status="waiting", area="registration"))
            session.add(BackofficeTask(office_id=1, type="citizen_email", title="Neu", created_at=clock.now(),
                                       updated_at=clock.now()))
    finally:
        db.engine_for.cache_clear()
        dbutil.drop_pg_database(name)


def test_reset_command_replaces_the_office(seeded_path, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "copy.db"
    with sqlite3.connect(seeded_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{copy}")
    assert seed_command.main(["--today", "2026-11-24"]) == 1
    assert "--reset" in capsys.readouterr().err
    with db.session_scope() as session:
        session.add(Office(code="XXXX", name="Fremdes Büro", city="-", opening_hours="-"))
    assert seed_command.main(["--reset", "--today", "2026-11-24", "--seed", "7"]) == 0
    assert "visit" in capsys.readouterr().out
    with db.session_scope() as session:
        assert session.execute(select(Office.code)).scalars().all() == ["L6F3"]
        start, end = clock.local_day_bounds(date(2026, 11, 24))
        assert _count(session, Visit, Visit.slot_start >= start, Visit.slot_start < end, Visit.status == "booked") > 400
        assert _count(session, BackofficeTask) == 225_579


def test_demo_lead_time_history_is_seed_data_and_today_comes_from_the_engine(sqlite_db):
    """Every area has a simulated record for each past morning (marked as demo data) and today's from the
    booking engine; the stored lead time is a real figure, not the horizon."""
    from datetime import date

    from sqlalchemy import text

    from workstation import db
    from workstation.services.demo.seed import seed_demo_office

    seed_demo_office(today=date(2026, 11, 23))
    with db.session_scope() as session:
        sources = dict(session.execute(text(
            "select source || ' ' || case when day = '2026-11-23' then 'today' else 'past' end, count(*) "
            "from leadtimerecord group by 1")).all())
        mean_lead = session.execute(
            text("select avg(value) from dailymetric where metric='lead_time_days' and area=''")
        ).scalar()
    assert sources == {"demo past": 5 * 365, "engine today": 5}
    assert 0 <= mean_lead < 10


def test_a_year_of_feedback_is_satisfied_and_complaints_are_about_half_a_per_mille(seeded_path, monkeypatch):
    from workstation.services.metrics import satisfaction

    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{seeded_path}")
    office_id = 1
    year = satisfaction.summary(office_id, DEMO_DAY - timedelta(days=365), DEMO_DAY - timedelta(days=1))
    assert 4.3 <= year.overall.mean <= 4.6 and year.overall.answers > 3000
    morning, afternoon = year.windows
    assert morning.mean > afternoon.mean
    assert all(month.mean is not None for month in year.months)
    assert all(area.mean is not None for area in year.areas)
    assert 0.4 <= year.complaints_per_1000 <= 0.6  # Oldenburg: 0.05 % of the cases


def test_the_engine_offers_the_first_free_time_on_the_fourth_working_day(seeded):
    """The demo's coming weeks are booked through the engine: Offenbach's lead time of 4 days (seed 000)."""
    office = seeded.execute(select(Office.id)).scalar_one()
    services = seeded.execute(select(Service).where(Service.office_id == office, Service.online_bookable)).scalars()
    morning = clock.to_utc(datetime(2026, 11, 23, 7, 55))
    firsts = set()
    for service in services.all():
        plan = catalogue.plan(seeded, [(service.id, 1)], online=True, office_id=office)
        firsts.add(clock.to_local(search.first_free(seeded, office, plan.area, plan.units, morning, 1)[0]).date())
    assert min(firsts) == date(2026, 11, 27)  # Monday the demo day, Tuesday to Thursday full: Friday
    assert max(firsts) <= date(2026, 12, 1)
    booked_ahead = seeded.execute(select(func.count()).select_from(Visit).where(
        Visit.slot_start >= clock.to_utc(datetime(2026, 11, 24)), Visit.status == "booked")).scalar_one()
    reserved = seeded.execute(select(func.count()).select_from(Reservation).where(
        Reservation.start_unit >= to_unit(clock.to_utc(datetime(2026, 11, 24))))).scalar_one()
    assert booked_ahead == reserved > 1000  # every one of them holds its lane time
