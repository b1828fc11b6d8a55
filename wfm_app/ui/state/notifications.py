"""The header's "Notifications" menu: the viewer's latest notifications, each linking to
its card, and marking them read."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from wfm_app.engine.automation import notifications
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import attempt, page_id
from wfm_app.ui.state.session import SessionState


@dataclasses.dataclass
class NotificationView:
    id: str
    message: str
    when: str
    link: str  # the card on its board; "" when its kind has no board
    unread: bool


class NotificationsState(SessionState):
    items: list[NotificationView] = []
    error: str = ""

    def _load(self) -> None:
        actor = self._actor()
        found, self.error, _ = attempt(lambda: notifications.mine(actor, limit=20))
        self.items = [
            NotificationView(
                id=str(n.id),
                message=n.message,
                when=n.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                link=routes.card_link(n.entity_type, n.entity_id),
                unread=not n.is_read,
            )
            for n in found or []
        ]
        self._count_unread(actor)

    @rx.event
    def opened(self, is_open: bool) -> None:
        if is_open:
            self._load()

    @rx.event
    def mark_read(self, notification_id: str) -> None:
        actor = self._actor()
        target = page_id(notification_id)
        _, self.error, _ = attempt(lambda: notifications.mark_read(actor, target))
        self._load()

    @rx.event
    def mark_all_read(self) -> Any:
        actor = self._actor()
        done, self.error, _ = attempt(lambda: notifications.mark_all_read(actor))
        self._load()
        return rx.toast.success("All notifications marked read.") if done is not None else None
