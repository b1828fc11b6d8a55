"""Issue 25: automation triggers and actions are registries. Every trigger x action pair
is saved and set off once, and runs (an approval trigger with a message-less notify or a
webhook raised KeyError before); an unknown trigger or action is refused, never
defaulted to a webhook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.service.helpers import lead_graph, sales_graph, step_named
from wfm_app import db
from wfm_app.engine.automation import actions, rule_admin, timers, triggers
from wfm_app.engine.automation.config import RuleCreate
from wfm_app.engine.branches import decisions
from wfm_app.engine.models import WfmProject
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import conversion, deals, leads
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import utc_now

# Where each trigger's rule listens, and a step its card may then move on to (the sales
# process's transitions, without conditions).
LISTENS = {
    "step_entered": ("Qualification", "Prospecting"),
    "transition_taken": ("Qualification", "Prospecting"),
    "step_exited": ("Prospecting", "Prospecting"),
    "entity_created": (None, "Qualification"),
    "time_in_step_exceeded": ("Prospecting", "Qualification"),
    "branch_approved": ("Contract Sent", "Negotiation"),
    "branch_rejected": ("Contract Sent", "Negotiation"),
    # a lead's: a converted lead sits on its converted step, with nowhere for a rule to
    # move it (move_to_step is left out for it)
    "entity_converted": (None, None),
}
CONVERSION = "entity_converted"


def _action(kind: str, people, move_to, field: str = "amount") -> dict:
    return {
        "set_field": {"type": kind, "field": field, "value": "1234"},
        "assign_owner": {"type": kind, "user_id": str(people.bob.user_id)},
        "move_to_step": {"type": kind, "step_id": str(move_to.id) if move_to else ""},
        "notify": {"type": kind, "to": "owner"},  # no message: the sentence is made up
        "webhook": {"type": kind, "url": "https://hooks.example.test/wfm"},
    }[kind]


def _to_contract_sent(alice, deal_id) -> None:
    graph = sales_graph()
    steps = ("Qualification", "Proposal", "Negotiation", "Contract Sent")
    values = {"expected_close_date": "2027-01-31"}
    for name in steps:
        deals.service.move(
            alice, deal_id, step_named(graph, name).id, request=MoveRequest(values=values)
        )


def _set_off(trigger: str, people, rule) -> deals.DealRead:
    """Make one card meet the trigger; the card."""
    alice, graph = people.alice, sales_graph()
    deal = deals.service.create(alice, deals.DealCreate(name=f"{trigger} card"))
    if trigger in ("step_entered", "transition_taken", "step_exited"):
        deals.service.move(alice, deal.id, step_named(graph, "Qualification").id)
    elif trigger == "time_in_step_exceeded":
        long_ago = utc_now() - timedelta(days=30)
        with db.unit_of_work() as uow:
            uow.session.execute(
                update(WfmProject)
                .where(WfmProject.id == deal.wfm.wfm_project_id)
                .values(step_entered_at=long_ago)
            )
        assert timers.scan() >= 1
    elif trigger.startswith("branch_"):
        _to_contract_sent(alice, deal.id)
        branch = next(b for b in graph.branches if b.name == "Legal review")
        verb = "approve" if trigger == "branch_approved" else "reject"
        decisions.act(people.manager, deal.wfm.wfm_project_id, branch.id, verb)
    return deal


def _converted_lead(people) -> leads.LeadRead:
    lead = leads.service.create(people.alice, leads.LeadCreate(name="Converted card"))
    for name in ("Contacted", "Nurturing", "Qualified"):
        leads.service.move(people.alice, lead.id, step_named(lead_graph(), name).id)
    conversion.convert(people.alice, lead.id, deals.DealCreate(name="From a lead"))
    return lead


@pytest.mark.parametrize("trigger", list(triggers.TRIGGERS))
def test_every_trigger_runs_every_action(seeded, trigger):
    assert set(LISTENS) == set(triggers.TRIGGERS)  # a new trigger is tested here too
    on_leads = trigger == CONVERSION
    graph = lead_graph() if on_leads else sales_graph()
    service = leads.service if on_leads else deals.service
    listens, then = LISTENS[trigger]
    for kind in actions.ACTIONS:
        if on_leads and kind == "move_to_step":
            continue
        action = _action(
            kind,
            seeded,
            step_named(graph, then) if then else None,
            "estimated_value" if on_leads else "amount",
        )
        rule = rule_admin.create(
            seeded.admin,
            RuleCreate(
                name=f"{trigger} then {kind}",
                workflow_id=graph.id,
                workflow_step_id=step_named(graph, listens).id if listens else None,
                trigger_event=trigger,
                trigger_config={"after_hours": 1} if trigger == "time_in_step_exceeded" else None,
                action_config=action,
            ),
        )
        try:
            card = _converted_lead(seeded) if on_leads else _set_off(trigger, seeded, rule)
            runs = service.automation_runs(seeded.admin, card.id)
            mine = [run for run in runs if run.rule_name == rule.name]
            assert [run.result for run in mine] == ["done"], (trigger, kind, runs)
            assert mine[0].detail and "{" not in mine[0].detail
        finally:
            rule_admin.delete(seeded.admin, rule.id)


def test_unknown_triggers_and_actions_are_refused_not_defaulted(seeded):
    graph = sales_graph()
    for trigger, action, field in (
        ("card_sneezed", {"type": "notify"}, "trigger_event"),
        ("step_entered", {"type": "launch_rocket", "url": "https://x.test"}, "action_config.type"),
        ("step_entered", {"url": "https://x.test"}, "action_config.type"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            rule_admin.create(
                seeded.admin,
                RuleCreate(
                    name="Odd",
                    workflow_id=graph.id,
                    trigger_event=trigger,
                    action_config=action,
                ),
            )
        assert field in refused.value.field_errors
