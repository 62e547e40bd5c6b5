"""Lobby devices in the browser: the device token, pairing, and the check on every device handler.

A kiosk browser holds a device token (`rx.LocalStorage`), never a staff login. Each device page's
on_load and every one of its handlers verify the token on the server (`require_device`); an
unpaired, revoked or wrong-kind device sees only the pairing page. Device states deliberately do not
inherit `AuthState`: a staff session in the same browser gives a device page nothing.
"""

import contextvars
import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlalchemy.exc import DBAPIError

from workstation import db, routes
from workstation.models import DeviceKind
from workstation.services.lobby import devices
from workstation.services.lobby.devices import Device, DeviceError

KIND_ROUTES = {
    DeviceKind.CHECKIN: routes.TERMINAL_CHECKIN,
    DeviceKind.DISPLAY: routes.TERMINAL_DISPLAY,
    DeviceKind.FEEDBACK: routes.TERMINAL_FEEDBACK,
}
NOT_PAIRED = "Dieses Gerät ist nicht (mehr) gekoppelt."

_acting_device: contextvars.ContextVar[Device | None] = contextvars.ContextVar("acting_device", default=None)


def acting_device() -> Device:
    """The device verified by `require_device` for the handler that is running now."""
    device = _acting_device.get()
    if device is None:
        raise RuntimeError("acting_device() called outside a handler protected by require_device")
    return device


class DeviceState(rx.State):
    """The device token of this kiosk browser and the pairing form."""

    device_token: str = rx.LocalStorage(name="bb_device")
    pair_error: str = ""
    pairing: bool = False

    def _verified_device(self, kind: str) -> Device | None:
        return devices.device_for_token(self.device_token, kind)

    def _pair(self, code: str):
        try:
            token, device = devices.pair(code[:40])
        except DeviceError as err:
            self.pair_error = str(err)
            return None
        self.device_token = token
        self.pair_error = ""
        return device

    @rx.event
    def pair_from_link(self):
        """on_load of the pairing page: a pairing link (…/geraet?code=…) pairs at once; a device that is
        paired after all (e.g. sent here while the database was away) goes back to its page."""
        code = self.router.url.query_parameters.get("code", "")
        self.pair_error = ""
        if not code:
            paired = _outage_safe(lambda: devices.device_for_token(self.device_token), None)
            if paired is not None:
                yield rx.redirect(KIND_ROUTES[paired.kind])
            return
        device = self._pair(code)
        if device is None:
            return
        yield  # the browser stores the token before it leaves the page
        yield rx.redirect(KIND_ROUTES[device.kind])

    @rx.event
    def pair_with_code(self, form_data: dict[str, Any]):
        """The pairing form: the code staff read off the Geräte page."""
        if self.pairing:
            return
        self.pairing = True
        yield
        try:
            device = self._pair(str(form_data.get("code", "")))
        finally:
            self.pairing = False
        if device is None:
            return
        yield
        yield rx.redirect(KIND_ROUTES[device.kind])


def _outage_safe(read: Callable[[], Any], fallback: Any) -> Any:
    """`read()`, or `fallback` while the database is away (a kiosk must not lose its page over a blip)."""
    try:
        return read()
    except db.DatabaseUnavailableError:
        return fallback
    except DBAPIError as err:
        if db.is_transient(err):
            return fallback
        raise


def still_paired(token: str, kind: str) -> bool:
    """For a device page's live loop: False once the device is revoked; True while the database is away."""
    return _outage_safe(lambda: devices.device_for_token(token, kind) is not None, True)


_OUTAGE = object()


def require_device(kind: str) -> Callable:
    """Run the decorated handler only for a paired, not revoked device of `kind`; otherwise send the
    browser to the pairing page. Inside, `acting_device()` is the verified device."""

    def refuse(found):
        if found is _OUTAGE:
            return rx.toast.error(db.DB_UNAVAILABLE)
        return [rx.redirect(routes.DEVICE_PAIR), rx.toast.error(NOT_PAIRED)]

    def verify(state: "DeviceState"):
        return _outage_safe(lambda: state._verified_device(kind), _OUTAGE)

    def decorate(fn: Callable) -> Callable:
        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def agen_handler(self, *args, **kwargs):
                device = verify(self)
                if device is None or device is _OUTAGE:
                    yield refuse(device)
                    return
                _acting_device.set(device)
                async for item in fn(self, *args, **kwargs):
                    yield item

            return agen_handler
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_handler(self, *args, **kwargs):
                device = verify(self)
                if device is None or device is _OUTAGE:
                    return refuse(device)
                _acting_device.set(device)
                return await fn(self, *args, **kwargs)

            return async_handler

        @functools.wraps(fn)
        def handler(self, *args, **kwargs):
            device = verify(self)
            if device is None or device is _OUTAGE:
                return refuse(device)
            _acting_device.set(device)
            return fn(self, *args, **kwargs)

        return handler

    return decorate
