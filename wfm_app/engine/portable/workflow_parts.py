"""The workflow part of ``wfm import``: its steps, transitions, parallel branches and
automation rules made to match the file (the file is the whole truth within a workflow)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from wfm_app.auth import users
from wfm_app.auth.actor import Actor
from wfm_app.engine import definitions, statuses, steps, transitions, workflows
from wfm_app.engine.automation import actions as automation_actions
from wfm_app.engine.automation import rule_admin
from wfm_app.engine.automation.config import SECRET_KEYS, SECRET_MASK, RuleCreate, RuleUpdate
from wfm_app.engine.branches import admin as branch_admin
from wfm_app.engine.branches.admin import BranchCreate, BranchUpdate
from wfm_app.engine.inputs import parse
from wfm_app.engine.portable.document import BranchDoc, RuleDoc, WorkflowDoc
from wfm_app.engine.schemas import (
    StepCreate,
    StepUpdate,
    TransitionCreate,
    TransitionUpdate,
    WorkflowGraph,
)
from wfm_app.errors import ValidationFailed


class WorkflowParts:
    def __init__(
        self,
        actor: Actor,
        session: Session,
        workflow_id: uuid.UUID,
        doc: WorkflowDoc,
        said: Callable[[str], None],
    ) -> None:
        self.actor, self.session, self.workflow_id, self.doc = actor, session, workflow_id, doc
        self.said = said

    def _graph(self) -> WorkflowGraph:
        return definitions.load_graph(self.session, self.workflow_id)

    def steps(self) -> None:
        workflow_id, doc = self.workflow_id, self.doc
        graph = self._graph()
        wanted = {step.status: step for step in doc.steps}
        for step in graph.steps:  # leaving: no card is on them (checked first)
            if step.status.name not in wanted:
                steps.delete_step(self.actor, step.id)
                self.said(f'workflow "{doc.name}": step "{step.status.name}" removed')
        have = {step.status.name: step for step in self._graph().steps}
        # Flags first off where they move, so "one initial step" holds at every write.
        for name, step in have.items():
            if step.is_initial_step and not wanted[name].initial:
                steps.update_step(self.actor, step.id, StepUpdate(is_initial_step=False))
        for name, spec in wanted.items():
            existing = have.get(name)
            metadata = spec.metadata or {}
            if existing is None:
                status = statuses.get_by_name(self.actor, name)
                if status is None:
                    raise ValidationFailed(
                        f'Workflow "{doc.name}" has a step on status "{name}", which neither '
                        "the database nor the file defines.",
                        {"file": f'Unknown status "{name}".'},
                    )
                steps.create_step(
                    self.actor,
                    StepCreate(
                        workflow_id=workflow_id,
                        status_id=status.id,
                        is_initial_step=spec.initial,
                        is_final_step=spec.final,
                        metadata=spec.metadata,
                    ),
                )
                self.said(f'workflow "{doc.name}": step "{name}" added')
            elif (existing.is_initial_step, existing.is_final_step, existing.metadata or {}) != (
                spec.initial,
                spec.final,
                metadata,
            ):
                steps.update_step(
                    self.actor,
                    existing.id,
                    StepUpdate(
                        is_initial_step=spec.initial,
                        is_final_step=spec.final,
                        metadata=spec.metadata,
                    ),
                )
                self.said(f'workflow "{doc.name}": step "{name}" updated')
        current = {step.status.name: step for step in self._graph().steps}  # now
        order = [current[spec.status].id for spec in doc.steps]
        if [s.id for s in sorted(current.values(), key=lambda s: s.step_order)] != order:
            steps.update_steps_order(self.actor, workflow_id, order)
            self.said(f'workflow "{doc.name}": steps reordered')

    def transitions(self) -> None:
        workflow_id, doc = self.workflow_id, self.doc
        graph = self._graph()
        step_of = {step.status.name: step.id for step in graph.steps}
        name_of = {step.id: step.status.name for step in graph.steps}
        have = {(name_of[t.from_step_id], name_of[t.to_step_id]): t for t in graph.transitions}
        wanted = {(t.from_, t.to): t for t in doc.transitions}
        for key, transition in have.items():
            if key not in wanted:
                transitions.delete_transition(self.actor, transition.id)
                self.said(f'workflow "{doc.name}": transition {key[0]} -> {key[1]} removed')
        for key, spec in wanted.items():
            if key[0] not in step_of or key[1] not in step_of:
                raise ValidationFailed(
                    f'Workflow "{doc.name}" has a transition {key[0]} -> {key[1]} between '
                    "steps it does not have.",
                    {"file": f"Unknown step in transition {key[0]} -> {key[1]}."},
                )
            found = have.get(key)
            if found is None:
                transitions.create_transition(
                    self.actor,
                    TransitionCreate(
                        workflow_id=workflow_id,
                        from_step_id=step_of[key[0]],
                        to_step_id=step_of[key[1]],
                        name=spec.name,
                        conditions=spec.conditions,
                    ),
                )
                self.said(f'workflow "{doc.name}": transition {key[0]} -> {key[1]} added')
            elif (found.name, found.conditions) != (spec.name, spec.conditions):
                transitions.update_transition(
                    self.actor,
                    found.id,
                    TransitionUpdate(name=spec.name, conditions=spec.conditions),
                )
                self.said(f'workflow "{doc.name}": transition {key[0]} -> {key[1]} updated')

    def _branch_values(self, spec: BranchDoc) -> dict[str, Any]:
        step_of = {step.status.name: step.id for step in self._graph().steps}
        where = f'Branch "{spec.name}"'
        missing = [n for n in [spec.step, *(spec.holds_back or [])] if n not in step_of]
        if missing:
            message = f'{where} names a step "{missing[0]}" that workflow "{self.doc.name}" lacks.'
            raise ValidationFailed(message, {"file": message})
        own = workflows.get_by_name(self.actor, spec.workflow) if spec.workflow else None
        if spec.workflow and own is None:
            message = f'{where} runs workflow "{spec.workflow}", which does not exist.'
            raise ValidationFailed(message, {"file": message})
        return {
            "name": spec.name,
            "allowed_roles": list(spec.roles),
            "merge_mode": spec.merge,
            "gates_step_ids": (
                [step_of[n] for n in spec.holds_back] if spec.holds_back is not None else None
            ),
            "branch_workflow_id": own.id if own else None,
            "position": spec.position,
        }

    def branches(self) -> None:
        doc, graph = self.doc, self._graph()
        names = {step.id: step.status.name for step in graph.steps}
        have = {(names[b.step_id], b.name): b for b in graph.branches}
        wanted = {(b.step, b.name): b for b in doc.branches}
        for key, branch in have.items():
            if key not in wanted:
                branch_admin.delete_branch(self.actor, branch.id)
                self.said(f'workflow "{doc.name}": branch "{key[1]}" removed')
        step_of = {name: step_id for step_id, name in names.items()}
        for key, spec in wanted.items():
            values = self._branch_values(spec)
            found = have.get(key)
            if found is None:
                data = {**values, "workflow_step_id": step_of[spec.step]}
                branch_admin.create(self.actor, parse(BranchCreate, data))
                self.said(f'workflow "{doc.name}": branch "{spec.name}" added')
                continue
            stored = {
                "name": found.name,
                "allowed_roles": list(found.allowed_roles),
                "merge_mode": found.mode,
                "gates_step_ids": list(found.to_step_ids)
                if found.to_step_ids is not None
                else None,
                "branch_workflow_id": found.branch_workflow_id,
                "position": found.position,
            }
            if stored != {**values, "allowed_roles": sorted(values["allowed_roles"])}:
                branch_admin.update(self.actor, found.id, parse(BranchUpdate, values))
                self.said(f'workflow "{doc.name}": branch "{spec.name}" updated')

    def _rule_values(self, spec: RuleDoc) -> dict[str, Any]:
        graph = self._graph()
        ids: dict[str, dict[str, str]] = {
            "step": {step.status.name: str(step.id) for step in graph.steps},
            "branch": {branch.name: str(branch.id) for branch in graph.branches},
        }
        parts = {
            "trigger_config": dict(spec.trigger_config or {}),
            "action_config": dict(spec.action or {}),
        }
        # A file names steps, branches and people (the registries say which settings do).
        for part, key, what in automation_actions.references(spec.trigger, parts["action_config"]):
            config = parts[part]
            named = key.removesuffix("_id")
            if named not in config:
                continue
            wanted = str(config.pop(named))
            config[key] = (
                self._user_id(spec.name, wanted) if what == "user" else ids[what].get(wanted, "")
            )
        trigger, action = parts["trigger_config"], parts["action_config"]
        step_of = ids["step"]
        for key in SECRET_KEYS:
            if action.get(key) == SECRET_MASK:  # never exported: keep what is stored
                action.pop(key)
        return {
            "name": spec.name,
            "workflow_step_id": step_of.get(spec.step) if spec.step else None,
            "trigger_event": spec.trigger,
            "trigger_config": trigger or None,
            "conditions": spec.conditions,
            "action_config": action or None,
            "is_enabled": spec.enabled,
            "position": spec.position,
        }

    @staticmethod
    def _user_id(rule: str, email: str) -> str:
        user = next((u for u in users.read_all() if u.email == email), None)
        if user is None:
            raise ValidationFailed(
                f'Rule "{rule}" names {email}, who has never signed in here.',
                {"file": f"Unknown user {email}."},
            )
        return str(user.id)

    def rules(self) -> None:
        workflow_id, doc = self.workflow_id, self.doc
        have = {rule.name: rule for rule in rule_admin.get_all(self.actor, workflow_id)}
        wanted = {rule.name: rule for rule in doc.automation_rules}
        for name, rule in have.items():
            if name not in wanted:
                rule_admin.delete(self.actor, rule.id)
                self.said(f'workflow "{doc.name}": rule "{name}" removed')
        for name, spec in wanted.items():
            values = self._rule_values(spec)
            found = have.get(name)
            if found is None:
                rule_admin.create(
                    self.actor, parse(RuleCreate, {**values, "workflow_id": workflow_id})
                )
                self.said(f'workflow "{doc.name}": rule "{name}" added')
                continue
            stored = {
                "name": found.name,
                "workflow_step_id": str(found.workflow_step_id) if found.workflow_step_id else None,
                "trigger_event": found.trigger_event,
                "trigger_config": found.trigger_config or None,
                "conditions": found.conditions,
                "action_config": {
                    k: v for k, v in found.action_config.items() if k not in SECRET_KEYS
                }
                or None,
                "is_enabled": found.is_enabled,
                "position": found.position,
            }
            if stored != values:
                rule_admin.update(self.actor, found.id, parse(RuleUpdate, values))
                self.said(f'workflow "{doc.name}": rule "{name}" updated')
