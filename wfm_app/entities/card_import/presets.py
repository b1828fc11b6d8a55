"""Other systems' exports, column by column: Jira's "Export CSV (all fields)" of issues
and ServiceNow's incident list export (by field names, as the list's "Export > CSV"
writes them, or by their labels). A preset proposes a mapping and translates the values
those systems write (their dates, their priorities); any other file is mapped by matching
column names to field labels and keys."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from wfm_app.engine.registry import EntityDescription

# What a column may fill besides the kind's own fields and custom.<key>
OWNER, ASSIGNEE, STEP = "owner", "assignee", "step"
CREATED, EXTERNAL_ID = "created_at", "external_id"
# people by e-mail or name, the step by name; a re-import updates cards by external id
SPECIAL_TARGETS = {
    OWNER: "Owner",
    ASSIGNEE: "Assignee",
    STEP: "Step",
    CREATED: "Created date",
    EXTERNAL_ID: "External id",
}


@dataclass(frozen=True)
class Preset:
    key: str  # also the namespace of its external ids ("jira": issue keys)
    label: str
    # a target -> the column names that fill it, first found wins (case ignored)
    columns: dict[str, tuple[str, ...]]
    priorities: dict[str, str] = field(default_factory=dict)  # their word -> ours
    custom_prefix: str = ""  # "Custom field (Story Points)" fills custom field "Story Points"


JIRA = Preset(
    "jira",
    "Jira (Export CSV, all fields)",
    {
        "name": ("Summary",),
        EXTERNAL_ID: ("Issue key",),
        STEP: ("Status",),
        ASSIGNEE: ("Assignee",),
        OWNER: ("Reporter", "Creator"),
        CREATED: ("Created",),
        "description": ("Description",),
        "priority": ("Priority",),
        "due_date": ("Due Date", "Due date"),
        "expected_close_date": ("Due Date", "Due date"),
    },
    {"highest": "urgent", "high": "high", "medium": "normal", "low": "low", "lowest": "low"},
    custom_prefix="Custom field (",
)
SERVICENOW = Preset(
    "servicenow",
    "ServiceNow (incident list export)",
    {
        "name": ("short_description", "Short description"),
        EXTERNAL_ID: ("number", "Number"),
        STEP: ("state", "State", "incident_state", "Incident state"),
        ASSIGNEE: ("assigned_to", "Assigned to"),
        OWNER: ("opened_by", "Opened by", "caller_id", "Caller"),
        CREATED: ("opened_at", "Opened", "sys_created_on", "Created"),
        "description": ("description", "Description"),
        "priority": ("priority", "Priority"),
        "due_date": ("due_date", "Due date"),
        "customer_email": ("u_customer_email", "caller_id.email"),
    },
    {
        "1 - critical": "urgent",
        "2 - high": "high",
        "3 - moderate": "normal",
        "4 - low": "low",
        "5 - planning": "low",
    },
)
GENERIC = Preset("csv", "Any CSV file (columns matched by name)", {})
PRESETS = {preset.key: preset for preset in (GENERIC, JIRA, SERVICENOW)}


def guess(columns: Sequence[str]) -> Preset:
    """The preset whose tell-tale columns the file has (else the generic one)."""
    names = {c.lower() for c in columns}
    if {"issue key", "summary"} <= names:
        return JIRA
    if {"number", "short_description"} <= names or {"number", "short description"} <= names:
        return SERVICENOW
    return GENERIC


def proposed_mapping(
    preset: Preset, columns: Sequence[str], description: EntityDescription, custom: dict[str, str]
) -> dict[str, str]:
    """column -> target for the columns the preset (or a matching name) knows; ``custom``:
    custom field label -> key. Each target is filled by one column at most."""
    targets = {spec.key for spec in description.fields} | set(SPECIAL_TARGETS)
    by_name = {c.lower(): c for c in columns}
    mapping: dict[str, str] = {}
    for target, names in preset.columns.items():
        found = next((by_name[n.lower()] for n in names if n.lower() in by_name), None)
        if target in targets and found and found not in mapping:
            mapping[found] = target
    words = {spec.label.lower(): spec.key for spec in description.fields}
    words |= {spec.key.lower(): spec.key for spec in description.fields}
    words |= {label.lower(): "custom." + key for label, key in custom.items()}
    words |= {key.lower(): "custom." + key for key in custom.values()}
    words |= {label.lower(): key for key, label in SPECIAL_TARGETS.items()}
    words |= {key: key for key in SPECIAL_TARGETS} | {"status": STEP, "owner": OWNER}
    for column in columns:
        name = column.lower()
        if preset.custom_prefix and column.startswith(preset.custom_prefix):
            name = column.removeprefix(preset.custom_prefix).rstrip(")").lower()
        wanted = words.get(name)
        if column not in mapping and wanted and wanted not in mapping.values():
            mapping[column] = wanted
    return mapping


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%b/%y %I:%M %p",  # Jira: 05/Dec/26 3:04 PM
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
)


def parse_moment(text: str) -> datetime | None:
    """A date or time as spreadsheets, Jira and ServiceNow write it (None: not one);
    an offset ("+0100", "Z") is kept, a time without one is taken as UTC."""
    text = text.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def parse_day(text: str) -> date | None:
    moment = parse_moment(text)
    return moment.date() if moment is not None else None


_SPACES = re.compile(r"\s+")


def translated_priority(preset: Preset, text: str) -> str:
    """Their priority word in ours ("3 - Moderate" -> "normal"); else as written."""
    word = _SPACES.sub(" ", text.strip().lower())
    return preset.priorities.get(word, word)


def pairs(text: str) -> dict[str, str]:
    """ "To Do = New; Done = Closed" -> {"To Do": "New", "Done": "Closed"} (their status
    names to our steps, as people type them in one line)."""
    parts = (part.partition("=") for part in text.replace("\n", ";").split(";"))
    return {k.strip(): v.strip() for k, sep, v in parts if sep and k.strip() and v.strip()}
