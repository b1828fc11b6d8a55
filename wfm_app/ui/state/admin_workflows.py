"""The editor of one workflow (steps, order, transitions; the list: admin_workflow_list.py)."""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS
from wfm_app.engine import (
    analysis,
    rules,
    statuses,
    step_settings,
    steps,
    transitions,
    workflows,
)
from wfm_app.engine.registry import MetadataKey
from wfm_app.engine.schemas import (
    StepCreate,
    StepRead,
    StepUpdate,
    TransitionCreate,
    WorkflowUpdate,
)
from wfm_app.ui.components.diagram import describe, workflow_svg
from wfm_app.ui.state.adapters import (
    as_uuid,
    attempt,
    completed,
    form_values,
    page_id,
    parse_or_errors,
    reset_form,
)
from wfm_app.ui.state.session import SessionState
from wfm_app.ui.state.transition_conditions import ConditionsMixin
from wfm_app.ui.state.workflow_automations import AutomationsMixin
from wfm_app.ui.state.workflow_branches import BranchesMixin
from wfm_app.ui.state.workflow_calendars import CalendarChoicesMixin
from wfm_app.ui.state.workflow_live_edits import LiveEditsMixin
from wfm_app.ui.state.workflow_versions import WorkflowVersionsMixin
from wfm_app.ui.state.workflow_win_chance import WinChanceMixin

META = "meta:"  # a step row's value of metadata key k is under "meta:k"


def _step_row(step: StepRead, keys: dict[str, MetadataKey]) -> dict[str, str]:
    """A step as the editor lists it: the metadata keys the workflow's entity kinds read
    each get their own input; anything else stays in the JSON box."""
    known = {*step_settings.KEYS, *keys}
    extra = {k: v for k, v in step.metadata.items() if k not in known}
    summary = " ".join(
        f"{spec.label} {step.metadata[key]}{'' if spec.unit in ('', '%') else ' '}{spec.unit}"
        for key, spec in keys.items()
        if step.metadata.get(key) is not None
    )
    settings = step_settings.of(step)
    if settings.wip_limit is not None:
        summary += f" WIP {settings.wip_limit} ({'block' if settings.blocks else 'warn'})"
    return {
        "id": str(step.id),
        "order": str(step.step_order),
        "status": step.status.name,
        "color": step.status.color or "",
        "name": step.display_name,
        "own_name": str(step.metadata.get("name") or ""),
        "initial": "yes" if step.is_initial_step else "",
        "final": "yes" if step.is_final_step else "",
        "summary": summary,
        "outcome": str(step.metadata.get(step_settings.OUTCOME) or ""),
        "outcome_words": step_settings.OUTCOME_WORDS.get(
            str(step.metadata.get(step_settings.OUTCOME)), ""
        ),
        "wip_limit": _text(step.metadata.get(step_settings.WIP_LIMIT)),
        "wip_policy": _text(step.metadata.get(step_settings.WIP_POLICY)),
        "calendar": _text(step.metadata.get(step_settings.CALENDAR)),
        "extra": json.dumps(extra, indent=1) if extra else "",
        **{META + key: _text(step.metadata.get(key)) for key in keys},
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class WorkflowEditorState(
    ConditionsMixin,
    AutomationsMixin,
    WorkflowVersionsMixin,
    BranchesMixin,
    CalendarChoicesMixin,
    WinChanceMixin,
    LiveEditsMixin,
    SessionState,
):
    workflow_id: str = ""
    workflow_name: str = ""
    workflow_description: str = ""
    workflow_undo_restores_step: bool = False
    steps: list[dict[str, str]] = []
    # the metadata inputs of the step forms: key, caption, and the row key of its value
    metadata_fields: list[dict[str, str]] = []
    transitions: list[dict[str, str]] = []
    free_statuses: list[dict[str, str]] = []
    step_options: list[dict[str, str]] = []
    warnings: list[str] = []
    diagram: str = ""
    diagram_label: str = ""
    error: str = ""
    not_found: bool = False
    step_errors: dict[str, str] = {}
    workflow_errors: dict[str, str] = {}
    transition_errors: dict[str, str] = {}
    # the Edit step dialog
    edit_open: bool = False
    edit_step: dict[str, str] = {}
    edit_errors: dict[str, str] = {}
    edit_error: str = ""

    def _reload(self) -> None:
        actor = self._actor()
        workflow_id = as_uuid(self.workflow_id)
        graph = workflows.get_by_id(actor, workflow_id) if workflow_id else None
        self.not_found = graph is None
        if graph is None:
            return
        self.workflow_name = graph.workflow.name
        self.workflow_description = graph.workflow.description or ""
        self.workflow_undo_restores_step = graph.workflow.undo_restores_step
        keys = steps.metadata_keys(graph.id)
        self.metadata_fields = [
            {"key": key, "caption": spec.caption, "value": META + key} for key, spec in keys.items()
        ]
        self.steps = [_step_row(step, keys) for step in graph.steps]
        names = {step.id: step.display_name for step in graph.steps}
        order = {step.id: step.step_order for step in graph.steps}
        labels = rules.field_labels(graph.id)
        self._conditions = {str(t.id): t.conditions or {} for t in graph.transitions}
        self.condition_fields = [{"value": k, "label": v} for k, v in labels.items()]
        self.transitions = [
            {
                "id": str(t.id),
                "from": names[t.from_step_id],
                "to": names[t.to_step_id],
                "name": t.name or "",
                "conditions": rules.describe(t.conditions, labels),
            }
            for t in sorted(
                graph.transitions, key=lambda t: (order[t.from_step_id], order[t.to_step_id])
            )
        ]
        used = {step.status.id for step in graph.steps}
        self.free_statuses = [
            {"value": str(s.id), "label": s.name}
            for s in statuses.get_all(actor)
            if s.id not in used
        ]
        self.step_options = [{"value": str(s.id), "label": s.display_name} for s in graph.steps]
        self.warnings = analysis.workflow_warnings(graph) + rules.warnings(
            graph.id, list(graph.transitions), names
        )
        self.diagram = workflow_svg(graph)
        self.diagram_label = describe(graph)
        self._reload_rules(actor, graph)
        self._reload_versions(actor, graph.id)
        self._reload_branches(graph)
        self._reload_calendars(actor, graph)
        self._reload_win_chance(graph)
        self._reload_live(actor)

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self.workflow_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.error, self.step_errors, self.transition_errors = "", {}, {}
        self.live_in_place = False
        self._reload()
        return self._replay_held()

    @rx.event
    def save_workflow(self, form: dict[str, Any]) -> Any:
        """Rename the workflow, change its description, calendar or how an undo goes back."""
        actor = self._actor()
        values = form_values(form, flags=("undo_restores_step", "learned_win_chance"))
        values["name"] = values.get("name") or ""  # a blank name is refused, not ignored
        data, self.error, self.workflow_errors = parse_or_errors(WorkflowUpdate, values)
        if data is None:
            return None
        workflow_id = page_id(self.workflow_id)
        done, self.error, self.workflow_errors = attempt(
            lambda: workflows.update(actor, workflow_id, data)
        )
        return self._done(done, "Workflow saved.")

    def _metadata_keys(self) -> list[str]:
        return [field["key"] for field in self.metadata_fields]

    def _done(self, result: Any, message: str) -> Any:
        self._reload()
        return rx.toast.success(message) if result is not None else None

    def _do_add_step(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form, flags=("is_initial_step", "is_final_step"))
        metadata, self.step_errors = _metadata_from(values, self._metadata_keys())
        if self.step_errors:
            self.error = "Please correct the step."
            return None
        values = {k: values.get(k) for k in ("status_id", "is_initial_step", "is_final_step")}
        values |= {"workflow_id": self.workflow_id, "metadata": metadata}
        # no status picked: one is made, named as the step
        values["status_id"] = values["status_id"] or None
        values["new_status_name"] = (
            None if values["status_id"] else metadata.get(step_settings.NAME)
        )
        data, self.error, self.step_errors = parse_or_errors(StepCreate, values)
        if data is None:
            return None
        made, self.error, errors = attempt(lambda: steps.create_step(actor, data))
        self.step_errors = _form_keys(errors)
        if made is None:
            return None
        return [self._done(made, f'Step "{made.display_name}" added.'), reset_form("add-step-form")]

    def _do_remove_step(self, step_id: str, name: str) -> Any:
        actor = self._actor()
        target = page_id(step_id)
        done, self.error, _ = attempt(completed(lambda: steps.delete_step(actor, target)))
        return self._done(done, f'Step "{name}" removed.')

    def _reorder(self, ordered: list[str]) -> Any:
        actor = self._actor()
        ids = [page_id(i) for i in ordered]
        workflow_id = page_id(self.workflow_id)
        done, self.error, _ = attempt(lambda: steps.update_steps_order(actor, workflow_id, ids))
        return self._done(done, "Step order saved.")

    def _do_move_step(self, step_id: str, offset: int) -> Any:
        ordered = [row["id"] for row in self.steps]
        here = ordered.index(step_id)
        there = here + offset
        if not 0 <= there < len(ordered):
            return None
        ordered[here], ordered[there] = ordered[there], ordered[here]
        return self._reorder(ordered)

    def _do_drop_step(self, dragged_id: str, target_id: str) -> Any:
        ordered = [row["id"] for row in self.steps]
        if dragged_id == target_id or dragged_id not in ordered or target_id not in ordered:
            return None
        ordered.remove(dragged_id)
        ordered.insert([row["id"] for row in self.steps].index(target_id), dragged_id)
        return self._reorder(ordered)

    def _do_add_transition(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form)
        missing = {k: "Pick a step." for k in ("from_step_id", "to_step_id") if not values.get(k)}
        if missing:
            self.transition_errors, self.error = missing, "Pick both steps of the transition."
            return None
        values["workflow_id"] = self.workflow_id
        data, self.error, self.transition_errors = parse_or_errors(TransitionCreate, values)
        if data is None:
            return None
        made, self.error, self.transition_errors = attempt(
            lambda: transitions.create_transition(actor, data)
        )
        if made is None:
            return None
        return [self._done(made, "Transition added."), reset_form("add-transition-form")]

    def _do_delete_transition(self, transition_id: str) -> Any:
        actor = self._actor()
        target = page_id(transition_id)
        done, self.error, _ = attempt(
            completed(lambda: transitions.delete_transition(actor, target))
        )
        return self._done(done, "Transition deleted.")

    @rx.event
    def open_edit(self, row: dict[str, str]) -> None:
        self.edit_step, self.edit_errors, self.edit_error = row, {}, ""
        self.edit_open = True

    @rx.event
    def set_edit_open(self, value: bool) -> None:
        self.edit_open = value

    @rx.event
    def save_step(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        values = form_values(form, flags=("is_initial_step", "is_final_step"))
        metadata, self.edit_errors = _metadata_from(values, self._metadata_keys())
        if self.edit_errors:
            self.edit_error = "Please correct the step."
            return None
        step_id = page_id(self.edit_step.get("id", ""))
        changes = StepUpdate(
            is_initial_step=values["is_initial_step"],
            is_final_step=values["is_final_step"],
            metadata=metadata,
        )
        done, self.edit_error, errors = attempt(lambda: steps.update_step(actor, step_id, changes))
        self.edit_errors = _form_keys(errors)
        if done is None:
            return None
        self.edit_open = False
        return self._done(done, f'Step "{done.display_name}" saved.')


def _number(text: str) -> Any:
    """Typed digits become a number; anything else goes to the engine as typed, which
    refuses it with the key's own sentence."""
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _metadata_from(
    values: dict[str, Any], keys: list[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Known metadata fields from their inputs, the rest from the JSON box."""
    errors: dict[str, str] = {}
    metadata: dict[str, Any] = {}
    extra = values.get("extra_metadata")
    if extra:
        try:
            parsed = json.loads(extra)
        except json.JSONDecodeError as error:
            parsed = None
            errors["extra_metadata"] = f"Not valid JSON: {error.msg} (line {error.lineno})."
        if parsed is not None and not isinstance(parsed, dict):
            errors["extra_metadata"] = 'These settings must be a JSON object, like {"key": 1}.'
        elif isinstance(parsed, dict):
            metadata.update(parsed)
    if values.get("step_name"):
        metadata[step_settings.NAME] = values["step_name"]
    for key in keys:
        if values.get(key):
            metadata[key] = _number(str(values[key]).strip())
    for key in (step_settings.OUTCOME, step_settings.WIP_POLICY, step_settings.CALENDAR):
        if values.get(key):  # the form's inputs are named as the keys
            metadata[key] = values[key]
    if values.get(step_settings.WIP_LIMIT):
        metadata[step_settings.WIP_LIMIT] = _number(str(values[step_settings.WIP_LIMIT]).strip())
    return metadata, errors


def _form_keys(errors: dict[str, str]) -> dict[str, str]:
    """Engine field names ("metadata.name") to the names of the form's inputs."""
    renamed = {"metadata.name": "step_name", "metadata.extra": "extra_metadata"}
    return {renamed.get(k, k.removeprefix("metadata.")): v for k, v in errors.items()}
