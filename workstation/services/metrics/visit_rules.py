"""What a visit's day, waiting time and service time are, and when a visit is a bad record.

The daily figures (`compute`), a period's true percentiles (`period_waits`) and the briefing board's list
of long waits (`services/briefing/visit_times.py`) all apply these very expressions, so they never disagree.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import polars as pl

from workstation import clock


@lru_cache(maxsize=16)
def _day_marks(first: date, last: date, hour: int) -> tuple[pl.Series, pl.Series]:
    """Days `first`..`last` and the UTC instant of `hour`:00 Berlin time on each (sorted)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    marks = [clock.to_utc(datetime(d.year, d.month, d.day, hour)) for d in days]
    return pl.Series(days, dtype=pl.Date), pl.Series(marks, dtype=pl.Datetime("ms"))


def days_by_marks(ts: pl.Series, hour: int, at_or_after: bool) -> pl.Series:
    """For each instant, the Berlin day whose `hour`:00 is the last at or before it (or the first at or after it)."""
    valid = ts.drop_nulls()
    if valid.is_empty():
        return pl.Series(ts.name, [None] * len(ts), dtype=pl.Date)
    days, marks = _day_marks(valid.min().date() - timedelta(days=2), valid.max().date() + timedelta(days=2), hour)
    ms = ts.cast(pl.Datetime("ms"))
    found = ms.fill_null(marks[0])
    index = marks.search_sorted(found, side="left") if at_or_after else marks.search_sorted(found, side="right") - 1
    return pl.select(pl.when(ms.is_not_null()).then(days.gather(index))).to_series().alias(ts.name)


def local_day(expr: pl.Expr) -> pl.Expr:
    """The Berlin calendar day of a naive-UTC timestamp.

    Found by binary search among the UTC instants at which Berlin days begin (`clock.to_utc` of midnight),
    which equals converting every value to Europe/Berlin but skips a time-zone lookup per value: several
    seconds on a decade of a city.
    """
    return expr.map_batches(lambda ts: days_by_marks(ts, 0, at_or_after=False), return_dtype=pl.Date)


def _minutes(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_milliseconds() / 60_000


# The per-visit definitions below are also applied to single visits by the briefing board
# (`services/visit_times.py`), so that its list of long waits and overruns uses these very expressions.
VISIT_TIME_COLUMNS = ("slot_start", "checked_in_at", "called_at", "started_at", "finished_at")


MAX_SPAN_HOURS = 12
"""No office day is longer: a wait or a service beyond it spans days (a call the next morning), not a wait."""


def bad_visit() -> pl.Expr:
    """A bad record: a timestamp that could not be read, called before checked in, finished before started,
    or a wait or service longer than an office day (its times enter no average)."""
    span = timedelta(hours=MAX_SPAN_HOURS)
    return (pl.col("malformed").fill_null(False)
            | (pl.col("called_at") < pl.col("checked_in_at")).fill_null(False)
            | (pl.col("finished_at") < pl.col("started_at")).fill_null(False)
            | (pl.col("called_at") - pl.col("checked_in_at") > span).fill_null(False)
            | (pl.col("finished_at") - pl.col("started_at") > span).fill_null(False))


def waiting_minutes() -> pl.Expr:
    """called − max(checked in, slot start) for booked visits, − checked in otherwise; an early call is 0.

    Null when not both recorded, and for a bad record.
    """
    booked = pl.col("slot_start").is_not_null()
    wait_from = pl.when(booked).then(pl.max_horizontal("checked_in_at", "slot_start")).otherwise(
        pl.col("checked_in_at"))
    return pl.when(~bad_visit()).then(_minutes(pl.col("called_at"), wait_from).clip(lower_bound=0))


def service_minutes() -> pl.Expr:
    """finished − started; null when not both recorded, and for a bad record."""
    return pl.when(~bad_visit()).then(_minutes(pl.col("finished_at"), pl.col("started_at")))


def served() -> pl.Expr:
    """A contact served: the visit has a finish time (a dealer batch is one contact)."""
    return pl.col("finished_at").is_not_null()
