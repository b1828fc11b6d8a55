"""The definitions file: statuses, workflows (steps, transitions with conditions,
parallel branches, automation rules), project types and custom fields, everything named
rather than by id, so a file moves between databases. Checked like any input: each value
bounded, errors name the field."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from wfm_app.engine.inputs import HexColor, Input, Metadata, Name, OptionalText

FORMAT = 1
MAX_ITEMS = 1_000  # of any one list in a file


class StatusDoc(Input):
    name: Name
    description: OptionalText = None
    color: HexColor = None
    archived: bool = False


class StepDoc(Input):
    status: Name
    initial: bool = False
    final: bool = False
    metadata: Metadata = None


class TransitionDoc(Input):
    from_: Name = Field(alias="from")
    to: Name
    name: OptionalText = None
    conditions: Metadata = None


class RuleDoc(Input):
    name: Name
    step: Name | None = None  # the status name of the rule's step
    trigger: Name
    trigger_config: Metadata = None  # from_step: a status name
    conditions: Metadata = None
    action: Metadata = None  # step: a status name; user: an e-mail address
    enabled: bool = True
    position: int = Field(default=0, ge=0, le=10_000)


class BranchDoc(Input):
    name: Name
    step: Name  # the status name of the step it runs on
    roles: list[Name] = Field(min_length=1, max_length=10)
    merge: Name = "all_approved"
    holds_back: list[Name] | None = Field(default=None, max_length=MAX_ITEMS)  # status names
    workflow: Name | None = None  # its own workflow, by name
    position: int = Field(default=0, ge=0, le=10_000)


class WorkflowDoc(Input):
    name: Name
    description: OptionalText = None
    archived: bool = False
    undo_restores_step: bool = False
    steps: list[StepDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    transitions: list[TransitionDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    branches: list[BranchDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    automation_rules: list[RuleDoc] = Field(default_factory=list, max_length=MAX_ITEMS)


class ProjectTypeDoc(Input):
    name: Name
    description: OptionalText = None
    default_workflow: Name | None = None
    icon: OptionalText = None
    archived: bool = False


class KindDoc(Input):
    """A kind an admin defined (built-in kinds are not in files: they are in code)."""

    key: Name
    name: Name
    plural_name: Name
    project_type: Name
    archived: bool = False


class CustomFieldDoc(Input):
    entity_type: Name
    key: Name
    label: Name
    type: Name
    required: bool = False
    options: list[Name] | None = Field(default=None, max_length=MAX_ITEMS)
    help: OptionalText = None
    order: int = Field(default=0, ge=-100_000, le=100_000)
    active: bool = True
    predicts_win: bool = False


class DefinitionsDoc(Input):
    wfm_definitions: int = Field(FORMAT, ge=FORMAT, le=FORMAT)
    statuses: list[StatusDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    workflows: list[WorkflowDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    project_types: list[ProjectTypeDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    kinds: list[KindDoc] = Field(default_factory=list, max_length=MAX_ITEMS)
    custom_fields: list[CustomFieldDoc] = Field(default_factory=list, max_length=MAX_ITEMS)


def dump(document: DefinitionsDoc) -> dict[str, Any]:
    """Plain data for YAML: defaults left out, keys in a stable order."""
    return document.model_dump(by_alias=True, exclude_defaults=True, mode="json") | {
        "wfm_definitions": FORMAT
    }
