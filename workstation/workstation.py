"""The Reflex app: pages and start-up work (theme and plugins live in rxconfig.py)."""

import reflex as rx

from workstation.pages import backoffice, login  # noqa: F401  (registers the pages)
from workstation.startup import prepare_database

app = rx.App(stylesheets=["/print.css"])
prepare_database()
