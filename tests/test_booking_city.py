"""A city: citizens choose the office, or the earliest free time in any office that offers their concerns."""

from datetime import time, timedelta

import pytest
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import BookingLane, Notification, Office, Service, Visit
from workstation.models.enums import OfficeKind
from workstation.services.booking import bookings, offices, public
from workstation.services.booking.errors import BookingError
from workstation.state.booking import BookingState

CLIENT = "9.9.9.9"


def _office(code: str, name: str, kind: str, services: tuple[tuple[str, str, str], ...], lanes: int = 1) -> int:
    with db.session_scope() as session:
        office = Office(code=code, name=name, city="Offenbach am Main", opening_hours="Mo–Fr 8–13 Uhr", kind=kind,
                        address=f"{name}straße 1, 63065 Offenbach am Main")
        session.add(office)
        session.flush()
        for code_, label, area in services:
            session.add(Service(office_id=office.id, code=code_, name=label, area=area, planned_minutes=10,
                                documents="Personalausweis", online_bookable=True))
        for lane in range(1, lanes + 1):
            for weekday in range(5):
                session.add(BookingLane(office_id=office.id, area="registration", lane=lane, weekday=weekday,
                                        opens=time(8), closes=time(13)))
        return office.id


@pytest.fixture
def city(sqlite_db, monkeypatch):
    """L6F3 (the test office), Bürgerbüro Nord with the same Anmeldung, an Ausländerbehörde with its own
    catalogue, and an office without lanes (not bookable online)."""
    booking_data.env(monkeypatch)
    main = booking_data.build({"registration": 1})
    north = _office("K2X9", "Bürgerbüro Nord", OfficeKind.CITIZEN_OFFICE, (("ANM", "Anmeldung", "registration"),))
    foreign = _office("P4R5", "Ausländerbehörde", OfficeKind.FOREIGNERS_OFFICE,
                      (("AE", "Aufenthaltserlaubnis verlängern", "registration"),))
    _office("Z9Z9", "Standesamt", OfficeKind.REGISTRY_OFFICE, (("EHE", "Eheschließung", "registration"),), lanes=0)
    return main, north, foreign


def _now(minutes: int = 0):
    return clock.to_utc(NOW) + timedelta(minutes=minutes)


def test_the_offices_that_take_online_bookings_are_listed_with_their_address(city):
    rows = public.office_rows()
    assert [r["name"] for r in rows] == ["Ausländerbehörde", "Bürgerbüro Nord", "Bürgerbüro Test"]
    assert rows[1]["address"] == "Bürgerbüro Nordstraße 1, 63065 Offenbach am Main"
    assert public.scope_of("k2x9", rows) == "K2X9" and public.scope_of("*", rows) == offices.ANY
    assert public.scope_of("Z9Z9", rows) == ""  # no lanes: not bookable online
    assert public.scope_of("", rows[:1]) == "P4R5"  # a single office: nothing to choose


def test_any_office_offers_the_earliest_free_time_of_every_office_that_offers_the_concerns(city):
    main, north, _foreign = city
    anm = next(int(r["id"]) for r in public.catalogue_rows("de", offices.ANY) if r["name"] == "Anmeldung")
    assert {r["name"] for r in public.catalogue_rows("de", offices.ANY)} >= {"Anmeldung",
                                                                              "Aufenthaltserlaubnis verlängern"}
    main_anm = next(int(r["id"]) for r in public.catalogue_rows("de", "L6F3") if r["name"] == "Anmeldung")
    for hour in range(8, 13):  # the test office is full all morning: Nord has the earliest time
        for minute in range(0, 60, 10):
            bookings.book_for_caller(main.office_id, [(main_anm, 1)], at(hour, minute), "Voll", "Belegt",
                                     now=_now())
    found = public.first_times([(anm, 1)], CLIENT, offices.ANY, _now(), count=3)
    assert found[0] == (at(8), "K2X9")
    assert {code for _, code in found} == {"K2X9"}  # the foreigners' office does not offer Anmeldung
    held = public.hold([(anm, 1)], at(8), "K2X9", offices.ANY, now=_now())
    booked = bookings.confirm(held.token, "Anna", "Muster", "anna@example.org", None, True,
                              booking_data.solved_pow(CLIENT), CLIENT, _now(1))
    assert booked.office_name == "Bürgerbüro Nord"
    with db.read_scope() as session:
        assert session.get(Visit, booked.visit_id).office_id == north
        mail = session.exec(select(Notification).where(Notification.recipient == "anna@example.org")).one()
    assert "Bürgerbüro Nordstraße 1" in mail.body and "Bürgerbüro Nord" in mail.subject


def test_concerns_no_office_offers_together_get_a_clear_message(city):
    rows = public.catalogue_rows("de", offices.ANY)
    ids = [(int(r["id"]), 1) for r in rows if r["name"] in ("Anmeldung", "Aufenthaltserlaubnis verlängern")]
    assert "Kein Amt bietet alle gewählten Anliegen" in public.summary(ids, "de", offices.ANY).error
    with pytest.raises(BookingError) as refused:  # a time "offered" by an office outside the chosen one
        public.hold(ids[:1], at(8), "P4R5", "L6F3", now=_now())
    assert refused.value.code == "outside"


def test_the_page_asks_for_the_office_first_in_a_city_and_books_the_chosen_one(city):
    state = BookingState()
    with clock.freeze(NOW):
        BookingState.load.fn(state)
        assert state.step == "office" and len(state.offices) == 3
        BookingState.choose_office.fn(state, "P4R5")
        assert state.step == "concerns" and [s["name"] for s in state.services] == ["Aufenthaltserlaubnis verlängern"]
        BookingState.set_count.fn(state, state.services[0]["id"], "1")
        BookingState.to_time.fn(state)
        assert state.first_times[0]["iso"].endswith("@P4R5")
        BookingState.choose_time.fn(state, state.first_times[0]["iso"])
        assert state.step == "details"
        BookingState.back_to_offices.fn(state)
        BookingState.choose_office.fn(state, "*")
        BookingState.set_count.fn(state, next(s["id"] for s in state.services if s["name"] == "Anmeldung"), "1")
        BookingState.to_time.fn(state)
    labels = [row["label"] for row in state.first_times]
    assert any(label.endswith("– Bürgerbüro Nord") for label in labels)
    assert any(label.endswith("– Bürgerbüro Test") for label in labels)
    assert not any("Ausländerbehörde" in label for label in labels)
