"""Reflex configuration. The database URL comes from DATABASE_URL (wfm_app/settings.py)."""

import reflex as rx

from wfm_app.settings import settings

config = rx.Config(
    app_name="wfm_app",
    db_url=settings.database_url,
    show_built_with_reflex=False,
    telemetry_enabled=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium")),
        rx.plugins.TailwindV4Plugin(),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
