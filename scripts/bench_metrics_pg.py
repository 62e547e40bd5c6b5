"""PostgreSQL side of `bench_metrics.py`: the same synthetic records in a PostgreSQL database, and the SQL
baseline written for PostgreSQL.

The database (`ws_bench_metrics_<key>` on `WORKSTATION_BENCH_PG`, default 127.0.0.1:5432, trust) is
created once from the cached SQLite file with COPY and kept, like the SQLite file; `--db postgres
--fresh-pg` rebuilds it. The baseline computes what the SQLite baseline computes, with PostgreSQL's
own means (FILTER, `percentile_cont` for the waiting-time median and 90 %).
"""

import io
import os
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

ADMIN_URL = os.environ.get("WORKSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TABLES = ("office", "service", "citizen", "visit", "concern", "backofficetask", "documentapplication")
_ROWS_PER_COPY = 500_000


def database_url(key: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/ws_bench_metrics_{key}"


def _loaded(url: str) -> bool:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return conn.execute(text("SELECT to_regclass('public._bench_done') IS NOT NULL")).scalar()
    except Exception:
        return False
    finally:
        eng.dispose()


def cached_database(sqlite_path: Path, key: str, kept_indexes: list[tuple[str, str]], fresh: bool) -> tuple[str, float]:
    """The PostgreSQL copy of the SQLite benchmark file (made once); returns its URL and seconds spent."""
    url = database_url(key)
    if not fresh and _loaded(url):
        return url, 0.0
    start = time.perf_counter()
    name = url.rsplit("/", 1)[1]
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    eng = create_engine(url)
    SQLModel.metadata.create_all(eng)
    eng.dispose()
    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as pg, pg.cursor() as cur:
        for (index,) in cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
                                    "AND indexname LIKE 'ix_%'").fetchall():
            cur.execute(f'DROP INDEX "{index}"')
        for table in TABLES:
            with pg.transaction():
                _copy_table(source, cur, table)
        for table, column in kept_indexes:
            cur.execute(f"CREATE INDEX ix_{table}_{column} ON {table} ({column})")
        cur.execute("VACUUM ANALYZE")
        cur.execute("CREATE TABLE _bench_done (at timestamp)")
    source.close()
    return url, time.perf_counter() - start


def _copy_table(source: sqlite3.Connection, cur, table: str) -> None:
    """Rows of one SQLite table into PostgreSQL with COPY (text format; SQLite's 0/1 booleans are valid input)."""
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
    rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while batch := rows.fetchmany(_ROWS_PER_COPY):
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
                buffer.write("\n")
            copy.write(buffer.getvalue())


_WAIT = ("EXTRACT(EPOCH FROM called_at - CASE WHEN slot_start > checked_in_at THEN slot_start ELSE checked_in_at END)"
         " / 60")

BASELINE = [
    # visits per office, day and area, and per office and day: counts and means
    *(f"""SELECT office_id, CAST(coalesce(slot_start, checked_in_at) AS date) AS day{area_col},
       count(finished_at), count(*) FILTER (WHERE kind = 'appointment'), count(cancelled_at),
       count(*) FILTER (WHERE status = 'no_show'), count(*) FILTER (WHERE kind = 'walk_in'),
       count(*) FILTER (WHERE kind = 'emergency'), avg({_WAIT}),
       avg(CASE WHEN {_WAIT} <= 15 THEN 1.0 ELSE 0.0 END),
       avg(EXTRACT(EPOCH FROM finished_at - started_at) / 60),
       avg(EXTRACT(EPOCH FROM slot_start - booked_at) / 86400)
       FROM visit GROUP BY office_id, day{area_col}""" for area_col in (", area", "")),
    # waiting-time median and 90th percentile per office day (and area)
    *(f"""SELECT office_id, CAST(coalesce(slot_start, checked_in_at) AS date) AS day{area_col},
       percentile_cont(0.5) WITHIN GROUP (ORDER BY {_WAIT}), percentile_cont(0.9) WITHIN GROUP (ORDER BY {_WAIT})
       FROM visit WHERE called_at >= checked_in_at GROUP BY office_id, day{area_col}"""
      for area_col in (", area", "")),
    # per service: contacts, service time against plan
    """SELECT v.office_id, CAST(coalesce(v.slot_start, v.checked_in_at) AS date) AS day, s.code, count(*),
       avg(EXTRACT(EPOCH FROM v.finished_at - v.started_at) / 60), avg(s.planned_minutes)
       FROM concern c JOIN visit v ON v.id = c.visit_id JOIN service s ON s.id = c.service_id
       WHERE v.finished_at IS NOT NULL GROUP BY v.office_id, day, s.code""",
    # back office opened / closed / e-mails answered per day, backlog as a running sum
    """WITH o AS (SELECT office_id, CAST(created_at AS date) AS day, count(*) AS n FROM backofficetask GROUP BY 1, 2),
       c AS (SELECT office_id, CAST(closed_at AS date) AS day, count(*) AS n,
                    count(*) FILTER (WHERE type = 'citizen_email') AS mails
             FROM backofficetask WHERE closed_at IS NOT NULL GROUP BY 1, 2)
       SELECT o.office_id, o.day, o.n, c.n, c.mails,
              sum(o.n - coalesce(c.n, 0)) OVER (PARTITION BY o.office_id ORDER BY o.day)
       FROM o LEFT JOIN c ON c.office_id = o.office_id AND c.day = o.day""",
    # pickup per day
    """SELECT office_id, CAST(arrived_at AS date), count(*), count(notified_at)
       FROM documentapplication GROUP BY 1, 2""",
    """SELECT office_id, CAST(handed_over_at AS date), count(*),
       avg(EXTRACT(EPOCH FROM handed_over_at - arrived_at) / 86400)
       FROM documentapplication WHERE handed_over_at IS NOT NULL GROUP BY 1, 2""",
]


def run_baseline(url: str, cpu_seconds) -> tuple[float, float]:
    """Wall seconds of the baseline queries, and this process's CPU seconds (the server's work is not in it)."""
    eng = create_engine(url)
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
        start, cpu = time.perf_counter(), cpu_seconds()
        for sql in BASELINE:
            conn.execute(text(sql)).fetchall()
        elapsed = time.perf_counter() - start, cpu_seconds() - cpu
    eng.dispose()
    return elapsed
