"""The spec's entity operations (deals, leads) and the same for support tickets: each
resolver hands one service call its actor and parsed input."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql import inputs as gin
from wfm_app.api.graphql.common import actor_of, deleted, id_of
from wfm_app.api.graphql.custom_fields import entity_values
from wfm_app.api.graphql.entity_types import Deal, Lead
from wfm_app.api.graphql.responses import DeleteResponse
from wfm_app.api.graphql.ticket_type import Ticket
from wfm_app.api.graphql.types import GqlInfo, User
from wfm_app.engine import people
from wfm_app.engine.inputs import parse
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import deals, leads, tickets
from wfm_app.entities.base import EntityService
from wfm_app.errors import ValidationFailed

# PipeCD's spellings of our fields: either is accepted, both only when they agree.
_SAME_FIELD = {
    "company_name": "company",
    "contact_email": "email",
    "lead_score": "score",
    "assigned_to_user_id": "assignee_id",
}
# PipeCD's create dialogs name the default project type instead of giving its id.
_DEFAULT_TYPE = {"DEAL": "AUTO_DEFAULT_SALES_DEAL", "LEAD": "AUTO_DEFAULT_LEAD_QUALIFICATION"}


def _values(service: EntityService[Any, Any, Any], input: object) -> dict[str, Any]:
    entity_type = service.kind.description.entity_type
    values = entity_values(input, entity_type)
    for theirs, ours in _SAME_FIELD.items():
        if theirs in values:
            value = values.pop(theirs)
            if values.get(ours) not in (None, value):
                message = f"Give {ours} or {theirs}, not two different values."
                raise ValidationFailed(message, {theirs: message})
            values[ours] = value
    type_id = values.get("wfm_project_type_id")
    if isinstance(type_id, str) and type_id.startswith("AUTO_DEFAULT_"):
        if type_id != _DEFAULT_TYPE.get(entity_type):
            message = f"{type_id} is not the default project type of a {service.kind.noun}."
            raise ValidationFailed(message, {"wfm_project_type_id": message})
        values["wfm_project_type_id"] = None  # the service picks the default
    return values


def _create_input(service: EntityService[Any, Any, Any], input: object) -> Any:
    values = _values(service, input)
    return parse(service.kind.create_model, {k: v for k, v in values.items() if v is not None})


def deal_create(input: object) -> deals.DealCreate:
    """A GraphQL DealInput as the deal service takes it (convertLead's dealData too)."""
    return _create_input(deals.service, input)


def _create(info: GqlInfo, service: EntityService[Any, Any, Any], input: object) -> Any:
    return service.create(actor_of(info), _create_input(service, input))


def _update(
    info: GqlInfo, service: EntityService[Any, Any, Any], id: strawberry.ID, input: object
) -> Any:
    kind = service.kind
    data = parse(kind.update_model, _values(service, input))
    return service.update(actor_of(info), id_of(id, kind.noun), data)


def _delete(info: GqlInfo, service: EntityService[Any, Any, Any], id: strawberry.ID) -> Any:
    actor, entity_id = actor_of(info), id_of(id, service.kind.noun)
    success, message = deleted(lambda: service.delete(actor, entity_id))
    return DeleteResponse(success=success, message=message)


def _delete_or_refuse(
    info: GqlInfo, service: EntityService[Any, Any, Any], id: strawberry.ID
) -> bool:
    """PipeCD's delete: true, or the refusal as an error with its code."""
    service.delete(actor_of(info), id_of(id, service.kind.noun))
    return True


def _move(
    info: GqlInfo,
    service: EntityService[Any, Any, Any],
    id: strawberry.ID,
    step: strawberry.ID,
    values: JSON | None,
    comment: str | None,
    override: bool | None,
) -> Any:
    """One move command for every path: values set first, a reason, a manager's override."""
    if values is not None and not isinstance(values, dict):
        message = "values must be an object of field -> value."
        raise ValidationFailed(message, {"values": message})
    request = MoveRequest(values=values, comment=comment, override=bool(override))
    return service.move(
        actor_of(info), id_of(id, service.kind.noun), id_of(step, "step"), request=request
    )


def _get(info: GqlInfo, service: EntityService[Any, Any, Any], id: strawberry.ID) -> Any:
    return service.get_by_id(actor_of(info), id_of(id, service.kind.noun))


@strawberry.type
class EntityQueries:
    @strawberry.field(description="Everyone, for owner and assignee pickers (managers).")
    def users(self, info: GqlInfo) -> list[User]:
        return [User.of(user) for user in people.get_all(actor_of(info))]

    @strawberry.field(description="What the actor may see; userId: one owner's only.")
    def deals(self, info: GqlInfo, user_id: strawberry.ID | None = None) -> list[Deal]:
        owner = id_of(user_id, "user") if user_id else None
        found = deals.service.get_all(actor_of(info), owner_id=owner, with_branches=False)
        info.context.announce_entities(deals.service, found)
        return [Deal.of(d) for d in found]

    @strawberry.field
    def deal(self, info: GqlInfo, id: strawberry.ID) -> Deal | None:
        found = _get(info, deals.service, id)
        return Deal.of(found) if found else None

    @strawberry.field(description="What the actor may see; userId: one owner's only.")
    def leads(self, info: GqlInfo, user_id: strawberry.ID | None = None) -> list[Lead]:
        owner = id_of(user_id, "user") if user_id else None
        found = leads.service.get_all(actor_of(info), owner_id=owner, with_branches=False)
        info.context.announce_entities(leads.service, found)
        return [Lead.of(lead) for lead in found]

    @strawberry.field
    def lead(self, info: GqlInfo, id: strawberry.ID) -> Lead | None:
        found = _get(info, leads.service, id)
        return Lead.of(found) if found else None

    @strawberry.field
    def tickets(self, info: GqlInfo) -> list[Ticket]:
        found = tickets.service.get_all(actor_of(info), with_branches=False)
        info.context.announce_entities(tickets.service, found)
        return [Ticket.of(t) for t in found]

    @strawberry.field
    def ticket(self, info: GqlInfo, id: strawberry.ID) -> Ticket | None:
        found = _get(info, tickets.service, id)
        return Ticket.of(found) if found else None


@strawberry.type
class EntityMutations:
    @strawberry.mutation(name="createDeal")
    def create_deal(self, info: GqlInfo, input: gin.DealInput) -> Deal:
        return Deal.of(_create(info, deals.service, input))

    @strawberry.mutation(name="updateDeal")
    def update_deal(self, info: GqlInfo, id: strawberry.ID, input: gin.DealUpdateInput) -> Deal:
        return Deal.of(_update(info, deals.service, id, input))

    @strawberry.mutation(name="deleteDeal", description="true, or an error with its code.")
    def delete_deal(self, info: GqlInfo, id: strawberry.ID) -> bool:
        return _delete_or_refuse(info, deals.service, id)

    @strawberry.mutation(name="deleteDealWithMessage")
    def delete_deal_with_message(self, info: GqlInfo, id: strawberry.ID) -> DeleteResponse:
        return _delete(info, deals.service, id)

    @strawberry.mutation(name="updateDealWFMProgress")
    def update_deal_wfm_progress(
        self,
        info: GqlInfo,
        deal_id: strawberry.ID,
        target_wfm_workflow_step_id: strawberry.ID,
        values: JSON | None = None,
        comment: str | None = None,
        override: bool | None = False,
    ) -> Deal:
        move = (target_wfm_workflow_step_id, values, comment, override)
        return Deal.of(_move(info, deals.service, deal_id, *move))

    @strawberry.mutation(name="createLead")
    def create_lead(self, info: GqlInfo, input: gin.LeadInput) -> Lead:
        return Lead.of(_create(info, leads.service, input))

    @strawberry.mutation(name="updateLead")
    def update_lead(self, info: GqlInfo, id: strawberry.ID, input: gin.LeadUpdateInput) -> Lead:
        return Lead.of(_update(info, leads.service, id, input))

    @strawberry.mutation(name="deleteLead", description="true, or an error with its code.")
    def delete_lead(self, info: GqlInfo, id: strawberry.ID) -> bool:
        return _delete_or_refuse(info, leads.service, id)

    @strawberry.mutation(name="deleteLeadWithMessage")
    def delete_lead_with_message(self, info: GqlInfo, id: strawberry.ID) -> DeleteResponse:
        return _delete(info, leads.service, id)

    @strawberry.mutation(name="updateLeadWFMProgress")
    def update_lead_wfm_progress(
        self,
        info: GqlInfo,
        lead_id: strawberry.ID,
        target_wfm_workflow_step_id: strawberry.ID,
        values: JSON | None = None,
        comment: str | None = None,
        override: bool | None = False,
    ) -> Lead:
        move = (target_wfm_workflow_step_id, values, comment, override)
        return Lead.of(_move(info, leads.service, lead_id, *move))

    @strawberry.mutation(name="createTicket")
    def create_ticket(self, info: GqlInfo, input: gin.TicketInput) -> Ticket:
        return Ticket.of(_create(info, tickets.service, input))

    @strawberry.mutation(name="updateTicket")
    def update_ticket(
        self, info: GqlInfo, id: strawberry.ID, input: gin.TicketUpdateInput
    ) -> Ticket:
        return Ticket.of(_update(info, tickets.service, id, input))

    @strawberry.mutation(name="deleteTicket")
    def delete_ticket(self, info: GqlInfo, id: strawberry.ID) -> DeleteResponse:
        return _delete(info, tickets.service, id)

    @strawberry.mutation(name="updateTicketWFMProgress")
    def update_ticket_wfm_progress(
        self,
        info: GqlInfo,
        ticket_id: strawberry.ID,
        target_wfm_workflow_step_id: strawberry.ID,
        values: JSON | None = None,
        comment: str | None = None,
        override: bool | None = False,
    ) -> Ticket:
        move = (target_wfm_workflow_step_id, values, comment, override)
        return Ticket.of(_move(info, tickets.service, ticket_id, *move))
