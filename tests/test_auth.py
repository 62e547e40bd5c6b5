"""Login, sessions and lock-out as staff experience them."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from tests.factories import office_with_users
from workstation import clock, db
from workstation.models import Office
from workstation.services.staff import auth


@pytest.fixture
def office(sqlite_db):
    return office_with_users("advisor", "team_lead")


def test_login_opens_a_session_that_identifies_the_user(office):
    token, user = auth.login("advisor", "geheim-123")
    assert user.role == "advisor"
    assert auth.user_for_token(token) == user


def test_wrong_password_gets_the_german_message(office):
    with pytest.raises(auth.LoginError) as err:
        auth.login("advisor", "falsch")
    assert err.value.message == "Benutzername oder Passwort ist falsch."


def test_unknown_user_gets_the_same_message_as_a_wrong_password(office):
    with pytest.raises(auth.LoginError) as err:
        auth.login("niemand", "egal")
    assert err.value.message == auth.WRONG_CREDENTIALS


def test_repeated_failures_lock_the_name_on_that_device_even_for_the_right_password(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_MAX_FAILED_LOGINS", "3")
    start = datetime(2026, 11, 23, 7, 30)
    with clock.freeze(start):
        for _ in range(3):
            with pytest.raises(auth.LoginError):
                auth.login("advisor", "falsch", "10.0.0.9")
        with pytest.raises(auth.LoginError) as err:
            auth.login("advisor", "geheim-123", "10.0.0.9")
    assert "gesperrt" in err.value.message and "07:45" in err.value.message
    with clock.freeze(start + timedelta(minutes=16)):
        _, user = auth.login("advisor", "geheim-123", "10.0.0.9")
    assert user.username == "advisor"


def test_someone_else_failing_cannot_lock_the_admin_out_of_their_own_workstation(office):
    start = datetime(2026, 11, 23, 7, 30)
    with clock.freeze(start):
        for _ in range(5):
            with pytest.raises(auth.LoginError):
                auth.login("team_lead", "geraten", "203.0.113.66")
        with pytest.raises(auth.LoginError) as err:
            auth.login("team_lead", "geheim-123", "203.0.113.66")
        assert "gesperrt" in err.value.message
        _, user = auth.login("team_lead", "geheim-123", "10.0.0.5")
    assert user.role == "team_lead"


def test_unknown_and_known_names_get_the_same_answers_up_to_the_lock(office):
    answers = {}
    with clock.freeze(datetime(2026, 11, 23, 7, 30)):
        for name in ("advisor", "niemand"):
            answers[name] = []
            for _ in range(6):
                with pytest.raises(auth.LoginError) as err:
                    auth.login(name, "falsch", f"198.51.100.{len(answers)}")
                answers[name].append(err.value.message)
    assert answers["advisor"] == answers["niemand"]
    assert answers["advisor"][:5] == [auth.WRONG_CREDENTIALS] * 5
    assert "gesperrt" in answers["advisor"][5]


def test_one_address_trying_many_names_is_throttled_as_a_whole(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_MAX_FAILED_LOGINS_PER_CLIENT", "4")
    with clock.freeze(datetime(2026, 11, 23, 7, 30)):
        for name in ("anna", "bernd", "carla", "dieter"):
            with pytest.raises(auth.LoginError):
                auth.login(name, "x", "203.0.113.7")
        with pytest.raises(auth.LoginError) as err:
            auth.login("advisor", "geheim-123", "203.0.113.7")
        assert "gesperrt" in err.value.message
        auth.login("advisor", "geheim-123", "10.0.0.5")


def test_the_unlock_command_lets_a_name_in_at_once_and_the_admin_page_shows_the_lock(office, monkeypatch, capsys):
    from workstation.commands import unlock
    from workstation.services.staff import admin

    monkeypatch.setenv("WORKSTATION_MAX_FAILED_LOGINS_PER_ACCOUNT", "6")
    with clock.freeze(datetime(2026, 11, 23, 7, 30)):
        for i in range(6):
            with pytest.raises(auth.LoginError):
                auth.login("team_lead", "geraten", f"203.0.113.{i}")
        with pytest.raises(auth.LoginError):
            auth.login("team_lead", "geheim-123", "10.0.0.5")  # locked for everyone now
        with db.read_scope() as session:
            office_id = session.exec(select(Office.id)).first()
        lead = next(r for r in admin.list_staff(office_id) if r.username == "team_lead")
        assert lead.locked
        assert unlock.main(["team_lead"]) == 0
        assert "6 Fehlversuch(e) vergessen" in capsys.readouterr().out
        _, user = auth.login("team_lead", "geheim-123", "10.0.0.5")
    assert user.username == "team_lead"


def test_session_expires_and_logout_ends_it(office):
    with clock.freeze(datetime(2026, 11, 23, 7, 0)):
        token, _ = auth.login("advisor", "geheim-123")
    with clock.freeze(datetime(2026, 11, 23, 16, 59)):
        assert auth.user_for_token(token) is not None
    with clock.freeze(datetime(2026, 11, 23, 17, 1)):
        assert auth.user_for_token(token) is None
    token2, _ = auth.login("advisor", "geheim-123")
    auth.logout(token2)
    assert auth.user_for_token(token2) is None


def test_password_hash_is_argon2_and_never_in_the_session_user(office):
    from sqlmodel import select

    from workstation import db
    from workstation.models import StaffUser

    with db.session_scope() as session:
        stored = session.exec(select(StaffUser).where(StaffUser.username == "advisor")).one()
    assert stored.password_hash.startswith("$argon2")
    _, user = auth.login("advisor", "geheim-123")
    assert not hasattr(user, "password_hash")
