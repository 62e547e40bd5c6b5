"""Daily controlling figures: compute them from the office's records, store them, read them back.

Definitions: docs/metrics.md. `refresh` is what the nightly job and the command call; the controlling
page reads `figures`. The briefing board reads the stored rows of the last office day, and before the
nightly job has stored that day it runs `compute_range` for it: these are the only day figures there are.
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from workstation import clock, db
from workstation.config import settings
from workstation.models.metrics import MetricName
from workstation.services.metrics import compute, load, store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshReport:
    """What one computation did: the days covered, rows stored, and bad records found per office day."""

    first: date
    last: date
    rows: int
    bad_records: dict[tuple[date, int], int] = field(default_factory=dict)


def compute_range(first: date, last: date, office_ids: Collection[int] | None = None) -> pl.DataFrame:
    """All figures of the Berlin days `first`..`last` (of every office, or of `office_ids`), without storing them."""
    raw = load.load(db.engine(), first, last, compute.UNCOLLECTED_AFTER_DAYS, office_ids)
    return compute.compute_all(raw, settings().full_time_weekly_hours)


def refresh(first: date, last: date, office_ids: Collection[int] | None = None) -> RefreshReport:
    """Compute and store the figures of `first`..`last`, replacing what was stored for those days.

    With `office_ids` only those offices are computed and replaced; the other offices' stored figures stay.

    Only finished days are stored: today and later days are still changing, so a range reaching into
    them is cut at yesterday (a range that is all today or later stores nothing).
    """
    if last < first:
        raise ValueError("Das Enddatum liegt vor dem Anfangsdatum.")
    last = min(last, clock.today() - timedelta(days=1))
    if last < first:
        log.warning("metrics %s: today and later days are not final and are not computed", first)
        return RefreshReport(first, first - timedelta(days=1), 0)
    figures = compute_range(first, last, office_ids)
    with db.session_scope() as session:
        rows = store.replace_days(session, first, last, figures, clock.now(), office_ids)
    bad = figures.filter((pl.col("metric") == MetricName.BAD_RECORDS) & (pl.col("area") == "")
                         & (pl.col("value") > 0))
    report = RefreshReport(first, last, rows, {(r["day"], r["office_id"]): int(r["value"]) for r in bad.to_dicts()})
    for (day, office_id), count in sorted(report.bad_records.items()):
        log.warning("metrics %s office %s: %d bad records left out of the figures", day, office_id, count)
    return report


def missing_days(until: date, lookback_days: int) -> list[date]:
    """Days in the `lookback_days` before and including `until` without stored figures."""
    first = until - timedelta(days=lookback_days - 1)
    with db.session_scope() as session:
        have = store.stored_days(session, first, until)
    return [first + timedelta(days=i) for i in range(lookback_days) if first + timedelta(days=i) not in have]


def figures(first: date, last: date, office_id: int | None = None) -> pl.DataFrame:
    """Stored figures of a day range (long format) for the controlling page and exports."""
    with db.session_scope() as session:
        return store.read_figures(session, first, last, office_id)


def day_figures(day: date, office_id: int) -> dict[str, float]:
    """One office day's stored office totals by metric name ({} when the day was not computed yet)."""
    rows = figures(day, day, office_id).filter((pl.col("area") == "") & (pl.col("service_code") == ""))
    return dict(zip(rows["metric"].to_list(), rows["value"].to_list(), strict=True))
