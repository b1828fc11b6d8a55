"""Input types with the spec's names. Unset fields stay unset (UNSET), so an update only
changes what the client sent."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.scalars import JSON


def given(value: object, renames: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields a client actually sent, under the service's names."""
    renames = renames or {}
    out: dict[str, Any] = {}
    for name in getattr(value, "__dataclass_fields__", {}):
        field_value = getattr(value, name)
        if field_value is not strawberry.UNSET:
            out[renames.get(name, name)] = field_value
    return out


@strawberry.input(name="CreateWFMStatusInput")
class CreateWFMStatusInput:
    name: str
    description: str | None = strawberry.UNSET
    color: str | None = strawberry.UNSET


@strawberry.input(name="UpdateWFMStatusInput")
class UpdateWFMStatusInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    color: str | None = strawberry.UNSET
    is_archived: bool | None = strawberry.UNSET


@strawberry.input(name="CreateWFMWorkflowInput")
class CreateWFMWorkflowInput:
    name: str
    description: str | None = strawberry.UNSET
    undo_restores_step: bool | None = strawberry.UNSET
    calendar_id: strawberry.ID | None = strawberry.UNSET  # a business calendar (null: none)
    learned_win_chance: bool | None = strawberry.UNSET


@strawberry.input(name="UpdateWFMWorkflowInput")
class UpdateWFMWorkflowInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    is_archived: bool | None = strawberry.UNSET
    undo_restores_step: bool | None = strawberry.UNSET
    calendar_id: strawberry.ID | None = strawberry.UNSET  # a business calendar (null: none)
    learned_win_chance: bool | None = strawberry.UNSET


@strawberry.input(name="CreateWFMWorkflowStepInput")
class CreateWFMWorkflowStepInput:
    workflow_id: strawberry.ID
    status_id: strawberry.ID
    step_order: int | None = strawberry.UNSET
    is_initial_step: bool | None = strawberry.UNSET
    is_final_step: bool | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET


@strawberry.input(name="UpdateWFMWorkflowStepInput")
class UpdateWFMWorkflowStepInput:
    status_id: strawberry.ID | None = strawberry.UNSET
    is_initial_step: bool | None = strawberry.UNSET
    is_final_step: bool | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET


@strawberry.input(name="CreateWFMWorkflowTransitionInput")
class CreateWFMWorkflowTransitionInput:
    workflow_id: strawberry.ID
    from_step_id: strawberry.ID
    to_step_id: strawberry.ID
    name: str | None = strawberry.UNSET
    conditions: JSON | None = strawberry.UNSET


@strawberry.input(name="UpdateWfmWorkflowTransitionInput")  # PipeCD's spelling
class UpdateWFMWorkflowTransitionInput:
    name: str | None = strawberry.UNSET
    conditions: JSON | None = strawberry.UNSET


@strawberry.input(name="CreateWFMProjectTypeInput")
class CreateWFMProjectTypeInput:
    name: str
    description: str | None = strawberry.UNSET
    default_workflow_id: strawberry.ID | None = strawberry.UNSET
    icon_name: str | None = strawberry.UNSET


@strawberry.input(name="UpdateWFMProjectTypeInput")
class UpdateWFMProjectTypeInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    default_workflow_id: strawberry.ID | None = strawberry.UNSET
    icon_name: str | None = strawberry.UNSET
    is_archived: bool | None = strawberry.UNSET


@strawberry.input(name="CustomFieldValueInput")
class CustomFieldValueInput:
    definition_id: strawberry.ID
    string_value: str | None = None
    number_value: float | None = None
    boolean_value: bool | None = None
    date_value: str | None = None  # PipeCD's client sends a DateTime string
    selected_option_values: list[str] | None = None


@strawberry.input(name="DealInput")
class DealInput:
    name: str
    amount: float | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    expected_close_date: date | None = strawberry.field(
        default=strawberry.UNSET, name="expected_close_date"
    )
    deal_specific_probability: float | None = strawberry.field(
        default=strawberry.UNSET, name="deal_specific_probability"
    )
    wfm_project_type_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET


@strawberry.input(name="DealUpdateInput")
class DealUpdateInput:
    name: str | None = strawberry.UNSET
    amount: float | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    expected_close_date: date | None = strawberry.field(
        default=strawberry.UNSET, name="expected_close_date"
    )
    deal_specific_probability: float | None = strawberry.field(
        default=strawberry.UNSET, name="deal_specific_probability"
    )
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET


@strawberry.input(name="LeadInput")
class LeadInput:
    name: str
    company: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    score: int | None = strawberry.UNSET
    # PipeCD's names (company_name is our company, contact_email our email)
    company_name: str | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    contact_name: str | None = strawberry.UNSET
    contact_phone: str | None = strawberry.UNSET
    estimated_value: float | None = strawberry.UNSET
    estimated_close_date: date | None = strawberry.UNSET
    source: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    wfm_project_type_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET


@strawberry.input(name="LeadUpdateInput")
class LeadUpdateInput:
    name: str | None = strawberry.UNSET
    company: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    score: int | None = strawberry.UNSET
    company_name: str | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    contact_name: str | None = strawberry.UNSET
    contact_phone: str | None = strawberry.UNSET
    estimated_value: float | None = strawberry.UNSET
    estimated_close_date: date | None = strawberry.UNSET
    source: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    lead_score: int | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET


@strawberry.input(name="TicketInput")
class TicketInput:
    name: str
    priority: str | None = strawberry.UNSET
    customer_email: str | None = strawberry.field(default=strawberry.UNSET, name="customer_email")
    due_date: date | None = strawberry.field(default=strawberry.UNSET, name="due_date")
    description: str | None = strawberry.UNSET
    wfm_project_type_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET


@strawberry.input(name="TicketUpdateInput")
class TicketUpdateInput:
    name: str | None = strawberry.UNSET
    priority: str | None = strawberry.UNSET
    customer_email: str | None = strawberry.field(default=strawberry.UNSET, name="customer_email")
    due_date: date | None = strawberry.field(default=strawberry.UNSET, name="due_date")
    description: str | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    assigned_to_user_id: strawberry.ID | None = strawberry.UNSET
    custom_fields: list[CustomFieldValueInput] | None = strawberry.UNSET
