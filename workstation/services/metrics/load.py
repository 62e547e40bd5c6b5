"""Read the raw records behind the daily figures into polars frames.

Timestamps (naive UTC) and dates leave the database as ISO text and polars parses them: cheaper than
converting in SQL, and SQLite and PostgreSQL yield the same frames. A second SQLite library inside the
process (ADBC, connectorx) would break SQLite's file locks and read stale data (tried: it did), so
rows come through the app's own connection or, for the big tables, the `sqlite3` shell. On PostgreSQL
every table comes through the app's own connection as COPY text, which polars parses.
"""

import io
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy.engine import Engine

from workstation import clock
from workstation.models.enums import TaskType

_NULL = "\\N"
_SEP = "\x1f"
_STORED = "%Y-%m-%d %H:%M:%S.%6f"  # SQLAlchemy's storage form of naive datetimes on SQLite
_SHELL_CHUNK_IDS = 2_000_000
# SQLite maps at most this much of the file (its compile-time cap); mapped pages need no read() copies.
_SHELL_MMAP_BYTES = 2_147_418_112
# Shell output goes to a private file here when the machine has a RAM-backed /dev/shm: polars maps it,
# no pipe copies. Removed as soon as it is parsed.
_SHM = "/dev/shm"
_BATCH_ROWS = 200_000  # rows held as Python tuples at a time (a decade of a city would not fit otherwise)


@dataclass(frozen=True)
class RawData:
    """Everything the figures of the days `first`..`last` (Berlin calendar days) are computed from."""

    first: date
    last: date
    offices: pl.DataFrame
    services: pl.DataFrame
    visits: pl.DataFrame
    concerns: pl.DataFrame
    lead_times: pl.DataFrame
    tasks: pl.DataFrame
    applications: pl.DataFrame
    online: pl.DataFrame
    feedback: pl.DataFrame
    staff: pl.DataFrame


def _text(column: str, dialect: str) -> str:
    """A timestamp column as it leaves the database: SQLite keeps text `YYYY-MM-DD HH:MM:SS.ffffff`;
    PostgreSQL sends epoch milliseconds, which polars takes as they are (formatting every value with
    `to_char` doubled the read, and parsing ISO text cost more than the transfer)."""
    if dialect == "postgresql":
        return f"floor(date_part('epoch', {column}) * 1000)::bigint"
    return column


def _date_text(column: str, dialect: str) -> str:
    """A date column as it leaves the database: ISO text from SQLite, days since 1970 from PostgreSQL."""
    return column if dialect == "sqlite" else f"({column} - DATE '1970-01-01')"


def _literal(value: datetime) -> str:
    """A timestamp literal comparable with the stored column on both databases (values are ours, not input)."""
    return f"'{value.strftime('%Y-%m-%d %H:%M:%S.%f')}'"


_OTHER_FORMS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def _date(column: str, dtype: pl.DataType) -> pl.Expr:
    """Days since 1970 (PostgreSQL) or ISO text (SQLite) → date."""
    if dtype.is_integer():
        return pl.col(column).cast(pl.Int32).cast(pl.Date)
    return pl.col(column).str.to_date("%Y-%m-%d", strict=False)


def _time(column: str, dtype: pl.DataType) -> pl.Expr:
    """Epoch milliseconds (PostgreSQL) or the stored text form (SQLite) → datetime."""
    if dtype.is_integer():
        return pl.col(column).cast(pl.Datetime("ms"))
    return pl.col(column).str.to_datetime(_STORED, time_unit="ms", strict=False, cache=False)


def _parse(df: pl.DataFrame, times: tuple[str, ...], dates: tuple[str, ...]) -> pl.DataFrame:
    """Timestamps and text dates → datetimes and dates: the stored form first (fast), other forms of ours
    as a fallback.

    A value that is none of them ("n/a", an ISO text with "T" written by another program) becomes
    null, and the row's `malformed` flag says so: the figures count it as a bad record and leave its
    times out, instead of one stray value stopping the whole night's computation.
    """
    fast = df.with_columns(
        *(_time(c, df[c].dtype) for c in times),
        *(_date(c, df[c].dtype) for c in dates),
    )
    other = [c for c in times if fast[c].null_count() != df[c].null_count()]
    parsed = fast.with_columns(
        pl.coalesce(
            fast[c], *(df[c].str.to_datetime(form, time_unit="ms", strict=False) for form in _OTHER_FORMS)
        ).alias(c)
        for c in other
    )
    if not times and not dates:
        return parsed
    broken = [df[c].is_not_null() & parsed[c].is_null() for c in (*times, *dates)]
    return parsed.with_columns(pl.any_horizontal(broken).alias("malformed"))


def _copy_text(source, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """PostgreSQL's COPY text: tab-separated, NULL as \\N, empty text stays empty (our columns hold no tabs)."""
    return pl.read_csv(source, has_header=False, separator="\t", quote_char=None, new_columns=list(schema),
                       schema=schema, null_values=_NULL, empty_string_is_null=False)


class _Source:
    """Runs the load queries; big SQLite tables go through the `sqlite3` shell when it is installed, and
    PostgreSQL tables through `psql` (else through the app's connection), both as COPY-like text.

    The DBAPI cursor turns every value into a Python object, which dominates on millions of rows. The
    shell (a separate process, so SQLite's locking stays intact) writes delimited text in C, polars parses it in
    Rust, and two id ranges are read at a time. Queries mark where the id range goes with `{ids}`.
    `psql` does the same for PostgreSQL: the per-row work of COPY stays out of this process's GIL, so the
    tables read in parallel threads really run in parallel. Every call uses its own connection.
    """

    def __init__(self, eng: Engine) -> None:
        self.eng = eng
        self.dialect = eng.dialect.name
        self.shell = shutil.which("sqlite3") if self.dialect == "sqlite" else None
        self.psql = shutil.which("psql") if self.dialect == "postgresql" else None
        self.path = eng.url.database
        # One shell and its parse per core at a time, across all tables read in parallel: more only
        # competes for the same two cores and holds more output at once.
        self.slots = threading.Semaphore(os.cpu_count() or 2)

    def frame(self, sql: str, schema: dict[str, pl.DataType], times: tuple[str, ...] = (),
              dates: tuple[str, ...] = (), table: str | None = None) -> pl.DataFrame:
        """Run a query into a frame of the given columns; `times`/`dates` arrive as ISO text and are parsed here."""
        def parse(part: pl.DataFrame) -> pl.DataFrame:
            return _parse(part, times, dates)

        if self.shell and table:
            with self.eng.connect() as conn:
                low, high = conn.exec_driver_sql(f"SELECT min(id), max(id) FROM {table}").one()
            ranges = [] if low is None else [(a, min(a + _SHELL_CHUNK_IDS - 1, high))
                                              for a in range(low, high + 1, _SHELL_CHUNK_IDS)]
            with ThreadPoolExecutor(2) as pool:
                parts = list(pool.map(lambda r: self._shell(sql.format(ids=f"{table}.id BETWEEN {r[0]} AND {r[1]}"),
                                                            schema, parse), ranges))
        elif self.dialect == "postgresql":
            wire = {c: pl.Int64 if c in times or c in dates else t for c, t in schema.items()}  # see _text
            copy = self._psql_copy if self.psql and table else self._pg_copy  # a process per big table only
            parts = [copy(sql.format(ids="1 = 1"), wire, parse)]
        else:
            parts = self._cursor(sql.format(ids="1 = 1"), schema, parse)
        return pl.concat([parse(pl.DataFrame(schema=schema)), *parts], rechunk=True)

    def _pg_copy(self, sql: str, schema: dict[str, pl.DataType], parse: Callable) -> pl.DataFrame:
        """PostgreSQL writes the rows as COPY text (in C, tab-separated, NULL as \\N; times and dates as numbers)
        and polars parses them: the cursor would build a Python tuple of objects per row."""
        out = io.BytesIO()
        with self.eng.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                    for block in copy:
                        out.write(block)
            finally:
                cursor.close()
        out.seek(0)
        return parse(_copy_text(out, schema)) if out.getbuffer().nbytes else parse(pl.DataFrame(schema=schema))

    def _psql_copy(self, sql: str, schema: dict[str, pl.DataType], parse: Callable) -> pl.DataFrame:
        """The same COPY run by `psql` into a private file (RAM disk when there is one) that polars maps."""
        url = self.eng.url.set(drivername="postgresql")
        env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
        target = url.set(password=None).render_as_string(hide_password=False)
        folder = _SHM if os.access(_SHM, os.W_OK) else None
        with self.slots, tempfile.NamedTemporaryFile(dir=folder, prefix="ws-metrics-", suffix=".txt") as out:
            subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-c",
                            f"COPY ({sql}) TO STDOUT"], stdout=out, stderr=subprocess.PIPE, env=env, check=True)
            if os.path.getsize(out.name) == 0:
                return parse(pl.DataFrame(schema=schema))
            return parse(_copy_text(out.name, schema))

    def _cursor(self, sql: str, schema: dict[str, pl.DataType], parse: Callable) -> list[pl.DataFrame]:
        parts = []
        with self.eng.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(sql)
                while rows := cursor.fetchmany(_BATCH_ROWS):
                    parts.append(parse(pl.DataFrame(rows, schema=schema, orient="row")))
            finally:
                cursor.close()
        return parts

    def _shell(self, sql: str, schema: dict[str, pl.DataType], parse: Callable) -> pl.DataFrame:
        # List mode with a unit separator: no CSV quoting to write or read (the selected text columns are
        # codes and timestamps, which hold neither separator nor line breaks).
        folder = _SHM if os.access(_SHM, os.W_OK) else None
        with self.slots, tempfile.NamedTemporaryFile(dir=folder, prefix="ws-metrics-", suffix=".txt") as out:
            subprocess.run([self.shell, "-readonly", "-bail", "-list", "-separator", _SEP, "-noheader", "-nullvalue",
                            _NULL, "-cmd", ".output /dev/null", "-cmd", f"PRAGMA mmap_size={_SHELL_MMAP_BYTES}",
                            "-cmd", f'.output "{out.name}"', self.path, sql],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
            if os.path.getsize(out.name) == 0:
                return parse(pl.DataFrame(schema=schema))
            return parse(pl.read_csv(out.name, has_header=False, separator=_SEP, quote_char=None,
                                     new_columns=list(schema), schema=schema, null_values=_NULL))


_I, _S, _T, _C = pl.Int64, pl.String, pl.String, pl.Categorical  # codes of millions of rows: categorical


def flag_sorted(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The frame with `column` flagged as ascending when it is (records load in id order).

    Grouping and joining on a flagged column takes slices instead of hashing: on a decade of a city the
    planned minutes per visit take 0.6 s instead of 2.8 s, their join 0.06 s instead of 2 s.
    """
    return frame.with_columns(pl.col(column).set_sorted()) if frame[column].is_sorted() else frame
_VISIT_TIMES = ("booked_at", "slot_start", "cancelled_at", "checked_in_at", "called_at", "started_at", "finished_at",
                "no_show_at")


def load(eng: Engine, first: date, last: date, uncollected_days: int,
         office_ids: Collection[int] | None = None) -> RawData:
    """Read the records that decide the figures of the Berlin days `first`..`last` (inclusive).

    With `office_ids` only those offices' records are read (a change in one office of a city recomputes
    that office alone).

    Visits count on the day of their booked slot, walk-ins on the day they checked in; the lead time
    comes from the engine's recorded first free times (`lead_time`). Pickups are read back to
    `uncollected_days` before the range (documents still waiting count every day). Back-office cases and
    applications (and on PostgreSQL the concerns) are read in the background while the visits load (each
    table in its own read; past days do not change meanwhile).
    """
    d = eng.dialect.name
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    s, e = _literal(start), _literal(end)
    src = _Source(eng)
    only = "" if office_ids is None else f" AND office_id IN ({', '.join(str(int(i)) for i in office_ids) or 'NULL'})"
    visit_in_range = (f"((slot_start >= {s} AND slot_start < {e}) OR "
                      f"(slot_start IS NULL AND checked_in_at >= {s} AND checked_in_at < {e})){only}")
    concern_schema = {"visit_id": _I, "service_id": _I}
    with ThreadPoolExecutor(3) as background:
        # PostgreSQL joins the concerns to the range's visits itself, so they are read beside the visits.
        joined = background.submit(
            src.frame, "SELECT c.visit_id, c.service_id FROM concern c JOIN visit ON visit.id = c.visit_id "
            f"WHERE {{ids}} AND {visit_in_range} ORDER BY c.visit_id", concern_schema, table="concern",
        ) if d == "postgresql" else None
        tasks = background.submit(
            src.frame,
            f"SELECT office_id, CASE WHEN type = '{TaskType.CITIZEN_EMAIL.value}' THEN 1 ELSE 0 END, "
            f"{_text('created_at', d)}, {_text('closed_at', d)}, "
            f"{_date_text('due_date', d)} FROM backofficetask "
            f"WHERE {{ids}} AND created_at < {e} AND (closed_at IS NULL OR closed_at >= {s}){only}",
            {"office_id": _I, "email": _I, "created_at": _T, "closed_at": _T, "due_date": _T},
            times=("created_at", "closed_at"),
            dates=("due_date",),
            table="backofficetask",
        )
        pickup_from = _literal(start - timedelta(days=uncollected_days + 1))
        app_ts = ("arrived_at", "notified_at", "handed_over_at", "status_at")
        applications = background.submit(
            src.frame,
            "SELECT office_id, doc_type, status, "
            + ", ".join(_text(c, d) for c in app_ts)
            + f" FROM documentapplication WHERE {{ids}} AND arrived_at IS NOT NULL AND arrived_at < {e} "
            f"AND (handed_over_at IS NULL OR handed_over_at >= {pickup_from}){only}",
            {"office_id": _I, "doc_type": _C, "status": _C} | dict.fromkeys(app_ts, _T),
            times=app_ts,
            table="documentapplication",
        )
        offices = src.frame(f"SELECT id FROM office WHERE 1 = 1{only.replace('office_id', 'id')}", {"office_id": _I})
        services = src.frame("SELECT id, code, area, planned_minutes FROM service",
                             {"service_id": _I, "service_code": _S, "service_area": _S, "planned_minutes": _I})
        visits = flag_sorted(src.frame(
            "SELECT id, office_id, kind, status, area, "
            + ", ".join(_text(c, d) for c in _VISIT_TIMES)
            + f" FROM visit WHERE {{ids}} AND {visit_in_range}",
            {"visit_id": _I, "office_id": _I, "kind": _C, "status": _C, "area": _C} | dict.fromkeys(_VISIT_TIMES, _T),
            times=_VISIT_TIMES,
            table="visit",
        ), "visit_id")
        if joined is None:
            low, high = (visits["visit_id"].min(), visits["visit_id"].max()) if visits.height else (0, -1)
            concern_rows = src.frame(f"SELECT visit_id, service_id FROM concern WHERE {{ids}} AND visit_id "
                                     f"BETWEEN {low} AND {high}", concern_schema, table="concern")
        else:
            concern_rows = joined.result()
        concerns = flag_sorted(concern_rows, "visit_id").join(
            visits.select("visit_id"), on="visit_id", how="semi").join(
            services.select("service_id", "planned_minutes"), on="service_id")
        lead_times = src.frame(
            f"SELECT office_id, area, {_date_text('day', d)}, lead_days FROM leadtimerecord "
            f"WHERE day >= '{first.isoformat()}' AND day <= '{last.isoformat()}'{only}",
            {"office_id": _I, "area": _S, "day": _T, "lead_days": _I},
            dates=("day",),
        )
        online = src.frame(
            f"SELECT office_id, area, {_text('completed_at', d)} FROM onlineservicerecord "
            f"WHERE completed_at >= {s} AND completed_at < {e}{only}",
            {"office_id": _I, "area": _S, "completed_at": _T},
            times=("completed_at",),
        )
        feedback = src.frame(
            f"SELECT office_id, area, {_text('at', d)}, score, CASE WHEN complaint THEN 1 ELSE 0 END "
            f"FROM feedbackentry WHERE at >= {s} AND at < {e}{only}",
            {"office_id": _I, "area": _S, "at": _T, "score": _I, "complaint": _I},
            times=("at",),
        )
        staff = src.frame(
            f"SELECT c.office_id, {_date_text('a.day', d)}, COUNT(DISTINCT a.user_id), SUM(u.weekly_hours) "
            "FROM staffassignment a JOIN counter c ON c.id = a.counter_id JOIN staffuser u ON u.id = a.user_id "
            f"WHERE c.kind IN ('regular', 'dealer') AND a.day >= '{first.isoformat()}' "
            f"AND a.day <= '{last.isoformat()}'{only.replace('office_id', 'c.office_id')} GROUP BY c.office_id, a.day",
            {"office_id": _I, "day": _T, "staff": _I, "weekly_hours": pl.Float64},
            dates=("day",),
        )
        tasks_frame, applications_frame = tasks.result(), applications.result()
    return RawData(first, last, offices, services.drop("planned_minutes"), visits, concerns, lead_times,
                   tasks_frame, applications_frame, online, feedback, staff)


def visit_times(eng: Engine, office_id: int, first: date, last: date) -> pl.DataFrame:
    """One office's visits of the Berlin days `first`..`last` with their area and times (for a period's
    true waiting-time percentiles, which cannot be derived from daily percentiles)."""
    d = eng.dialect.name
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    s, e = _literal(start), _literal(end)
    return _Source(eng).frame(
        "SELECT area, " + ", ".join(_text(c, d) for c in _VISIT_TIMES)
        + f" FROM visit WHERE office_id = {int(office_id)} AND ((slot_start >= {s} AND slot_start < {e}) OR "
        f"(slot_start IS NULL AND checked_in_at >= {s} AND checked_in_at < {e}))",
        {"area": _S} | dict.fromkeys(_VISIT_TIMES, _T),
        times=_VISIT_TIMES,
    )

