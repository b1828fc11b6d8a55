"""Automation over GraphQL: rules (admins), the webhook delivery log (admins), and the
viewer's notifications. Each resolver calls one service function."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.inputs import given
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.automation import notifications, outbox, rule_admin
from wfm_app.engine.automation.config import RuleCreate, RuleRead, RuleUpdate
from wfm_app.engine.automation.notifications import NotificationRead
from wfm_app.engine.automation.outbox import DeliveryRead
from wfm_app.engine.inputs import parse


def _optional_id(value: Any) -> str | None:
    return str(value) if value is not None else None


@strawberry.type(name="WorkflowAutomationRule")
class WorkflowAutomationRule:
    _read: strawberry.Private[RuleRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def name(self) -> str:
        return self._read.name

    @strawberry.field
    def workflow_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.workflow_id))

    @strawberry.field
    def workflow_step_id(self) -> strawberry.ID | None:
        step = _optional_id(self._read.workflow_step_id)
        return strawberry.ID(step) if step else None

    @strawberry.field
    def trigger_event(self) -> str:
        return self._read.trigger_event

    @strawberry.field
    def trigger_config(self) -> JSON | None:
        return JSON(self._read.trigger_config) if self._read.trigger_config else None

    @strawberry.field
    def conditions(self) -> JSON | None:
        return JSON(self._read.conditions) if self._read.conditions is not None else None

    @strawberry.field(description="The action; a webhook's secret is never sent back.")
    def action_config(self) -> JSON:
        return JSON(self._read.action_config)

    @strawberry.field
    def is_enabled(self) -> bool:
        return self._read.is_enabled

    @strawberry.field
    def position(self) -> int:
        return self._read.position

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self._read.updated_at


@strawberry.type(name="Notification")
class Notification:
    _read: strawberry.Private[NotificationRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def message(self) -> str:
        return self._read.message

    @strawberry.field
    def entity_type(self) -> str | None:
        return self._read.entity_type

    @strawberry.field
    def entity_id(self) -> strawberry.ID | None:
        entity = _optional_id(self._read.entity_id)
        return strawberry.ID(entity) if entity else None

    @strawberry.field
    def is_read(self) -> bool:
        return self._read.is_read

    @strawberry.field
    def read_at(self) -> datetime | None:
        return self._read.read_at

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at


@strawberry.type(name="WebhookDelivery")
class WebhookDelivery:
    _read: strawberry.Private[DeliveryRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field(description="The webhook-id header: the same on every attempt.")
    def webhook_id(self) -> str:
        return self._read.webhook_id

    @strawberry.field
    def rule_name(self) -> str:
        return self._read.rule_name

    @strawberry.field
    def url(self) -> str:
        return self._read.url

    @strawberry.field
    def event_type(self) -> str:
        return self._read.event_type

    @strawberry.field(description="pending, delivered or failed")
    def status(self) -> str:
        return self._read.status

    @strawberry.field
    def attempts(self) -> int:
        return self._read.attempts

    @strawberry.field
    def max_attempts(self) -> int:
        return self._read.max_attempts

    @strawberry.field
    def next_attempt_at(self) -> datetime:
        return self._read.next_attempt_at

    @strawberry.field
    def last_error(self) -> str | None:
        return self._read.last_error

    @strawberry.field
    def last_status_code(self) -> int | None:
        return self._read.last_status_code

    @strawberry.field(
        description="Why the last attempt failed, in a word: http_status, timeout, "
        "connection, tls, dns, refused_address, invalid_url, protocol (never the "
        "receiver's answer)."
    )
    def last_error_class(self) -> str | None:
        return self._read.last_error_class

    @strawberry.field(description="How long the last attempt took, in milliseconds.")
    def last_duration_ms(self) -> int | None:
        return self._read.last_duration_ms

    @strawberry.field
    def delivered_at(self) -> datetime | None:
        return self._read.delivered_at

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at


@strawberry.input(name="CreateWorkflowAutomationRuleInput")
class CreateWorkflowAutomationRuleInput:
    name: str
    workflow_id: strawberry.ID
    trigger_event: str
    action_config: JSON
    workflow_step_id: strawberry.ID | None = strawberry.UNSET
    trigger_config: JSON | None = strawberry.UNSET
    conditions: JSON | None = strawberry.UNSET
    is_enabled: bool | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


@strawberry.input(name="UpdateWorkflowAutomationRuleInput")
class UpdateWorkflowAutomationRuleInput:
    name: str | None = strawberry.UNSET
    workflow_step_id: strawberry.ID | None = strawberry.UNSET
    trigger_event: str | None = strawberry.UNSET
    trigger_config: JSON | None = strawberry.UNSET
    conditions: JSON | None = strawberry.UNSET
    action_config: JSON | None = strawberry.UNSET
    is_enabled: bool | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


def _rule_values(value: object) -> dict[str, Any]:
    values = given(value)
    for key in ("workflow_id", "workflow_step_id"):
        if values.get(key) is not None:
            values[key] = id_of(values[key], "workflow step" if "step" in key else "workflow")
    return values


@strawberry.type
class AutomationQueries:
    @strawberry.field
    def workflow_automation_rules(
        self, info: GqlInfo, workflow_id: strawberry.ID
    ) -> list[WorkflowAutomationRule]:
        found = rule_admin.get_all(actor_of(info), id_of(workflow_id, "workflow"))
        return [WorkflowAutomationRule(_read=rule) for rule in found]

    @strawberry.field
    def webhook_deliveries(
        self, info: GqlInfo, status: str | None = None, limit: int = 100
    ) -> list[WebhookDelivery]:
        found = outbox.get_all(actor_of(info), status=status, limit=limit)
        return [WebhookDelivery(_read=delivery) for delivery in found]

    @strawberry.field
    def my_notifications(
        self, info: GqlInfo, unread_only: bool = False, limit: int = 20
    ) -> list[Notification]:
        found = notifications.mine(actor_of(info), unread_only=unread_only, limit=limit)
        return [Notification(_read=note) for note in found]

    @strawberry.field
    def unread_notification_count(self, info: GqlInfo) -> int:
        return notifications.unread_count(actor_of(info))


@strawberry.type
class AutomationMutations:
    @strawberry.mutation
    def create_workflow_automation_rule(
        self, info: GqlInfo, input: CreateWorkflowAutomationRuleInput
    ) -> WorkflowAutomationRule:
        data = parse(RuleCreate, _rule_values(input))
        return WorkflowAutomationRule(_read=rule_admin.create(actor_of(info), data))

    @strawberry.mutation
    def update_workflow_automation_rule(
        self, info: GqlInfo, id: strawberry.ID, input: UpdateWorkflowAutomationRuleInput
    ) -> WorkflowAutomationRule:
        data = parse(RuleUpdate, _rule_values(input))
        rule = rule_admin.update(actor_of(info), id_of(id, "automation rule"), data)
        return WorkflowAutomationRule(_read=rule)

    @strawberry.mutation
    def delete_workflow_automation_rule(self, info: GqlInfo, id: strawberry.ID) -> bool:
        rule_admin.delete(actor_of(info), id_of(id, "automation rule"))
        return True

    @strawberry.mutation
    def retry_webhook_delivery(self, info: GqlInfo, id: strawberry.ID) -> WebhookDelivery:
        delivery = outbox.retry(actor_of(info), id_of(id, "webhook delivery"))
        return WebhookDelivery(_read=delivery)

    @strawberry.mutation
    def mark_notification_read(self, info: GqlInfo, id: strawberry.ID) -> Notification:
        note = notifications.mark_read(actor_of(info), id_of(id, "notification"))
        return Notification(_read=note)

    @strawberry.mutation
    def mark_all_notifications_read(self, info: GqlInfo) -> int:
        return notifications.mark_all_read(actor_of(info))
