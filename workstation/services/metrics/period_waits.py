"""Waiting-time median and 90th percentile of whole periods (weeks, months, a year), computed from the visits.

A percentile of a month is not the mean of its days' percentiles (a quiet day with a short queue would
weigh as much as the busiest one), so the report asks this module for the true percentile of every
period, with the very definition of a waiting time the daily figures use (`visit_rules.waiting_minutes`,
bad records left out). A period without a measured wait has no value ("keine Daten"), not 0.
"""

from datetime import date

import polars as pl

from workstation import db
from workstation.services.metrics import load, visit_rules


def wait_percentiles(office_id: int, first: date, last: date, period: pl.Expr | None, area: str = "") -> pl.DataFrame:
    """Columns `period` (when `period` groups by day, week or month; absent for the whole range), `median`, `p90`.

    `period` is an expression over the column `day` (as the report's grains are); None gives one row.
    """
    visits = load.visit_times(db.engine(), office_id, first, last)
    if area:
        visits = visits.filter(pl.col("area") == area)
    waits = visits.select(
        visit_rules.local_day(pl.coalesce("slot_start", "checked_in_at")).alias("day"),
        visit_rules.waiting_minutes().alias("wait"),
    ).drop_nulls("wait")
    aggs = [pl.col("wait").median().alias("median"), pl.col("wait").quantile(0.9, "linear").alias("p90")]
    if period is None:
        return waits.select(aggs) if waits.height else pl.DataFrame({"median": [None], "p90": [None]},
                                                                    schema={"median": pl.Float64, "p90": pl.Float64})
    return waits.group_by(period.alias("period")).agg(aggs).sort("period")
