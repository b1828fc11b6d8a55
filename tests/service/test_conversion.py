"""Issue 29.1: a qualified lead becomes a deal in one transaction; the lead records it and
sits in its converted step; both histories say so; a second conversion, an unqualified
lead or a workflow without a converted step are refused and change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.service.helpers import count, lead_graph, sales_graph, step_named
from wfm_app.engine import steps
from wfm_app.engine.automation import notifications, rule_admin
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.schemas import StepUpdate
from wfm_app.entities import conversion, deals, leads
from wfm_app.entities.deals import Deal
from wfm_app.errors import Conflict, InvalidTransition, ValidationFailed


def qualified_lead(actor, name: str = "Globex renewal") -> leads.LeadRead:
    lead = leads.service.create(
        actor,
        leads.LeadCreate(
            name=name,
            company="Globex",
            estimated_value=Decimal("42000"),
            estimated_close_date=date(2027, 3, 31),
        ),
    )
    graph = lead_graph()
    for step in ("Contacted", "Nurturing", "Qualified"):
        leads.service.move(actor, lead.id, step_named(graph, step).id)
    return lead


def test_a_qualified_lead_becomes_a_deal_in_one_transaction(seeded):
    alice = seeded.alice
    lead = qualified_lead(alice)
    proposed = conversion.proposal(alice, lead.id)
    assert proposed["name"] == "Globex renewal" and proposed["amount"] == Decimal("42000")
    assert proposed["expected_close_date"] == date(2027, 3, 31)
    assert proposed["owner_id"] == alice.user_id

    done = conversion.convert(alice, lead.id, deals.DealCreate(**proposed))
    assert done.deal.name == "Globex renewal" and done.deal.amount == Decimal("42000")
    assert done.deal.wfm.step.display_name == sales_graph().initial_step.display_name
    assert done.lead.wfm.step.display_name == "Converted"
    assert done.lead.converted_to_deal_id == done.deal.id
    assert done.lead.converted_by_user_id == alice.user_id
    assert done.lead.converted_at is not None
    assert done.lead.last_activity_at >= done.lead.converted_at

    lead_history = leads.service.history(alice, lead.id)
    assert lead_history[-1].comment == 'Converted to deal "Globex renewal".'
    assert lead_history[-1].to_step_id == step_named(lead_graph(), "Converted").id
    deal_history = deals.service.history(alice, done.deal.id)
    assert [(h.kind, h.comment) for h in deal_history] == [
        ("conversion", 'Converted from lead "Globex renewal".')
    ]


def test_a_second_conversion_is_refused_and_changes_nothing(seeded):
    lead = qualified_lead(seeded.alice)
    conversion.convert(seeded.alice, lead.id, deals.DealCreate(name="First"))
    before = count(Deal)
    with pytest.raises(Conflict, match="converted once"):
        conversion.convert(seeded.alice, lead.id, deals.DealCreate(name="Second"))
    assert count(Deal) == before


def test_an_unqualified_lead_is_refused_by_the_workflow_and_no_deal_is_left(seeded):
    lead = leads.service.create(seeded.alice, leads.LeadCreate(name="Too early"))
    before = count(Deal)
    with pytest.raises(InvalidTransition, match='"New Lead" to "Converted"'):
        conversion.convert(seeded.alice, lead.id, deals.DealCreate(name="Too early"))
    assert count(Deal) == before  # the deal made first went with the refused move
    assert leads.service.get_by_id(seeded.alice, lead.id).converted_at is None


def test_a_workflow_without_a_converted_step_is_refused_with_a_sentence(seeded):
    lead = qualified_lead(seeded.alice)
    converted = step_named(lead_graph(), "Converted")
    steps.update_step(
        seeded.admin,
        converted.id,
        StepUpdate(metadata={**converted.metadata, "outcome_type": "WON"}),
    )
    with pytest.raises(ValidationFailed, match="no converted step"):
        conversion.convert(seeded.alice, lead.id, deals.DealCreate(name="Nowhere"))


def test_someone_elses_lead_is_not_theirs_to_convert(seeded):
    lead = qualified_lead(seeded.alice)
    with pytest.raises(Exception) as refused:
        conversion.convert(seeded.bob, lead.id, deals.DealCreate(name="Not mine"))
    assert getattr(refused.value, "code", "") in {"FORBIDDEN", "NOT_FOUND"}


def test_a_plain_move_into_the_converted_step_is_refused(seeded):
    lead = qualified_lead(seeded.alice)
    converted = step_named(lead_graph(), "Converted")
    with pytest.raises(InvalidTransition, match="Convert to deal"):
        leads.service.move(seeded.alice, lead.id, converted.id)
    assert leads.service.get_by_id(seeded.alice, lead.id).wfm.step.display_name == "Qualified"


def test_a_conversion_sets_off_the_card_is_converted_rules(seeded):
    rule_admin.create(
        seeded.admin,
        RuleCreate(
            name="Tell the owner",
            workflow_id=lead_graph().id,
            trigger_event="entity_converted",
            action_config={"type": "notify", "to": "owner"},
        ),
    )
    lead = qualified_lead(seeded.alice, "Umbrella")
    conversion.convert(seeded.alice, lead.id, deals.DealCreate(name="Umbrella"))
    runs = leads.service.automation_runs(seeded.alice, lead.id)
    assert [(run.rule_name, run.result) for run in runs] == [("Tell the owner", "done")]
    assert [n.message for n in notifications.mine(seeded.alice)] == [
        'Lead "Umbrella" was converted.'
    ]
