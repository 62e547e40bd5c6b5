"""Hold, confirm, cancel and move a booking; every refusal says why in German and stores nothing."""

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests import booking_data
from tests.booking_data import NOW, at
from workstation import clock, db
from workstation.models import (
    BookingAccess,
    Citizen,
    Concern,
    Notification,
    Reservation,
    Service,
    SlotClaim,
    UsedChallenge,
    Visit,
)
from workstation.models.enums import BookingChannel, VisitKind, VisitStatus
from workstation.services.booking import bookings, changes, holds, limits, search, upkeep
from workstation.services.booking.errors import BookingError
from workstation.services.queue import checkin

START = NOW.replace(hour=9)


@pytest.fixture
def office(any_db, monkeypatch):
    booking_data.env(monkeypatch)
    return booking_data.build()


def _now(minutes: int = 0) -> datetime:
    return clock.to_utc(NOW) + timedelta(minutes=minutes)


def _items(office, **counts):
    return [(office.services[c], n) for c, n in counts.items()]


def _book(office, start=None, email="anna@example.org", client="1.2.3.4", first="Anna", last="Muster", after=0,
          **counts):
    held = holds.hold(office.office_id, _items(office, **(counts or {"ANM": 1})), start or at(9), _now(after))
    return bookings.confirm(held.token, first, last, email, None, True, booking_data.solved_pow(client), client,
                            _now(after + 1))


def _count(model) -> int:
    with db.read_scope() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_booking_is_an_ordinary_visit_with_its_concerns_and_the_counter_finds_it_by_code(office):
    booked = _book(office, ANM=1, PA=1, KRP=2)
    with db.read_scope() as session:
        visit = session.get(Visit, booked.visit_id)
        names = session.exec(select(Service.name).join(Concern, Concern.service_id == Service.id)
                             .where(Concern.visit_id == visit.id).order_by(Concern.id)).all()
        citizen = session.get(Citizen, visit.citizen_id)
    assert (visit.kind, visit.status, visit.channel) == (VisitKind.APPOINTMENT, VisitStatus.BOOKED,
                                                         BookingChannel.ONLINE)
    assert (visit.slot_start, visit.slot_end) == (at(9), at(9, 45))
    assert names == ["Anmeldung", "Personalausweis beantragen", "Kinderreisepass", "Kinderreisepass"]
    assert (citizen.first_name, citizen.email) == ("Anna", "anna@example.org")
    assert len(booked.code) == 6 and booked.documents[0] == "Personalausweis"
    arrived = checkin.check_in_by_code(office.office_id, booked.code.lower(), None, now=at(8, 50))
    assert arrived.visit_id == visit.id
    assert arrived.message.startswith("Anna Muster ist eingecheckt (Termin 09:00 Uhr, Nummer ")


def test_the_change_token_has_128_bits_and_only_its_hash_is_stored(office):
    booked = _book(office)
    assert len(booked.token) >= 22  # 16 random bytes, URL-safe base64
    with db.read_scope() as session:
        access = session.exec(select(BookingAccess)).one()
    assert access.token_hash == holds.token_hash(booked.token) and booked.token not in access.token_hash


def test_a_held_time_is_not_offered_to_others_and_comes_back_when_the_hold_expires(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 1})
    items = _items(office, ANM=1)
    holds.hold(office.office_id, items, at(8), _now())
    with pytest.raises(BookingError) as refused:
        holds.hold(office.office_id, items, at(8), _now(5))
    assert refused.value.code == "taken" and "nicht mehr frei" in refused.value.message
    with db.read_scope() as session:
        assert at(8) not in search.first_free(session, office.office_id, "registration", 2, _now(5))
        assert at(8) in search.first_free(session, office.office_id, "registration", 2, _now(11))
    holds.hold(office.office_id, items, at(8), _now(11))  # the expired hold gives way


def test_choosing_the_time_one_already_holds_again_is_not_taken(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 1})
    items = _items(office, ANM=1)
    first = holds.hold(office.office_id, items, at(8), _now())
    again = holds.hold(office.office_id, items, at(8), _now(1), release=first.token)  # a second click, or back
    later = holds.hold(office.office_id, items, at(8, 5), _now(2), release=again.token)  # overlaps the own hold
    assert later.start == at(8, 5)
    with pytest.raises(BookingError) as refused:  # somebody else still meets the hold
        holds.hold(office.office_id, items, at(8, 5), _now(3), release=first.token)
    assert refused.value.code == "taken"
    assert _count(Reservation) == 1


@pytest.mark.parametrize("hold_token", ["forged-token", ""])
def test_a_forged_hold_is_refused_and_nothing_stored(office, hold_token):
    with pytest.raises(BookingError) as refused:
        bookings.confirm(hold_token, "Anna", "Muster", "anna@example.org", None, True, booking_data.solved_pow(),
                         "c", _now(1))
    assert refused.value.code == "hold_expired"
    assert _count(Visit) == _count(Citizen) == _count(Notification) == 0


def test_an_expired_hold_is_refused(office):
    held = holds.hold(office.office_id, _items(office, ANM=1), at(9), _now())
    with pytest.raises(BookingError) as refused:
        bookings.confirm(held.token, "Anna", "Muster", "anna@example.org", None, True, booking_data.solved_pow(),
                         "c", _now(10))
    assert refused.value.code == "hold_expired" and "abgelaufen" in refused.value.message
    assert _count(Visit) == 0


@pytest.mark.parametrize(("first", "last"), [("Ayşe", "Şahin"), ("Thị Minh", "Nguyễn"), ("Seán", "O'Brien"),
                                             ("Анна", "Иванова"), ("美咲", "佐藤"), ("Jean-Luc", "d’Alembert")])
def test_names_in_any_script_are_accepted(office, first, last):
    booked = _book(office, first=first, last=last)
    with db.read_scope() as session:
        citizen = session.exec(select(Citizen).join(Visit, Visit.citizen_id == Citizen.id)
                               .where(Visit.id == booked.visit_id)).one()
    assert (citizen.first_name, citizen.last_name) == (first, last)


@pytest.mark.parametrize(("first", "last", "email", "phone", "field", "words"), [
    ("Anna", "Muster", "anna@", None, "email", "E-Mail-Adresse ist nicht gültig"),
    ("Anna", "Muster", "anna example.org", None, "email", "nicht gültig"),
    ("Anna", "Muster", "", None, "email", "E-Mail-Adresse an"),
    ("", "Muster", "anna@example.org", None, "name", "Vornamen an"),
    ("A" * 81, "Muster", "anna@example.org", None, "name", "zu lang"),
    ("Anna", "<script>", "anna@example.org", None, "name", "Zeichen"),
    ("Anna", "Muster1", "anna@example.org", None, "name", "Zeichen"),
    ("Anna", "Muster", "a" * 250 + "@example.org", None, "email", "nicht gültig"),
    ("Anna", "Muster", "anna@example.org", "ruf mich an", "phone", "Telefonnummer"),
])
def test_bad_contact_details_get_a_clear_message_and_nothing_is_stored(office, first, last, email, phone, field,
                                                                         words):
    held = holds.hold(office.office_id, _items(office, ANM=1), at(9), _now())
    with pytest.raises(BookingError) as refused:
        bookings.confirm(held.token, first, last, email, phone, True, booking_data.solved_pow(), "c", _now(1))
    assert refused.value.code == field and words in refused.value.message
    assert _count(Visit) == _count(Citizen) == _count(Notification) == _count(BookingAccess) == 0


def test_consent_is_required(office):
    held = holds.hold(office.office_id, _items(office, ANM=1), at(9), _now())
    with pytest.raises(BookingError) as refused:
        bookings.confirm(held.token, "Anna", "Muster", "anna@example.org", None, False, booking_data.solved_pow(),
                         "c", _now(1))
    assert refused.value.code == "consent"


def test_the_proof_of_work_is_verified_and_single_use(office):
    held = holds.hold(office.office_id, _items(office, ANM=1), at(9), _now())
    for bad in ("", "bm90IGpzb24=", booking_data.solved_pow().replace("A", "B", 1)):
        with pytest.raises(BookingError) as refused:
            bookings.confirm(held.token, "Anna", "Muster", "anna@example.org", None, True, bad, "c", _now(1))
        assert refused.value.code == "pow"
    spent = booking_data.solved_pow()
    bookings.confirm(held.token, "Anna", "Muster", "anna@example.org", None, True, spent, "c", _now(1))
    again = holds.hold(office.office_id, _items(office, ANM=1), at(10), _now(2))
    with pytest.raises(BookingError) as refused:
        bookings.confirm(again.token, "Ben", "Muster", "ben@example.org", None, True, spent, "c", _now(3))
    assert refused.value.code == "pow" and "Sicherheitsprüfung" in refused.value.message
    assert _count(Visit) == 1 and _count(UsedChallenge) == 1


def test_at_most_two_bookings_to_come_per_address_and_office(office):
    _book(office, start=at(9))
    _book(office, start=at(10), email="ANNA@example.org ")
    with pytest.raises(BookingError) as refused:
        _book(office, start=at(11))
    assert refused.value.code == "max_active" and "höchstens 2" in refused.value.message
    assert _count(Visit) == 2


def test_the_rate_limit_names_the_time_to_try_again(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_BOOKING_SEARCHES", "3")
    for _ in range(3):
        limits.count_attempt("9.9.9.9", limits.SEARCH, _now())
    with pytest.raises(BookingError) as refused:
        limits.count_attempt("9.9.9.9", limits.SEARCH, _now(2))
    assert refused.value.message == ("Zu viele Anfragen von Ihrem Anschluss. Bitte versuchen Sie es ab 07:11 Uhr "
                                     "erneut.")
    limits.count_attempt("8.8.8.8", limits.SEARCH, _now(2))  # another client is not affected
    limits.count_attempt("9.9.9.9", limits.SEARCH, _now(11))


def test_harder_challenges_after_repeated_requests(office):
    easy = limits.new_challenge("fresh")["maxnumber"]
    for _ in range(3):
        limits.count_attempt("busy", limits.BOOK, _now())
    assert limits.new_challenge("busy", _now())["maxnumber"] == easy * 8


def test_cancel_by_link_frees_the_time_only_after_the_cooling_off(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 1})
    booked = _book(office, start=at(12))
    view = changes.cancel(booked.token, _now(60))
    assert view.cancelled and view.code == booked.code
    with db.read_scope() as session:
        visit = session.get(Visit, booked.visit_id)
        assert visit.status == VisitStatus.CANCELLED and visit.cancelled_at == _now(60)
        assert at(12) not in search.first_free(session, office.office_id, "registration", 2, _now(89), 100)
        assert at(12) in search.first_free(session, office.office_id, "registration", 2, _now(91), 100)
    with pytest.raises(BookingError) as refused:
        changes.cancel(booked.token, _now(61))
    assert refused.value.code == "cancelled" and "bereits abgesagt" in refused.value.message
    _book(office, start=at(12), email="ben@example.org", first="Ben", after=91)  # somebody else, after 30 minutes
    assert _count(Reservation) == 1 and _count(SlotClaim) == 2  # the cooled-off claim gave way


def test_no_cancel_or_move_within_two_hours_and_a_wrong_link_is_unknown(office):
    booked = _book(office, start=at(9))
    with pytest.raises(BookingError) as refused:
        changes.cancel(booked.token, at(7, 5))
    assert refused.value.code == "too_late" and "2 Stunden" in refused.value.message
    assert not changes.lookup(booked.token, at(7, 5)).changeable
    with pytest.raises(BookingError) as refused:
        changes.cancel("x" * 22, _now())
    assert refused.value.code == "unknown_link"


def test_move_keeps_the_code_takes_the_new_time_and_frees_the_old_after_cooling(sqlite_db, monkeypatch):
    booking_data.env(monkeypatch)
    office = booking_data.build({"registration": 1})
    booked = _book(office, start=at(10))
    held = holds.hold(office.office_id, _items(office, ANM=1), at(11), _now(5))
    view = changes.move(booked.token, held.token, _now(6))
    assert (view.code, view.start) == (booked.code, at(11))
    with db.read_scope() as session:
        assert session.get(Visit, booked.visit_id).slot_start == at(11)
        assert session.exec(select(BookingAccess.sequence)).one() == 1
        mails = session.exec(select(Notification.dedupe_key).order_by(Notification.id)).all()
        assert at(10) not in search.first_free(session, office.office_id, "registration", 2, _now(20), 100)
        assert at(10) in search.first_free(session, office.office_id, "registration", 2, _now(40), 100)
    assert mails == [f"booking:{booked.visit_id}:confirm:0", f"booking:{booked.visit_id}:confirm:1"]
    other = holds.hold(office.office_id, _items(office, ABM=1), at(12), _now(7))
    with pytest.raises(BookingError) as refused:
        changes.move(booked.token, other.token, _now(8))
    assert refused.value.code == "other_concerns"


def test_staff_book_a_caller_without_e_mail(office):
    booked = bookings.book_for_caller(office.office_id, _items(office, INT=1, ANM=1), at(9), "Olga", "Şahin",
                                      phone="069 123456", channel=BookingChannel.PHONE, now=_now())
    with db.read_scope() as session:
        visit = session.get(Visit, booked.visit_id)
    assert visit.channel == BookingChannel.PHONE and booked.code
    assert _count(Notification) == 0


def test_held_concerns_are_stored_with_the_hold(office):
    held = holds.hold(office.office_id, _items(office, KRP=2, PA=1), at(9), _now())
    with db.read_scope() as session:
        stored = session.exec(select(Reservation.request)).one()
    assert json.loads(stored) == [[office.services["KRP"], 2], [office.services["PA"], 1]]
    assert held.end == at(9, 35)


def test_the_clean_up_removes_expired_holds_and_past_claims_but_not_live_ones(office):
    holds.hold(office.office_id, _items(office, ANM=1), at(8), _now())
    booked = _book(office, start=at(9))
    assert upkeep.clear_spent(_now(5)) == 0 and _count(Reservation) == 2
    upkeep.clear_spent(_now(11))
    with db.read_scope() as session:
        assert session.exec(select(Reservation.visit_id)).all() == [booked.visit_id]
    upkeep.clear_spent(_now(3 * 24 * 60))
    assert _count(Reservation) == _count(SlotClaim) == 0


def test_a_refused_claim_leaves_nothing_behind_in_the_callers_transaction(office):
    """The savepoint of `claims.take` covers the reservation too, so the caller's transaction can go on and commit."""
    from workstation.services.booking import claims

    with db.session_scope() as session:
        claims.take(session, office_id=office.office_id, area="registration", lane=1, start=10, end=14,
                    state=claims.BOOKED, now=_now())
        with pytest.raises(claims.TimeTakenError):
            claims.take(session, office_id=office.office_id, area="registration", lane=1, start=12, end=16,
                        state=claims.BOOKED, now=_now())
        claims.take(session, office_id=office.office_id, area="registration", lane=1, start=14, end=16,
                    state=claims.BOOKED, now=_now())
    assert (_count(Reservation), _count(SlotClaim)) == (2, 6)
