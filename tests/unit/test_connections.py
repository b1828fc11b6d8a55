"""Issue 25: an event from the page a tab has left must not act on the page it shows now
(the sign-in test's header once read "Sign in" over a loaded board). The decision, on
Reflex's own token manager: a tab's navigation replaces its socket under the same token."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from reflex.utils.token_manager import LocalTokenManager

from tests.harness import run_async
from wfm_app.ui import connections


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> LocalTokenManager:
    made = LocalTokenManager()
    monkeypatch.setattr(
        connections, "_app", SimpleNamespace(event_namespace=SimpleNamespace(_token_manager=made))
    )
    return made


def test_only_the_tabs_current_socket_acts_on_its_page(manager: LocalTokenManager):
    token = "tab-1"
    run_async(manager.link_token_to_sid(token, "sid-left-page"))
    assert connections.is_current(token, "sid-left-page")
    assert connections.connected_here(token)

    # the page navigates (to sign in, and back): its socket closes, a new one takes the tab
    run_async(manager.disconnect_token(token, "sid-left-page"))
    assert not connections.is_current(token, "sid-left-page")  # gone: nowhere to act
    assert not connections.connected_here(token)
    run_async(manager.link_token_to_sid(token, "sid-new-page"))
    assert connections.is_current(token, "sid-new-page")
    assert not connections.is_current(token, "sid-left-page")  # replaced


def test_before_serving_every_event_counts(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(connections, "_app", None)
    assert connections.is_current("tab-1", "any")
    assert not connections.connected_here("tab-1")
