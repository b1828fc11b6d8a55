"""A support ticket's GraphQL type: the standard WFM fields (``WFMEntity``) and its own."""

from __future__ import annotations

from datetime import date

import strawberry

from wfm_app.api.graphql.entity_types import WFMEntity
from wfm_app.api.graphql.history import WFMHistoryEntry
from wfm_app.api.graphql.prefetch import Later
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.entities import tickets
from wfm_app.entities.tickets import TicketRead


@strawberry.type(name="Ticket")
class Ticket(WFMEntity):
    @staticmethod
    def of(read: TicketRead) -> Ticket:
        return Ticket(_read=read, _service=tickets.service)

    @strawberry.field
    def priority(self) -> str:
        return str(self._read.priority)

    @strawberry.field(name="customer_email")
    def customer_email(self) -> str | None:
        return self._read.customer_email

    @strawberry.field(name="due_date")
    def due_date(self) -> date | None:
        return self._read.due_date

    @strawberry.field
    def description(self) -> str | None:
        return self._read.description

    @strawberry.field(
        description="Moves, oldest first (limit: at most 1,000).",
        graphql_type=list[WFMHistoryEntry],
    )
    def history(
        self, info: GqlInfo, limit: int | None = None, offset: int | None = None
    ) -> Later[list[WFMHistoryEntry]]:
        workflow_id = self._wfm.workflow_id
        return self._history(
            info,
            limit,
            offset,
            lambda e: WFMHistoryEntry(_read=e, _workflow_id=workflow_id),
            edits=False,
        )
