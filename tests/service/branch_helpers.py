"""A deal brought to "Contract Sent", where the seed's parallel approvals hold it, and
the seed's branches there by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.service.helpers import sales_graph, step_named
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate


def deal_on_contract_sent(actor, name="Acme licence"):
    deal = deals.service.create(
        actor, DealCreate(name=name, amount=Decimal(1000), expected_close_date=date(2027, 1, 31))
    )
    graph = sales_graph()
    for step in ["Qualification", "Proposal", "Negotiation", "Contract Sent"]:
        deal = deals.service.move(actor, deal.id, step_named(graph, step).id)
    return deal


def branch_named(name):
    contract = step_named(sales_graph(), "Contract Sent")
    return next(b for b in sales_graph().branches_on(contract.id) if b.name == name)
