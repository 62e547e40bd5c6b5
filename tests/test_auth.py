"""Login, sessions and lock-out as staff experience them."""

from datetime import datetime, timedelta

import pytest

from tests.factories import office_with_users
from workstation import clock
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


def test_repeated_failures_lock_the_account_even_for_the_right_password(office, monkeypatch):
    monkeypatch.setenv("WORKSTATION_MAX_FAILED_LOGINS", "3")
    start = datetime(2026, 11, 23, 7, 30)
    with clock.freeze(start):
        for _ in range(3):
            with pytest.raises(auth.LoginError):
                auth.login("advisor", "falsch")
        with pytest.raises(auth.LoginError) as err:
            auth.login("advisor", "geheim-123")
    assert "gesperrt" in err.value.message and "07:45" in err.value.message
    with clock.freeze(start + timedelta(minutes=16)):
        _, user = auth.login("advisor", "geheim-123")
    assert user.username == "advisor"


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
