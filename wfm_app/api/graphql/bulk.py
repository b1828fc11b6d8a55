"""``bulkUpdateItemWFMProgress``: many cards of any kind to one step, each moved on its own
through the one move command (entities/bulk.py), with a result per card (and the history
entry of each move); ``undoItemWFMMove``: a card's last move, undone."""

from __future__ import annotations

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.items import Item
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import bulk, service_of_card
from wfm_app.errors import NotFound


@strawberry.type(name="BulkItemResult")
class BulkItemResult:
    _outcome: strawberry.Private[bulk.CardOutcome]

    @strawberry.field
    def item_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._outcome.card_id))

    @strawberry.field(description="As the actor may see it.")
    def name(self) -> str:
        return self._outcome.name

    @strawberry.field(description="Whether this card was moved.")
    def done(self) -> bool:
        return self._outcome.done

    @strawberry.field(description="The refusal's error code (CONDITION_FAILED, WIP_LIMIT...).")
    def code(self) -> str | None:
        return self._outcome.code

    @strawberry.field
    def message(self) -> str | None:
        return self._outcome.message

    @strawberry.field(description="The move's history entry: what undoItemWFMMove names.")
    def history_id(self) -> strawberry.ID | None:
        history_id = self._outcome.history_id
        return strawberry.ID(str(history_id)) if history_id else None

    @strawberry.field(description="The card after the move.")
    def item(self) -> Item | None:
        outcome = self._outcome
        if outcome.card is None or outcome.service is None:
            return None
        return Item(_read=outcome.card, _service=outcome.service)


@strawberry.type(name="BulkResult")
class BulkResult:
    _result: strawberry.Private[bulk.BulkResult]

    @strawberry.field(description='One sentence: "3 moved; 2 not moved: ... (Acme, Globex)."')
    def summary(self) -> str:
        return self._result.summary

    @strawberry.field
    def done_count(self) -> int:
        return len(self._result.done)

    @strawberry.field
    def refused_count(self) -> int:
        return len(self._result.refused)

    @strawberry.field
    def results(self) -> list[BulkItemResult]:
        return [BulkItemResult(_outcome=outcome) for outcome in self._result.outcomes]


@strawberry.type
class BulkMutations:
    @strawberry.mutation(name="bulkUpdateItemWFMProgress")
    def bulk_update_item_wfm_progress(
        self,
        info: GqlInfo,
        item_ids: list[strawberry.ID],
        target_wfm_workflow_step_id: strawberry.ID,
        comment: str | None = None,
        override: bool | None = False,
    ) -> BulkResult:
        actor = actor_of(info)
        cards = [id_of(one, "itemIds") for one in item_ids[: bulk.MAX_CARDS + 1]]
        step = id_of(target_wfm_workflow_step_id, "step")
        request = MoveRequest(comment=comment, override=bool(override))
        return BulkResult(_result=bulk.move(actor, cards, step, request))

    @strawberry.mutation(
        name="undoItemWFMMove",
        description="Move a card back from its last move (historyId), through the transition "
        "the workflow allows back; its history records the undo.",
    )
    def undo_item_wfm_move(
        self, info: GqlInfo, item_id: strawberry.ID, history_id: strawberry.ID
    ) -> Item:
        card_id = id_of(item_id, "itemId")
        service = service_of_card(card_id)
        if service is None:
            raise NotFound(f"Item {card_id} does not exist.")
        moved = service.undo(actor_of(info), card_id, id_of(history_id, "historyId"))
        return Item(_read=moved.card, _service=service)
