"""Who is logged in, page guards, and the role check for every protected event handler.

`rx.cond` in a page only hides a button; it protects nothing, because any event can be sent to the
server. So every handler that reads or changes citizen data is wrapped in `require_role`, which
re-reads the session from the database on each call.
"""

import contextvars
import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlalchemy.exc import DBAPIError

from workstation import db, routes
from workstation.db import session_scope
from workstation.models import AuditAction, Role
from workstation.services.queue import workday
from workstation.services.staff import audit, auth
from workstation.services.staff.auth import SessionUser

NOT_ALLOWED = "Keine Berechtigung für diese Aktion."
PAGE_NOT_ALLOWED = "Sie haben keine Berechtigung für diese Seite."
SESSION_ENDED = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
LOGIN_REQUIRED = "Bitte melden Sie sich an, um diese Seite zu öffnen."

_acting_user: contextvars.ContextVar[SessionUser | None] = contextvars.ContextVar("acting_user", default=None)


def acting_user() -> SessionUser:
    """The user verified by `require_role` for the handler that is running now."""
    user = _acting_user.get()
    if user is None:
        raise RuntimeError("acting_user() called outside a handler protected by require_role")
    return user


def start_page(user: SessionUser) -> str:
    """Where a user lands: the role's first page; an advisor after the appointments or from 13:00 the task list."""
    if user.role == Role.ADVISOR:
        return routes.WORK_MODE_ROUTES[workday.advisor_mode(user.id)]
    return routes.home_for(user.role)


class AuthState(rx.State):
    """Login session of this browser tab; page states inherit from it to reach the token."""

    session_token: str = rx.LocalStorage(name="bb_session")
    user_name: str = ""
    user_role: str = ""
    login_error: str = ""
    # Backend only: the guard of the page now loading sent the browser away and said why. The page's own
    # on_load handler runs after it all the same (Reflex queues the whole on_load list); its refusal stays quiet.
    _page_refused: bool = False

    def _verified_user(self) -> SessionUser | None:
        return auth.user_for_token(self.session_token)

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_role != ""

    @rx.var
    def nav_routes(self) -> list[str]:
        return [item.route for item in routes.nav_for(self.user_role)]

    @rx.event
    def guard_page(self):
        """on_load of every staff page: log-in required, and the page must belong to the role.

        A refusal sends the browser away with one toast that says why; the page's own on_load handler,
        refused by `require_role` after it, then adds no second one.
        """
        user = self._verified_user()
        path = self.router.url.path or routes.HOME
        if user is None:
            message = SESSION_ENDED if self.session_token else LOGIN_REQUIRED
            self.user_name = self.user_role = ""
            self._page_refused = True
            return [rx.redirect(routes.LOGIN), rx.toast.error(message)]
        self.user_name, self.user_role = user.display_name, user.role
        if user.role not in routes.allowed_roles(path):
            with session_scope() as session:
                audit.record(session, user_id=user.id, action=AuditAction.DENIED, entity="page", detail=path)
            self._page_refused = True
            return [rx.redirect(routes.home_for(user.role)), rx.toast.error(PAGE_NOT_ALLOWED)]
        self._page_refused = False
        return None

    @rx.event
    def go_home(self):
        """The root route: the role's first page, or the login."""
        user = self._verified_user()
        if user is None:
            return rx.redirect(routes.LOGIN)
        return rx.redirect(start_page(user))

    @rx.event
    def login(self, form_data: dict[str, Any]):
        """Check the credentials; on success store the token and go to the role's start page."""
        try:
            client = self.router.session.client_ip or ""
            token, user = auth.login(
                str(form_data.get("username", ""))[:200], str(form_data.get("password", ""))[:1000], client
            )
        except auth.LoginError as err:
            self.login_error = err.message
            return
        self.session_token = token
        self.login_error = ""
        self._page_refused = False
        self.user_name, self.user_role = user.display_name, user.role
        yield  # the browser stores the token before it leaves the page
        yield rx.redirect(start_page(user))

    @rx.event
    def logout(self):
        """End the session on the server and in the browser."""
        auth.logout(self.session_token)
        self.session_token = ""
        self.user_name = self.user_role = ""
        return rx.redirect(routes.LOGIN)


def require_role(*roles: str) -> Callable:
    """Refuse the decorated event handler unless the session's user has one of `roles`.

    Refusals change nothing, show a German toast and are written to the audit log. Inside the handler
    `acting_user()` returns the verified user. Works for plain, async and (async) generator handlers;
    the state must be an `AuthState` subclass.

    It is also the last net for database outages: a handler that ends in `db.DatabaseUnavailableError`
    (after `db.retry_once` tried twice) or in a transient database error shows `db.DB_UNAVAILABLE`
    as a toast instead of a raw error. Retrying belongs to the call sites (`db.retry_once` around a
    service call), never to a whole handler, which may already have changed something.
    """
    allowed = frozenset(roles)

    def check(state: AuthState, name: str) -> SessionUser | None:
        user = state._verified_user()
        if user is None or user.role not in allowed:
            with session_scope() as session:
                audit.record(
                    session,
                    user_id=user.id if user else None,
                    action=AuditAction.DENIED,
                    entity="event",
                    detail=f"{type(state).__name__}.{name}",
                )
            return None
        _acting_user.set(user)
        return user

    def refusal(state: AuthState):
        if state._page_refused:  # the page guard already redirected with its own message
            return None
        if not state._verified_user():
            return [rx.toast.error(SESSION_ENDED), rx.redirect(routes.LOGIN)]
        return rx.toast.error(NOT_ALLOWED)

    def decorate(fn: Callable) -> Callable:
        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def agen_handler(self, *args, **kwargs):
                with _OutageToast() as outage:
                    if check(self, fn.__name__) is None:
                        yield refusal(self)
                        return
                    async for item in fn(self, *args, **kwargs):
                        yield item
                if outage.toast is not None:
                    yield outage.toast

            return agen_handler
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen_handler(self, *args, **kwargs):
                with _OutageToast() as outage:
                    if check(self, fn.__name__) is None:
                        yield refusal(self)
                        return
                    yield from fn(self, *args, **kwargs)
                if outage.toast is not None:
                    yield outage.toast

            return gen_handler
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_handler(self, *args, **kwargs):
                with _OutageToast() as outage:
                    if check(self, fn.__name__) is None:
                        return refusal(self)
                    return await fn(self, *args, **kwargs)
                return outage.toast

            return async_handler

        @functools.wraps(fn)
        def handler(self, *args, **kwargs):
            with _OutageToast() as outage:
                if check(self, fn.__name__) is None:
                    return refusal(self)
                return fn(self, *args, **kwargs)
            return outage.toast

        return handler

    return decorate


class _OutageToast:
    """Context of a protected handler: a database outage becomes the German toast in `toast`."""

    def __init__(self) -> None:
        self.toast = None

    def __enter__(self) -> "_OutageToast":
        return self

    def __exit__(self, exc_type, exc, _tb) -> bool:
        if exc is None:
            return False
        if isinstance(exc, db.DatabaseUnavailableError) or (isinstance(exc, DBAPIError) and db.is_transient(exc)):
            self.toast = rx.toast.error(db.DB_UNAVAILABLE)
            return True
        return False
