"""``convertLead`` as PipeCD shapes it: a lead becomes a deal (entities/conversion.py).
People and organizations are not kept here: those targets are refused with a sentence."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.scalars import JSON

from wfm_app.api.graphql import inputs as gin
from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.entity_ops import deal_create
from wfm_app.api.graphql.entity_types import Deal, Lead
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.inputs import parse
from wfm_app.entities import conversion, deals
from wfm_app.errors import ValidationFailed


@strawberry.enum(name="LeadConversionTargetType")
class LeadConversionTargetType(Enum):
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"
    DEAL = "DEAL"
    ALL = "ALL"


@strawberry.input(name="LeadConversionInput")
class LeadConversionInput:
    target_type: LeadConversionTargetType
    deal_data: gin.DealInput | None = None
    # PipeCD's PersonInput and OrganizationInput: accepted as given, refused when used
    person_data: JSON | None = None
    organization_data: JSON | None = None
    preserve_activities: bool | None = None
    create_conversion_activity: bool | None = None


@strawberry.type(name="ConvertedEntities")
class ConvertedEntities:
    deal: Deal | None
    person: JSON | None = None
    organization: JSON | None = None


@strawberry.type(name="LeadConversionResult")
class LeadConversionResult:
    lead_id: strawberry.ID
    converted_entities: ConvertedEntities
    lead: Lead


@strawberry.type
class ConversionMutations:
    @strawberry.mutation(
        name="convertLead",
        description="The lead becomes a deal (targetType DEAL; dealData defaults to the "
        "lead's name, estimated value and close date), and moves to its converted step.",
    )
    def convert_lead(
        self, info: GqlInfo, id: strawberry.ID, input: LeadConversionInput
    ) -> LeadConversionResult:
        if input.target_type is not LeadConversionTargetType.DEAL:
            message = (
                "Only DEAL is a conversion target here: people and organizations are not "
                "kept in this system."
            )
            raise ValidationFailed(message, {"targetType": message})
        actor, lead_id = actor_of(info), id_of(id, "lead")
        # what dealData leaves out comes from the lead, as the form in the app shows it
        values = {
            k: v for k, v in conversion.proposal(actor, lead_id).items() if v not in (None, {})
        }
        if input.deal_data:
            values |= deal_create(input.deal_data).model_dump(exclude_unset=True)
        done = conversion.convert(actor, lead_id, parse(deals.DealCreate, values))
        return LeadConversionResult(
            lead_id=strawberry.ID(str(lead_id)),
            converted_entities=ConvertedEntities(deal=Deal.of(done.deal)),
            lead=Lead.of(done.lead),
        )
