"""Saved views: a person's own, published ones for everyone, one default per board, each
organization its own."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import People
from tests.service.test_organizations import organization
from wfm_app.engine import saved_views
from wfm_app.engine.saved_views import ViewSettings
from wfm_app.errors import Forbidden, NotFound, ValidationFailed
from wfm_app.tenancy import acting_in

MINE = ViewSettings(search="Acme", overdue_only=True, group_by="assignee")


def test_a_view_is_its_authors_until_a_manager_publishes_one(people: People) -> None:
    alice, bob, manager = people.alice, people.bob, people.manager
    own = saved_views.save(alice, "deal", "My late deals", MINE)
    assert own.is_mine and not own.is_published and own.author == "Alice Member"
    assert saved_views.get(alice, own.id).settings == MINE
    assert [v.name for v in saved_views.listed(bob, "deal")] == []
    with pytest.raises(NotFound):  # a link to someone's own view opens nothing
        saved_views.get(bob, own.id)
    with pytest.raises(Forbidden):
        saved_views.save(alice, "deal", "For everyone", MINE, publish=True)
    shared = saved_views.save(manager, "deal", "Team pipeline", ViewSettings(), publish=True)
    assert [v.name for v in saved_views.listed(bob, "deal")] == ["Team pipeline"]
    assert [v.name for v in saved_views.listed(alice, "deal")] == ["My late deals", "Team pipeline"]
    assert saved_views.listed(alice, "ticket") == []  # per board
    with pytest.raises(Forbidden):  # others may use a published view, not delete it
        saved_views.remove(bob, shared.id)
    saved_views.remove(manager, shared.id)
    assert saved_views.listed(bob, "deal") == []


def test_saving_under_the_same_name_replaces_and_a_default_opens_the_board(
    people: People,
) -> None:
    alice = people.alice
    first = saved_views.save(alice, "deal", "Mine", ViewSettings(search="old"))
    again = saved_views.save(alice, "deal", "Mine", MINE, make_default=True)
    assert again.id == first.id and again.settings == MINE and again.is_default
    default = saved_views.default_view(alice, "deal")
    assert default is not None and default.id == first.id
    assert saved_views.default_view(people.bob, "deal") is None
    saved_views.clear_default(alice, "deal")
    assert saved_views.default_view(alice, "deal") is None
    published = saved_views.save(people.manager, "deal", "Team", ViewSettings(), publish=True)
    assert saved_views.make_default(alice, published.id).is_default
    saved_views.remove(people.manager, published.id)  # gone: the board opens as before
    assert saved_views.default_view(alice, "deal") is None


@pytest.mark.parametrize(
    ("name", "settings", "field"),
    [
        ("", ViewSettings(), "name"),
        ("x" * (saved_views.MAX_VIEW_NAME + 1), ViewSettings(), "name"),
        ("Tab\x00", ViewSettings(), "name"),
        ("Long search", ViewSettings(search="s" * (saved_views.MAX_SEARCH + 1)), "search"),
        ("Bad owner", ViewSettings(owner_id="not-an-id"), "owner_id"),
        ("Bad grouping", ViewSettings(group_by="g" * 101), "group_by"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    people: People, name: str, settings: ViewSettings, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        saved_views.save(people.alice, "deal", name, settings)
    assert field in refused.value.field_errors
    assert saved_views.listed(people.alice, "deal") == []


def test_one_person_has_at_most_so_many_views_on_a_board(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_views, "MAX_VIEWS_PER_BOARD", 2)
    for name in ("One", "Two"):
        saved_views.save(people.alice, "deal", name, ViewSettings())
    with pytest.raises(ValidationFailed, match="delete one first"):
        saved_views.save(people.alice, "deal", "Three", ViewSettings())
    saved_views.save(people.alice, "deal", "Two", MINE)  # replacing one is still fine


def test_views_stay_in_their_organization(database: str) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        view = saved_views.save(acme.admin, "deal", "Acme's", MINE, publish=True)
        saved_views.make_default(acme.admin, view.id)
    with acting_in(globex.id):
        assert saved_views.listed(globex.admin, "deal") == []
        assert saved_views.default_view(globex.admin, "deal") is None
        with pytest.raises(NotFound):
            saved_views.get(globex.admin, view.id)
        with pytest.raises(NotFound):
            saved_views.remove(globex.admin, view.id)
    with acting_in(acme.id):
        assert [v.id for v in saved_views.listed(acme.admin, "deal")] == [view.id]


def test_an_unknown_view_is_not_found(people: People) -> None:
    with pytest.raises(NotFound):
        saved_views.get(people.alice, uuid.uuid4())
