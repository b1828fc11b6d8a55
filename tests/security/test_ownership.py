"""Issue 24.3: an assignee works a card like its owner but cannot take it. Only managers
and admins change a card's owner; nobody but its owner, a manager or an admin deletes
it; whatever an assignee does, the owner keeps seeing their card. Every owner / assignee
/ role combination, through the service and over GraphQL."""

from __future__ import annotations

import pytest

from tests.api.in_process import run
from tests.conftest import make_actor
from wfm_app.auth.actor import MEMBER
from wfm_app.entities import deals, leads, tickets
from wfm_app.errors import Forbidden, NotFound

KINDS = {"deal": deals, "lead": leads, "ticket": tickets}


@pytest.fixture
def cast(seeded):
    """Alice owns a card of each kind, assigned to Bob; Carol is a member with no part in
    them."""
    carol = make_actor("carol", "Carol Member", MEMBER)
    cards = {}
    for noun, module in KINDS.items():
        made = module.service.create(
            seeded.manager,
            module.service.kind.create_model(name=f"Alice's {noun}", owner_id=seeded.alice.user_id),
        )
        cards[noun] = module.service.update(
            seeded.manager, made.id, module.service.kind.update_model(assignee_id=bob_id(seeded))
        )
    return seeded, carol, cards


def bob_id(people):
    return people.bob.user_id


def owner_of(module, card_id, viewer):
    return module.service.get_by_id(viewer, card_id).owner_id


def _update(module, actor, card_id, **values):
    return module.service.update(actor, card_id, module.service.kind.update_model(**values))


@pytest.mark.parametrize("noun", list(KINDS))
def test_who_may_change_the_owner(cast, noun):
    people, carol, cards = cast
    module, card = KINDS[noun], cards[noun]
    alice, bob, manager, admin = people.alice, people.bob, people.manager, people.admin

    # the assignee: not to themselves, not to anyone, not by asking for "nobody" (= me)
    for requested in (bob.user_id, carol.user_id, None):
        with pytest.raises(Forbidden, match="Only managers and admins"):
            _update(module, bob, card.id, owner_id=requested)
    # the owner, a member: may not give it away either
    with pytest.raises(Forbidden, match="Only managers and admins"):
        _update(module, alice, card.id, owner_id=bob.user_id)
    # a member with no part in it: it does not exist for her
    with pytest.raises(NotFound):
        _update(module, carol, card.id, owner_id=carol.user_id)
    # asking for the owner it already has changes nothing, for anyone who may edit it
    for editor in (alice, bob):
        assert _update(module, editor, card.id, owner_id=alice.user_id).owner_id == alice.user_id
    assert owner_of(module, card.id, alice) == alice.user_id

    # managers and admins reassign on purpose, and may hand it back
    assert _update(module, manager, card.id, owner_id=carol.user_id).owner_id == carol.user_id
    assert _update(module, admin, card.id, owner_id=alice.user_id).owner_id == alice.user_id


@pytest.mark.parametrize("noun", list(KINDS))
def test_an_assignee_edits_and_lets_go_but_the_owner_keeps_the_card(cast, noun):
    people, _carol, cards = cast
    module, card = KINDS[noun], cards[noun]
    alice, bob = people.alice, people.bob

    renamed = _update(module, bob, card.id, name=f"Bob edited {noun}")
    assert renamed.name == f"Bob edited {noun}" and renamed.owner_id == alice.user_id
    with pytest.raises(Forbidden):
        _update(module, bob, card.id, owner_id=bob.user_id)
    _update(module, bob, card.id, assignee_id=None)  # Bob lets go of it
    assert module.service.get_by_id(bob, card.id) is None  # no longer his to see
    seen = module.service.get_by_id(alice, card.id)  # Alice still has her card
    assert (seen.owner_id, seen.assignee_id) == (alice.user_id, None)
    assert card.id in {c.id for c in module.service.get_all(alice)}


@pytest.mark.parametrize("noun", list(KINDS))
def test_who_may_delete_a_card(cast, noun):
    people, carol, cards = cast
    module, card = KINDS[noun], cards[noun]
    with pytest.raises(Forbidden, match="Only its owner, managers and admins"):
        module.service.delete(people.bob, card.id)
    with pytest.raises(NotFound):
        module.service.delete(carol, card.id)
    assert module.service.get_by_id(people.alice, card.id) is not None
    module.service.delete(people.alice, card.id)
    other = module.service.create(
        people.manager,
        module.service.kind.create_model(name="Another", owner_id=people.alice.user_id),
    )
    module.service.delete(people.manager, other.id)


def test_the_takeover_is_refused_over_graphql(cast):
    people, _carol, cards = cast
    deal = cards["deal"]
    take = "mutation($id: ID!, $o: ID) { updateDeal(id: $id, input: {ownerId: $o}) { id } }"
    for owner in (str(people.bob.user_id), None):
        answer = run(people.bob, take, id=str(deal.id), o=owner)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
    drop = "mutation($id: ID!) { updateDeal(id: $id, input: {assignedToUserId: null}) { id } }"
    assert "errors" not in run(people.bob, drop, id=str(deal.id))
    mine = run(
        people.alice,
        "query($id: ID!) { deal(id: $id) { name owner_id: user_id } }",
        id=str(deal.id),
    )
    assert mine["data"]["deal"]["owner_id"] == str(people.alice.user_id)
