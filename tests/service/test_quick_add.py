"""A card added to a column starts on that step (issue 33.4): only an open step of the
workflow its project type starts on, and not past a blocking WIP limit."""

from __future__ import annotations

import pytest

from tests.service.helpers import sales_graph, step_named, ticket_graph
from wfm_app.engine import steps
from wfm_app.engine.schemas import StepUpdate
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import ValidationFailed, WipLimitReached


def test_a_card_added_to_a_column_starts_on_its_step(seeded) -> None:
    graph = sales_graph()
    proposal = step_named(graph, "Proposal")
    kind = deals.service.starts_on(seeded.alice, graph.id)
    made = deals.service.create(
        seeded.alice, DealCreate(name="Quick", wfm_project_type_id=kind), step_id=proposal.id
    )
    assert made.wfm.step.id == proposal.id and made.wfm.is_active
    assert deals.service.history(seeded.alice, made.id) == []  # created there, not moved
    for step, words in (
        (step_named(graph, "Closed Won"), "cannot start"),
        (step_named(ticket_graph(), "Triaged"), "not part of workflow"),
    ):
        with pytest.raises(ValidationFailed, match=words) as refused:
            deals.service.create(seeded.alice, DealCreate(name="No"), step_id=step.id)
        assert "step_id" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        deals.service.starts_on(seeded.alice, ticket_graph().id)
    assert "wfm_project_type_id" in refused.value.field_errors


def test_a_full_column_with_a_blocking_limit_takes_no_new_card(seeded) -> None:
    qualification = step_named(sales_graph(), "Qualification")
    limited = {**qualification.metadata, "wip_limit": 1, "wip_policy": "block"}
    steps.update_step(seeded.admin, qualification.id, StepUpdate(metadata=limited))
    deals.service.create(seeded.alice, DealCreate(name="First"), step_id=qualification.id)
    with pytest.raises(WipLimitReached, match="holds 1 of its limit of 1"):
        deals.service.create(seeded.alice, DealCreate(name="Second"), step_id=qualification.id)
    assert [d.name for d in deals.service.get_all(seeded.alice)] == ["First"]
