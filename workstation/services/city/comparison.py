"""The city's offices side by side: KGSt-style key figures of a year against the year before.

Every figure comes from `metrics.report.key_figures`, the same function the controlling page of each
office uses, so the comparison and an office's own page can never disagree.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl

from workstation.services.city import offices
from workstation.services.metrics import report


@dataclass(frozen=True)
class Comparison:
    """Key figures per office for one span and the same span a year earlier."""

    first: date
    last: date
    office_names: list[str]
    labels: list[str]
    units: list[str]
    values: list[list[float | None]]  # [figure][office]
    previous: list[list[float | None]]


def year_span(year: int, today: date) -> tuple[date, date]:
    """1 January to 31 December of `year`, or to yesterday while the year is running."""
    last = min(date(year, 12, 31), date.fromordinal(today.toordinal() - 1))
    return date(year, 1, 1), last


def compare(office_ids: list[int], first: date, last: date) -> Comparison:
    """The key figures of each office (in name order) for the span and the span a year earlier."""
    names = offices.office_names(office_ids)
    per_office = [report.key_figures(office_id, first, last) for office_id in names]
    template = per_office[0] if per_office else report.key_figures(0, first, last)
    return Comparison(
        first=first,
        last=last,
        office_names=list(names.values()),
        labels=[f.label for f in template],
        units=[f.unit for f in template],
        values=[[figures[i].value for figures in per_office] for i in range(len(template))],
        previous=[[figures[i].previous for figures in per_office] for i in range(len(template))],
    )


def export_table(comparison: Comparison) -> pl.DataFrame:
    """One row per figure; per office a column for the year and one for the year before (numbers stay numbers)."""
    columns: dict[str, list] = {"Kennzahl": comparison.labels, "Einheit": comparison.units}
    for n, name in enumerate(comparison.office_names):
        columns[name] = [row[n] for row in comparison.values]
        columns[f"{name} (Vorjahr)"] = [row[n] for row in comparison.previous]
    schema = {"Kennzahl": pl.String, "Einheit": pl.String} | {c: pl.Float64 for c in list(columns)[2:]}
    return pl.DataFrame(columns, schema=schema)


UNIT_DE = {"count": "Anzahl", "number": "Zahl", "minutes": "Minuten", "days": "Tage", "share": "Anteil",
           "score": "Note 1–5"}


def to_csv(comparison: Comparison) -> bytes:
    """CSV as German spreadsheets read it: semicolons, decimal commas, "keine Daten" where nothing was recorded."""
    table = export_table(comparison)
    units = table["Einheit"].to_list()
    text = table.with_columns(
        pl.col("Einheit").replace_strict(UNIT_DE, default=pl.col("Einheit")),
        *(pl.Series(c, [report.csv_cell(v, u) or "keine Daten" for v, u in zip(table[c].to_list(), units, strict=True)])
          for c in table.columns[2:]),
    ).write_csv(separator=";")
    return ("\ufeff" + text).encode("utf-8")


def to_excel(comparison: Comparison) -> bytes:
    """An Excel workbook of the comparison (numbers stay numbers)."""
    return report.to_excel(export_table(comparison), sheet="Vergleich")
