"""The Reflex app: pages and theme."""

import reflex as rx

from wfm_app.ui.pages.home import home

app = rx.App()
app.add_page(home, route="/", title="WFM")
