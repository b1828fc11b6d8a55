"""Acting on many cards at once (a board's "Move selected to", "Assign selected to",
"Delete selected"; GraphQL ``bulkUpdateItemWFMProgress``): each card goes through the one
move, update or delete command on its own, in its own transaction, so each is checked as
if moved alone (rules, conditions, roles) and a WIP limit counts the cards of the batch
moved before it. The result says which were done and, for the others, why not, grouped
by reason: "3 moved; 2 not moved: Expected close date is required ... (Acme, Globex)"."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wfm_app.auth.actor import Actor
from wfm_app.engine.rules import MoveRequest
from wfm_app.entities import service_of_card
from wfm_app.entities.base import EntityService
from wfm_app.entities.moving import MoveResult
from wfm_app.errors import NotFound, ValidationFailed, WfmError

MAX_CARDS = 200

Service = EntityService[Any, Any, Any]


@dataclass(frozen=True, slots=True)
class CardOutcome:
    card_id: uuid.UUID
    name: str  # as the actor may see it; "a card you cannot see" otherwise
    done: bool
    code: str | None = None  # the refusal's error code
    message: str | None = None
    card: Any = None  # the card after the change (None when refused or deleted)
    service: Service | None = None  # its kind's
    history_id: uuid.UUID | None = None  # a move's history row (what undoing it names)


@dataclass(frozen=True, slots=True)
class BulkResult:
    verb: str  # moved, assigned, deleted
    outcomes: tuple[CardOutcome, ...]

    @property
    def done(self) -> list[CardOutcome]:
        return [o for o in self.outcomes if o.done]

    @property
    def refused(self) -> list[CardOutcome]:
        return [o for o in self.outcomes if not o.done]

    @property
    def summary(self) -> str:
        """One sentence: how many were done, and each reason the others were not."""
        parts = [f"{len(self.done)} {self.verb}"]
        reasons: dict[str, list[str]] = {}
        for outcome in self.refused:
            reasons.setdefault(outcome.message or "", []).append(outcome.name)
        for reason, names in reasons.items():
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"{len(names)} not {self.verb}: {reason.rstrip('.')} ({shown})")
        return "; ".join(parts) + "."


def _checked(card_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    unique = list(dict.fromkeys(card_ids))
    if not unique:
        raise ValidationFailed(
            "Select at least one card.", {"itemIds": "Select at least one card."}
        )
    if len(unique) > MAX_CARDS:
        message = f"At most {MAX_CARDS} cards at once."
        raise ValidationFailed(message, {"itemIds": message})
    return unique


def _each(
    actor: Actor | None,
    card_ids: list[uuid.UUID],
    verb: str,
    act: Callable[[Service, uuid.UUID], Any],
) -> BulkResult:
    outcomes = []
    for card_id in _checked(card_ids):
        service = service_of_card(card_id)
        seen = service.get_by_id(actor, card_id) if service is not None else None
        name = seen.name if seen is not None else "a card you cannot see"
        try:
            if service is None or seen is None:
                raise NotFound(f"Card {card_id} does not exist.")
            changed = act(service, card_id)
            if isinstance(changed, MoveResult):
                card, history_id = changed.card, changed.history_id
            else:
                card, history_id = changed, None
            outcomes.append(
                CardOutcome(card_id, name, True, card=card, service=service, history_id=history_id)
            )
        except WfmError as refused:
            refusal = CardOutcome(card_id, name, False, refused.code, refused.message)
            outcomes.append(refusal)
    return BulkResult(verb, tuple(outcomes))


def move(
    actor: Actor | None,
    card_ids: list[uuid.UUID],
    target_step_id: uuid.UUID,
    request: MoveRequest | None = None,
) -> BulkResult:
    """Move each card to ``target_step_id`` through the one move command."""
    return _each(
        actor,
        card_ids,
        "moved",
        lambda service, card_id: service.move_command(
            actor, card_id, target_step_id, request=request
        ),
    )


def undo(actor: Actor | None, moves: dict[uuid.UUID, uuid.UUID]) -> BulkResult:
    """Undo each card's move (card id -> the move's history row), each as ``undo`` does."""
    return _each(
        actor,
        list(moves),
        "moved back",
        lambda service, card_id: service.undo(actor, card_id, moves[card_id]),
    )


def assign(
    actor: Actor | None, card_ids: list[uuid.UUID], assignee_id: uuid.UUID | None
) -> BulkResult:
    """Assign each card to ``assignee_id`` (None: unassign) through the one update."""

    def act(service: Service, card_id: uuid.UUID) -> Any:
        update = service.kind.update_model(assignee_id=assignee_id)
        return service.update(actor, card_id, update)

    return _each(actor, card_ids, "assigned", act)


def delete(actor: Actor | None, card_ids: list[uuid.UUID]) -> BulkResult:
    """Delete each card through the one delete."""
    return _each(
        actor, card_ids, "deleted", lambda service, card_id: service.delete(actor, card_id)
    )
