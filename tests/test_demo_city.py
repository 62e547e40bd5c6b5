"""The demo city (`make seed-city`): four offices of different sizes and kinds, each with its own staff,
desks, catalogue and year of figures, and a city admin who compares them."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from workstation import clock, db
from workstation.models import Concern, Counter, DailyMetric, Office, Service, Visit
from workstation.services.city import comparison, offices
from workstation.services.demo.city import CITY_ADMIN, CITY_OFFICES
from workstation.services.demo.seed import seed_demo_office
from workstation.services.staff import auth

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def city_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('city') / 'city.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REFLEX_DB_URL", url)
        with clock.freeze(datetime(2026, 11, 23, 7, 0)):
            seed_demo_office(seed=2022, today=DEMO_DAY, reset=True, city=True)
            yield db.engine_for(url)


def test_four_offices_of_different_sizes_and_kinds(city_db):
    with Session(city_db) as session:
        rows = session.execute(select(Office.code, Office.kind, func.count(Visit.id))
                               .join(Visit, Visit.office_id == Office.id).group_by(Office.id)
                               .order_by(func.count(Visit.id).desc())).all()
    assert [code for code, _kind, _n in rows] == ["L6F3", *(o.code for o in CITY_OFFICES)]
    assert rows[-1][1] == "auslaenderbehoerde"
    assert rows[0][2] > 2 * rows[1][2] > 0


def test_every_office_refers_only_to_its_own_desks_and_catalogue(city_db):
    with Session(city_db) as session:
        foreign_desk = session.execute(select(func.count()).select_from(Visit).join(
            Counter, Counter.id == Visit.counter_id).where(Counter.office_id != Visit.office_id)).scalar_one()
        foreign_service = session.execute(select(func.count()).select_from(Concern).join(
            Visit, Visit.id == Concern.visit_id).join(Service, Service.id == Concern.service_id)
            .where(Service.office_id != Visit.office_id)).scalar_one()
        foreigners = session.execute(select(Service.name).join(Office, Office.id == Service.office_id)
                                     .where(Office.kind == "auslaenderbehoerde")).scalars().all()
    assert (foreign_desk, foreign_service) == (0, 0)
    assert "Aufenthaltserlaubnis verlängern" in foreigners and "Ummeldung" not in foreigners


def test_demo_logins_of_each_office_and_the_city_admin(city_db, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", str(city_db.url))
    with clock.freeze(datetime(2026, 11, 23, 7, 30)):
        _, main = auth.login("berater", "berater-demo")
        _, north = auth.login("nord.berater", "berater-demo")
        _, admin = auth.login(CITY_ADMIN[0], CITY_ADMIN[1])
    assert main.office_id != north.office_id
    assert admin.role == "city_admin"
    assert [o.kind_de for o in offices.list_offices()].count("Bürgerbüro") == 3


def test_the_city_comparison_has_a_year_of_figures_for_every_office(city_db, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", str(city_db.url))
    with Session(city_db) as session:
        assert session.execute(select(func.count(func.distinct(DailyMetric.office_id)))).scalar_one() == 4
    result = comparison.compare(list(offices.office_names()), date(2026, 1, 1), date(2026, 11, 22))
    contacts = result.values[result.labels.index("Kundenkontakte")]
    assert all(value and value > 0 for value in contacts)


def test_citizens_choose_an_office_of_the_city_or_the_earliest_time_in_any(city_db, monkeypatch):
    """Every office of the demo city takes online bookings; "any office" offers only those with the concern, and
    the booking, its mail and its address belong to the office of the chosen time."""
    from tests import booking_data
    from workstation.services.booking import bookings, public
    from workstation.services.booking import offices as booking_offices

    monkeypatch.setenv("REFLEX_DB_URL", str(city_db.url))
    booking_data.env(monkeypatch)
    now = clock.to_utc(datetime(2026, 11, 23, 7, 55))
    rows = public.office_rows()
    assert {r["code"] for r in rows} == {"L6F3", *(o.code for o in CITY_OFFICES)}
    assert all(r["address"].endswith("Offenbach am Main") for r in rows)
    catalogue = {r["name"]: int(r["id"]) for r in public.catalogue_rows("de", booking_offices.ANY)}
    found = public.first_times([(catalogue["Ummeldung"], 1)], "city-test", booking_offices.ANY, now, count=40)
    assert {code for _, code in found} <= {"L6F3", "K2X9", "M7N8"} and len({code for _, code in found}) >= 2
    foreign = public.first_times([(catalogue["Aufenthaltserlaubnis verlängern"], 1)], "city-test",
                                 booking_offices.ANY, now)
    assert foreign and {code for _, code in foreign} == {"P4R5"}
    start, code = found[0]
    held = public.hold([(catalogue["Ummeldung"], 1)], start, code, booking_offices.ANY, now=now)
    booked = bookings.confirm(held.token, "Anna", "Muster", "anna.city@example.org", None, True,
                              booking_data.solved_pow("city-test"), "city-test", now)
    with Session(city_db) as session:
        office = session.execute(select(Office).join(Visit, Visit.office_id == Office.id)
                                 .where(Visit.id == booked.visit_id)).scalar_one()
    assert office.code == code and booked.office_address == office.address
