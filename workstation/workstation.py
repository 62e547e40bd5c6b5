"""The Reflex app: pages, start-up work and the scheduler (theme and plugins live in rxconfig.py)."""

import os

import reflex as rx

from workstation.jobs.scheduler import run_scheduler_forever
from workstation.pages import (  # noqa: F401  (registers the pages)
    admin,
    backoffice,
    briefing,
    citizen_status,
    controlling,
    counter,
    login,
    outbox,
    pickup,
    reception,
)
from workstation.startup import prepare_database

app = rx.App(stylesheets=["/app.css"])
if os.environ.get("WORKSTATION_SKIP_PREPARE") != "1":  # set while `reflex db makemigrations` runs
    prepare_database()
app.register_lifespan_task(run_scheduler_forever)
