"""Who is looking: resolved from the session cookie on every event that touches data."""

from __future__ import annotations

import json
from contextvars import ContextVar

import reflex as rx
from reflex.event import EventSpec
from reflex_base.event.context import EventContext

from wfm_app import tenancy
from wfm_app.auth import sessions
from wfm_app.auth.actor import ADMIN, MANAGE_DEFINITIONS, MANAGER, MEMBER, ROLE_LABELS, Actor
from wfm_app.auth.routes import backend_url, login_url
from wfm_app.engine.automation import notifications
from wfm_app.ui import connections, routes

# An event asks who is looking up to four times (a board drop: the move, its columns, the
# unread count), each two queries on the event loop; it resolves once. Each event runs in
# a task of its own, so this lives and dies with it; the event's id in the key keeps a
# caller outside Reflex's events (a test) from ever reading a stale answer.
_viewer_of_event: ContextVar[tuple[str, str | None, Actor | None] | None] = ContextVar(
    "viewer_of_event", default=None
)


def viewer_from(cookie_header: str | None) -> Actor | None:
    """The actor a session cookie names, resolved once per Reflex event (every time
    outside one)."""
    try:
        event: str | None = EventContext.get().txid
    except LookupError:
        event = None
    known = _viewer_of_event.get()
    if event is not None and known is not None and known[:2] == (event, cookie_header):
        return known[2]
    actor = sessions.actor_from_cookie_header(cookie_header)
    if event is not None:
        _viewer_of_event.set((event, cookie_header, actor))
    return actor


def leave_for(url: str) -> EventSpec:
    """A full page load: rx.redirect would route a same-host URL inside the single-page app,
    never reaching the backend's /auth routes."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


def role_label(actor: Actor) -> str:
    for role in (ADMIN, MANAGER, MEMBER):
        if role in actor.roles:
            return ROLE_LABELS[role]
    return "No access"


class SessionState(rx.State):
    """Root of every page state. Holds only what the header shows."""

    signed_in: bool = False
    viewer_name: str = ""
    viewer_role: str = ""
    can_manage_definitions: bool = False
    # Signed in, but no WFM role: every page says so instead of showing anything.
    has_no_role: bool = False
    access_denied: bool = False
    unread: int = 0  # the header's notification count
    # The header's boards: the built-in kinds until a page load adds the admins' kinds.
    boards: list[dict[str, str]] = [
        {"label": "Deals", "href": "/deals"},
        {"label": "Leads", "href": "/leads"},
        {"label": "Tickets", "href": "/tickets"},
    ]

    def _actor(self) -> Actor | None:
        """The signed-in user, from the HttpOnly cookie the browser sent at connect time.
        Only reads: what the header shows is set by a page's load (``_gate``). The event
        acts in the user's organization from here on."""
        actor = viewer_from(self.router.headers.cookie)
        if actor is not None:
            tenancy.bind(actor.org_id)
        return actor

    def _gate(self, permission: str | None = None) -> tuple[Actor | None, EventSpec | None]:
        """(actor, None) when the viewer may see the page; otherwise what to do instead.
        A page's load calls it: it also sets who the header says is signed in."""
        if not self._from_current_page():
            return None, None
        actor = self._actor()
        self._show_viewer(actor)
        if actor is None:
            return None, leave_for(login_url(self.router.url.path or "/"))
        self.access_denied = permission is not None and not actor.can(permission)
        self._count_unread(actor)
        self._load_boards(actor)
        return (None, None) if self.access_denied else (actor, None)

    def _from_current_page(self) -> bool:
        """False for an event sent by the page this tab has left (its socket is gone or
        replaced): whoever sent it, it must not act on the page the tab shows now."""
        session = self.router.session
        return connections.is_current(session.client_token, session.session_id)

    def _show_viewer(self, actor: Actor | None) -> None:
        self.signed_in = actor is not None
        self.viewer_name = actor.display_name if actor else ""
        self.viewer_role = role_label(actor) if actor else ""
        self.can_manage_definitions = bool(actor and actor.can(MANAGE_DEFINITIONS))
        self.has_no_role = actor is not None and not actor.has_access

    def _load_boards(self, actor: Actor | None) -> None:
        self.boards = routes.boards() if actor is not None and actor.has_access else []

    def _count_unread(self, actor: Actor | None) -> None:
        self.unread = notifications.unread_count(actor) if actor is not None else 0

    @rx.event
    def sign_in(self) -> EventSpec:
        return leave_for(login_url(self.router.url.path or "/"))

    @rx.event
    def sign_out(self) -> EventSpec:
        """A POST from this page (the backend checks its Origin): a GET signs nobody out."""
        action = json.dumps(f"{backend_url()}/auth/logout")
        return rx.call_script(
            "const form = document.createElement('form'); form.method = 'post'; "
            f"form.action = {action}; document.body.appendChild(form); form.submit();"
        )
