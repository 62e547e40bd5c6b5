"""Stored daily figures rolled up to days, weeks and months, key figures, and exports.

One set of rules turns daily rows into a period's value, so the chart, the key figures and the
exports never disagree: counts are summed, averages weighted by how many values they rest on, rates
recomputed from their sums, stock figures (backlog, overdue, uncollected) taken from the last day.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlmodel import select

from workstation import db
from workstation.models import Area, Service
from workstation.models.metrics import MetricName as M
from workstation.services import metrics
from workstation.services.common import catalogue, formatting
from workstation.services.metrics import period_waits

GRAINS = ("day", "week", "month")
AREA_LABELS = {
    Area.REGISTRATION: "Meldewesen",
    Area.ID_DOCUMENTS: "Pass- und Ausweiswesen",
    Area.VEHICLES: "Kfz-Zulassung",
    Area.DRIVING_LICENCES: "Fahrerlaubnis",
    Area.PARTNER: "Partner",
}
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")

# German label and unit of every figure shown or exported, in display order.
LABELS: dict[str, tuple[str, str]] = {
    M.CONTACTS_SERVED: ("Kundenkontakte", "count"),
    M.APPOINTMENTS_BOOKED: ("Termine gebucht", "count"),
    M.APPOINTMENTS_CANCELLED: ("Termine storniert", "count"),
    M.NO_SHOWS: ("Nicht erschienen", "count"),
    M.NO_SHOW_RATE: ("No-Show-Quote", "share"),
    M.WALK_INS: ("Spontankunden", "count"),
    M.EMERGENCIES: ("Notfälle", "count"),
    M.WAIT_MEAN_MIN: ("Wartezeit Ø (Min.)", "minutes"),
    M.WAIT_MEDIAN_MIN: ("Wartezeit Median (Min.)", "minutes"),
    M.WAIT_P90_MIN: ("Wartezeit 90 % (Min.)", "minutes"),
    M.WAIT_WITHIN_15_SHARE: ("Anteil ≤ 15 Min. Wartezeit", "share"),
    M.WAITS_MEASURED: ("Gemessene Wartezeiten", "count"),
    M.SERVICE_MEAN_MIN: ("Bearbeitungszeit Ø (Min.)", "minutes"),
    M.SERVICE_PLANNED_MIN: ("Bearbeitungszeit geplant (Min.)", "minutes"),
    M.SERVICES_MEASURED: ("Gemessene Bearbeitungen", "count"),
    M.LEAD_TIME_DAYS: ("Vorlaufzeit (Tage)", "days"),
    M.BOOKING_TO_VISIT_DAYS: ("Buchung bis Termin (Tage)", "days"),
    M.BACKOFFICE_OPENED: ("Nacharbeit eingegangen", "count"),
    M.BACKOFFICE_CLOSED: ("Nacharbeit erledigt", "count"),
    M.BACKOFFICE_BACKLOG: ("Nacharbeit offen", "count"),
    M.BACKOFFICE_OVERDUE: ("Nacharbeit überfällig", "count"),
    M.EMAILS_ANSWERED: ("E-Mails beantwortet", "count"),
    M.PICKUP_ARRIVED: ("Dokumente eingegangen", "count"),
    M.PICKUP_NOTIFIED: ("Abholung benachrichtigt", "count"),
    M.PICKUP_HANDED_OVER: ("Dokumente ausgehändigt", "count"),
    M.PICKUP_DAYS_TO_HANDOVER: ("Eingang bis Abholung (Tage)", "days"),
    M.PICKUP_UNCOLLECTED_4W: ("Nicht abgeholt > 4 Wochen", "count"),
    M.ONLINE_SERVICES: ("Online-Dienste", "count"),
    M.ONLINE_SHARE: ("Online-Anteil", "share"),
    M.FEEDBACK_RECEIVED: ("Rückmeldungen", "count"),
    M.FEEDBACK_SCORE_MEAN: ("Zufriedenheit Ø (1–5)", "score"),
    M.COMPLAINTS: ("Beschwerden", "count"),
    M.STAFF_AT_COUNTERS: ("Mitarbeitende am Schalter", "count"),
    M.STAFF_FTE_AT_COUNTERS: ("Vollzeitkräfte am Schalter", "number"),
    M.BAD_RECORDS: ("Fehlerhafte Datensätze", "count"),
}
_WEIGHTED = {
    M.WAIT_MEAN_MIN: M.WAITS_MEASURED, M.WAIT_MEDIAN_MIN: M.WAITS_MEASURED, M.WAIT_P90_MIN: M.WAITS_MEASURED,
    M.WAIT_WITHIN_15_SHARE: M.WAITS_MEASURED, M.SERVICE_MEAN_MIN: M.SERVICES_MEASURED,
    M.SERVICE_PLANNED_MIN: M.SERVICES_MEASURED, M.FEEDBACK_SCORE_MEAN: M.FEEDBACK_RECEIVED,
    M.PICKUP_DAYS_TO_HANDOVER: M.PICKUP_HANDED_OVER, M.BOOKING_TO_VISIT_DAYS: M.APPOINTMENTS_BOOKED,
}
_LAST = {M.BACKOFFICE_BACKLOG, M.BACKOFFICE_OVERDUE, M.PICKUP_UNCOLLECTED_4W}
_MEAN = {M.LEAD_TIME_DAYS, M.STAFF_AT_COUNTERS, M.STAFF_FTE_AT_COUNTERS}
_FTE_DAYS = "_fte_days"
_STAFFED_DAYS = "_staffed_days"


@dataclass(frozen=True)
class KeyFigure:
    """One KGSt-style key figure for a period and the same period a year earlier (None: no data)."""

    label: str
    unit: str
    value: float | None
    previous: float | None


def _div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num / den)


def period_start(grain: str) -> pl.Expr:
    """The first day of the period (day, ISO week, month) of the frame's `day` column."""
    if grain == "week":
        return pl.col("day").dt.truncate("1w")
    if grain == "month":
        return pl.col("day").dt.truncate("1mo")
    return pl.col("day")


def _daily(office_id: int, first: date, last: date, area: str, service_code: str) -> pl.DataFrame:
    rows = metrics.figures(first, last, office_id).filter(
        (pl.col("area") == area) & (pl.col("service_code") == service_code))
    wide = rows.pivot(on="metric", index="day", values="value") if rows.height else pl.DataFrame(
        schema={"day": pl.Date})
    missing = [m for m in LABELS if m not in wide.columns]
    return wide.with_columns(*(pl.lit(None, pl.Float64).alias(m) for m in missing)).sort("day")


def _rollup(daily: pl.DataFrame, by: pl.Expr | None) -> pl.DataFrame:
    """Daily rows → one row per period (or one row in all when `by` is None)."""
    aggs: list[pl.Expr] = [pl.col("day").count().alias("_days"),
                           pl.col(M.STAFF_FTE_AT_COUNTERS).sum().alias(_FTE_DAYS),
                           (pl.col(M.STAFF_FTE_AT_COUNTERS) > 0).sum().alias(_STAFFED_DAYS)]
    for metric in LABELS:
        col = pl.col(metric)
        if metric in _WEIGHTED:
            weight = pl.col(_WEIGHTED[metric])
            if metric == M.BOOKING_TO_VISIT_DAYS:
                weight = weight - pl.col(M.APPOINTMENTS_CANCELLED).fill_null(0)
            aggs.append(_div((col * weight).sum(), weight.filter(col.is_not_null()).sum()).alias(metric))
        elif metric in _LAST:
            aggs.append(col.drop_nulls().last().alias(metric))
        elif metric in _MEAN:
            aggs.append(col.mean().alias(metric))
        elif metric not in (M.NO_SHOW_RATE, M.ONLINE_SHARE):
            aggs.append(col.sum().alias(metric) if daily.height else pl.lit(None, pl.Float64).alias(metric))
    grouped = daily.group_by(by.alias("period")).agg(aggs).sort("period") if by is not None else daily.select(aggs)
    return grouped.with_columns(
        _div(pl.col(M.NO_SHOWS), pl.col(M.APPOINTMENTS_BOOKED) - pl.col(M.APPOINTMENTS_CANCELLED)).alias(
            M.NO_SHOW_RATE),
        _div(pl.col(M.ONLINE_SERVICES), pl.col(M.ONLINE_SERVICES) + pl.col(M.CONTACTS_SERVED)).alias(M.ONLINE_SHARE),
    )


def period_label(day: date, grain: str) -> str:
    """German label of a period starting on `day`: 10.03.2026, KW 11/2026, März 2026."""
    if grain == "week":
        iso = day.isocalendar()
        return f"KW {iso.week:02d}/{iso.year}"
    if grain == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day:%d.%m.%Y}"


def _year_earlier(day: date) -> date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _with_true_percentiles(rolled: pl.DataFrame, office_id: int, first: date, last: date, grain: str | None,
                           area: str, service_code: str) -> pl.DataFrame:
    """Replace the waiting-time median and 90 % of periods longer than a day by the periods' true percentiles.

    A day's stored values are that day's true ones; for a week, a month or a whole range they are computed
    from the visits (`period_waits`). Figures per service keep their stored values (waits are per visit).
    """
    if grain == "day" or service_code:
        return rolled
    true = period_waits.wait_percentiles(office_id, first, last, period_start(grain) if grain else None, area)
    true = true.rename({"median": M.WAIT_MEDIAN_MIN, "p90": M.WAIT_P90_MIN})
    if grain is None:
        return rolled.with_columns(pl.lit(true[M.WAIT_MEDIAN_MIN][0], pl.Float64).alias(M.WAIT_MEDIAN_MIN),
                                   pl.lit(true[M.WAIT_P90_MIN][0], pl.Float64).alias(M.WAIT_P90_MIN))
    return rolled.drop(M.WAIT_MEDIAN_MIN, M.WAIT_P90_MIN).join(true, on="period", how="left")


def trend(office_id: int, first: date, last: date, grain: str, area: str = "", service_code: str = "") -> pl.DataFrame:
    """Per period: every figure, and `previous_<metric>` for the same period a year earlier."""
    if grain not in GRAINS:
        raise ValueError(f"Unbekannte Zeiteinheit: {grain}")
    current = _with_true_percentiles(_rollup(_daily(office_id, first, last, area, service_code), period_start(grain)),
                                     office_id, first, last, grain, area, service_code)
    before = (_year_earlier(first), _year_earlier(last))
    earlier = _with_true_percentiles(_rollup(_daily(office_id, *before, area, service_code), period_start(grain)),
                                     office_id, *before, grain, area, service_code)
    shift = pl.col("period").dt.offset_by("52w") if grain == "week" else pl.col("period").dt.offset_by("1y")
    if grain == "day":
        shift = pl.col("period").dt.offset_by("364d")  # same weekday a year later
    earlier = earlier.select(shift.alias("period"), *(pl.col(m).alias(f"previous_{m}") for m in LABELS))
    return current.join(earlier, on="period", how="left").with_columns(
        pl.struct("period", "_days").map_elements(
            lambda r: period_label(r["period"], grain) + (" (unvollständig)" if r["_days"] < _length(r["period"], grain)
                                                         else ""),
            return_dtype=pl.String,
        ).alias("label"))


def _length(start: date, grain: str) -> int:
    """Days in the period beginning on `start`: a period with fewer stored days is marked as incomplete, so a
    running month is not read as a slump."""
    if grain == "week":
        return 7
    if grain == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return (following - start).days
    return 1


def key_figures(office_id: int, first: date, last: date, area: str = "", service_code: str = "") -> list[KeyFigure]:
    """KGSt-style key figures of a period against the same period a year earlier."""
    now = _with_true_percentiles(_rollup(_daily(office_id, first, last, area, service_code), None),
                                 office_id, first, last, None, area, service_code).row(0, named=True)
    span = (_year_earlier(first), _year_earlier(last))
    before = _with_true_percentiles(_rollup(_daily(office_id, *span, area, service_code), None),
                                    office_id, *span, None, area, service_code).row(0, named=True)

    def per_full_time(r: dict) -> float | None:
        """Contacts of the period ÷ the full-time equivalents at the counters on an average staffed day."""
        if not r[_FTE_DAYS] or r[M.CONTACTS_SERVED] is None:
            return None
        return r[M.CONTACTS_SERVED] / (r[_FTE_DAYS] / r[_STAFFED_DAYS])

    def online_share(r: dict) -> float | None:
        return r[M.ONLINE_SHARE] if r[M.ONLINE_SERVICES] else None  # no online record at all: no data, not 0 %

    def complaints(r: dict) -> float | None:
        return 1000 * r[M.COMPLAINTS] / r[M.CONTACTS_SERVED] if r[M.CONTACTS_SERVED] and r[M.COMPLAINTS] is not None \
            else None

    def fig(label: str, unit: str, get) -> KeyFigure:
        return KeyFigure(label, unit, get(now), get(before))

    def col(metric: str):
        return lambda r: r[metric]

    return [
        fig("Kundenkontakte", "count", col(M.CONTACTS_SERVED)),
        fig("Kontakte je Vollzeitkraft", "number", per_full_time),
        fig("Wartezeit Ø", "minutes", col(M.WAIT_MEAN_MIN)),
        fig("Wartezeit 90 %", "minutes", col(M.WAIT_P90_MIN)),
        fig("Anteil ≤ 15 Min. Wartezeit", "share", col(M.WAIT_WITHIN_15_SHARE)),
        fig("No-Show-Quote", "share", col(M.NO_SHOW_RATE)),
        fig("Bearbeitungszeit Ø", "minutes", col(M.SERVICE_MEAN_MIN)),
        fig("Bearbeitungszeit geplant", "minutes", col(M.SERVICE_PLANNED_MIN)),
        fig("Vorlaufzeit", "days", col(M.LEAD_TIME_DAYS)),
        fig("Online-Anteil", "share", online_share),
        fig("Beschwerden je 1.000 Kontakte", "number", complaints),
        fig("Nacharbeit offen (Ende)", "count", col(M.BACKOFFICE_BACKLOG)),
        fig("Nacharbeit erledigt", "count", col(M.BACKOFFICE_CLOSED)),
        fig("Eingang bis Abholung", "days", col(M.PICKUP_DAYS_TO_HANDOVER)),
        fig("Zufriedenheit Ø (1–5)", "score", col(M.FEEDBACK_SCORE_MEAN)),
    ]


def export_table(office_id: int, first: date, last: date, grain: str, area: str = "",
                 service_code: str = "") -> pl.DataFrame:
    """The trend as an export table: a German period column and one column per figure."""
    t = trend(office_id, first, last, grain, area, service_code)
    return t.select(pl.col("label").alias("Zeitraum"), pl.col("period").alias("Beginn"),
                    *(pl.col(m).alias(LABELS[m][0]) for m in LABELS))


def csv_cell(value: float | None, unit: str) -> str:
    """A figure as the page shows it, without the unit word (it is in the column header)."""
    if value is None:
        return ""
    if unit == "count":
        return formatting.number(value)
    if unit == "share":
        return f"{formatting.number(100 * value, 1)} %"
    return formatting.number(value, 1)


def to_csv(table: pl.DataFrame, extra_units: dict[str, str] | None = None) -> bytes:
    """CSV as German spreadsheets read it and as the page shows the figures: semicolons, counts as
    "9.843", shares as "7,1 %", other figures with one decimal comma, dates dd.mm.yyyy, UTF-8 with BOM."""
    units = {label: unit for label, unit in LABELS.values()} | (extra_units or {})
    text_columns = [
        pl.col(c).dt.strftime("%d.%m.%Y") if table[c].dtype == pl.Date
        else pl.col(c).map_elements(lambda v, u=units[c]: csv_cell(v, u), return_dtype=pl.String,
                                    skip_nulls=False) if c in units
        else pl.col(c)
        for c in table.columns
    ]
    text = table.select(text_columns).write_csv(separator=";")
    return ("\ufeff" + text).encode("utf-8")


def to_excel(table: pl.DataFrame, sheet: str = "Kennzahlen") -> bytes:
    """An Excel workbook of the table (numbers stay numbers; Excel shows them in the user's locale)."""
    buffer = io.BytesIO()
    table.write_excel(buffer, worksheet=sheet, autofit=True, dtype_formats={pl.Date: "dd.mm.yyyy"},
                      float_precision=2)
    return buffer.getvalue()


def service_options(office_id: int) -> list[tuple[str, str, str]]:
    """(code, name, area) of the office's catalogue for the filter."""
    with db.session_scope() as session:
        rows = session.exec(select(Service).where(catalogue.offered_by(office_id)).order_by(Service.area, Service.name))
        return [(s.code, s.name, s.area) for s in rows]


def default_range(today: date) -> tuple[date, date]:
    """The page's first view: from 1 January of yesterday's year to yesterday."""
    yesterday = today - timedelta(days=1)
    return date(yesterday.year, 1, 1), yesterday
