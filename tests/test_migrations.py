"""The alembic migrations build exactly the schema of the models, on both databases.

If a model changes without a migration (`WORKSTATION_SKIP_PREPARE=1 reflex db makemigrations`), this
fails instead of an office's database silently lacking a column.
"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from tests import dbutil
from workstation import db, startup


def _differences(url: str) -> list:
    eng = create_engine(url)
    with eng.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    eng.dispose()
    return diff


def test_migrations_match_the_models_on_sqlite(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    startup.migrate()
    assert "alembic_version" in inspect(db.engine_for(url)).get_table_names()
    assert _differences(url) == []


def test_migrations_match_the_models_on_postgres(monkeypatch):
    dbutil.require_pg()
    name, url = dbutil.create_pg_database()
    try:
        monkeypatch.setenv("REFLEX_DB_URL", url)
        startup.migrate()
        assert _differences(url) == []
    finally:
        db.engine_for.cache_clear()
        dbutil.drop_pg_database(name)


def test_a_database_made_from_the_models_is_stamped_not_migrated_twice(sqlite_db):
    startup.migrate()
    startup.migrate()
    assert "alembic_version" in inspect(db.engine()).get_table_names()
