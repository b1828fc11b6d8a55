"""The Reflex app: pages, and the backend routes (sign-in, API) it is mounted under."""

import reflex as rx

from wfm_app.api.app import build as build_api
from wfm_app.ui.pages.admin_statuses import statuses_page
from wfm_app.ui.pages.home import home
from wfm_app.ui.state.admin_statuses import StatusesState
from wfm_app.ui.state.session import SessionState

app = rx.App(api_transformer=build_api())
app.add_page(home, route="/", title="WFM", on_load=SessionState.load_viewer)
app.add_page(
    statuses_page, route="/admin/wfm/statuses", title="Statuses · WFM", on_load=StatusesState.load
)
