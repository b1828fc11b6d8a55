"""Comments on cards: who may read and write them, @mentions that notify only people who
may see the card, bounds, and two organizations kept apart."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.api.in_process import run
from tests.service.test_organizations import organization
from wfm_app.auth import sessions
from wfm_app.auth.actor import MANAGER, MEMBER
from wfm_app.engine.automation import notifications
from wfm_app.entities import deals, tickets
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.tenancy import DEFAULT_ORG_ID, acting_in


def _signed_in(people) -> None:
    """Roles are known from sign-ins: mentions reach people who signed in."""
    for actor, role in ((people.manager, MANAGER), (people.alice, MEMBER), (people.bob, MEMBER)):
        sessions.start(actor.user_id, frozenset({role}), org_id=DEFAULT_ORG_ID, id_token=None)


def test_a_comment_mentions_only_people_who_may_see_the_card(seeded) -> None:
    _signed_in(seeded)
    deal = deals.service.create(seeded.alice, DealCreate(name="Acme", amount=Decimal(5)))
    said = deals.service.add_comment(
        seeded.alice, deal.id, "@Max Manager can you check the terms? cc @bob and @nobody"
    )
    # Bob is a member who does not see Alice's deal: not mentioned, not told
    assert said.mentioned == ("Max Manager",) and said.author_name == "Alice Member"
    told = notifications.mine(seeded.manager)
    assert [n.message for n in told] == ["Alice Member mentioned you on Acme"]
    assert told[0].entity_id == deal.id
    assert notifications.mine(seeded.bob) == []
    deals.service.add_comment(seeded.manager, deal.id, "Looks fine.\nSend it.")
    assert [(c.author_name, c.body) for c in deals.service.comments(seeded.alice, deal.id)] == [
        ("Alice Member", "@Max Manager can you check the terms? cc @bob and @nobody"),
        ("Max Manager", "Looks fine.\nSend it."),
    ]
    with pytest.raises(NotFound):
        deals.service.comments(seeded.bob, deal.id)
    with pytest.raises(NotFound):
        deals.service.add_comment(seeded.bob, deal.id, "Let me in")


def test_bad_comments_are_refused_naming_the_field(seeded) -> None:
    ticket = tickets.service.create(seeded.alice, tickets.TicketCreate(name="Printer"))
    for body, words in (
        ("   ", "Write something"),
        ("x" * 5001, "at most 5,000"),
        ("a\x00", "control"),
    ):
        with pytest.raises(ValidationFailed, match=words) as refused:
            tickets.service.add_comment(seeded.alice, ticket.id, body)
        assert "body" in refused.value.field_errors
    assert tickets.service.comments(seeded.alice, ticket.id) == []


def test_graphql_comments_on_every_card_type(seeded) -> None:
    ticket = tickets.service.create(seeded.alice, tickets.TicketCreate(name="Printer"))
    added = run(
        seeded.alice,
        "mutation($i: ID!, $b: String!) { addComment(itemId: $i, body: $b) { body authorName } }",
        i=str(ticket.id),
        b="It jams on A3.",
    )
    assert added["data"]["addComment"] == {"body": "It jams on A3.", "authorName": "Alice Member"}
    read = run(
        seeded.alice, "query($id: ID!) { ticket(id: $id) { comments { body } } }", id=str(ticket.id)
    )
    assert read["data"]["ticket"]["comments"] == [{"body": "It jams on A3."}]
    missing = run(
        seeded.alice,
        'mutation($i: ID!) { addComment(itemId: $i, body: "x") { body } }',
        i=str(uuid.uuid4()),
    )
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_each_organization_sees_only_its_own_comments(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        deal = deals.service.create(acme.admin, DealCreate(name="Acme deal"))
        deals.service.add_comment(acme.admin, deal.id, "Ours")
    with acting_in(globex.id):
        with pytest.raises(NotFound):
            deals.service.comments(globex.admin, deal.id)
        with pytest.raises(NotFound):
            deals.service.add_comment(globex.admin, deal.id, "Theirs")
