"""The city path: several web workers sharing state through Redis, data in PostgreSQL.

Starts the real production server from a copy of the project with REFLEX_REDIS_URL (so Reflex runs
several granian workers) against a fresh PostgreSQL database, then checks in Chromium that a login
survives reloads that land on different workers and that start-up (schema, seed) ran once.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from tests import dbutil

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(address: str, proc: subprocess.Popen, log: list[str]) -> None:
    """The server says "App running" before every worker has finished its start-up."""
    import threading
    import urllib.request

    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(address + "/ping", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError("server never answered /ping:\n" + "".join(log[-40:]))


@pytest.fixture
def city_server(tmp_path):
    for reason in (dbutil.pg_available(), dbutil.redis_available()):
        if reason:
            pytest.skip(reason)
    name, db_url = dbutil.create_pg_database()
    app_dir = tmp_path / "app"
    shutil.copytree(
        ROOT, app_dir, ignore=shutil.ignore_patterns(".venv", ".tools", ".web", ".git", "data", "tests", "__pycache__")
    )
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}{os.pathsep}{ROOT / '.venv/bin'}{os.pathsep}{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_DB_URL": db_url,
        "REFLEX_REDIS_URL": dbutil.REDIS_URL + "/0",
        "GRANIAN_WORKERS": "2",
        "WORKSTATION_DATA_DIR": str(tmp_path / "data"),
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--frontend-port", str(port),
         "--backend-port", str(port)],
        cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    address = None
    log: list[str] = []
    deadline = time.monotonic() + 240
    while address is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        if match := re.search(r"App running at: (http://\S+)", line):
            address = match.group(1).replace("0.0.0.0", "127.0.0.1").rstrip("/")
    try:
        assert address, "server did not start:\n" + "".join(log[-40:])
        _wait_until_serving(address, proc, log)
        yield address, db_url, log
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        create_engine(db_url).dispose()
        dbutil.drop_pg_database(name)


def test_login_holds_across_workers_and_startup_ran_once(city_server, browser):
    from playwright.sync_api import expect

    from workstation.models import Office, StaffUser

    address, db_url, log = city_server
    eng = create_engine(db_url)
    with eng.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Office.__table__)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(StaffUser.__table__)).scalar() > 60
    eng.dispose()
    assert not any("already exists" in line for line in log), "two workers raced on the schema"

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(address + "/login")
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill("admin-demo")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/login/?$"), timeout=20_000)
    for attempt in range(6):  # each reload opens a new websocket, served by either worker
        page.goto(address + "/verwaltung")
        try:
            expect(page.get_by_role("table", name="Dienstkonten")).to_contain_text("Anna Berger", timeout=20_000)
        except AssertionError as err:
            raise AssertionError(f"reload {attempt}: {err}\nserver log:\n" + "".join(log[-30:])) from None
    context.close()
