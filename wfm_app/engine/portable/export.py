"""``wfm export``: the definitions as a file, in a stable order so two exports of the same
definitions are the same text."""

from __future__ import annotations

import uuid
from typing import Any

from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.engine import (
    custom_fields,
    definitions,
    kinds,
    project_types,
    registry,
    statuses,
    versions,
    workflows,
)
from wfm_app.engine.access import require_definitions_manager
from wfm_app.engine.automation import actions as automation_actions
from wfm_app.engine.automation import rule_admin
from wfm_app.engine.automation.config import RuleRead
from wfm_app.engine.portable.document import DefinitionsDoc, dump
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.errors import NotFound


def _names(graph: WorkflowGraph) -> dict[uuid.UUID, str]:
    return {step.id: step.status.name for step in graph.steps}


def _branches(graph: WorkflowGraph) -> list[dict[str, Any]]:
    steps = _names(graph)
    order = {step.id: step.step_order for step in graph.steps}
    return [
        {
            "name": b.name,
            "step": steps[b.step_id],
            "roles": list(b.allowed_roles),
            "merge": b.mode,
            "holds_back": [steps[s] for s in b.to_step_ids] if b.to_step_ids is not None else None,
            "workflow": (
                definitions.graph(b.branch_workflow_id).workflow.name
                if b.branch_workflow_id
                else None
            ),
            "position": b.position,
        }
        for b in sorted(graph.branches, key=lambda b: (order[b.step_id], b.position, b.name))
    ]


def _rule(
    rule: RuleRead,
    graph: WorkflowGraph,
    emails: dict[uuid.UUID, str],
) -> dict[str, Any]:
    steps = _names(graph)
    # What the settings name (the registries of triggers and actions say which) is written
    # by name: a step by its status, a branch by its name, a person by e-mail.
    names: dict[str, dict[str, str]] = {
        "step": {str(step_id): name for step_id, name in steps.items()},
        "branch": {str(b.id): b.name for b in graph.branches},
        "user": {str(user_id): email for user_id, email in emails.items()},
    }
    parts = {
        "trigger_config": dict(rule.trigger_config or {}),
        "action_config": dict(rule.action_config or {}),
    }
    for part, key, what in automation_actions.references(rule.trigger_event, rule.action_config):
        if key in parts[part]:
            value = str(parts[part].pop(key))
            parts[part][key.removesuffix("_id")] = names[what].get(value, "")
    trigger, action = parts["trigger_config"], parts["action_config"]
    return {
        "name": rule.name,
        "step": steps.get(rule.workflow_step_id) if rule.workflow_step_id else None,
        "trigger": rule.trigger_event,
        "trigger_config": trigger or None,
        "conditions": rule.conditions,
        "action": action or None,
        "enabled": rule.is_enabled,
        "position": rule.position,
    }


def _workflow(actor: Actor, graph: WorkflowGraph, emails: dict[uuid.UUID, str]) -> dict[str, Any]:
    steps = _names(graph)
    order = {step.id: step.step_order for step in graph.steps}
    transitions = sorted(
        graph.transitions, key=lambda t: (order[t.from_step_id], order[t.to_step_id])
    )
    rules = sorted(rule_admin.get_all(actor, graph.id), key=lambda r: (r.position, r.name))
    return {
        "name": graph.workflow.name,
        "description": graph.workflow.description,
        "archived": graph.workflow.is_archived,
        "undo_restores_step": graph.workflow.undo_restores_step,
        "steps": [
            {
                "status": step.status.name,
                "initial": step.is_initial_step,
                "final": step.is_final_step,
                "metadata": step.metadata or None,
            }
            for step in sorted(graph.steps, key=lambda s: s.step_order)
        ],
        "transitions": [
            {
                "from": steps[t.from_step_id],
                "to": steps[t.to_step_id],
                "name": t.name,
                "conditions": t.conditions,
            }
            for t in transitions
        ],
        "branches": _branches(graph),
        "automation_rules": [_rule(rule, graph, emails) for rule in rules],
    }


def export(actor: Actor | None, workflow_name: str | None = None) -> dict[str, Any]:
    """Every definition in force (live workflow versions), or one workflow (any version, by
    its name) with the statuses its steps use, the project types that start on it and the
    custom fields of the kinds riding on it."""
    actor = require_definitions_manager(actor)
    every = workflows.get_all(actor) + workflows.get_all(actor, is_archived=True)
    if workflow_name is not None:
        every = [w for w in every if w.name == workflow_name]
        if not every:
            raise NotFound(f'There is no workflow named "{workflow_name}".')
    else:  # the definitions in force: a draft is work in progress, an older version history
        every = [w for w in every if w.version_state == versions.LIVE]
    graphs = sorted((definitions.graph(w.id) for w in every), key=lambda g: g.workflow.name)
    emails = {u.id: u.email for u in users.read_all() if u.email}
    kinds_of = {w.id for w in every}
    all_statuses = statuses.get_all(actor) + statuses.get_all(actor, is_archived=True)
    used = {step.status.name for graph in graphs for step in graph.steps}
    types = project_types.get_all(actor) + project_types.get_all(actor, is_archived=True)
    workflow_names = {
        w.id: w.name for w in workflows.get_all(actor) + workflows.get_all(actor, is_archived=True)
    }
    own_kinds = [k for k in kinds.get_all(actor, include_archived=True) if not k.built_in]
    type_names = {t.id: t.name for t in types}
    if workflow_name is not None:
        all_statuses = [s for s in all_statuses if s.name in used]
        types = [t for t in types if t.default_workflow_id in kinds_of]
        own_kinds = [k for k in own_kinds if k.project_type_id in {t.id for t in types}]
        entity_types = sorted({k.entity_type for g in graphs for k in definitions.kinds_on(g.id)})
    else:
        entity_types = sorted(d.entity_type for d in registry.all_described(include_archived=True))
    fields = [
        f
        for entity_type in entity_types
        for f in custom_fields.get_all(actor, entity_type, include_inactive=True)
    ]
    document = {
        "statuses": [
            {
                "name": s.name,
                "description": s.description,
                "color": s.color,
                "archived": s.is_archived,
            }
            for s in sorted(all_statuses, key=lambda s: s.name)
        ],
        "workflows": [_workflow(actor, graph, emails) for graph in graphs],
        "project_types": [
            {
                "name": t.name,
                "description": t.description,
                "default_workflow": workflow_names.get(t.default_workflow_id)
                if t.default_workflow_id
                else None,
                "icon": t.icon_name,
                "archived": t.is_archived,
            }
            for t in sorted(types, key=lambda t: t.name)
        ],
        "kinds": [
            {
                "key": k.key,
                "name": k.name,
                "plural_name": k.plural_name,
                "project_type": type_names.get(k.project_type_id) if k.project_type_id else "",
                "archived": k.is_archived,
            }
            for k in own_kinds
        ],
        "custom_fields": [
            {
                "entity_type": f.entity_type,
                "key": f.key,
                "label": f.label,
                "type": f.field_type,
                "required": f.required,
                "options": list(f.options) or None,
                "help": f.help,
                "order": f.display_order,
                "active": f.active,
                "predicts_win": f.predicts_win,
            }
            for f in sorted(fields, key=lambda f: (f.entity_type, f.display_order, f.key))
        ],
    }
    return dump(DefinitionsDoc.model_validate(document))
