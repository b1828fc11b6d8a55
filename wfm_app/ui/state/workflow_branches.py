"""The workflow editor's "Parallel branches": approvals a card opens on entering a
step, who may give them, and which moves out of the step wait on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import ROLE_PERMISSIONS, Actor, roles_in_words
from wfm_app.engine.branches import admin as branch_admin
from wfm_app.engine.branches.admin import BranchCreate
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.ui.state.adapters import as_uuid, attempt, completed, parse_or_errors, reset_form
from wfm_app.ui.state.page_parts import PageParts

ROLES = tuple(ROLE_PERMISSIONS)
MERGE_LABELS = {
    "all_approved": "Each of them must approve",
    "any_approved": "One of them approving is enough",
}


class BranchesMixin(PageParts, mixin=True):
    if TYPE_CHECKING:  # what the editor (state/admin_workflows.py) provides
        workflow_id: str

        def _actor(self) -> Actor | None: ...
        def _reload(self) -> None: ...

    # id, step, name, roles, merge, gates
    branch_rows: list[dict[str, str]] = []
    branch_options: list[dict[str, str]] = []  # for automation rules on decisions
    branch_errors: dict[str, str] = {}
    branch_error: str = ""

    def _reload_branches(self, graph: WorkflowGraph) -> None:
        names = {step.id: step.display_name for step in graph.steps}
        self.branch_rows = [
            {
                "id": str(b.id),
                "step": names.get(b.step_id, ""),
                "name": b.name,
                "roles": roles_in_words(b.allowed_roles),
                "merge": MERGE_LABELS.get(b.mode, b.mode),
                "gates": (
                    ", ".join(names.get(s, "") for s in b.to_step_ids)
                    if b.to_step_ids is not None
                    else "every move forward"
                ),
            }
            for b in sorted(graph.branches, key=lambda b: (names.get(b.step_id, ""), b.position))
        ]
        self.branch_options = [
            {"value": row["id"], "label": f"{row['name']} ({row['step']})"}
            for row in self.branch_rows
        ]

    @rx.event
    def add_branch(self, form: dict[str, Any]) -> Any:
        actor = self._actor()
        roles = [role for role in ROLES if form.get(f"role_{role}") in ("on", True, "true")]
        gate = form.get("gates") or ""
        values: dict[str, Any] = {
            "workflow_step_id": form.get("step_id") or None,
            "name": form.get("branch_name") or None,
            "allowed_roles": roles,
            "merge_mode": form.get("merge_mode") or "all_approved",
            "gates_step_ids": [gate] if gate else None,
        }
        if not roles:
            self.branch_error = "Please pick who may approve."
            self.branch_errors = {"allowed_roles": "Pick at least one role."}
            return None
        data, self.branch_error, errors = parse_or_errors(BranchCreate, values)
        if data is None:
            self.branch_errors = {"branch_name" if k == "name" else k: v for k, v in errors.items()}
            return None
        made, self.branch_error, errors = attempt(lambda: branch_admin.create(actor, data))
        self.branch_errors = errors
        if made is None:
            return None
        self._reload()
        return [rx.toast.success(f'Branch "{made.name}" added.'), reset_form("add-branch-form")]

    @rx.event
    def remove_branch(self, branch_id: str, name: str) -> Any:
        actor = self._actor()
        target = as_uuid(branch_id)
        if target is None:
            return None
        done, self.branch_error, _ = attempt(
            completed(lambda: branch_admin.delete_branch(actor, target))
        )
        self._reload()
        return rx.toast.success(f'Branch "{name}" removed.') if done else None
