"""Benchmark of the daily controlling figures against a plain SQL GROUP BY baseline.

Two synthetic databases with the app's schema, generated with polars and cached in the temp dir
(keyed by their parameters): one year of an Offenbach-size office (~114,000 visits, ~225,000
back-office cases) and ten years of a ten-office city (~11 million visits). For each, the time of
`metrics.compute_range` over the whole period and of the baseline queries (the same counts and
means with GROUP BY in SQLite, the waiting-time median and 90th percentile with window functions,
backlog as a running sum; no lead time, no overdue or uncollected stock) is measured on the same file.

The machine is shared: wall times are the best of `--year-runs` alternating runs (the city runs once),
and CPU seconds (including the sqlite3 shells) are printed beside them.

With `--db postgres` the same records are copied once into a PostgreSQL database (see
`bench_metrics_pg.py`) and both contenders read from there: `compute_range` through the app's
PostgreSQL path, the baseline as PostgreSQL SQL. The JSON keys then start with `pg_`.

Usage: python scripts/bench_metrics.py [--skip-city] [--year-runs 3] [--db sqlite|postgres] [--fresh-pg]
Prints one JSON object as its last line (keys of the brief plus *_cpu_s).
"""

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_metrics_pg
from sqlmodel import SQLModel, create_engine

from workstation import models  # noqa: F401  (registers the tables)

GENERATOR_VERSION = 6
BASE_YEAR = 2016
VISITS_PER_OFFICE_YEAR = 114_000
TASKS_PER_OFFICE_YEAR = 225_000
APPLICATIONS_PER_OFFICE_YEAR = 30_000
# Share of visits per area (2022: registration 37,000, ID 22,616, vehicles 20,016, licences 14,312).
AREA_SHARE = {"registration": 0.325, "id_documents": 0.198, "vehicles": 0.176, "driving_licences": 0.126,
              "partner": 0.175}
SERVICES = [("REG_AN", "registration", 15), ("REG_UM", "registration", 10), ("ID_PA", "id_documents", 20),
            ("ID_RP", "id_documents", 20), ("KFZ_ZUL", "vehicles", 30), ("KFZ_UM", "vehicles", 25),
            ("FS_UM", "driving_licences", 20), ("FS_INT", "driving_licences", 10), ("PART_EN", "partner", 10)]
KEPT_INDEXES = [("visit", "slot_start"), ("visit", "checked_in_at"), ("concern", "visit_id"),
                ("backofficetask", "created_at"), ("backofficetask", "closed_at"),
                ("documentapplication", "arrived_at")]
TS_FORMAT = "%Y-%m-%d %H:%M:%S%.6f"


def _h(expr: pl.Expr, seed: int) -> pl.Expr:
    """A deterministic pseudo-random integer 0..1,000,002 per row."""
    return expr.hash(seed).mod(1_000_003).cast(pl.Int64)


def _ts(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime(TS_FORMAT)


def _working_days(first: date, last: date) -> pl.Series:
    days = pl.date_range(first, last, "1d", eager=True)
    return days.filter(days.dt.weekday() <= 5)


def _visits(office_id: int, first: date, last: date, seed: int, id_start: int) -> pl.DataFrame:
    days = _working_days(first, last)
    # March is the busiest month: weight each day by its month.
    month_weight = pl.Series([0.95, 1.0, 1.25, 1.05, 1.0, 0.95, 0.9, 0.85, 1.0, 1.0, 1.0, 0.85])
    weights = month_weight.gather(days.dt.month() - 1)
    per_day = (weights / weights.sum() * VISITS_PER_OFFICE_YEAR * len(days) / 250).round().cast(pl.Int64)
    n = int(per_day.sum())
    base = pl.DataFrame({"day": days.repeat_by(per_day).explode()})
    r = pl.int_range(0, n, eager=True).alias("i")
    df = base.with_columns(r).with_columns(
        _h((pl.col("i") * 2654435761 + seed), seed).alias("h1"),
        _h((pl.col("i") * 40503 + seed * 7), seed + 1).alias("h2"),
        _h((pl.col("i") * 69069 + seed * 13), seed + 2).alias("h3"),
    ).with_columns(
        ((pl.col("h1") % 10_000) / 10_000).alias("u1"),
        ((pl.col("h2") % 10_000) / 10_000).alias("u2"),
        ((pl.col("h3") % 10_000) / 10_000).alias("u3"),
    )
    bounds, acc = [], 0.0
    for name, share in AREA_SHARE.items():
        acc += share
        bounds.append((name, acc))
    chain = pl.when(pl.col("u1") < bounds[0][1]).then(pl.lit(bounds[0][0]))
    for name, upper in bounds[1:-1]:
        chain = chain.when(pl.col("u1") < upper).then(pl.lit(name))
    area = chain.otherwise(pl.lit(bounds[-1][0]))
    kind = (pl.when(pl.col("u2") < 0.85).then(pl.lit("appointment")).when(pl.col("u2") < 0.96).then(pl.lit("walk_in"))
            .when(pl.col("u2") < 0.98).then(pl.lit("emergency")).otherwise(pl.lit("dealer")))
    day_start = pl.col("day").cast(pl.Datetime("us")) + pl.duration(hours=7)  # 08:00 Berlin in winter
    slot = day_start + pl.duration(minutes=(pl.col("h3") % 30) * 10)
    df = df.with_columns(area.alias("area"), kind.alias("kind"), slot.alias("slot"))
    appt = pl.col("kind") == "appointment"
    cancelled = appt & (pl.col("u3") < 0.08)
    no_show = appt & ~cancelled & (pl.col("u3") < 0.13)
    served = ~cancelled & ~no_show
    checked_in = slot + pl.duration(minutes=(pl.col("h1") % 15) - 10)
    called = checked_in + pl.duration(minutes=(pl.col("h2") % 19) + (pl.col("h3") % 3))
    started = called + pl.duration(minutes=1)
    finished = started + pl.duration(minutes=5 + (pl.col("h1") % 23))
    booked = slot - pl.duration(days=(pl.col("h2") % 14) + 1, minutes=(pl.col("h3") % 600))
    return df.select(
        (pl.col("i") + id_start).alias("id"),
        pl.lit(office_id).alias("office_id"),
        "kind",
        pl.when(cancelled).then(pl.lit("cancelled")).when(no_show).then(pl.lit("no_show"))
        .otherwise(pl.lit("finished")).alias("status"),
        "area",
        _ts(pl.when(appt).then(booked)).alias("booked_at"),
        _ts(pl.when(appt).then(pl.col("slot"))).alias("slot_start"),
        _ts(pl.when(cancelled).then(booked + pl.duration(days=1))).alias("cancelled_at"),
        _ts(pl.when(served | ~appt).then(checked_in)).alias("checked_in_at"),
        _ts(pl.when(served).then(called)).alias("called_at"),
        _ts(pl.when(served).then(started)).alias("started_at"),
        _ts(pl.when(served).then(finished)).alias("finished_at"),
        _ts(pl.when(no_show).then(pl.col("slot") + pl.duration(minutes=30))).alias("no_show_at"),
        (pl.col("h1") % 10 < 3).alias("two_concerns"),
    )


def _concerns(visits: pl.DataFrame, id_start: int) -> pl.DataFrame:
    """One concern per visit, a second for about 30 %; services drawn from the visit's area."""
    svc = pl.DataFrame(SERVICES, schema=["code", "area", "planned_minutes"], orient="row").with_row_index(
        "service_id", offset=1).with_columns(pl.col("service_id").cast(pl.Int64))
    per_area = svc.group_by("area").agg(pl.col("service_id"))
    base = visits.select(pl.col("id").alias("visit_id"), "area", "two_concerns").join(per_area, on="area")
    first = base.select("visit_id", pl.col("service_id").list.get(pl.col("visit_id") % pl.col("service_id").list.len()))
    second = base.filter("two_concerns").select(
        "visit_id", pl.col("service_id").list.get((pl.col("visit_id") + 1) % pl.col("service_id").list.len()))
    both = pl.concat([first, second]).sort("visit_id")
    return both.with_columns(pl.int_range(id_start, id_start + both.height).alias("id"), pl.lit("done").alias("status"),
                             pl.lit("").alias("not_done_reason")).select("id", "visit_id", "service_id", "status",
                                                                          "not_done_reason")


def _tasks(office_id: int, first: date, last: date, seed: int, id_start: int) -> pl.DataFrame:
    days = _working_days(first, last)
    n = int(TASKS_PER_OFFICE_YEAR * len(days) / 250)
    types = ["licence_withdrawal", "insurance_notice", "bdr_correspondence", "authority_request", "citizen_email"]
    df = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).with_columns(
        _h(pl.col("i"), seed).alias("h1"), _h((pl.col("i") * 7919), seed + 5).alias("h2"))
    created = (pl.lit(days).gather(pl.col("i") * len(days) // n).cast(pl.Datetime("us"))
               + pl.duration(hours=11, minutes=pl.col("h1") % 300))
    closed = created + pl.duration(hours=1 + pl.col("h2") % (24 * 20))
    is_closed = (pl.col("h2") % 100) < 97
    return df.select(
        (pl.col("i") + id_start).alias("id"),
        pl.lit(office_id).alias("office_id"),
        pl.lit(types).list.get(pl.col("h1") % 5).alias("type"),
        pl.lit("Vorgang").alias("title"),
        pl.lit("").alias("reference"),
        pl.lit("").alias("description"),
        (created + pl.duration(days=14)).dt.date().cast(pl.String).alias("due_date"),
        pl.lit("normal").alias("priority"),
        pl.when(is_closed).then(pl.lit("done")).otherwise(pl.lit("open")).alias("status"),
        pl.lit("manual").alias("source"),
        pl.lit("").alias("outcome"),
        _ts(created).alias("created_at"),
        _ts(created).alias("updated_at"),
        _ts(pl.when(is_closed).then(closed)).alias("closed_at"),
        pl.lit(0).alias("version"),
    )


def _applications(office_id: int, first: date, last: date, seed: int, id_start: int) -> pl.DataFrame:
    days = _working_days(first, last)
    n = int(APPLICATIONS_PER_OFFICE_YEAR * len(days) / 250)
    df = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).with_columns(_h(pl.col("i"), seed + 9).alias("h"))
    arrived = (pl.lit(days).gather(pl.col("i") * len(days) // n).cast(pl.Datetime("us")) + pl.duration(hours=9))
    handed = arrived + pl.duration(days=1 + pl.col("h") % 40, hours=2)
    is_handed = (pl.col("h") % 100) < 95
    return df.select(
        (pl.col("i") + id_start).alias("id"),
        pl.lit(office_id).alias("office_id"),
        pl.lit(1).alias("citizen_id"),
        (pl.lit(f"B{office_id}-") + (pl.col("i") + id_start).cast(pl.String)).alias("application_number"),
        pl.when(pl.col("h") % 5 == 0).then(pl.lit("FS")).otherwise(pl.lit("PA")).alias("doc_type"),
        pl.when(is_handed).then(pl.lit("handed_over")).otherwise(pl.lit("arrived")).alias("status"),
        _ts(arrived - pl.duration(days=21)).alias("applied_at"),
        _ts(arrived).alias("arrived_at"),
        _ts(arrived + pl.duration(hours=1)).alias("notified_at"),
        _ts(pl.when(is_handed).then(handed)).alias("handed_over_at"),
        pl.lit(False).alias("old_document_invalidated"),
        pl.lit(False).alias("pin_letter_handed"),
        pl.lit("email").alias("notify_channel"),
    )


def _insert(conn: sqlite3.Connection, table: str, df: pl.DataFrame) -> None:
    cols = ", ".join(df.columns)
    marks = ", ".join("?" * len(df.columns))
    for chunk in df.iter_slices(200_000):
        conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", chunk.iter_rows())


def _shift(column: str, days: int) -> str:
    """A stored timestamp moved by whole days, in the app's storage format (SQLite builds it, no Python rows)."""
    return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '+{days} days') || '000'"


def _copy(conn: sqlite3.Connection, table: str, columns: list[str], exprs: dict[str, str]) -> None:
    cols = ", ".join(columns)
    select = ", ".join(exprs.get(c, c) for c in columns)
    conn.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM {table} WHERE id <= (SELECT base FROM _base "
                 f"WHERE name = '{table}')")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def generate(path: Path, offices: int, years: int, base_year: int) -> int:
    """Write the synthetic database; returns the number of visits.

    One office-year is generated with polars; every further office and year is a copy made inside SQLite
    (ids offset, timestamps moved by 52-week steps so weekdays stay), which keeps a decade of a city to
    minutes.
    """
    eng = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(eng)
    eng.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    # Secondary indexes are dropped during the bulk load and only those that range filters use come back
    # (full-range runs scan whole tables either way; both contenders read the same file).
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX {name}")
    conn.execute("BEGIN")
    _insert(conn, "service", pl.DataFrame(SERVICES, schema=["code", "area", "planned_minutes"], orient="row")
            .with_columns(pl.col("code").alias("name"), pl.lit("").alias("documents"),
                          pl.lit(True).alias("online_bookable"), pl.lit(True).alias("active"),
                          pl.lit(1).alias("office_id"), pl.lit(1).alias("max_count")))
    _insert(conn, "citizen", pl.DataFrame({"first_name": ["Bench"], "last_name": ["Mark"], "street": [""],
                                           "postal_code": [""], "city": [""],
                                           "created_at": ["2020-01-01 00:00:00.000000"]}))
    for office in range(1, offices + 1):
        conn.execute("INSERT INTO office (id, code, name, city, opening_hours, kind) VALUES (?, ?, ?, ?, ?, ?)",
                     (office, f"B{office:03d}", f"Bürgerbüro {office}", "Benchstadt", "Mo–Fr 8–13 Uhr", "buergerbuero"))
    first, last = date(base_year, 1, 1), date(base_year, 12, 31)
    v = _visits(1, first, last, base_year, 1)
    _insert(conn, "visit", v.drop("two_concerns").with_columns(
        pl.lit(0).alias("batch_size"), pl.lit(0).alias("call_count"), pl.lit("").alias("booking_note"),
        pl.lit("").alias("desk_note"), pl.lit(0).alias("version")))
    _insert(conn, "concern", _concerns(v, 1))
    _insert(conn, "backofficetask", _tasks(1, first, last, base_year, 1))
    _insert(conn, "documentapplication", _applications(1, first, last, base_year, 1))
    tables = ("visit", "concern", "backofficetask", "documentapplication")
    conn.execute("CREATE TEMP TABLE _base (name TEXT, base INTEGER)")
    for table in tables:
        conn.execute(f"INSERT INTO _base SELECT '{table}', max(id) FROM {table}")
    base = dict(conn.execute("SELECT name, base FROM _base").fetchall())
    copy = 0
    for office in range(1, offices + 1):
        for year in range(years):
            if (office, year) == (1, 0):
                continue
            copy += 1
            days = 364 * year
            stamp = {c: _shift(c, days) for c in ("booked_at", "slot_start", "cancelled_at", "checked_in_at",
                                                   "called_at", "started_at", "finished_at", "no_show_at",
                                                   "created_at", "updated_at", "closed_at", "applied_at",
                                                   "arrived_at", "notified_at", "handed_over_at")}
            ids = {t: f"id + {copy * base[t]}" for t in tables}
            _copy(conn, "visit", _columns(conn, "visit"), {**stamp, "id": ids["visit"], "office_id": str(office)})
            _copy(conn, "concern", _columns(conn, "concern"),
                  {"id": ids["concern"], "visit_id": f"visit_id + {copy * base['visit']}"})
            _copy(conn, "backofficetask", _columns(conn, "backofficetask"),
                  {**stamp, "id": ids["backofficetask"], "office_id": str(office),
                   "due_date": f"date(due_date, '+{days} days')"})
            _copy(conn, "documentapplication", _columns(conn, "documentapplication"),
                  {**stamp, "id": ids["documentapplication"], "office_id": str(office),
                   "application_number": f"application_number || '-{copy}'"})
    conn.execute("COMMIT")
    for table, column in KEPT_INDEXES:
        conn.execute(f"CREATE INDEX ix_{table}_{column} ON {table} ({column})")
    conn.execute("ANALYZE")
    visits = conn.execute("SELECT count(*) FROM visit").fetchone()[0]
    conn.close()
    return visits


def cached_database(offices: int, years: int, base_year: int) -> tuple[Path, int, float]:
    """The synthetic database for these parameters, generated once and kept in the temp dir."""
    key = hashlib.sha256(f"{GENERATOR_VERSION}:{offices}:{years}:{base_year}".encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "ws_bench_metrics" / key
    done = folder / "visits.txt"
    if done.exists():
        return folder / "bench.db", int(done.read_text()), 0.0
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.db"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    visits = generate(path, offices, years, base_year)
    done.write_text(str(visits))
    return path, visits, time.perf_counter() - start


BASELINE = [
    # visits per office, day and area, and per office and day: counts and means
    *(f"""SELECT office_id, date(coalesce(slot_start, checked_in_at)) AS day{area_col},
       count(finished_at), sum(kind = 'appointment'), sum(cancelled_at IS NOT NULL), sum(status = 'no_show'),
       sum(kind = 'walk_in'), sum(kind = 'emergency'),
       avg((julianday(called_at) - julianday(CASE WHEN slot_start > checked_in_at THEN slot_start
            ELSE checked_in_at END)) * 1440),
       avg(CASE WHEN (julianday(called_at) - julianday(CASE WHEN slot_start > checked_in_at THEN slot_start
            ELSE checked_in_at END)) * 1440 <= 15 THEN 1.0 ELSE 0.0 END),
       avg((julianday(finished_at) - julianday(started_at)) * 1440),
       avg(julianday(slot_start) - julianday(booked_at))
       FROM visit GROUP BY office_id, day{area_col}""" for area_col in (", area", "")),
    # waiting-time median and 90th percentile per office day (and area): ranks by window functions
    *(f"""WITH w AS (
         SELECT office_id, date(coalesce(slot_start, checked_in_at)) AS day{area_col},
                (julianday(called_at) - julianday(CASE WHEN slot_start > checked_in_at THEN slot_start
                 ELSE checked_in_at END)) * 1440 AS wait
         FROM visit WHERE called_at >= checked_in_at),
       r AS (SELECT *, row_number() OVER p AS rn, count(*) OVER p AS n FROM w
             WINDOW p AS (PARTITION BY office_id, day{area_col} ORDER BY wait))
       SELECT office_id, day{area_col},
              avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN wait END),
              min(CASE WHEN rn >= 1 + 0.9 * (n - 1) THEN wait END)
       FROM r GROUP BY office_id, day{area_col}""" for area_col in (", area", "")),
    # per service: contacts, service time against plan
    """SELECT v.office_id, date(coalesce(v.slot_start, v.checked_in_at)) AS day, s.code, count(*),
       avg((julianday(v.finished_at) - julianday(v.started_at)) * 1440), avg(s.planned_minutes)
       FROM concern c JOIN visit v ON v.id = c.visit_id JOIN service s ON s.id = c.service_id
       WHERE v.finished_at IS NOT NULL GROUP BY v.office_id, day, s.code""",
    # back office opened / closed / e-mails answered per day, backlog as a running sum
    """WITH o AS (SELECT office_id, date(created_at) AS day, count(*) AS n FROM backofficetask GROUP BY 1, 2),
       c AS (SELECT office_id, date(closed_at) AS day, count(*) AS n, sum(type = 'citizen_email') AS mails
             FROM backofficetask WHERE closed_at IS NOT NULL GROUP BY 1, 2)
       SELECT o.office_id, o.day, o.n, c.n, c.mails,
              sum(o.n - coalesce(c.n, 0)) OVER (PARTITION BY o.office_id ORDER BY o.day)
       FROM o LEFT JOIN c ON c.office_id = o.office_id AND c.day = o.day""",
    # pickup per day
    """SELECT office_id, date(arrived_at), count(*), count(notified_at) FROM documentapplication GROUP BY 1, 2""",
    """SELECT office_id, date(handed_over_at), count(*), avg(julianday(handed_over_at) - julianday(arrived_at))
       FROM documentapplication WHERE handed_over_at IS NOT NULL GROUP BY 1, 2""",
]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the sqlite3 shells)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_baseline(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the baseline queries."""
    conn = sqlite3.connect(path)
    start, cpu = time.perf_counter(), _cpu_seconds()
    for sql in BASELINE:
        conn.execute(sql).fetchall()
    elapsed = time.perf_counter() - start, _cpu_seconds() - cpu
    conn.close()
    return elapsed


def run_metrics(url: str, first: date, last: date) -> tuple[float, float, int]:
    """Wall and CPU seconds of computing every figure of the range, and the number of figures."""
    os.environ["REFLEX_DB_URL"] = url
    from workstation.services import metrics

    start, cpu = time.perf_counter(), _cpu_seconds()
    figures = metrics.compute_range(first, last)
    return time.perf_counter() - start, _cpu_seconds() - cpu, figures.height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-city", action="store_true", help="only the one-office year")
    parser.add_argument("--year-runs", type=int, default=3, help="runs of the year (best one counts)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite", help="where both contenders read")
    parser.add_argument("--fresh-pg", action="store_true", help="rebuild the PostgreSQL copy")
    args = parser.parse_args()
    prefix = "pg_" if args.db == "postgres" else ""
    result: dict[str, float | int | None] = {}
    sizes = [("year", 1, 1, args.year_runs)]
    if not args.skip_city:
        sizes.append(("city", 10, 10, 1))
    for name, offices, years, runs in sizes:
        path, visits, generated_s = cached_database(offices, years, BASE_YEAR)
        first, last = date(BASE_YEAR, 1, 1), date(BASE_YEAR, 12, 31) + timedelta(days=364 * (years - 1))
        print(f"{name}: {visits:,} visits in {path} (generated in {generated_s:.0f} s)" if generated_s
              else f"{name}: {visits:,} visits in {path} (cached)", flush=True)
        url, baseline = f"sqlite:///{path}", lambda p=path: run_baseline(p)
        if args.db == "postgres":
            key = path.parent.name
            url, copied_s = bench_metrics_pg.cached_database(path, key, KEPT_INDEXES, args.fresh_pg)
            print(f"{name}: PostgreSQL copy {url} ({f'made in {copied_s:.0f} s' if copied_s else 'cached'})",
                  flush=True)
            baseline = lambda u=url: bench_metrics_pg.run_baseline(u, _cpu_seconds)  # noqa: E731
        ours, theirs = [], []
        for _ in range(runs):  # alternate, so neither side profits from the other's warm cache
            ours.append(run_metrics(url, first, last))
            theirs.append(baseline())
            print(f"{name}: metrics {ours[-1][0]:.2f} s (CPU {ours[-1][1]:.2f} s, {ours[-1][2]:,} figures), "
                  f"SQL baseline {theirs[-1][0]:.2f} s (CPU {theirs[-1][1]:.2f} s)", flush=True)
        best, best_sql = min(ours), min(theirs)
        name = prefix + name
        result |= {f"{name}_rows": visits, f"{name}_s": round(best[0], 3), f"{name}_sql_s": round(best_sql[0], 3),
                   f"{name}_cpu_s": round(best[1], 3), f"{name}_sql_cpu_s": round(best_sql[1], 3)}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
