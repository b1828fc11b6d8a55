"""Issue 12 (engine): automation rules run in the transaction of what set them off, on
both databases: each trigger and action, rule conditions, rollback, the chain bound and
timers that catch up."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db, organizations
from wfm_app.auth import sessions, users
from wfm_app.engine.automation import notifications, rule_admin, runner, timers
from wfm_app.engine.automation.config import RuleCreate, RuleUpdate
from wfm_app.engine.automation.models import AutomationRun, Notification, WebhookDelivery
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.entities import deals
from wfm_app.errors import NotFound, ValidationFailed
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import DEFAULT_ORG_ID, acting_in

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _rule(admin, name: str, trigger: str, action: dict, step: str | None = None, **more):
    graph = sales_graph()
    return rule_admin.create(
        admin,
        RuleCreate(
            name=name,
            workflow_id=graph.id,
            workflow_step_id=step_named(graph, step).id if step else None,
            trigger_event=trigger,
            action_config=action,
            **more,
        ),
    )


def _deal(actor, name: str = "Acme", **values):
    return deals.service.create(actor, deals.DealCreate(name=name, **values))


def _move(actor, deal, step: str):
    return deals.service.move(actor, deal.id, step_named(sales_graph(), step).id)


def _runs(actor, deal) -> list[tuple[str, str]]:
    return [(run.rule_name, run.result) for run in deals.service.automation_runs(actor, deal.id)]


def test_rules_are_checked_when_saved(seeded):
    graph = sales_graph()
    base = {"name": "x", "workflow_id": graph.id}
    for bad, field in (
        ({"trigger_event": "on_tuesday", "action_config": {"type": "notify"}}, "trigger_event"),
        (
            {"trigger_event": "time_in_step_exceeded", "action_config": {"type": "notify"}},
            "workflow_step_id",
        ),
        (
            {
                "trigger_event": "time_in_step_exceeded",
                "workflow_step_id": graph.steps[0].id,
                "trigger_config": {"after_hours": -1},
                "action_config": {"type": "notify"},
            },
            "trigger_config.after_hours",
        ),
        (
            {"trigger_event": "step_entered", "action_config": {"type": "explode"}},
            "action_config.type",
        ),
        (
            {
                "trigger_event": "step_entered",
                "action_config": {"type": "webhook", "url": "ftp://x"},
            },
            "action_config.url",
        ),
        (
            {
                "trigger_event": "step_entered",
                "action_config": {"type": "webhook", "url": "https://x.test", "secret": "hunter2"},
            },
            "action_config.secret",
        ),
        (
            {
                "trigger_event": "step_entered",
                "action_config": {"type": "set_field", "field": "colour"},
            },
            "action_config.field",
        ),
        (
            {
                "trigger_event": "step_entered",
                "action_config": {"type": "notify", "to": "role", "role": "boss"},
            },
            "action_config.role",
        ),
        (
            {
                "trigger_event": "step_entered",
                "action_config": {"type": "notify"},
                "conditions": {"required_fields": [{"field": "colour"}]},
            },
            "conditions",
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            rule_admin.create(seeded.admin, RuleCreate(**base, **bad))
        assert field in refused.value.field_errors, (bad, refused.value.field_errors)
    with pytest.raises(Exception, match="permission"):
        _rule(seeded.manager, "m", "step_entered", {"type": "notify"})


def test_a_webhook_secret_is_never_read_back(seeded):
    rule = _rule(
        seeded.admin,
        "Hook",
        "step_entered",
        {"type": "webhook", "url": "https://x.test/h", "secret": SECRET},
    )
    assert rule.action_config["secret"] == "********"
    renamed = rule_admin.update(
        seeded.admin, rule.id, RuleUpdate(name="Hook 2", action_config=rule.action_config)
    )
    assert renamed.name == "Hook 2"
    assert rule_admin.enabled_rules(rule.workflow_id)[-1].action_config["secret"] == SECRET


def test_step_entered_sets_a_field_in_the_same_move_and_is_recorded_under_it(seeded):
    _rule(
        seeded.admin,
        "Default amount",
        "step_entered",
        {"type": "set_field", "field": "amount", "value": "1000"},
        step="Qualification",
    )
    deal = _deal(seeded.alice)
    moved = _move(seeded.alice, deal, "Qualification")
    assert moved.amount == Decimal("1000.00")
    [run] = deals.service.automation_runs(seeded.alice, deal.id)
    [history] = deals.service.history(seeded.alice, deal.id)
    assert (run.result, run.history_id, run.trigger_event) == ("done", history.id, "step_entered")
    assert "Amount" in run.detail
    with pytest.raises(NotFound):
        deals.service.automation_runs(seeded.bob, deal.id)


def test_exit_transition_and_creation_triggers(seeded):
    graph = sales_graph()
    _rule(
        seeded.admin,
        "Left prospecting",
        "step_exited",
        {"type": "notify", "to": "owner"},
        step="Prospecting",
    )
    _rule(
        seeded.admin,
        "Sent back",
        "transition_taken",
        {"type": "notify", "to": "owner", "message": "Sent back to prospecting"},
        step="Prospecting",
        trigger_config={"from_step_id": str(step_named(graph, "Qualification").id)},
    )
    _rule(
        seeded.admin,
        "Give to Bob",
        "entity_created",
        {"type": "assign_owner", "user_id": str(seeded.bob.user_id)},
    )
    deal = _deal(seeded.alice)
    assert deal.owner_id == seeded.bob.user_id  # assigned on creation, in the same transaction
    _move(seeded.bob, deal, "Qualification")
    _move(seeded.bob, deal, "Prospecting")
    messages = [n.message for n in notifications.mine(seeded.bob)]
    assert messages == ["Sent back to prospecting", 'Deal "Acme" left Prospecting.']
    assert notifications.unread_count(seeded.bob) == 2
    assert _runs(seeded.bob, deal) == [
        ("Give to Bob", "done"),
        ("Left prospecting", "done"),
        ("Sent back", "done"),
    ]


def test_conditions_decide_whether_a_rule_runs(seeded):
    _rule(
        seeded.admin,
        "Big deals",
        "step_entered",
        {"type": "notify", "to": "owner"},
        step="Qualification",
        conditions={"required_fields": [{"field": "amount", "condition": "gt", "value": 10000}]},
    )
    small, big = _deal(seeded.alice, "Small", amount=5), _deal(seeded.alice, "Big", amount=50000)
    _move(seeded.alice, small, "Qualification")
    _move(seeded.alice, big, "Qualification")
    assert _runs(seeded.alice, small) == [("Big deals", "skipped")]
    assert _runs(seeded.alice, big) == [("Big deals", "done")]
    assert [n.message for n in notifications.mine(seeded.alice)] == [
        'Deal "Big" entered Qualification.'
    ]


def test_a_failing_action_rolls_the_move_back_with_a_sentence(seeded):
    _rule(
        seeded.admin,
        "Bad amount",
        "step_entered",
        {"type": "set_field", "field": "amount", "value": "lots"},
        step="Qualification",
    )
    _rule(seeded.admin, "Hook", "step_entered", {"type": "webhook", "url": "https://x.test/h"})
    deal = _deal(seeded.alice)
    with pytest.raises(ValidationFailed, match='Automation rule "Bad amount" could not run'):
        _move(seeded.alice, deal, "Qualification")
    again = deals.service.get_by_id(seeded.alice, deal.id)
    assert again is not None and again.wfm.step_name == "Prospecting"
    assert count(WfmProjectHistory) == 0
    assert count(AutomationRun) == 0
    assert count(WebhookDelivery) == 0  # nothing is sent for a move that did not happen


def test_move_to_step_goes_through_the_move_command(seeded):
    _rule(
        seeded.admin,
        "Straight to proposal",
        "step_entered",
        {"type": "move_to_step", "step_id": str(step_named(sales_graph(), "Proposal").id)},
        step="Qualification",
    )
    deal = _deal(seeded.alice)
    with pytest.raises(Exception, match="Expected close date is required"):
        _move(seeded.alice, deal, "Qualification")  # Proposal's condition holds for rules too
    dated = _deal(seeded.alice, "Dated", expected_close_date="2027-01-31")
    moved = _move(seeded.alice, dated, "Qualification")
    assert moved.wfm.step_name == "Proposal"
    assert [h.changed_by_user_id for h in deals.service.history(seeded.alice, dated.id)] == [
        seeded.alice.user_id,
        None,  # the automation's own move
    ]


def test_a_rule_that_sets_itself_off_stops_at_the_chain_bound(seeded):
    graph = sales_graph()
    there = {"type": "move_to_step", "step_id": str(step_named(graph, "Prospecting").id)}
    back = {"type": "move_to_step", "step_id": str(step_named(graph, "Qualification").id)}
    _rule(seeded.admin, "Back", "step_entered", there, step="Qualification")
    _rule(seeded.admin, "Forth", "step_entered", back, step="Prospecting")
    deal = _deal(seeded.alice)
    moved = _move(seeded.alice, deal, "Qualification")
    assert moved.wfm.step_name == "Prospecting"
    assert len(deals.service.history(seeded.alice, deal.id)) == 1 + runner.MAX_DEPTH
    stopped = [
        run
        for run in deals.service.automation_runs(seeded.alice, deal.id)
        if run.result == "stopped"
    ]
    assert len(stopped) == 1 and "levels deep" in stopped[0].detail


def test_notifications_reach_only_who_may_see_the_card(seeded):
    for actor, role in (
        (seeded.manager, "wfm_manager"),
        (seeded.bob, "wfm_member"),
        (seeded.alice, "wfm_member"),
    ):
        sessions.start(actor.user_id, frozenset({role}), org_id=DEFAULT_ORG_ID, id_token=None)
    # a manager of another organization, signed in there: never told of this one's cards
    elsewhere, _ = organizations.ensure("elsewhere")
    with acting_in(elsewhere):
        outsider = users.upsert(issuer="x", subject="m", email=None, display_name="Outsider")
    sessions.start(outsider.id, frozenset({"wfm_manager"}), org_id=elsewhere, id_token=None)
    _rule(
        seeded.admin,
        "Members",
        "step_entered",
        {"type": "notify", "to": "role", "role": "wfm_member"},
    )
    _rule(
        seeded.admin,
        "Managers",
        "step_entered",
        {"type": "notify", "to": "role", "role": "wfm_manager"},
    )
    deal = _deal(seeded.alice)
    _move(seeded.alice, deal, "Qualification")
    assert notifications.unread_count(seeded.alice) == 1
    assert notifications.unread_count(seeded.manager) == 1
    assert notifications.unread_count(seeded.bob) == 0  # Alice's deal is not his to see
    assert count(Notification, Notification.user_id == outsider.id) == 0
    [note] = notifications.mine(seeded.alice)
    with pytest.raises(NotFound):
        notifications.mark_read(seeded.bob, note.id)
    assert notifications.mark_read(seeded.alice, note.id).is_read
    assert notifications.unread_count(seeded.alice) == 0
    assert notifications.mark_all_read(seeded.manager) == 1


def _backdate(deal, hours: float) -> None:
    project_id = deal.wfm.wfm_project_id
    with db.get_engine().begin() as conn:
        conn.execute(
            update(WfmProject)
            .where(WfmProject.id == project_id)  # type: ignore[arg-type]
            .values(step_entered_at=utc_now() - timedelta(hours=hours))
        )


def test_time_in_step_fires_once_per_stay_and_catches_up(seeded):
    _rule(
        seeded.admin,
        "Stale prospect",
        "time_in_step_exceeded",
        {"type": "notify", "to": "owner"},
        step="Prospecting",
        trigger_config={"after_hours": 24},
    )
    fresh, stale = _deal(seeded.alice, "Fresh"), _deal(seeded.alice, "Stale")
    _backdate(stale, 30)  # it came due while no worker ran
    assert timers.due_count() == 1  # wfm_timers_due: waiting for a worker's scan
    assert timers.scan() == 1
    assert timers.due_count() == 0
    assert timers.scan() == 0  # once per stay
    assert [n.message for n in notifications.mine(seeded.alice)] == [
        'Deal "Stale" has been in Prospecting longer than 24 hours.'
    ]
    _move(seeded.alice, stale, "Qualification")
    _move(seeded.alice, stale, "Prospecting")
    _backdate(stale, 25)  # a new stay
    assert timers.scan() == 1
    assert _runs(seeded.alice, fresh) == []
    assert [r for r in _runs(seeded.alice, stale)] == [("Stale prospect", "done")] * 2


def test_a_timer_defaults_to_the_steps_rotting_time(seeded):
    rule = _rule(
        seeded.admin,
        "Rotting negotiation",
        "time_in_step_exceeded",
        {"type": "notify", "to": "owner"},
        step="Negotiation",
    )
    assert rule.trigger_config == {"after_hours": 14 * 24}  # the seeded rotting_days
    in_days = _rule(
        seeded.admin,
        "Two days",
        "time_in_step_exceeded",
        {"type": "notify", "to": "owner"},
        step="Prospecting",
        trigger_config={"afterDays": 2},
    )
    assert in_days.trigger_config == {"after_hours": 48}


def test_a_failing_timer_is_recorded_once_not_retried_forever(seeded):
    _rule(
        seeded.admin,
        "Broken",
        "time_in_step_exceeded",
        {"type": "set_field", "field": "amount", "value": "lots"},
        step="Prospecting",
        trigger_config={"after_hours": 1},
    )
    deal = _deal(seeded.alice)
    _backdate(deal, 2)
    assert timers.scan() == 0
    assert timers.scan() == 0
    assert _runs(seeded.alice, deal) == [("Broken", "failed")]


def test_rotting_and_sla_badges(seeded):
    graph = sales_graph()
    negotiation = step_named(graph, "Negotiation")
    assert negotiation.metadata["rotting_days"] == 14  # seeded
    now = utc_now()
    assert timers.overdue_label(negotiation, now - timedelta(days=3), now) == ""
    assert timers.overdue_label(negotiation, now - timedelta(days=16), now) == "Rotting · 16 days"
