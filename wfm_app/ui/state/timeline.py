"""A card's one timeline (issue 33.5): its moves, edits (what changed, from and to),
approval decisions and comments, newest first, in the words its forms use."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from wfm_app.engine.branches.reading import BranchActionRead
from wfm_app.engine.comments import CommentRead
from wfm_app.engine.custom_fields import PREFIX, CustomFieldRead
from wfm_app.engine.field_changes import CUSTOM, RENAMED
from wfm_app.engine.registry import EntityDescription
from wfm_app.engine.schemas import HistoryEntry
from wfm_app.ui.state.entity_views import field_text, history_note, plain_text

PEOPLE = set(RENAMED.values())  # fields that hold a person's id
DECIDED = {"approve": "approved", "reject": "rejected"}


@dataclasses.dataclass
class TimelineEntry:
    kind: str  # move | edit | approval | comment
    line: str  # who did what, when
    body: str  # a comment's text, a decision's comment
    runs: list[str]  # what automation rules did because of a move


def when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


@dataclasses.dataclass(frozen=True)
class Words:
    """How one card's fields and values read: labels, people's names, steps' names."""

    description: EntityDescription
    custom: Sequence[CustomFieldRead]
    people: Mapping[str, str]  # user id -> display name
    steps: Mapping[str, str]  # step id -> name, of any version of the card's workflow

    def label(self, key: str) -> str:
        if key.startswith(CUSTOM):
            own = key.removeprefix(CUSTOM)
            return next((f.label for f in self.custom if f.key == own), own.replace("_", " "))
        if key in PEOPLE:
            return "Owner" if key == "owner_id" else "Assigned to"
        spec = next((f for f in self.description.fields if f.key == key), None)
        return spec.label if spec else key.replace("_", " ").capitalize()

    def value(self, key: str, value: Any) -> str:
        if value is None or value in ("", []):
            return "empty"
        if key in PEOPLE:
            return self.people.get(str(value), "a former user")
        spec = next((f for f in self.description.fields if f.key == key), None)
        if spec is None:  # a custom field's
            return plain_text(value)
        if spec.type == "amount":  # the currency it was in is not recorded with it
            return f"{float(value):,.2f}".removesuffix(".00")
        if spec.type == "long_text":
            return f"“{value}”"
        return field_text(spec, value, None)  # as the card's panel shows it: 75 %


def people_in(history: Sequence[HistoryEntry]) -> set[uuid.UUID]:
    """The people an edit named (owner, assignee): their names are looked up once."""
    found = set()
    for entry in history:
        for key, change in (entry.values or {}).items() if entry.kind == "update" else ():
            found |= {uuid.UUID(v) for v in (change["old"], change["new"]) if v and key in PEOPLE}
    return found


def _edit(entry: HistoryEntry, words: Words) -> str:
    parts = [
        f"{words.label(key)} from {words.value(key, change['old'])} "
        f"to {words.value(key, change['new'])}"
        for key, change in (entry.values or {}).items()
    ]
    return f"{entry.changed_by_name or 'Automation'} changed {'; '.join(parts)}"


def _move(entry: HistoryEntry, words: Words) -> str:
    start = (
        words.steps.get(str(entry.from_step_id), "(removed step)")
        if entry.from_step_id
        else "(new)"  # a conversion's first row: the card began there
    )
    line = (
        f"{start} → {words.steps.get(str(entry.to_step_id), '(removed step)')} "
        f"by {entry.changed_by_name or 'Automation'}, {when(entry.changed_at)}"
    )
    values = {  # what the move set: "custom.region" is the custom field Region
        words.label(CUSTOM + k.removeprefix(PREFIX) if k.startswith(PREFIX) else k): v
        for k, v in (entry.values or {}).items()
    }
    why = history_note(entry.comment, values, entry.override, undo=bool(entry.undoes_history_id))
    return f"{line} — {why}" if why else line


def timeline(
    words: Words,
    history: Sequence[HistoryEntry],
    runs: Mapping[uuid.UUID, list[str]],
    approvals: Sequence[BranchActionRead],
    comments: Sequence[CommentRead],
) -> list[TimelineEntry]:
    """Everything that happened to the card, newest first."""
    dated: list[tuple[datetime, TimelineEntry]] = []
    for entry in history:
        if entry.kind == "update":
            line = f"{_edit(entry, words)}, {when(entry.changed_at)}"
            dated.append((entry.changed_at, TimelineEntry("edit", line, "", [])))
        elif entry.kind == "import":  # "Imported from jira.csv, line 12"
            step = words.steps.get(str(entry.to_step_id), "(removed step)")
            line = f"{entry.comment} onto {step} by {entry.changed_by_name or 'Automation'}"
            dated.append(
                (
                    entry.changed_at,
                    TimelineEntry("move", f"{line}, {when(entry.changed_at)}", "", []),
                )
            )
        else:
            line = _move(entry, words)
            dated.append(
                (entry.changed_at, TimelineEntry("move", line, "", runs.get(entry.id, [])))
            )
    for action in approvals:
        who = action.acted_by_name or "Someone"
        did = DECIDED.get(action.action)  # else a step of the branch's own workflow
        what = f"{did} {action.branch_name}" if did else f"moved {action.branch_name} along"
        state = "" if did else f" ({action.state})"
        line = f"{who} {what}{state}, {when(action.acted_at)}"
        dated.append((action.acted_at, TimelineEntry("approval", line, action.comment or "", [])))
    for comment in comments:
        line = f"{comment.author_name} commented, {when(comment.created_at)}"
        dated.append((comment.created_at, TimelineEntry("comment", line, comment.body, [])))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _at, entry in dated]
