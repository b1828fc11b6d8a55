"""The workflow editor's question before reshaping a live version that has cards
(engine/draft_edits.py): "Edit in a draft" (the change is made on the draft, opened or
copied now, and boards keep the live version until it is published) or "Change it now"
(for the rest of this visit). Adding, removing and reordering steps and adding and
deleting transitions ask; everything else applies in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import Actor
from wfm_app.engine import draft_edits
from wfm_app.ui import routes
from wfm_app.ui.state.adapters import attempt, page_id
from wfm_app.ui.state.page_parts import PageParts


def _mapped(kind: str, args: list[Any], target: draft_edits.DraftTarget) -> list[Any] | None:
    """The held edit's arguments on the draft; None when the draft lacks what it names."""
    steps = {str(k): str(v) for k, v in target.steps.items()}
    moves = {str(k): str(v) for k, v in target.transitions.items()}
    if kind == "add_step":
        return args
    if kind in ("remove_step", "move_step"):
        return [steps[args[0]], *args[1:]] if args[0] in steps else None
    if kind == "drop_step":
        return [steps[a] for a in args] if all(a in steps for a in args) else None
    if kind == "add_transition":
        form = dict(args[0])
        ends = [key for key in ("from_step_id", "to_step_id") if form.get(key)]
        if not all(form[key] in steps for key in ends):
            return None
        return [{**form, **{key: steps[form[key]] for key in ends}}]
    return [moves[args[0]]] if args[0] in moves else None  # delete_transition


class LiveEditsMixin(PageParts, mixin=True):
    if TYPE_CHECKING:  # what the editor (state/admin_workflows.py) provides
        workflow_id: str
        error: str
        steps: list[dict[str, str]]

        def _actor(self) -> Actor | None: ...

    live_cards: int = 0  # cards on this version when it is the live one
    live_question_open: bool = False
    live_in_place: bool = False  # "Change it now" was chosen on this visit
    _busy_steps: list[str] = []
    _held: list[Any] = []  # the edit waiting for the answer: kind, then its arguments
    _replay: list[Any] = []  # the draft's id, kind, arguments: made once its page loads

    def _reload_live(self, actor: Actor | None) -> None:
        load = draft_edits.live_load(actor, page_id(self.workflow_id))
        self.live_cards, self._busy_steps = load.cards, [str(s) for s in load.busy_steps]

    def _edit(self, kind: str, *args: Any) -> Any:
        # Removing a step cards are on is refused in place, with the engine's reason.
        asks = self.live_cards and not self.live_in_place
        if asks and not (kind == "remove_step" and args[0] in self._busy_steps):
            self._held, self.live_question_open = [kind, *args], True
            return None
        return getattr(self, "_do_" + kind)(*args)

    @rx.event
    def add_step(self, form: dict[str, Any]) -> Any:
        return self._edit("add_step", form)

    @rx.event
    def remove_step(self, step_id: str, name: str) -> Any:
        return self._edit("remove_step", step_id, name)

    @rx.event
    def move_step(self, step_id: str, offset: int) -> Any:
        ordered = [row["id"] for row in self.steps]
        if step_id not in ordered or not 0 <= ordered.index(step_id) + offset < len(ordered):
            return None  # the first step up, the last down: nothing to ask about
        return self._edit("move_step", step_id, offset)

    @rx.event
    def drop_step(self, dragged_id: str, target_id: str) -> Any:
        if dragged_id == target_id:
            return None
        return self._edit("drop_step", dragged_id, target_id)

    @rx.event
    def add_transition(self, form: dict[str, Any]) -> Any:
        return self._edit("add_transition", form)

    @rx.event
    def delete_transition(self, transition_id: str) -> Any:
        return self._edit("delete_transition", transition_id)

    @rx.event
    def set_live_question_open(self, value: bool) -> None:
        self.live_question_open = value
        if not value:
            self._held = []

    @rx.event
    def change_live_now(self) -> Any:
        if not self._held:  # a second click on the closing dialog
            return None
        kind, *args = self._held
        self._held, self.live_question_open, self.live_in_place = [], False, True
        return getattr(self, "_do_" + kind)(*args)

    @rx.event
    def edit_in_draft(self) -> Any:
        if not self._held:
            return None
        actor, live = self._actor(), page_id(self.workflow_id)
        target, self.error, _ = attempt(lambda: draft_edits.draft_for_edit(actor, live))
        kind, *args = self._held
        self._held, self.live_question_open = [], False
        if target is None:
            return None
        opened = rx.redirect(routes.workflow_editor(str(target.draft_id)))
        mapped = _mapped(kind, args, target)
        if mapped is None:
            lacks = f'"{target.draft_name}" no longer has that step or transition.'
            return [rx.toast.error(lacks), opened]
        self._replay = [str(target.draft_id), kind, *mapped]
        return opened

    def _replay_held(self) -> Any:
        """On the draft's page: the change the admin asked for on the live one."""
        if not self._replay:
            return None
        page, kind, *args = self._replay
        self._replay = []  # made here, or dropped when the admin went elsewhere instead
        if page != self.workflow_id:
            return None
        done = getattr(self, "_do_" + kind)(*args)
        if self.error:
            return done
        said = "Made in this draft: boards keep the live version until you publish it."
        return [rx.toast.info(said), *(done if isinstance(done, list) else [done])]
