"""The page frame: header with navigation and who is signed in, then the page."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui import routes
from wfm_app.ui.components.notifications import notifications_button
from wfm_app.ui.state.search import SearchState
from wfm_app.ui.state.session import SessionState


def _nav_link(label: str | rx.Var[str], href: str | rx.Var[str]) -> rx.Component:
    return rx.link(label, href=href, weight="medium", underline="hover")


def _nav(direction: str) -> rx.Component:
    """The boards, Analytics and (admins) Admin: a row in the header, a column in the
    phone's menu."""
    stack = rx.hstack if direction == "row" else rx.vstack
    return rx.el.nav(
        stack(
            rx.cond(
                SessionState.has_no_role,
                rx.fragment(),
                stack(
                    rx.foreach(SessionState.boards, lambda b: _nav_link(b["label"], b["href"])),
                    _nav_link("Analytics", routes.ANALYTICS),
                    spacing="4",
                ),
            ),
            rx.cond(
                SessionState.can_manage_definitions,
                _nav_link("Admin", routes.ADMIN_STATUSES),
            ),
            spacing="4",
        ),
        aria_label="Main",
    )


def _search(field_id: str) -> rx.Component:
    """Search every kind one may see; "/" focuses it (assets/shortcuts.js)."""
    return rx.form(
        rx.input(
            id=field_id,
            name="q",
            type="search",
            placeholder="Find cards  /",
            aria_label="Find cards everywhere",
            aria_keyshortcuts="/",
            size="2",
            width="9em",
        ),
        on_submit=SearchState.go,
        role="search",
    )


def _who() -> list[rx.Component]:
    return [
        rx.text("Signed in as ", rx.text.strong(SessionState.viewer_name), size="2"),
        rx.badge(  # heard as "Role: Member"; its text stays "Member"
            SessionState.viewer_role,
            variant="soft",
            aria_label="Role",
            class_name="sr-before",
            data_sr="Role: ",
            high_contrast=True,
        ),
        rx.cond(SessionState.has_no_role, rx.fragment(), notifications_button()),
        rx.button("Sign out", variant="outline", size="2", on_click=SessionState.sign_out),
    ]


def _signed_in_header() -> list[rx.Component]:
    return [
        rx.cond(
            SessionState.has_no_role,
            rx.fragment(),
            rx.box(_search("global-search"), class_name="wide-only"),
        ),
        rx.hstack(*_who(), align="center", spacing="3", wrap="wrap", class_name="wide-only"),
        _phone_menu(),
    ]


def _phone_menu() -> rx.Component:
    """Below 640 px the header folds into "Menu": navigation, who is signed in,
    Notifications and Sign out (assets/phone.css)."""
    return rx.popover.root(
        rx.popover.trigger(rx.button("Menu", variant="soft", class_name="phone-only")),
        rx.popover.content(
            rx.vstack(
                _search("phone-search"),
                _nav("column"),
                rx.separator(),
                *_who(),
                spacing="3",
                align="start",
            ),
            aria_label="Menu",
            width="min(20em, 90vw)",
        ),
    )


def header(skip: tuple[str, str] | None = None) -> rx.Component:
    """``skip``: the skip link's (name, target id); it sits in the banner landmark, first."""
    return rx.el.header(
        rx.el.a(f"Skip to {skip[0]}", href=f"#{skip[1]}", class_name="skip-link")
        if skip
        else rx.fragment(),
        rx.hstack(
            rx.link(rx.text("WFM", size="5", weight="bold"), href=routes.HOME, underline="none"),
            rx.box(_nav("row"), class_name="wide-only"),
            rx.spacer(),
            rx.cond(
                SessionState.signed_in,
                rx.fragment(*_signed_in_header()),
                rx.button("Sign in", size="2", on_click=SessionState.sign_in),
            ),
            align="center",
            spacing="4",
            wrap="wrap",  # a tablet's width: who is signed in goes to a second line
            row_gap="0.5em",
            padding_x="1.5em",
            padding_y="0.75em",
            border_bottom="1px solid var(--gray-a5)",
            width="100%",
        ),
    )


def no_access() -> rx.Component:
    return rx.callout(
        "You don't have access to this page. Ask an administrator if you need it.",
        icon="lock",
        color_scheme="red",
        role="alert",
        title="You don't have access",
    )


def page(
    *children: rx.Component,
    title: str | rx.Var[str],
    skip: tuple[str, str] = ("the main content", "main"),
) -> rx.Component:
    """A page body under the header; replaced by a refusal when the viewer lacks access.
    ``skip``: what the skip link, the first stop of the keyboard, jumps to (name, id)."""
    return rx.box(
        header(skip),
        rx.el.main(
            rx.cond(
                SessionState.access_denied,
                rx.vstack(rx.heading("You don't have access", as_="h1", size="6"), no_access()),
                rx.vstack(
                    rx.heading(title, as_="h1", size="7"), *children, spacing="4", width="100%"
                ),
            ),
            id="main",
            tab_index=-1,
            padding="1.5em",
        ),
        width="100%",
    )
