"""Acting on many cards at once (entities/bulk.py, bulkUpdateItemWFMProgress): each card
checked on its own, a result per card, a summary grouped by reason."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.api.in_process import run
from tests.service.helpers import sales_graph, step_named
from wfm_app.auth.actor import Actor
from wfm_app.engine import steps
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import StepUpdate
from wfm_app.entities import bulk, deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed


def _deal(actor, name, dated=True):
    closing = date(2027, 3, 1) if dated else None
    return deals.service.create(actor, DealCreate(name=name, expected_close_date=closing))


def test_a_bulk_move_checks_each_card_and_says_why_not(seeded):
    graph = sales_graph()
    qualification, proposal = step_named(graph, "Qualification"), step_named(graph, "Proposal")
    acme, globex, initech = (
        _deal(seeded.alice, n, n != "Initech") for n in ("Acme", "Globex", "Initech")
    )
    bobs = _deal(seeded.bob, "Bob's own")
    cards = [acme.id, globex.id, initech.id]
    first = bulk.move(seeded.alice, [*cards, acme.id], qualification.id)  # a repeat counts once
    assert [o.done for o in first.outcomes] == [True, True, True]
    assert first.summary == "3 moved."

    second = bulk.move(seeded.alice, [*cards, bobs.id], proposal.id)
    assert [(o.name, o.done, o.code) for o in second.outcomes] == [
        ("Acme", True, None),
        ("Globex", True, None),
        ("Initech", False, "CONDITION_FAILED"),
        ("a card you cannot see", False, "NOT_FOUND"),
    ]
    assert second.summary.startswith("2 moved; 1 not moved: ")
    assert second.summary.endswith(
        f"(Initech); 1 not moved: Card {bobs.id} does not exist (a card you cannot see)."
    )
    assert deals.service.get_by_id(seeded.alice, initech.id).wfm.step.id == qualification.id
    assert deals.service.get_by_id(seeded.bob, bobs.id).wfm.step.id == graph.initial_step.id


def test_a_wip_limit_counts_the_cards_of_the_batch(seeded):
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    steps.update_step(
        Actor.system(),
        qualification.id,
        StepUpdate(metadata={**qualification.metadata, "wip_limit": 2, "wip_policy": "block"}),
    )
    made = [_deal(seeded.manager, f"Card {n}") for n in range(3)]
    result = bulk.move(seeded.manager, [d.id for d in made], qualification.id)
    assert [o.code for o in result.outcomes] == [None, None, "WIP_LIMIT"]


def test_bulk_assign_and_delete_go_through_the_one_update_and_delete(seeded):
    mine = [_deal(seeded.alice, f"Alice {n}") for n in range(2)]
    handed = bulk.assign(seeded.manager, [d.id for d in mine], seeded.bob.user_id)
    assert handed.summary == "2 assigned."
    assert {deals.service.get_by_id(seeded.bob, d.id).assignee_id for d in mine} == {
        seeded.bob.user_id
    }
    refused = bulk.assign(seeded.alice, [mine[0].id], seeded.manager.user_id)
    assert refused.outcomes[0].code == "FORBIDDEN"  # a member hands work to no one else
    gone = bulk.delete(seeded.bob, [d.id for d in mine])  # bob works them but does not own them
    assert {o.code for o in gone.outcomes} == {"FORBIDDEN"}
    assert bulk.delete(seeded.alice, [d.id for d in mine]).summary == "2 deleted."
    assert deals.service.get_all(seeded.alice) == []


@pytest.mark.parametrize("count", [0, bulk.MAX_CARDS + 1])
def test_an_empty_or_oversized_batch_is_refused(seeded, count):
    with pytest.raises(ValidationFailed) as refused:
        bulk.move(seeded.manager, [uuid.uuid4() for _ in range(count)], uuid.uuid4())
    assert "itemIds" in refused.value.field_errors


def test_bulk_over_graphql_answers_per_card(seeded):
    graph = sales_graph()
    proposal = step_named(graph, "Proposal")
    dated, undated = _deal(seeded.alice, "Dated"), _deal(seeded.alice, "Undated", dated=False)
    for card in (dated, undated):
        deals.service.move(seeded.alice, card.id, step_named(graph, "Qualification").id)
    answer = run(
        seeded.alice,
        """mutation($ids: [ID!]!, $step: ID!) {
          bulkUpdateItemWFMProgress(itemIds: $ids, targetWfmWorkflowStepId: $step) {
            summary doneCount refusedCount
            results { itemId name done code message item { name currentWfmStep { id } } }
          }
        }""",
        ids=[str(dated.id), str(undated.id)],
        step=str(proposal.id),
    )["data"]["bulkUpdateItemWFMProgress"]
    assert (answer["doneCount"], answer["refusedCount"]) == (1, 1)
    done, refused = answer["results"]
    assert done["item"] == {"name": "Dated", "currentWfmStep": {"id": str(proposal.id)}}
    assert (refused["name"], refused["code"], refused["item"]) == (
        "Undated",
        "CONDITION_FAILED",
        None,
    )
    assert answer["summary"].startswith("1 moved; 1 not moved: ")


def test_undo_moves_back_once_and_the_history_says_so(seeded):
    graph = sales_graph()
    prospecting, qualification = graph.initial_step, step_named(graph, "Qualification")
    deal = _deal(seeded.alice, "Undone")
    moved = deals.service.move_command(seeded.alice, deal.id, qualification.id)
    back = deals.service.undo(seeded.alice, deal.id, moved.history_id)
    assert back.card.wfm.step.id == prospecting.id
    history = deals.service.history(seeded.alice, deal.id)
    assert [h.undoes_history_id for h in history] == [None, moved.history_id]
    with pytest.raises(Conflict, match="only its last move can be undone"):
        deals.service.undo(seeded.alice, deal.id, moved.history_id)
    with pytest.raises(NotFound):
        deals.service.undo(seeded.bob, deal.id, back.history_id)  # not bob's to see
    lost = deals.service.move_command(
        seeded.alice,
        deal.id,
        step_named(graph, "Closed Lost").id,
        request=MoveRequest(comment="No budget"),
    )
    with pytest.raises(InvalidTransition):  # no way back from a final step: said, not done
        deals.service.undo(seeded.alice, deal.id, lost.history_id)


def test_a_bulk_move_is_undone_card_by_card(seeded):
    graph = sales_graph()
    qualification = step_named(graph, "Qualification")
    made = [_deal(seeded.alice, f"Batch {n}") for n in range(3)]
    moved = bulk.move(seeded.alice, [d.id for d in made], qualification.id)
    undone = bulk.undo(seeded.alice, {o.card_id: o.history_id for o in moved.done})
    assert undone.summary == "3 moved back."
    assert {deals.service.get_by_id(seeded.alice, d.id).wfm.step.id for d in made} == {
        graph.initial_step.id
    }
    answer = run(
        seeded.alice,
        "mutation($id: ID!, $step: ID!) { bulkUpdateItemWFMProgress(itemIds: [$id], "
        "targetWfmWorkflowStepId: $step) { results { historyId } } }",
        id=str(made[0].id),
        step=str(qualification.id),
    )["data"]["bulkUpdateItemWFMProgress"]
    history_id = answer["results"][0]["historyId"]
    again = run(
        seeded.alice,
        "mutation($id: ID!, $h: ID!) { undoItemWFMMove(itemId: $id, historyId: $h) "
        "{ name currentWfmStep { id } } }",
        id=str(made[0].id),
        h=history_id,
    )["data"]["undoItemWFMMove"]
    assert again == {"name": "Batch 0", "currentWfmStep": {"id": str(graph.initial_step.id)}}


def test_a_workflow_may_let_undo_restore_the_exact_step(seeded):
    graph = sales_graph()
    lost_step = step_named(graph, "Closed Lost")
    deal = _deal(seeded.alice, "Lost by mistake")
    lost = deals.service.move_command(
        seeded.alice, deal.id, lost_step.id, request=MoveRequest(comment="Oops")
    )
    with pytest.raises(InvalidTransition):  # no transition back, and not allowed yet
        deals.service.undo(seeded.alice, deal.id, lost.history_id)
    answer = run(
        seeded.admin,
        "mutation($id: ID!) { updateWFMWorkflow(id: $id, input: {undoRestoresStep: true}) "
        "{ undoRestoresStep } }",
        id=str(graph.id),
    )["data"]["updateWFMWorkflow"]
    assert answer == {"undoRestoresStep": True}
    back = deals.service.undo(seeded.alice, deal.id, lost.history_id)
    assert back.card.wfm.step.id == graph.initial_step.id
    history = deals.service.history(seeded.alice, deal.id)
    assert history[-1].undoes_history_id == lost.history_id
    assert history[-1].to_step_id == graph.initial_step.id
    # an ordinary move still needs its transition
    with pytest.raises(InvalidTransition):
        deals.service.move_command(seeded.alice, deal.id, step_named(graph, "Contract Sent").id)
