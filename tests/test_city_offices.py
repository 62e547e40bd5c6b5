"""A city of offices: the city admin creates and switches offices, the feed finds each office by its code,
the comparison shows the offices side by side with the figures of their own controlling pages."""

import csv
import io
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from tests import pickup_data
from workstation import clock, db
from workstation.models import (
    DailyMetric,
    DocumentApplication,
    FeedRejection,
    Office,
    Role,
    Service,
    StaffUser,
    Visit,
)
from workstation.models.enums import ApplicationStatus
from workstation.models.metrics import MetricName as M
from workstation.services import metrics
from workstation.services.city import comparison, offices
from workstation.services.common import serials
from workstation.services.metrics import report
from workstation.services.pickup.feed import inbox, simulate
from workstation.services.pickup.feed.simulate import Notice
from workstation.services.staff import auth, passwords
from workstation.state.admin import AdminState
from workstation.state.city import CityState
from workstation.state.comparison import ComparisonState

PASSWORD = "geheim-123"
AT = clock.to_utc(datetime(2026, 11, 20, 15, 40))


@pytest.fixture
def city(sqlite_db):
    """Two Bürgerbüros and a foreigners' office; a city admin at the first, staff at each."""
    with db.session_scope() as session:
        north = Office(code="L6F3", name="Bürgerbüro Nord", city="Oldenburg", opening_hours="Mo–Fr 8–13")
        south = Office(code="K2X9", name="Bürgerbüro Süd", city="Oldenburg", opening_hours="Mo–Fr 8–12")
        session.add_all([north, south])
        session.flush()
        session.add_all([Service(office_id=north.id, code="UMM", name="Ummeldung", area="registration",
                                 planned_minutes=10),
                         Service(office_id=north.id, code="PA", name="Personalausweis", area="id_documents",
                                 planned_minutes=15)])
        hashed = passwords.hash_password(PASSWORD)
        for username, role, office in (("stadt", Role.CITY_ADMIN, north), ("verwaltung_sued", Role.ADMIN, south),
                                       ("controlling_sued", Role.CONTROLLING, south),
                                       ("berater_nord", Role.ADVISOR, north)):
            session.add(StaffUser(office_id=office.id, username=username, display_name=username, role=role,
                                  password_hash=hashed, created_at=AT))
        return {"north": north.id, "south": south.id}


def _state(cls, username: str):
    token, _ = auth.login(username, PASSWORD)
    state = cls()
    state.session_token = token
    return state


def test_a_new_office_gets_its_own_copy_of_the_catalogue(city):
    admin = _state(CityState, "stadt")
    CityState.load.fn(admin)
    CityState.create_office.fn(admin, {"code": "m7n8", "name": "Ausländerbehörde", "city": "Oldenburg",
                                       "kind": "auslaenderbehoerde", "copy_from": str(city["north"])})
    new = next(o for o in admin.offices if o["code"] == "M7N8")
    assert (new["kind_de"], new["services"]) == ("Ausländerbehörde", 2)
    with db.session_scope() as session:
        copy = session.exec(select(Service).where(Service.office_id == new["id"], Service.code == "UMM")).one()
        copy.name = "Aufenthaltstitel"
        session.add(copy)
    with db.session_scope() as session:
        names = set(session.exec(select(Service.name).where(Service.office_id == city["north"])).all())
    assert names == {"Ummeldung", "Personalausweis"}


def test_an_office_code_must_be_new_and_fit_the_serial_alphabet(city):
    admin = _state(CityState, "stadt")
    taken = CityState.create_office.fn(admin, {"code": "K2X9", "name": "X", "city": "Y", "kind": "standesamt"})
    assert "gehört schon" in str(taken)
    wrong = CityState.create_office.fn(admin, {"code": "AB12", "name": "X", "city": "Y", "kind": "standesamt"})
    assert "Behördenkennzahl hat 4 Zeichen" in str(wrong)
    assert len(offices.list_offices()) == 2


def test_the_city_admin_switches_offices_and_every_other_role_stays_in_its_own(city):
    admin = _state(CityState, "stadt")
    CityState.switch_office.fn(admin, city["south"])
    assert admin.acting_office_name == "Bürgerbüro Süd"
    staff_page = AdminState()
    staff_page.session_token = admin.session_token
    AdminState.load.fn(staff_page)
    assert {row["username"] for row in staff_page.staff} == {"verwaltung_sued", "controlling_sued"}

    advisor = _state(CityState, "berater_nord")
    assert "Keine Berechtigung" in str(CityState.switch_office.fn(advisor, city["south"]))
    with pytest.raises(auth.LoginError, match="Nur die städtische Verwaltung"):
        auth.switch_office(advisor.session_token, city["south"])
    assert auth.user_for_token(advisor.session_token).office_id == city["north"]


def _serial(code: str, n: int) -> str:
    return code + "".join(serials.SERIAL_ALPHABET[(n // 27**i) % 27] for i in range(5))


def test_the_feed_routes_each_file_to_the_office_its_code_names(city, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for office, code in ((city["north"], "L6F3"), (city["south"], "K2X9")):
        pickup_data.many_applications(office, [(f"A-{code}-1", _serial(code, 1))], status=ApplicationStatus.SHIPPED)
        data = simulate.message_xml(str(uuid.uuid4()), code, AT, "S-1",
                                    [Notice("PA", _serial(code, 1), f"A-{code}-1", "ZUGESTELLT", AT)])
        simulate.drop(folder, f"versandavis_{code}_1.xml", data)
    unknown = simulate.message_xml(str(uuid.uuid4()), "Z9Z9", AT, "S-1",
                                   [Notice("PA", _serial("Z9Z9", 1), "A-Z9Z9-1", "ZUGESTELLT", AT)])
    simulate.drop(folder, "versandavis_Z9Z9_1.xml", unknown)

    report_ = inbox.process_inbox(folder)

    assert report_.quarantined == ["versandavis_Z9Z9_1.xml"]
    with db.session_scope() as session:
        arrived = {(a.office_id, a.application_number) for a in session.exec(select(DocumentApplication))
                   if a.status == ApplicationStatus.ARRIVED}
        (rejection,) = session.exec(select(FeedRejection)).all()
    assert arrived == {(city["north"], "A-L6F3-1"), (city["south"], "A-K2X9-1")}
    assert "Behördenkennzahl „Z9Z9“ gehört zu keinem Amt dieser Installation" in rejection.reason


def _store(office_id: int, day: date, figures: dict) -> None:
    with db.session_scope() as session:
        for metric, value in figures.items():
            session.add(DailyMetric(day=day, office_id=office_id, metric=metric, value=value,
                                    computed_at=datetime(2026, 3, 11)))


def test_the_comparison_shows_each_office_with_its_own_controlling_figures(city):
    _store(city["north"], date(2026, 3, 10), {M.CONTACTS_SERVED: 300, M.WAITS_MEASURED: 30, M.WAIT_MEAN_MIN: 9})
    _store(city["north"], date(2025, 3, 10), {M.CONTACTS_SERVED: 200, M.WAITS_MEASURED: 20, M.WAIT_MEAN_MIN: 12})
    _store(city["south"], date(2026, 3, 10), {M.CONTACTS_SERVED: 80, M.WAITS_MEASURED: 8, M.WAIT_MEAN_MIN: 4})
    first, last = comparison.year_span(2026, date(2026, 3, 11))
    result = comparison.compare([city["north"], city["south"]], first, last)

    own = {f.label: f for f in report.key_figures(city["south"], first, last)}
    row = result.labels.index("Wartezeit Ø")
    assert result.office_names == ["Bürgerbüro Nord", "Bürgerbüro Süd"]
    assert result.values[row] == [9, own["Wartezeit Ø"].value]
    assert result.previous[row] == [12, None]
    rows = list(csv.reader(io.StringIO(comparison.to_csv(result).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kennzahl", "Einheit", "Bürgerbüro Nord", "Bürgerbüro Nord (Vorjahr)", "Bürgerbüro Süd",
                       "Bürgerbüro Süd (Vorjahr)"]
    contacts = next(r for r in rows if r[0] == "Kundenkontakte")
    assert contacts[2:] == ["300", "200", "80", "keine Daten"]
    assert comparison.to_excel(result)[:2] == b"PK"


def test_an_office_sees_only_its_own_column_and_the_city_admin_sees_all(city):
    with clock.freeze(datetime(2026, 3, 11, 9, 0)):
        own = _state(ComparisonState, "controlling_sued")
        ComparisonState.load.fn(own)
        city_admin = _state(ComparisonState, "stadt")
        ComparisonState.load.fn(city_admin)
        advisor = _state(ComparisonState, "berater_nord")
        refused = ComparisonState.load.fn(advisor)
    assert own.office_names == ["Bürgerbüro Süd"]
    assert city_admin.office_names == ["Bürgerbüro Nord", "Bürgerbüro Süd"]
    assert all(cell.startswith("keine Daten") for row in own.rows for cell in row["cells"])
    assert "Keine Berechtigung" in str(refused) and advisor.rows == []


def _walk_in(office_id: int, wait_minutes: int) -> int:
    with db.session_scope() as session:
        checked_in = clock.to_utc(datetime(2026, 3, 10, 9, 0))
        visit = Visit(office_id=office_id, kind="walk_in", status="finished", area="registration",
                      checked_in_at=checked_in, called_at=checked_in + timedelta(minutes=wait_minutes),
                      started_at=checked_in + timedelta(minutes=wait_minutes),
                      finished_at=checked_in + timedelta(minutes=wait_minutes + 10))
        session.add(visit)
        session.flush()
        return visit.id


def _stored(office_id: int) -> tuple[float, datetime]:
    with db.session_scope() as session:
        row = session.exec(select(DailyMetric).where(DailyMetric.office_id == office_id, DailyMetric.area == "",
                                                     DailyMetric.metric == M.WAIT_MEAN_MIN)).one()
        return row.value, row.computed_at


def test_a_correction_in_one_office_recomputes_that_office_alone(city):
    day = date(2026, 3, 10)
    north_visit = _walk_in(city["north"], 20)
    _walk_in(city["south"], 6)
    with clock.freeze(datetime(2026, 3, 11, 1, 30)):
        metrics.refresh(day, day)
    south_before = _stored(city["south"])
    with db.session_scope() as session:
        visit = session.get(Visit, north_visit)
        visit.called_at = visit.started_at = visit.checked_in_at + timedelta(minutes=8)
        session.add(visit)

    with clock.freeze(datetime(2026, 3, 11, 10, 0)):
        metrics.refresh(day, day, office_ids=[city["north"]])

    assert _stored(city["north"])[0] == 8
    assert _stored(city["south"]) == south_before  # not recomputed: same value, same time of computation
