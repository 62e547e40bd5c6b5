"""Benchmark: seed the demo office (a year of history, ~580,000 rows) into fresh SQLite and PostgreSQL databases.

Usage: python scripts/bench_seed.py   (PostgreSQL admin URL from WORKSTATION_BENCH_PG; skipped if unreachable)
Prints one JSON object as its last line: rows, seconds on each database (build = generating in memory).
"""

import json
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workstation import db
from workstation.services.demo.seed import seed_demo_office

PG_ADMIN = os.environ.get("WORKSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DAY = date(2026, 11, 23)


def _seed(url: str) -> tuple[float, float, float, int]:
    os.environ["REFLEX_DB_URL"] = url
    db.create_schema(db.engine_for(url))
    started = time.perf_counter()
    report = seed_demo_office(seed=2022, today=DAY)
    total = time.perf_counter() - started
    db.engine_for(url).dispose()
    return total, report.build_seconds, report.write_seconds, sum(report.rows.values())


def main() -> None:
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        total, build, write, rows = _seed(f"sqlite:///{Path(tmp) / 'bench.db'}")
    result.update(rows=rows, sqlite_s=round(total, 2), sqlite_build_s=round(build, 2), sqlite_write_s=round(write, 2))
    name = f"bench_seed_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: report SQLite only, say why
        result["postgres_skipped"] = f"{exc.__class__.__name__}: PostgreSQL not reachable at {PG_ADMIN}"
    else:
        try:
            total, build, write, _rows = _seed(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
            result.update(postgres_s=round(total, 2), postgres_build_s=round(build, 2),
                          postgres_write_s=round(write, 2))
        finally:
            db.engine_for.cache_clear()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    result["load_avg"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
