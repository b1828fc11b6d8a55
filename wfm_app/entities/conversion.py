"""Leads become deals (PipeCD's ``convertLead``, what every CRM does with a qualified lead).

One transaction: the deal and its WFM project are created, the lead moves to its
workflow's converted step (metadata ``outcome_type: CONVERTED``) through the one move
command (so conditions, WIP limits, branches and automation apply), the lead records who
converted it, when and into which deal, and the deal's history starts with a row of kind
"conversion" naming the lead. A lead is converted once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, update

from wfm_app.auth.actor import UPDATE_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import custom_fields, definitions, step_settings
from wfm_app.engine.access import require_permission
from wfm_app.engine.automation import runner
from wfm_app.engine.models import WfmProjectHistory
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import StepRead, WorkflowGraph
from wfm_app.entities import deals, leads
from wfm_app.errors import Conflict, NotFound, ValidationFailed
from wfm_app.observability import operations
from wfm_app.sqltypes import table_of, utc_now

CONVERTED = "CONVERTED"
CONVERT_LEAD = "CONVERT_LEAD"
_leads: Table = leads.KIND.table
_history: Table = table_of(WfmProjectHistory)


@dataclass(frozen=True)
class Conversion:
    lead: leads.LeadRead
    deal: deals.DealRead


def converted_step(graph: WorkflowGraph) -> StepRead | None:
    """The workflow's step whose outcome is CONVERTED (the first, if several)."""
    return next((s for s in graph.steps if step_settings.of(s).outcome == CONVERTED), None)


def proposal(actor: Actor | None, lead_id: uuid.UUID) -> dict[str, Any]:
    """The deal a lead would become, as the form shows it first: its name, estimated value
    and close date, owner, assignee, and the custom fields deals have under the same key."""
    lead = leads.service.get_by_id(actor, lead_id)
    if lead is None:
        raise NotFound(f"Lead {lead_id} does not exist.")
    deal_keys = {f.key for f in custom_fields.get_all(actor, deals.DESCRIPTION.entity_type)}
    return {
        "name": lead.name,
        "amount": lead.estimated_value,
        "expected_close_date": lead.estimated_close_date,
        "owner_id": lead.owner_id,
        "assignee_id": lead.assignee_id,
        "custom_fields": {k: v for k, v in lead.custom_fields.items() if k in deal_keys},
    }


def convert(actor: Actor | None, lead_id: uuid.UUID, data: deals.DealCreate) -> Conversion:
    """Make ``data`` a deal and move the lead to its converted step, together or not at all."""
    actor = require_permission(actor, UPDATE_PROJECTS, "convert leads")
    with operations.operation(CONVERT_LEAD, "LEAD", actor.user_id, lead_id), unit_of_work() as uow:
        session = uow.session
        row, locked = leads.service._owned_for_update(session, actor, lead_id)
        if row["converted_at"] is not None:
            raise Conflict(
                f'Lead "{row["name"]}" was converted into a deal on '
                f"{row['converted_at']:%Y-%m-%d}; a lead is converted once."
            )
        target = converted_step(definitions.graph(locked.workflow_id))
        if target is None:
            message = (
                "This lead's workflow has no converted step: an admin gives one step the "
                "outcome CONVERTED (and a transition into it) first."
            )
            raise ValidationFailed(message, {"targetType": message})
        deal = deals.service.create(actor, data)
        note = f'Converted to deal "{deal.name}".'
        leads.service.move_command(
            actor, lead_id, target.id, request=MoveRequest(comment=note, converting=True)
        )
        now = utc_now()
        session.execute(
            update(_leads)
            .where(_leads.c.id == lead_id)
            .values(
                converted_at=now,
                converted_to_deal_id=deal.id,
                converted_by_user_id=actor.user_id,
                updated_at=now,
            )
        )
        session.execute(
            insert(_history).values(
                id=uuid.uuid4(),
                wfm_project_id=deal.wfm.wfm_project_id,
                from_step_id=None,
                to_step_id=deal.wfm.step.id if deal.wfm.step else None,
                changed_by_user_id=actor.user_id,
                changed_at=now,
                comment=f'Converted from lead "{row["name"]}".',
                kind="conversion",
                wip_override=False,
            )
        )
        runner.converted(session, actor, locked.id, locked.workflow_id)
        lead = leads.service._fetch(session, lead_id, "updated")
    return Conversion(lead, deal)
