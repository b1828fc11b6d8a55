"""The workflow editor's learned win chance: what was learned (or why nothing was), the
admin's switch for weighted totals (in the workflow's form) and "Learn now"."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.engine.win_chance import store
from wfm_app.engine.win_chance.learning import WinModel
from wfm_app.errors import WfmError
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.page_parts import PageParts


def describe(found: tuple[WinModel | None, str] | None) -> str:
    if found is None:
        return "Not learned yet: the worker learns within the hour, or use Learn now."
    model, note = found
    if model is None:
        return note
    said = (
        f"Learned from {model.closed_cards} closed cards ({model.won_cards} won) at "
        f"{model.fitted_at:%Y-%m-%d %H:%M} UTC"
    )
    if model.predictor_labels:
        said += f", by step, age in step and {_listed(model.predictor_labels)}"
    said += (
        f". Brier score {model.brier:.3f}, against {model.fixed_brier:.3f} for the steps' "
        "fixed probabilities (lower is better)."
    )
    if model.skipped:
        said += f" Not used yet: {'; '.join(model.skipped)}."
    return said


def _listed(labels: list[str]) -> str:
    """["Region", "Source", "Size"] -> "Region, Source and Size"."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


class WinChanceMixin(PageParts, mixin=True):
    if TYPE_CHECKING:  # what the editor (state/admin_workflows.py) provides
        workflow_id: str

    workflow_learned_win_chance: bool = False
    win_chance_note: str = ""
    learning: bool = False

    def _reload_win_chance(self, graph: WorkflowGraph) -> None:
        self.workflow_learned_win_chance = graph.workflow.learned_win_chance
        self.win_chance_note = describe(store.learned(graph.id))

    @rx.event(background=True)
    async def learn_now(self) -> Any:
        async with self:
            if self.learning:
                return None
            actor, workflow_id = self._actor(), as_uuid(self.workflow_id)
            self.learning = True
        try:
            if workflow_id is not None:
                await asyncio.to_thread(store.learn, actor, workflow_id)
            refusal = ""
        except WfmError as refused:
            refusal = refused.message
        async with self:
            self.learning = False
            if workflow_id is not None:
                self.win_chance_note = describe(store.learned(workflow_id))
        return rx.toast.error(refusal) if refusal else rx.toast.success("Win chance learned.")
