"""What happens once before the app serves: schema migrations and, on an empty database, the demo.

With several web workers (Redis configured) every worker imports the app; a lock makes sure the
migrations run and the demo is seeded by one of them only, the others wait and then find it done.
"""

import logging
from contextlib import contextmanager

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from workstation import db
from workstation.config import DATA_DIR, PROJECT_ROOT, settings

log = logging.getLogger(__name__)
_PG_LOCK_KEY = 4_711_2026
ALEMBIC_DIR = PROJECT_ROOT / "alembic"


@contextmanager
def startup_lock():
    """Serialise start-up work across processes (advisory lock on PostgreSQL, file lock on SQLite)."""
    if settings().db_url.startswith("postgresql"):
        with db.engine().connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with FileLock(str(DATA_DIR / "startup.lock")):
            yield


def _alembic_run(conn: Connection, fn) -> None:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    script = ScriptDirectory.from_config(config)
    with EnvironmentContext(config, script, fn=lambda rev, _ctx: fn(script, rev)) as env:
        env.configure(connection=conn, render_as_batch=True)
        with env.begin_transaction():
            env.run_migrations()


def migrate() -> None:
    """Bring the schema to the newest migration (`reflex db makemigrations` writes them to alembic/).

    A database whose tables were made directly from the models (the test fixtures do that) is
    stamped as current instead of migrated again.
    """
    if not ALEMBIC_DIR.exists():
        db.create_schema()
        return
    eng = db.engine()
    with eng.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "office" in tables and "alembic_version" not in tables:
            _alembic_run(conn, lambda script, _rev: script._stamp_revs("head", ()))
        else:
            _alembic_run(conn, lambda script, rev: script._upgrade_revs("head", rev))
        conn.commit()


def prepare_database() -> None:
    """Migrate the schema and seed the demo office into an empty database."""
    from workstation.services.demo.seed import seed_if_empty

    with startup_lock():
        migrate()
        if seed_if_empty():
            log.info("seeded the demo office")
