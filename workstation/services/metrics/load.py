"""Read the raw records behind the daily figures into polars frames.

Timestamps (naive UTC) and dates leave the database as ISO text and polars parses them: cheaper than
converting in SQL, and SQLite and PostgreSQL yield the same frames. Rows come through the app's own
connection: a second SQLite library in the process (ADBC, connectorx) would break SQLite's file locks
and read stale data (tried: it did).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy.engine import Connection, Engine

from workstation import clock

_BATCH_ROWS = 200_000  # rows held as Python tuples at a time (a decade of a city would not fit otherwise)


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


def _text(column: str, dialect: str) -> str:
    """A timestamp or date column as ISO text (SQLite stores it so; PostgreSQL formats it the same way)."""
    return column if dialect == "sqlite" else f"CAST({column} AS TEXT)"


def _literal(value: datetime) -> str:
    """A timestamp literal comparable with the stored column on both databases (values are ours, not input)."""
    return f"'{value.strftime('%Y-%m-%d %H:%M:%S.%f')}'"


def _frame(conn: Connection, sql: str, schema: dict[str, pl.DataType], times: tuple[str, ...] = (),
           dates: tuple[str, ...] = ()) -> pl.DataFrame:
    """Run a query into a frame of the given columns; `times`/`dates` arrive as ISO text and are parsed here.

    The raw DBAPI cursor and row-oriented construction are several times faster than going through
    SQLAlchemy's result rows, which matters on a decade of a city.
    """
    cursor = conn.connection.dbapi_connection.cursor()
    parts = [pl.DataFrame(schema=schema)]
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_BATCH_ROWS):
            parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts).with_columns(
        *(pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="ms") for c in times),
        *(pl.col(c).str.to_date("%Y-%m-%d") for c in dates),
    )


_I, _S, _T = pl.Int64, pl.String, pl.String
_VISIT_TIMES = ("booked_at", "slot_start", "cancelled_at", "checked_in_at", "called_at", "started_at", "finished_at",
                "no_show_at")


def load(eng: Engine, first: date, last: date, horizon_days: int, uncollected_days: int) -> RawData:
    """Read the records that decide the figures of the Berlin days `first`..`last` (inclusive).

    Visits count on the day of their booked slot, walk-ins on the day they checked in. Appointments are
    read `horizon_days` beyond the range (the lead time looks ahead); pickups back to `uncollected_days`
    before it (documents still waiting count every day).
    """
    d = eng.dialect.name
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    s, e = _literal(start), _literal(end)
    horizon_end = _literal(clock.local_day_bounds(last + timedelta(days=horizon_days))[1])
    with eng.connect() as conn:
        offices = _frame(conn, "SELECT id FROM office", {"office_id": _I})
        services = _frame(conn, "SELECT id, code, area, planned_minutes FROM service",
                          {"service_id": _I, "service_code": _S, "service_area": _S, "planned_minutes": _I})
        ahead = _frame(
            conn,
            "SELECT id, office_id, kind, status, area, "
            + ", ".join(_text(c, d) for c in _VISIT_TIMES)
            + f" FROM visit WHERE (slot_start >= {s} AND slot_start < {horizon_end}) OR "
            f"(slot_start IS NULL AND checked_in_at >= {s} AND checked_in_at < {e})",
            {"visit_id": _I, "office_id": _I, "kind": _S, "status": _S, "area": _S} | dict.fromkeys(_VISIT_TIMES, _T),
            times=_VISIT_TIMES,
        )
        visits = ahead.filter(pl.coalesce("slot_start", "checked_in_at") < end)
        bookings = ahead.filter(pl.col("kind") == "appointment").select(
            "office_id", "area", "booked_at", "cancelled_at", "slot_start")
        low, high = (visits["visit_id"].min(), visits["visit_id"].max()) if visits.height else (0, -1)
        concerns = _frame(
            conn, f"SELECT visit_id, service_id FROM concern WHERE visit_id BETWEEN {low} AND {high}",
            {"visit_id": _I, "service_id": _I},
        ).join(visits.select("visit_id"), on="visit_id", how="semi").join(services, on="service_id").drop(
            "service_id")
        capacity = _frame(conn, "SELECT office_id, area, weekday, slots FROM bookingcapacity",
                          {"office_id": _I, "area": _S, "weekday": _I, "slots": _I})
        tasks = _frame(
            conn,
            f"SELECT office_id, type, {_text('created_at', d)}, {_text('closed_at', d)}, "
            f"{_text('due_date', d)} FROM backofficetask "
            f"WHERE created_at < {e} AND (closed_at IS NULL OR closed_at >= {s})",
            {"office_id": _I, "type": _S, "created_at": _T, "closed_at": _T, "due_date": _T},
            times=("created_at", "closed_at"),
            dates=("due_date",),
        )
        pickup_from = _literal(start - timedelta(days=uncollected_days + 1))
        app_ts = ("arrived_at", "notified_at", "handed_over_at", "status_at")
        applications = _frame(
            conn,
            "SELECT office_id, doc_type, status, "
            + ", ".join(_text(c, d) for c in app_ts)
            + f" FROM documentapplication WHERE arrived_at IS NOT NULL AND arrived_at < {e} "
            f"AND (handed_over_at IS NULL OR handed_over_at >= {pickup_from})",
            {"office_id": _I, "doc_type": _S, "status": _S} | dict.fromkeys(app_ts, _T),
            times=app_ts,
        )
        online = _frame(
            conn,
            f"SELECT office_id, area, {_text('completed_at', d)} FROM onlineservicerecord "
            f"WHERE completed_at >= {s} AND completed_at < {e}",
            {"office_id": _I, "area": _S, "completed_at": _T},
            times=("completed_at",),
        )
        feedback = _frame(
            conn,
            f"SELECT office_id, area, {_text('at', d)}, score, CASE WHEN complaint THEN 1 ELSE 0 END "
            f"FROM feedbackentry WHERE at >= {s} AND at < {e}",
            {"office_id": _I, "area": _S, "at": _T, "score": _I, "complaint": _I},
            times=("at",),
        )
        staff = _frame(
            conn,
            f"SELECT c.office_id, {_text('a.day', d)}, COUNT(DISTINCT a.user_id) "
            "FROM staffassignment a JOIN counter c ON c.id = a.counter_id "
            f"WHERE c.kind IN ('regular', 'dealer') AND a.day >= '{first.isoformat()}' "
            f"AND a.day <= '{last.isoformat()}' GROUP BY c.office_id, a.day",
            {"office_id": _I, "day": _T, "staff": _I},
            dates=("day",),
        )
    return RawData(first, last, offices, visits, concerns, bookings, capacity, tasks, applications, online,
                   feedback, staff)
