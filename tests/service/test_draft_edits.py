"""Issue 15: an edit of a live version that has cards goes to its draft. The service says
how loaded the live version is and opens (or copies) the draft with a map of the live
version's steps and transitions onto it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.service.helpers import sales_graph, step_named
from wfm_app.engine import definitions, draft_edits, steps, transitions, versions
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Conflict, Forbidden


def test_the_live_load_counts_cards_and_their_steps_only_on_the_live_version(seeded):
    live = sales_graph()
    assert draft_edits.live_load(seeded.admin, live.id) == draft_edits.LiveLoad(0, frozenset())
    first = deals.service.create(seeded.alice, DealCreate(name="One", amount=Decimal(1)))
    deals.service.create(seeded.bob, DealCreate(name="Two", amount=Decimal(2)))
    deals.service.move(seeded.alice, first.id, step_named(live, "Qualification").id)
    load = draft_edits.live_load(seeded.admin, live.id)
    assert load.cards == 2
    assert load.busy_steps == {
        step_named(live, "Prospecting").id,
        step_named(live, "Qualification").id,
    }
    draft = versions.create_draft(seeded.admin, live.id)
    assert draft_edits.live_load(seeded.admin, draft.id).cards == 0  # a draft edits in place
    with pytest.raises(Forbidden):
        draft_edits.live_load(seeded.manager, live.id)


def test_an_edit_opens_the_draft_and_maps_steps_and_transitions_onto_it(seeded):
    live = sales_graph()
    target = draft_edits.draft_for_edit(seeded.admin, live.id)
    assert target.created and target.draft_name == "Standard Sales Process (draft v2)"
    draft = definitions.graph(target.draft_id)
    for step in live.steps:
        assert draft.step(target.steps[step.id]).status.id == step.status.id  # type: ignore[union-attr]
    assert len(target.transitions) == len(live.transitions)
    pairs = {(t.from_step_id, t.to_step_id): t.id for t in draft.transitions}
    for t in live.transitions:
        assert (
            pairs[(target.steps[t.from_step_id], target.steps[t.to_step_id])]
            == (target.transitions[t.id])
        )

    # the second edit finds the same draft, without what was removed from it
    proposal = step_named(live, "Proposal")
    on_proposal = target.steps[proposal.id]
    for t in draft.transitions:
        if on_proposal in (t.from_step_id, t.to_step_id):
            transitions.delete_transition(seeded.admin, t.id)
    steps.delete_step(seeded.admin, on_proposal)
    again = draft_edits.draft_for_edit(seeded.admin, live.id)
    assert (again.draft_id, again.created) == (target.draft_id, False)
    assert proposal.id not in again.steps
    assert len(again.steps) == len(live.steps) - 1
    assert len(sales_graph().steps) == 7  # the live version is as it was

    with pytest.raises(Conflict):  # a draft is edited in place
        draft_edits.draft_for_edit(seeded.admin, target.draft_id)
    with pytest.raises(Forbidden):
        draft_edits.draft_for_edit(seeded.manager, live.id)
