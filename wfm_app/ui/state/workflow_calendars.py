"""The workflow editor's business calendar choices: the workflow's own (in its
"Rename or describe" form) and each step's (in the step forms)."""

from __future__ import annotations

from wfm_app.auth.actor import Actor
from wfm_app.engine.calendars import store
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.ui.state.page_parts import PageParts


class CalendarChoicesMixin(PageParts, mixin=True):
    workflow_calendar_id: str = ""
    calendar_options: list[dict[str, str]] = []
    calendar_note: str = ""  # what the SLA counts, in words

    def _reload_calendars(self, actor: Actor | None, graph: WorkflowGraph) -> None:
        calendars = store.listed(actor)
        chosen = graph.workflow.calendar_id
        self.workflow_calendar_id = str(chosen or "")
        self.calendar_options = [{"value": str(c.id), "label": c.name} for c in calendars]
        names = {c.id: c.name for c in calendars}
        self.calendar_note = (
            f"SLA and time-in-step limits count business hours on {names[chosen]}."
            if chosen in names
            else "SLA and time-in-step limits count every hour."
        )
