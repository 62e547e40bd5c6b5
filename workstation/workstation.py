"""The Reflex app: pages, start-up work and the scheduler (theme and plugins live in rxconfig.py)."""

import os

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

from workstation import live_floor
from workstation.jobs.scheduler import run_scheduler_forever
from workstation.pages import (  # noqa: F401  (registers the pages)
    admin,
    backoffice,
    booking,
    booking_change,
    booking_setup,
    briefing,
    call_display,
    checkin_terminal,
    citizen_status,
    city,
    comparison,
    complaints,
    controlling,
    counter,
    device_pair,
    devices,
    feedback_terminal,
    login,
    not_found,
    outbox,
    pickup,
    reception,
    staff_booking,
)
from workstation.startup import prepare_database

app = rx.App(
    stylesheets=["/app.css"],
    html_lang="de",  # <html lang="de">: screen readers read the German UI with a German voice
    # An icon of our own, so that browsers do not ask for a missing /favicon.ico.
    # Keyboard shortcuts (Alt+Shift+letter, Esc) run in the browser: assets/shortcuts.js.
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
                     rx.el.script(src="/shortcuts.js", defer=True)],
    # The live floor channel: counter and reception screens receive the queue's deltas on it.
    api_transformer=Starlette(routes=[WebSocketRoute(live_floor.PATH, live_floor.floor_socket)]),
)
if os.environ.get("WORKSTATION_SKIP_PREPARE") != "1":  # set while `reflex db makemigrations` runs
    prepare_database()
app.register_lifespan_task(run_scheduler_forever)
