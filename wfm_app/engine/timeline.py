"""A card's timeline: its moves and, asked for, its edits (entries of kind "update"),
oldest first, in one statement for any number of cards.

One statement, not one per table and one more to check which cards the actor may see:
the API's small lists pay a round trip and a statement's Python for each (issue 26). The
cards are a CTE whose projects each table's index is probed for (``among_selected``); the
two tables meet in a UNION ALL, built once; who made each entry is joined once, outside
the union.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Text, Uuid, column, literal, null, select, table
from sqlalchemy.sql import Select, Subquery

from wfm_app.auth import users
from wfm_app.auth.models import User
from wfm_app.auth.users import UserRead
from wfm_app.engine.field_changes import FieldChange
from wfm_app.engine.models import WfmProjectHistory
from wfm_app.engine.schemas import HistoryEntry
from wfm_app.sqltypes import among_selected, table_of

_history = table_of(WfmProjectHistory)
_changes = table_of(FieldChange)
_users = table_of(User)

_MOVES, _EDITS = 0, 1  # at the same instant a move comes before an edit, as it always has


# The cards' projects, as a subquery the legs below read: "cards" names the CTE each call
# defines (of_cards), so the union is built once rather than per call (building it and
# reading its columns cost more than the statement's round trip).
_CARD_PROJECTS = select(table("cards", column("wfm_project_id")).c.wfm_project_id)


def _moves(dialect: str) -> Select[Any]:
    return select(
        _history.c.id,
        _history.c.wfm_project_id,
        _history.c.from_step_id,
        _history.c.to_step_id,
        _history.c.transition_id,
        _history.c.changed_by_user_id,
        _history.c.changed_at,
        _history.c.comment,
        _history.c.move_values.label("values"),
        _history.c.wip_override.label("override"),
        _history.c.kind,
        _history.c.undoes_history_id,
        literal(_MOVES).label("source"),
    ).where(among_selected(dialect, _history.c.wfm_project_id, _CARD_PROJECTS))


def _edits(dialect: str) -> Select[Any]:
    return select(
        _changes.c.id,
        _changes.c.wfm_project_id,
        null().cast(Uuid).label("from_step_id"),
        null().cast(Uuid).label("to_step_id"),
        null().cast(Uuid).label("transition_id"),
        _changes.c.changed_by_user_id,
        _changes.c.changed_at,
        null().cast(Text).label("comment"),
        _changes.c.changes.label("values"),
        literal(False, Boolean).label("override"),
        literal("update", Text).label("kind"),
        null().cast(Uuid).label("undoes_history_id"),
        literal(_EDITS).label("source"),
    ).where(among_selected(dialect, _changes.c.wfm_project_id, _CARD_PROJECTS))


@cache
def _entries(dialect: str, edits: bool) -> tuple[Subquery, list[Any]]:
    """The union and the columns to select from it, in ``HistoryEntry``'s order."""
    moves = _moves(dialect)
    entries = (moves.union_all(_edits(dialect)) if edits else moves).subquery("entries")
    c = entries.c
    return entries, [
        c.id,
        c.wfm_project_id,
        c.from_step_id,
        c.to_step_id,
        c.transition_id,
        c.changed_by_user_id,
        _users.c.display_name,
        c.changed_at,
        c.comment,
        c["values"],
        c.override,
        c.kind,
        c.undoes_history_id,
    ]


# Who made each entry, as UserRead has them (the API shows them without reading them again)
_AUTHOR_WIDTH = len(users.READ_COLUMNS)


@dataclass(frozen=True, slots=True)
class Timelines:
    entries: dict[uuid.UUID, list[HistoryEntry]]  # by card
    authors: dict[uuid.UUID, UserRead]  # who made them (callers decide what is shown)


def statement(cards: Select[Any], dialect: str, *, edits: bool) -> Select[Any]:
    """Each card's timeline: ``cards`` selects ``card_id`` and ``wfm_project_id`` of the
    cards wanted, already narrowed to those the actor may see; every one of them is in
    the answer (``read``), an empty list if nothing has happened to it."""
    wanted = cards.cte("cards")
    entries, columns = _entries(dialect, edits)
    return (
        select(wanted.c.card_id, *users.READ_COLUMNS, *columns)
        .select_from(wanted)
        .outerjoin(entries, entries.c.wfm_project_id == wanted.c.wfm_project_id)
        .outerjoin(_users, _users.c.id == entries.c.changed_by_user_id)
        .order_by(entries.c.changed_at, entries.c.source, entries.c.id)
    )


def read(rows: Iterable[Sequence[Any]]) -> Timelines:
    """The timelines in the rows ``statement`` selected."""
    found: dict[uuid.UUID, list[HistoryEntry]] = {}
    authors: dict[uuid.UUID, UserRead] = {}
    for card_id, *values in rows:
        timeline = found.setdefault(card_id, [])
        entry = values[_AUTHOR_WIDTH:]
        if entry[0] is None:  # the outer join's row for a card with no entries
            continue
        timeline.append(HistoryEntry(*entry))
        author = values[0]  # None when nobody (or nobody still on file) made the entry
        if author is not None and author not in authors:
            authors[author] = UserRead(*values[:_AUTHOR_WIDTH])
    return Timelines(found, authors)
