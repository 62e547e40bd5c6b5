"""Write computed figures to `DailyMetric` and read them back.

Re-running a day replaces it: the day's rows are deleted and the new ones inserted in one transaction,
so a crash half-way leaves the old figures, and running twice leaves the same rows.
"""

from collections.abc import Collection
from datetime import date, datetime

import polars as pl
from sqlalchemy import delete, insert, select
from sqlmodel import Session

from workstation.models.metrics import DailyMetric


def replace_days(session: Session, first: date, last: date, figures: pl.DataFrame, computed_at: datetime,
                 office_ids: Collection[int] | None = None) -> int:
    """Replace the stored figures of the days `first`..`last` (of every office, or of `office_ids`) with
    `figures`; returns the rows written."""
    old = delete(DailyMetric).where(DailyMetric.day >= first, DailyMetric.day <= last)
    if office_ids is not None:
        old = old.where(DailyMetric.office_id.in_(list(office_ids)))
    session.execute(old)
    rows = figures.with_columns(pl.lit(computed_at).alias("computed_at")).to_dicts()
    for start in range(0, len(rows), 50_000):
        session.execute(insert(DailyMetric), rows[start:start + 50_000])
    return len(rows)


def stored_days(session: Session, first: date, last: date) -> set[date]:
    """Days in `first`..`last` that have stored figures."""
    q = select(DailyMetric.day).where(DailyMetric.day >= first, DailyMetric.day <= last).distinct()
    return set(session.execute(q).scalars())


def read_figures(session: Session, first: date, last: date, office_id: int | None = None) -> pl.DataFrame:
    """Stored figures of a day range as a frame (day, office_id, area, service_code, metric, value)."""
    q = select(DailyMetric.day, DailyMetric.office_id, DailyMetric.area, DailyMetric.service_code,
               DailyMetric.metric, DailyMetric.value).where(DailyMetric.day >= first, DailyMetric.day <= last)
    if office_id is not None:
        q = q.where(DailyMetric.office_id == office_id)
    schema = {"day": pl.Date, "office_id": pl.Int64, "area": pl.String, "service_code": pl.String,
              "metric": pl.String, "value": pl.Float64}
    return pl.DataFrame(session.execute(q).all(), schema=schema, orient="row")
