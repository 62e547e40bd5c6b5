"""Controlling page state: filters, the trend of one figure, key figures, exports."""

from datetime import date
from typing import Any

import reflex as rx

from workstation import clock
from workstation.formatting import change_de, date_de, figure_de
from workstation.models import Role
from workstation.models.metrics import MetricName
from workstation.services.metrics import report, satisfaction
from workstation.state.auth import AuthState, acting_user, require_role

ROLES = (Role.TEAM_LEAD, Role.CONTROLLING, Role.ADMIN, Role.CITY_ADMIN)
MAX_DAYS_PER_DAY_CHART = 400
GRAIN_LABELS = {"day": "Tag", "week": "Woche", "month": "Monat"}
SATISFACTION_PERIODS = 12


class ControllingState(AuthState):
    """What the controlling page shows; everything is recomputed from stored figures on each change."""

    first: str = ""
    last: str = ""
    grain: str = "month"
    area: str = ""
    service: str = ""
    metric: str = MetricName.CONTACTS_SERVED.value
    services: list[dict[str, str]] = []
    chart: list[dict[str, Any]] = []
    rows: list[dict[str, str]] = []
    figures: list[dict[str, str]] = []
    notice: str = ""
    satisfaction_overall: str = ""
    complaints_rate: str = ""
    satisfaction_groups: list[dict[str, Any]] = []

    @rx.var
    def metric_label(self) -> str:
        return report.LABELS.get(self.metric, ("", ""))[0]

    def _range(self) -> tuple[date, date] | None:
        try:
            first, last = date.fromisoformat(self.first), date.fromisoformat(self.last)
        except ValueError:
            self.notice = "Bitte ein gültiges Anfangs- und Enddatum wählen."
            return None
        if last < first:
            self.notice = "Das Enddatum liegt vor dem Anfangsdatum."
            return None
        if self.grain == "day" and (last - first).days >= MAX_DAYS_PER_DAY_CHART:
            self.notice = f"Für mehr als {MAX_DAYS_PER_DAY_CHART} Tage bitte Woche oder Monat wählen."
            return None
        return first, last

    def _refresh(self) -> None:
        self.notice = ""
        span = self._range()
        if span is None:
            return
        office_id = acting_user().office_id
        first, last = span
        unit = report.LABELS[self.metric][1]
        scale = 100 if unit == "share" else 1
        trend = report.trend(office_id, first, last, self.grain, self.area, self.service)
        def scaled(value: float | None) -> float | None:
            return None if value is None else round(value * scale, 2)

        self.chart = [
            {"label": r["label"], "value": scaled(r[self.metric]), "previous": scaled(r[f"previous_{self.metric}"])}
            for r in trend.to_dicts()
        ]
        self.rows = [
            {"label": r["label"], "value": figure_de(r[self.metric], unit),
             "previous": figure_de(r[f"previous_{self.metric}"], unit)}
            for r in trend.to_dicts()
        ]
        self.figures = [
            {"label": f.label, "value": figure_de(f.value, f.unit), "previous": figure_de(f.previous, f.unit),
             "change": change_de(f.value, f.previous, f.unit)}
            for f in report.key_figures(office_id, first, last, self.area, self.service)
        ]
        self._refresh_satisfaction(office_id, first, last)
        if not trend.height:
            self.notice = f"Für {date_de(first)}–{date_de(last)} sind keine Kennzahlen gespeichert."

    def _refresh_satisfaction(self, office_id: int, first: date, last: date) -> None:
        """Satisfaction per week, month, area, time window and aspect; complaints per 1,000 contacts."""
        found = satisfaction.summary(office_id, first, last, self.area)
        self.satisfaction_overall = found.overall.text
        self.complaints_rate = found.complaints_text

        def cells(rows: list[satisfaction.ScoreCell]) -> list[dict[str, str]]:
            return [{"label": c.label, "text": c.text} for c in rows]

        self.satisfaction_groups = [
            {"title": "Tageszeit", "rows": cells(found.windows)},
            {"title": "Bereich", "rows": cells(found.areas)},
            {"title": "Einzelfragen", "rows": cells(found.aspects)},
            {"title": "Letzte Wochen", "rows": cells(found.weeks[-SATISFACTION_PERIODS:])},
            {"title": "Letzte Monate", "rows": cells(found.months[-SATISFACTION_PERIODS:])},
        ]

    def _load_services(self) -> None:
        options = report.service_options(acting_user().office_id)
        self.services = [{"code": code, "name": name} for code, name, area in options
                         if not self.area or area == self.area]
        if self.service not in {s["code"] for s in self.services}:
            self.service = ""

    @rx.event
    @require_role(*ROLES)
    def load(self):
        if not self.first or not self.last:
            first, last = report.default_range(clock.today())
            self.first, self.last = first.isoformat(), last.isoformat()
        self._load_services()
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_first(self, value: str):
        self.first = value
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_last(self, value: str):
        self.last = value
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_grain(self, value: str):
        if value in report.GRAINS:
            self.grain = value
            self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_area(self, value: str):
        self.area = value if value in report.AREA_LABELS else ""
        self._load_services()
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_service(self, value: str):
        self.service = value if value in {s["code"] for s in self.services} else ""
        self._refresh()

    @rx.event
    @require_role(*ROLES)
    def set_metric(self, value: str):
        if value in report.LABELS:
            self.metric = value
            self._refresh()

    def _export(self, suffix: str, render) -> rx.event.EventSpec | None:
        span = self._range()
        if span is None:
            return rx.toast.error(self.notice)
        table = satisfaction.export_table(acting_user().office_id, *span, self.grain, self.area, self.service)
        name = f"kennzahlen_{span[0]:%Y%m%d}-{span[1]:%Y%m%d}_{self.grain}{'_' + self.area if self.area else ''}"
        return rx.download(data=render(table), filename=f"{name}.{suffix}")

    @rx.event
    @require_role(*ROLES)
    def download_csv(self):
        return self._export("csv", lambda table: report.to_csv(table, satisfaction.export_units()))

    @rx.event
    @require_role(*ROLES)
    def download_excel(self):
        return self._export("xlsx", report.to_excel)
