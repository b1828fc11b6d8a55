"""The header's "Notifications" button: the unread count, and a list to open cards from."""

from __future__ import annotations

import reflex as rx

from wfm_app.ui.state.notifications import NotificationsState, NotificationView
from wfm_app.ui.state.session import SessionState


def _item(item: rx.Var[NotificationView]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(
                rx.cond(item.unread, rx.text.strong(item.message), item.message),
                size="2",
            ),
            rx.hstack(
                rx.text(item.when, size="1", color="var(--gray-11)"),
                rx.cond(
                    item.link != "",
                    rx.link(
                        "Open card",
                        href=item.link,
                        size="1",
                        on_click=NotificationsState.mark_read(item.id),
                    ),
                ),
                rx.cond(
                    item.unread,
                    rx.button(
                        "Mark read",
                        size="1",
                        variant="ghost",
                        on_click=NotificationsState.mark_read(item.id),
                    ),
                ),
                spacing="3",
                align="center",
            ),
            spacing="1",
        ),
        style={
            "list_style": "none",
            "padding": "0.4em 0",
            "border_bottom": "1px solid var(--gray-a4)",
        },
    )


def notifications_button() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=16, aria_hidden="true"),
                "Notifications",
                rx.cond(
                    SessionState.unread > 0,
                    rx.badge(SessionState.unread.to_string(), color_scheme="red", variant="solid"),
                ),
                variant="soft",
                size="2",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.heading("Notifications", as_="h2", size="3"),
                    rx.button(
                        "Mark all read",
                        size="1",
                        variant="soft",
                        on_click=NotificationsState.mark_all_read,
                        disabled=SessionState.unread == 0,
                    ),
                    justify="between",
                    width="100%",
                    align="center",
                ),
                rx.cond(
                    NotificationsState.items.length() > 0,
                    rx.el.ul(
                        rx.foreach(NotificationsState.items, _item),
                        style={
                            "padding": "0",
                            "margin": "0",
                            "max_height": "60vh",
                            "overflow_y": "auto",
                        },
                    ),
                    rx.text("Nothing yet: rules that notify you will show up here.", size="2"),
                ),
                width="22em",
                spacing="2",
            ),
            aria_label="Notifications",
        ),
        on_open_change=NotificationsState.opened,
    )
