"""Terminplanung: the team lead or administrator keeps lanes, closing days and the catalogue's booking rules."""

from datetime import date
from typing import Any

import reflex as rx

from workstation.models import Role
from workstation.services.booking import public, setup
from workstation.services.booking.errors import BookingError
from workstation.services.booking.staff import catalogue_rows
from workstation.state.auth import AuthState, acting_user, require_role

SETUP_ROLES = (Role.TEAM_LEAD, Role.ADMIN)


def _int(form: dict[str, Any], key: str) -> int:
    try:
        return int(str(form.get(key, "")).strip())
    except ValueError:
        return -1


class BookingSetupState(AuthState):
    """What the setup page lists, and the answer to the last change."""

    lanes: list[dict[str, str]] = []
    closing_days: list[dict[str, str]] = []
    services: list[dict[str, Any]] = []
    areas: list[dict[str, str]] = [{"code": code, "label": label} for code, label in public.AREAS["de"].items()]
    message: str = ""

    def _read(self) -> None:
        office_id = acting_user().office_id
        self.lanes = [{"area": public.AREAS["de"].get(r.area, r.area), "weekday": setup.WEEKDAY_NAMES[r.weekday],
                       "lanes": str(r.lanes), "window": f"{r.opens}–{r.closes}"} for r in setup.lane_rows(office_id)]
        self.closing_days = [{"iso": iso, "label": public.day_label(date.fromisoformat(iso), "de"), "reason": reason}
                             for iso, reason in setup.closing_day_rows(office_id)]
        self.services = catalogue_rows(office_id)

    @rx.event
    @require_role(*SETUP_ROLES)
    def load(self):
        self._read()

    def _change(self, call, done: str) -> None:
        try:
            result = call()
        except BookingError as exc:
            self.message = exc.message
            return
        self.message = done.format(result=result)
        self._read()

    @rx.event
    @require_role(*SETUP_ROLES)
    def set_lanes(self, form: dict[str, Any]):
        """Lanes of an area on a weekday (replaces that day's lanes)."""
        user = acting_user()
        self._change(lambda: setup.set_lanes(user.office_id, str(form.get("area", "")), _int(form, "weekday"),
                                             _int(form, "lanes"), str(form.get("opens", "")),
                                             str(form.get("closes", "")), user.id), "Schalter gespeichert.")

    @rx.event
    @require_role(*SETUP_ROLES)
    def close_day(self, form: dict[str, Any]):
        user = acting_user()
        try:
            day = date.fromisoformat(str(form.get("day", "")))
        except ValueError:
            self.message = "Bitte ein Datum wählen."
            return
        self._change(lambda: setup.close_day(user.office_id, day, str(form.get("reason", "")), user.id),
                     "Schließtag gespeichert; an diesem Tag sind {result} Termine gebucht (bitte verlegen).")

    @rx.event
    @require_role(*SETUP_ROLES)
    def reopen_day(self, iso: str):
        user = acting_user()
        self._change(lambda: setup.reopen_day(user.office_id, date.fromisoformat(iso), user.id),
                     "Schließtag aufgehoben.")

    @rx.event
    @require_role(*SETUP_ROLES)
    def update_service(self, form: dict[str, Any]):
        """Planned minutes, maximum count, documents and the online flag of one service."""
        user = acting_user()
        self._change(lambda: setup.update_service(user.office_id, _int(form, "service"), _int(form, "minutes"),
                                                  _int(form, "max_count"), str(form.get("documents", "")),
                                                  bool(form.get("online")), user.id), "Dienstleistung gespeichert.")

    @rx.event
    @require_role(*SETUP_ROLES)
    def set_conflict(self, form: dict[str, Any]):
        """Two services that may not (or again may) share an appointment."""
        user = acting_user()
        conflicting = str(form.get("rule")) == "conflict"
        self._change(lambda: setup.set_conflict(user.office_id, _int(form, "first"), _int(form, "second"), conflicting,
                                                user.id),
                     "Kombination gespeichert.")
