"""Reflex configuration: SQLite file by default, REFLEX_DB_URL / REFLEX_REDIS_URL override."""

import reflex as rx

from workstation import reflex_noise
from workstation.config import DEFAULT_DB_URL

reflex_noise.install()

config = rx.Config(
    app_name="workstation",
    db_url=DEFAULT_DB_URL,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="light", accent_color="teal", gray_color="slate", radius="medium", scaling="100%"
            )
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
