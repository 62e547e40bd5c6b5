"""Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database per test.

PostgreSQL tests create their own database on the server at 127.0.0.1:5432 so that test runs in
parallel never see each other's rows; without the server they skip with the reason shown.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("WORKSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WORKSTATION_TEST_REDIS", "redis://127.0.0.1:6379")


def pg_available() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        eng = create_engine(PG_ADMIN_URL)
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
    except Exception as exc:  # any connection failure means: skip with the reason
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"
    return None


def redis_available() -> str | None:
    """None if Redis answers PING, else the reason it does not."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}"
    return None


def require_pg() -> None:
    """Skip the calling test, with the reason, when PostgreSQL is down."""
    reason = pg_available()
    if reason:
        pytest.skip(reason)


def create_pg_database() -> tuple[str, str]:
    """Create an empty database; returns (name, url)."""
    name = f"ws_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(name: str) -> None:
    """Drop a database made by `create_pg_database`, closing other connections first."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
