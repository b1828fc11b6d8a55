"""Reflex configuration. The database URL comes from DATABASE_URL (wfm_app/settings.py)."""

import reflex as rx

from wfm_app.serving import respawn_failed_workers
from wfm_app.settings import settings

respawn_failed_workers()

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
    # Reachable from this machine only unless the operator says otherwise (a proxy in
    # front, or WFM_BACKEND_HOST=0.0.0.0).
    backend_host=settings.backend_host,
    # Several backend processes share tab state through Redis (Reflex's state manager).
    redis_url=settings.redis_url,
)
# Only our own pages may open the event socket (which carries the user's cookie) or read
# the backend's answers: DEPLOY_URL (known once Reflex has read its ports) plus any origin
# listed in WFM_ALLOWED_ORIGINS.
config.cors_allowed_origins = list(
    dict.fromkeys([(config.deploy_url or config.api_url).rstrip("/"), *settings.allowed_origins])
)
