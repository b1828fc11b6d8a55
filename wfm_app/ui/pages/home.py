"""The home page: what this is and where to go."""

import reflex as rx

from wfm_app.ui import routes
from wfm_app.ui.components.layout import header
from wfm_app.ui.state.session import SessionState


def home() -> rx.Component:
    return rx.box(
        header(),
        rx.container(
            rx.vstack(
                rx.heading("Work Flow Management", as_="h1", size="8"),
                rx.text(
                    "Configure statuses, workflows and project types; move deals and leads "
                    "along the transitions your workflows allow."
                ),
                rx.cond(
                    SessionState.signed_in,
                    rx.cond(
                        SessionState.has_no_role,
                        rx.callout(
                            "You are signed in, but you have no access to WFM yet. "
                            "Ask an administrator to give you a role.",
                            icon="lock",
                            color_scheme="red",
                            role="alert",
                            title="No access yet",
                        ),
                        rx.hstack(
                            *[
                                rx.link(f"Open the {label.lower()} board", href=href)
                                for label, href in routes.BOARDS
                            ],
                            spacing="5",
                        ),
                    ),
                    rx.text("Sign in to see your work."),
                ),
                spacing="4",
                padding_y="3em",
            ),
            size="3",
        ),
    )
