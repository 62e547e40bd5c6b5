"""Protected event handlers refuse users of the wrong role on the server and change nothing."""

import pytest
from sqlmodel import select

from tests.factories import office_with_users
from workstation import db
from workstation.models import AuditLog, StaffUser
from workstation.services.staff import auth
from workstation.state.admin import AdminState


@pytest.fixture
def users(sqlite_db):
    return office_with_users("admin", "advisor")


def _state_for(username: str) -> AdminState:
    token, _ = auth.login(username, "geheim-123")
    state = AdminState()
    state.session_token = token
    return state


def _accounts() -> set[str]:
    with db.session_scope() as session:
        return set(session.exec(select(StaffUser.username)).all())


def test_advisor_cannot_create_an_account_even_by_sending_the_event(users):
    state = _state_for("advisor")
    result = AdminState.create.fn(state, {"username": "eindringling", "display_name": "X", "role": "admin"})
    assert "eindringling" not in _accounts()
    assert "Keine Berechtigung" in str(result)
    with db.session_scope() as session:
        denied = session.exec(select(AuditLog).where(AuditLog.action == "denied")).all()
    assert [d.detail for d in denied] == ["AdminState.create"]


def test_anonymous_call_is_refused_and_sent_to_login(users):
    state = AdminState()
    result = AdminState.load.fn(state)
    assert state.staff == []
    assert "abgelaufen" in str(result)


def test_admin_creates_an_account_that_can_log_in(users):
    state = _state_for("admin")
    AdminState.create.fn(state, {"username": "neu", "display_name": "Nina Neu", "role": "reception"})
    assert "neu" in _accounts()
    password = state.notice.rsplit(" ", 1)[-1]
    _, user = auth.login("neu", password)
    assert user.role == "reception"
    assert any(row["username"] == "neu" for row in state.staff)


def test_deactivated_account_loses_its_open_session(users):
    admin = _state_for("admin")
    token, advisor = auth.login("advisor", "geheim-123")
    AdminState.toggle_active.fn(admin, advisor.id, True)
    assert auth.user_for_token(token) is None
    with pytest.raises(auth.LoginError):
        auth.login("advisor", "geheim-123")


def test_page_roles_ignore_the_trailing_slash_and_cover_sub_pages():
    from workstation import routes
    from workstation.models import Role

    assert Role.ADVISOR not in routes.allowed_roles("/controlling/")
    assert Role.ADVISOR not in routes.allowed_roles("/briefing/praesentation")
    assert Role.CONTROLLING in routes.allowed_roles("/controlling/")


def test_the_one_time_password_callout_goes_with_the_next_action(users):
    state = _state_for("admin")
    AdminState.reset_password.fn(state, users["advisor"], "advisor")
    assert state.notice.startswith("Neues Passwort für „advisor“")

    error = AdminState.create.fn(state, {"username": "advisor", "display_name": "Doppelt", "role": "advisor"})

    assert "gibt es bereits" in str(error)
    assert state.notice == ""


def test_a_refused_page_leaves_one_message(users):
    """The guard redirects with its toast; the page's own load, refused after it, adds none."""
    state = AdminState()
    assert "Bitte melden Sie sich an" in str(AdminState.guard_page.fn(state))
    assert AdminState.load.fn(state) is None
    assert state.staff == []
    expired = AdminState()
    expired.session_token = "abgelaufen"
    assert "abgelaufen" in str(AdminState.guard_page.fn(expired))


def test_a_refused_click_after_a_passed_guard_still_says_why(users):
    state = _state_for("advisor")
    assert AdminState.guard_page.fn(state) is None  # "/" belongs to every role
    assert "Keine Berechtigung" in str(AdminState.load.fn(state))
