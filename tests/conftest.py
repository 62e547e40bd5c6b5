"""Shared fixtures: a fresh real database per test, selected through REFLEX_DB_URL."""

import os

import pytest

from tests import dbutil
from workstation import db


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    """A fresh SQLite file with the schema; services see it through the settings."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    eng = db.engine_for(url)
    db.create_schema(eng)
    yield url
    eng.dispose()


@pytest.fixture
def pg_db(monkeypatch):
    """A fresh PostgreSQL database with the schema (skips with the reason if the server is down)."""
    dbutil.require_pg()
    name, url = dbutil.create_pg_database()
    monkeypatch.setenv("REFLEX_DB_URL", url)
    eng = db.engine_for(url)
    db.create_schema(eng)
    yield url
    eng.dispose()
    db.engine_for.cache_clear()
    dbutil.drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request):
    """Run a test on both supported databases."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (WORKSTATION_FAIL_ON_SKIP=1) a skipped test — e.g. PostgreSQL down — fails the run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("WORKSTATION_FAIL_ON_SKIP") == "1" and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped test counts as a failure in CI: {reason}"


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in this process for
    the rest of the session, which would break tests that start their own with asyncio.run()."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
