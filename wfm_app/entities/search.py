"""Search across every kind a person may see (the header's search): names and text
fields, a few newest matches per kind, each kind's own visibility rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.engine import registry
from wfm_app.engine.access import require_permission
from wfm_app.engine.inputs import MAX_NAME_LENGTH, clean_text
from wfm_app.entities import service_for
from wfm_app.errors import ValidationFailed

PER_KIND = 10


@dataclass(frozen=True, slots=True)
class Found:
    """The matches of one kind, newest first (at most PER_KIND; ``more``: there are)."""

    kind: registry.EntityDescription
    cards: list[Any]  # the kind's read values
    more: bool


def everywhere(actor: Actor | None, text: str) -> list[Found]:
    """Each kind's cards whose name or a text field holds ``text`` (any case)."""
    actor = require_permission(actor, READ_PROJECTS, "search cards")
    try:
        text = clean_text(text, what="Search", limit=MAX_NAME_LENGTH)
    except ValueError as error:
        raise ValidationFailed(str(error), {"search": str(error)}) from None
    if not text:
        raise ValidationFailed("Type what to look for.", {"search": "Type what to look for."})
    results = []
    for kind in registry.all_described():
        service = service_for(kind.entity_type)
        if service is None or kind.archived:
            continue
        cards, more = service.matching(actor, text, PER_KIND)
        if cards:
            results.append(Found(kind, cards, more))
    return results
