"""The home page: what this is; signed in, "My work" (the viewer's open cards, the
longest waiting first), the sales headline for managers and the latest notifications."""

import reflex as rx

from wfm_app.ui import routes
from wfm_app.ui.components.layout import header
from wfm_app.ui.state.home import HomeState as S
from wfm_app.ui.state.session import SessionState

COLUMNS = ("Card", "Kind", "Step", "Waiting")


def _card(card: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.cond(card["href"] != "", rx.link(card["name"], href=card["href"]), card["name"])
        ),
        rx.table.cell(card["kind"]),
        rx.table.cell(card["step"]),
        rx.table.cell(
            card["waiting"],
            rx.cond(
                card["overdue"] != "",
                rx.badge(
                    card["overdue"],
                    color_scheme="orange",
                    variant="solid",
                    high_contrast=True,
                    margin_left="0.5em",
                ),
            ),
        ),
    )


def _my_work() -> rx.Component:
    return rx.el.section(
        rx.heading("My work", as_="h2", size="5"),
        rx.cond(
            S.cards.length() > 0,
            rx.vstack(
                rx.text(
                    S.open_total, " open cards; the longest waiting in their step first.", size="2"
                ),
                rx.table.root(
                    rx.el.caption("Your open cards", style={"text_align": "left"}),
                    rx.table.header(
                        rx.table.row(*[rx.table.column_header_cell(h) for h in COLUMNS])
                    ),
                    rx.table.body(rx.foreach(S.cards, _card)),
                    size="1",
                    width="100%",
                ),
                width="100%",
            ),
            rx.text(rx.cond(S.loaded, "Nothing open is yours right now.", "Loading your work…")),
        ),
        rx.hstack(
            rx.foreach(
                SessionState.boards,
                lambda b: rx.link("Open the " + b["label"].lower() + " board", href=b["href"]),
            ),
            spacing="5",
            wrap="wrap",
        ),
        aria_label="My work",
        width="100%",
    )


def _approvals() -> rx.Component:
    """Cards whose approval is the viewer's to give (only when there are some)."""
    return rx.cond(
        S.approvals.length() > 0,
        rx.el.section(
            rx.heading("Waiting on me", as_="h2", size="5"),
            rx.table.root(
                rx.el.caption("Cards waiting on your approval", style={"text_align": "left"}),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in COLUMNS])),
                rx.table.body(rx.foreach(S.approvals, _card)),
                size="1",
                width="100%",
            ),
            aria_label="Waiting on me",
            width="100%",
        ),
    )


def _headline() -> rx.Component:
    return rx.el.section(
        rx.heading("Pipeline", as_="h2", size="5"),
        rx.el.dl(
            rx.foreach(
                S.figures,
                lambda f: rx.box(
                    rx.el.dt(f["label"], style={"font_size": "0.85em", "color": "var(--gray-11)"}),
                    rx.el.dd(
                        f["value"], style={"font_size": "1.4em", "font_weight": "600", "margin": 0}
                    ),
                    style={
                        "border": "1px solid var(--gray-a5)",
                        "border_radius": "8px",
                        "padding": "0.75em",
                    },
                ),
            ),
            style={
                "display": "grid",
                "grid_template_columns": "repeat(auto-fill, minmax(14em, 1fr))",
                "gap": "0.75em",
            },
        ),
        rx.link("Open analytics", href=routes.ANALYTICS),
        aria_label="Pipeline",
        width="100%",
    )


def _latest() -> rx.Component:
    return rx.el.section(
        rx.heading("Latest notifications", as_="h2", size="5"),
        rx.cond(
            S.latest.length() > 0,
            rx.el.ul(
                rx.foreach(
                    S.latest,
                    lambda n: rx.el.li(
                        rx.cond(
                            n["link"] != "", rx.link(n["message"], href=n["link"]), n["message"]
                        ),
                        rx.text(" · ", n["when"], as_="span", size="1", color="var(--gray-11)"),
                    ),
                ),
                style={"padding_left": "1.2em", "margin": 0},
            ),
            rx.text("No notifications yet.", size="2"),
        ),
        aria_label="Latest notifications",
        width="100%",
    )


def home() -> rx.Component:
    return rx.box(
        header(),
        rx.el.main(
            rx.container(
                rx.vstack(
                    rx.heading("Work Flow Management", as_="h1", size="8"),
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
                            rx.vstack(
                                _approvals(),
                                rx.cond(S.is_manager, _headline()),
                                _my_work(),
                                _latest(),
                                spacing="6",
                                width="100%",
                            ),
                        ),
                        rx.vstack(
                            rx.text(
                                "Configure statuses, workflows and project types; move deals and "
                                "leads along the transitions your workflows allow."
                            ),
                            rx.text("Sign in to see your work."),
                        ),
                    ),
                    spacing="4",
                    padding_y="2em",
                ),
                size="4",
            ),
        ),
    )
