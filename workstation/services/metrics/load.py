"""Read the raw records behind the daily figures into polars frames.

Timestamps leave the database as integer milliseconds since the epoch (naive UTC) and dates as days
since the epoch: the database parses its own format, the transfer carries plain integers, and SQLite
and PostgreSQL yield the same frames. Rows come through the app's own SQLAlchemy connection: a second
SQLite library in the process (ADBC, connectorx) would break SQLite's file locks and read stale data.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy.engine import Connection, Engine

from workstation import clock

_MS = "ms"


@dataclass(frozen=True)
class RawData:
    """Everything the figures of the days `first`..`last` (Berlin calendar days) are computed from."""

    first: date
    last: date
    offices: pl.DataFrame
    visits: pl.DataFrame
    concerns: pl.DataFrame
    bookings: pl.DataFrame
    capacity: pl.DataFrame
    tasks: pl.DataFrame
    applications: pl.DataFrame
    online: pl.DataFrame
    feedback: pl.DataFrame
    staff: pl.DataFrame


def _epoch_ms(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(ROUND((julianday({column}) - 2440587.5) * 86400000) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) * 1000 AS BIGINT)"


def _epoch_days(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _literal(value: datetime) -> str:
    """A timestamp literal comparable with the stored column on both databases (values are ours, not input)."""
    return f"'{value.strftime('%Y-%m-%d %H:%M:%S.%f')}'"


@contextmanager
def _reader(eng: Engine) -> Iterator[Connection]:
    with eng.connect() as conn:
        yield conn


def _frame(conn: Connection, sql: str, times: tuple[str, ...] = (), dates: tuple[str, ...] = (),
           schema: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    """Run a query into a frame; columns not named in `schema` are integers (ids, counts, epoch values)."""
    df = pl.read_database(sql, conn, schema_overrides={c: pl.Int64 for c in (*times, *dates)} | (schema or {}))
    return df.with_columns(
        *(pl.col(c).cast(pl.Int64) for c, t in df.schema.items() if t == pl.Null),
    ).with_columns(
        *(pl.from_epoch(pl.col(c), _MS) for c in times),
        *(pl.col(c).cast(pl.Int32).cast(pl.Date) for c in dates),
    )


def load(eng: Engine, first: date, last: date, horizon_days: int, uncollected_days: int) -> RawData:
    """Read the records that decide the figures of the Berlin days `first`..`last` (inclusive).

    Visits count on the day of their booked slot, walk-ins on the day they checked in. Bookings are read
    `horizon_days` beyond the range (the lead time looks ahead); pickups back to `uncollected_days`
    before it (documents still waiting count every day).
    """
    d = eng.dialect.name
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    s, e = _literal(start), _literal(end)
    horizon_end = _literal(clock.local_day_bounds(last + timedelta(days=horizon_days))[1])
    ts = ("booked_at", "slot_start", "cancelled_at", "checked_in_at", "called_at", "started_at", "finished_at",
          "no_show_at")
    in_range = (f"((v.slot_start >= {s} AND v.slot_start < {e}) OR "
                f"(v.slot_start IS NULL AND v.checked_in_at >= {s} AND v.checked_in_at < {e}))")
    with _reader(eng) as conn:
        offices = _frame(conn, "SELECT id AS office_id FROM office")
        visits = _frame(
            conn,
            "SELECT v.id AS visit_id, v.office_id, v.kind, v.status, v.area, "
            + ", ".join(f"{_epoch_ms('v.' + c, d)} AS {c}" for c in ts)
            + f" FROM visit v WHERE {in_range}",
            times=ts,
            schema={"kind": pl.String, "status": pl.String, "area": pl.String},
        )
        concerns = _frame(
            conn,
            "SELECT c.visit_id, s.code AS service_code, s.area AS service_area, s.planned_minutes "
            f"FROM concern c JOIN service s ON s.id = c.service_id JOIN visit v ON v.id = c.visit_id WHERE {in_range}",
            schema={"service_code": pl.String, "service_area": pl.String, "planned_minutes": pl.Int64},
        )
        bookings = _frame(
            conn,
            f"SELECT office_id, area, {_epoch_ms('booked_at', d)} AS booked_at, "
            f"{_epoch_ms('cancelled_at', d)} AS cancelled_at, {_epoch_ms('slot_start', d)} AS slot_start "
            f"FROM visit WHERE kind = 'appointment' AND slot_start >= {s} AND slot_start < {horizon_end}",
            times=("booked_at", "cancelled_at", "slot_start"),
            schema={"area": pl.String},
        )
        capacity = _frame(conn, "SELECT office_id, area, weekday, slots FROM bookingcapacity",
                          schema={"area": pl.String, "weekday": pl.Int64, "slots": pl.Int64})
        tasks = _frame(
            conn,
            f"SELECT office_id, type, {_epoch_ms('created_at', d)} AS created_at, "
            f"{_epoch_ms('closed_at', d)} AS closed_at, {_epoch_days('due_date', d)} AS due_date FROM backofficetask "
            f"WHERE created_at < {e} AND (closed_at IS NULL OR closed_at >= {s})",
            times=("created_at", "closed_at"),
            dates=("due_date",),
            schema={"type": pl.String},
        )
        pickup_from = _literal(start - timedelta(days=uncollected_days + 1))
        app_ts = ("arrived_at", "notified_at", "handed_over_at", "status_at")
        applications = _frame(
            conn,
            "SELECT office_id, doc_type, status, "
            + ", ".join(f"{_epoch_ms(c, d)} AS {c}" for c in app_ts)
            + f" FROM documentapplication WHERE arrived_at IS NOT NULL AND arrived_at < {e} "
            f"AND (handed_over_at IS NULL OR handed_over_at >= {pickup_from})",
            times=app_ts,
            schema={"doc_type": pl.String, "status": pl.String},
        )
        online = _frame(
            conn,
            f"SELECT office_id, area, {_epoch_ms('completed_at', d)} AS completed_at FROM onlineservicerecord "
            f"WHERE completed_at >= {s} AND completed_at < {e}",
            times=("completed_at",),
            schema={"area": pl.String},
        )
        feedback = _frame(
            conn,
            f"SELECT office_id, area, {_epoch_ms('at', d)} AS at, score, "
            f"CASE WHEN complaint THEN 1 ELSE 0 END AS complaint FROM feedbackentry WHERE at >= {s} AND at < {e}",
            times=("at",),
            schema={"area": pl.String, "score": pl.Int64, "complaint": pl.Int64},
        )
        staff = _frame(
            conn,
            f"SELECT c.office_id, {_epoch_days('a.day', d)} AS day, COUNT(DISTINCT a.user_id) AS staff "
            "FROM staffassignment a JOIN counter c ON c.id = a.counter_id "
            f"WHERE c.kind IN ('regular', 'dealer') AND a.day >= '{first.isoformat()}' "
            f"AND a.day <= '{last.isoformat()}' GROUP BY c.office_id, a.day",
            dates=("day",),
            schema={"staff": pl.Int64},
        )
    return RawData(first, last, offices, visits, concerns, bookings, capacity, tasks, applications, online,
                   feedback, staff)
