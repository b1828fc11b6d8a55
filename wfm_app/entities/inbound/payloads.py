"""What an event says, whatever system sent it: which card (its external id), its name,
the status it is now in, and field values.

- Generic JSON (documented in the README): ``{"external_id": "A-1", "name": "...",
  "status": "In Progress", "fields": {"priority": "high", "custom.region": "EMEA"}}``.
- Jira (``jira:issue_created`` / ``jira:issue_updated``): ``issue.key``,
  ``issue.fields.summary`` / ``description`` / ``priority.name``, the status from the
  changelog's status item (``toString``) or ``issue.fields.status.name``.
- ServiceNow (a business rule posting the incident): ``number``, ``short_description``,
  ``description``, ``state``, ``priority`` ("1 - Critical"), flat or under ``record``;
  its ``sys_id`` is kept, for outbound calls to its Table API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wfm_app.entities.card_import import presets

MAX_TEXT = 10_000
_SYS_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Change:
    external_id: str
    name: str | None
    status: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    sys_id: str | None = None  # ServiceNow's record id (its Table API's address of it)


class Unreadable(ValueError):
    """The body is not an event this endpoint's source sends."""


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):  # Jira's {"name": "High"}, ServiceNow's {"display_value"}
        value = value.get("name") or value.get("display_value") or value.get("value")
    return str(value)[:MAX_TEXT] if value is not None else None


def _generic(body: dict[str, Any]) -> Change:
    fields = body.get("fields") or {}
    if not isinstance(fields, dict):
        raise Unreadable("'fields' must be an object.")
    return Change(
        str(body.get("external_id") or ""),
        _text(body.get("name")),
        _text(body.get("status")),
        {str(k): v for k, v in fields.items()},
    )


def _jira(body: dict[str, Any]) -> Change:
    if body.get("webhookEvent") not in ("jira:issue_created", "jira:issue_updated"):
        raise Unreadable(f"Jira event {str(body.get('webhookEvent'))[:60]!r} is not handled.")
    issue = body.get("issue") or {}
    values = issue.get("fields") or {}
    status = _text(values.get("status"))
    for item in (body.get("changelog") or {}).get("items") or []:
        if item.get("field") == "status":
            status = _text(item.get("toString")) or status
    fields = {}
    if _text(values.get("description")):
        fields["description"] = _text(values.get("description"))
    if _text(values.get("priority")):
        fields["priority"] = presets.translated_priority(
            presets.JIRA, _text(values["priority"]) or ""
        )
    return Change(str(issue.get("key") or ""), _text(values.get("summary")), status, fields)


def _servicenow(body: dict[str, Any]) -> Change:
    nested = body.get("record")
    record: dict[str, Any] = nested if isinstance(nested, dict) else body
    fields = {}
    if _text(record.get("description")):
        fields["description"] = _text(record.get("description"))
    if _text(record.get("priority")):
        word = _text(record.get("priority")) or ""
        fields["priority"] = presets.translated_priority(presets.SERVICENOW, word)
    return Change(
        str(record.get("number") or ""),
        _text(record.get("short_description")),
        _text(record.get("state")),
        fields,
        sys_id if _SYS_ID.fullmatch(sys_id := str(record.get("sys_id") or "")) else None,
    )


READERS = {"generic": _generic, "jira": _jira, "servicenow": _servicenow}


def read(preset: str, body: Any) -> Change:
    if not isinstance(body, dict):
        raise Unreadable("The body must be a JSON object.")
    change = READERS[preset](body)
    if not change.external_id or len(change.external_id) > 200:
        raise Unreadable("The event names no card (its external id, 1-200 characters).")
    return change
