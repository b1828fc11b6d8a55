"""The home page: what this is and where to go."""

import reflex as rx


def home() -> rx.Component:
    return rx.container(
        rx.vstack(
            rx.heading("Work Flow Management", as_="h1", size="8"),
            rx.text(
                "Configure statuses, workflows and project types; move deals and leads "
                "along the transitions your workflows allow."
            ),
            spacing="4",
            padding_y="3em",
        ),
        size="3",
    )
