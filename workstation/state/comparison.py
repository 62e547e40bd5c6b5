"""The comparison page: the offices' key figures side by side, a year against the year before, exports.

The city admin compares every office; an office's team lead, controlling and administration see their own
office's column (the figures of other offices are not theirs to see).
"""

import reflex as rx

from workstation import clock
from workstation.formatting import change_de, figure_de
from workstation.models import Role
from workstation.services.city import comparison, offices
from workstation.state.auth import AuthState, acting_user, require_role

ROLES = (Role.TEAM_LEAD, Role.CONTROLLING, Role.ADMIN, Role.CITY_ADMIN)


def _cell(value: float | None, previous: float | None, unit: str) -> str:
    """"9,1 Min. (Vorjahr: 10,2 Min. −10,8 %)"; "keine Daten" where nothing was recorded."""
    change = change_de(value, previous, unit)
    return f"{figure_de(value, unit)} (Vorjahr: {figure_de(previous, unit)}{' ' + change if change else ''})"


class ComparisonState(AuthState):
    """The chosen year and the table as display strings."""

    year: str = ""
    years: list[str] = []
    office_names: list[str] = []
    rows: list[dict[str, list[str] | str]] = []
    span_label: str = ""

    def _offices(self) -> list[int]:
        user = acting_user()
        return list(offices.office_names()) if user.role == Role.CITY_ADMIN else [user.office_id]

    def _comparison(self) -> comparison.Comparison:
        year = int(self.year) if self.year.isdigit() else clock.today().year
        return comparison.compare(self._offices(), *comparison.year_span(year, clock.today()))

    def _refresh(self) -> None:
        result = self._comparison()
        self.office_names = result.office_names
        self.span_label = f"{result.first:%d.%m.%Y}–{result.last:%d.%m.%Y} gegen dieselbe Zeit des Vorjahres"
        self.rows = [
            {"label": label, "cells": [_cell(v, p, unit) for v, p in zip(values, previous, strict=True)]}
            for label, unit, values, previous in zip(result.labels, result.units, result.values, result.previous,
                                                     strict=True)
        ]

    @rx.event
    @require_role(*ROLES)
    def load(self):
        """on_load: the running year (to yesterday) against the previous one."""
        this_year = clock.today().year
        self.years = [str(y) for y in range(this_year, this_year - 5, -1)]
        if self.year not in self.years:
            self.year = str(this_year)
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_year(self, value: str):
        """Compare another year with the one before it."""
        if str(value) in self.years:
            self.year = str(value)
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def download_csv(self):
        """The comparison as CSV (German number format)."""
        return rx.download(data=comparison.to_csv(self._comparison()), filename=f"vergleich_{self.year}.csv")

    @rx.event
    @require_role(*ROLES)
    def download_excel(self):
        """The comparison as an Excel workbook."""
        return rx.download(data=comparison.to_excel(self._comparison()), filename=f"vergleich_{self.year}.xlsx")
