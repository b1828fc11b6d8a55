"""Comments on any card: ``comments`` on every card type (api/graphql/entity_types.py)
and ``addComment(itemId, body)``; the rules are the entity services'."""

from __future__ import annotations

from datetime import datetime

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.comments import CommentRead
from wfm_app.entities import service_of_card
from wfm_app.errors import NotFound


@strawberry.type(name="WFMComment")
class WFMComment:
    _read: strawberry.Private[CommentRead]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self._read.id))

    @strawberry.field
    def body(self) -> str:
        return self._read.body

    @strawberry.field
    def author_id(self) -> strawberry.ID | None:
        author = self._read.author_id
        return strawberry.ID(str(author)) if author else None

    @strawberry.field
    def author_name(self) -> str:
        return self._read.author_name

    @strawberry.field
    def created_at(self) -> datetime:
        return self._read.created_at

    @strawberry.field(description="Who the comment's @mentions notified (display names).")
    def mentioned(self) -> list[str]:
        return list(self._read.mentioned)


@strawberry.type
class CommentMutations:
    @strawberry.mutation(
        name="addComment",
        description="Comment on a card (any kind) one may see; @Display Name mentions "
        "notify the people named who may see it too.",
    )
    def add_comment(self, info: GqlInfo, item_id: strawberry.ID, body: str) -> WFMComment:
        card_id = id_of(item_id, "itemId")
        actor = actor_of(info)
        service = service_of_card(card_id)
        if service is None:
            raise NotFound(f"Item {card_id} does not exist.")
        return WFMComment(_read=service.add_comment(actor, card_id, body))
