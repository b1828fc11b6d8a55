"""How "Call a webhook" speaks to other systems (issue 32.3):

- ``standard``: our own event, the Standard Webhooks envelope (``actions.payload``), signed.
- ``jira``: Jira's "Transition issue" call, ``POST /rest/api/3/issue/{issueIdOrKey}/
  transitions`` with ``{"transition": {"id": "31"}}``; the transition is the one the rule
  maps the card's step to (Jira's transition ids, read from its workflow).
- ``servicenow``: a Table API update, ``PATCH /api/now/table/incident/{sys_id}`` with
  ``{"state": "6", "work_notes": "..."}``; the state is the one the step maps to.

The URL may name the card's ids in the other system: ``{external_id}`` (the key or number
it was imported or received by) and ``{sys_id}`` (ServiceNow's record id, kept from
inbound events). The auth header ("Basic ...", "Bearer ...") is stored with the rule and,
like the signing secret, never shown again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlmodel import Session

from wfm_app.engine import definitions, external_refs
from wfm_app.engine.automation.config import refuse
from wfm_app.engine.automation.events import Event, Subject
from wfm_app.engine.models import WfmProject
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.sqltypes import table_of

FORMATS = {
    "standard": "Our event (Standard Webhooks)",
    "jira": "Jira: transition the issue",
    "servicenow": "ServiceNow: update the record",
}
METHODS = {"standard": "POST", "jira": "POST", "servicenow": "PATCH"}
SYSTEMS = {"jira": "Jira", "servicenow": "ServiceNow"}
VALUE_WORDS = {"jira": "transition id", "servicenow": "state"}  # what a step maps to
MAX_AUTH_LENGTH = 2000
MAX_STEP_VALUES = 200
MAX_VALUE_LENGTH = 100
# An HTTP header value: visible ASCII and spaces, nothing that could end the header.
_HEADER_VALUE = re.compile(r"[\x21-\x7e][\x20-\x7e]*")
_JIRA_TRANSITION = re.compile(r"[0-9]{1,18}")
_projects = table_of(WfmProject)


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: str
    body: dict[str, Any]


def _check_auth(value: Any) -> str | None:
    if value in (None, ""):
        return None
    field = "action_config.auth_header"
    if not isinstance(value, str) or len(value) > MAX_AUTH_LENGTH:
        raise refuse(
            field, f"The auth header must be text of at most {MAX_AUTH_LENGTH} characters."
        )
    if not _HEADER_VALUE.fullmatch(value):
        raise refuse(
            field,
            'The auth header must be one line of printable ASCII, like "Basic dXNlcjp0b2tlbg==".',
        )
    return value


def _check_step_values(graph: WorkflowGraph, shape: str, given: Any) -> dict[str, str]:
    field, word = "action_config.step_values", VALUE_WORDS[shape]
    if not isinstance(given, dict) or not given:
        raise refuse(field, f"Give each step the {word} it stands for, like: Done = 31.")
    if len(given) > MAX_STEP_VALUES:
        raise refuse(field, f"At most {MAX_STEP_VALUES} steps.")
    steps = definitions.steps_by_name(graph)
    out: dict[str, str] = {}
    for name, value in given.items():
        step = steps.get(str(name).strip().lower())
        if step is None:
            raise refuse(field, f'No step "{str(name)[:80]}" on workflow "{graph.workflow.name}".')
        given_text = isinstance(value, str | int) and not isinstance(value, bool)
        text = str(value).strip() if given_text else ""
        if not 1 <= len(text) <= MAX_VALUE_LENGTH:
            raise refuse(field, f'The {word} for "{step.display_name}" must be 1-100 characters.')
        if shape == "jira" and not _JIRA_TRANSITION.fullmatch(text):
            raise refuse(field, f'Jira\'s transition ids are numbers: "{text[:40]}" is not one.')
        out[step.display_name] = text
    return out


def check(graph: WorkflowGraph, config: dict[str, Any], url: str) -> dict[str, Any]:
    """The format's settings as stored (merged into the webhook action's)."""
    shape = config.get("format") or "standard"
    if not isinstance(shape, str) or shape not in FORMATS:
        raise refuse("action_config.format", f"The format must be one of {', '.join(FORMATS)}.")
    out: dict[str, Any] = {}
    if shape != "standard":
        out = {
            "format": shape,
            "step_values": _check_step_values(graph, shape, config.get("step_values")),
        }
    elif "{" in url:
        raise refuse("action_config.url", "{external_id} and {sys_id} are for Jira and ServiceNow.")
    auth = _check_auth(config.get("auth_header"))
    if auth:
        out["auth_header"] = auth
    return out


def _step_name(session: Session, event: Event, subject: Subject) -> str | None:
    """The step the card entered (or, for a timer, the one it is on)."""
    step_id = (
        event.to_step_id
        or session.execute(
            select(_projects.c.current_step_id).where(_projects.c.id == subject.project_id)
        ).scalar()
    )
    step = definitions.graph(subject.workflow_id).step(step_id) if step_id else None
    return step.display_name if step else None


def _url(template: str, ids: dict[str, str]) -> str | None:
    """The URL with the card's ids filled in (None: it names an id the card lacks)."""
    sys_id = ids.get(external_refs.SERVICENOW_SYS_ID)
    others = [v for source, v in ids.items() if source != external_refs.SERVICENOW_SYS_ID]
    values = {"{external_id}": others[-1] if others else None, "{sys_id}": sys_id}
    for placeholder, value in values.items():
        if placeholder in template:
            if value is None:
                return None
            template = template.replace(placeholder, quote(value, safe=""))
    return template


def request(
    session: Session, config: dict[str, Any], event: Event, subject: Subject, summary: str
) -> Request | str:
    """What to send for this card, or a sentence saying why nothing is sent."""
    shape = config.get("format") or "standard"
    url = _url(config["url"], external_refs.ids_of(session, subject.project_id))
    if url is None:
        return "Nothing sent: the card has no id in the other system to put in the URL."
    step = _step_name(session, event, subject)
    value = config.get("step_values", {}).get(step) if step else None
    if value is None:
        return f"Nothing sent: no {VALUE_WORDS[shape]} for the step {step or '(none)'}."
    if shape == "jira":
        return Request(METHODS[shape], url, {"transition": {"id": value}})
    return Request(METHODS[shape], url, {"state": value, "work_notes": summary})


def describe(config: dict[str, Any]) -> str:
    """The rule list's "Then" for a preset: "Transition the Jira issue (3 steps)"."""
    count = len(config.get("step_values") or {})
    what = {"jira": "Transition the Jira issue", "servicenow": "Update the ServiceNow record"}
    return f"{what[config['format']]} ({count} step{'s' if count != 1 else ''})"
