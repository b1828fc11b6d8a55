"""The base of every part of a page state (a Reflex mixin): what a part may call on the
page state it ends up in, SessionState's and the page's own, declared for the type
checker only (at run time the page state provides them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

if TYPE_CHECKING:
    from reflex.event import EventSpec

    from wfm_app.auth.actor import Actor


class PageParts(rx.State, mixin=True):
    if TYPE_CHECKING:

        def _actor(self) -> Actor | None: ...
        def _gate(self, permission: str | None = None) -> tuple[Actor | None, EventSpec | None]: ...
        def _count_unread(self, actor: Actor | None) -> None: ...
        def _reload(self) -> None: ...
