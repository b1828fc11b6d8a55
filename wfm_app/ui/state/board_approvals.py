"""The card detail's approvals: each parallel branch of the card's step with its state,
and "Approve" / "Reject" (with a comment) for those whose role the viewer holds."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import reflex as rx

from wfm_app.auth.actor import Actor, roles_in_words
from wfm_app.engine import access
from wfm_app.engine.branches import decisions
from wfm_app.engine.branches import reading as branch_reading
from wfm_app.ui.state.adapters import as_uuid, attempt
from wfm_app.ui.state.board_part import BoardPart

if TYPE_CHECKING:
    pass


@dataclasses.dataclass
class ApprovalView:
    branch_id: str
    name: str
    state: str  # pending | approved | rejected
    step: str  # where it stands on the branch's own workflow ("" for the default one)
    who: str  # "Max Manager, 2026-11-27 09:12 UTC" once decided
    comment: str
    can_act: bool  # pending, and the viewer holds one of its roles
    roles: str  # who may act: "wfm_manager"


class ApprovalsMixin(BoardPart, mixin=True):
    detail_approvals: list[ApprovalView] = []
    approval_comments: dict[str, str] = {}  # per branch id, typed before deciding
    approval_error: str = ""

    def _load_approvals(self, actor: Actor | None, read: Any) -> None:
        """The open branches of the card shown in the detail."""
        self.approval_error = ""
        found = (
            [i for i in branch_reading.get_instances(actor, read.wfm.wfm_project_id) if i.is_open]
            if actor is not None and read.wfm.branches
            else []
        )
        self.detail_approvals = [
            ApprovalView(
                branch_id=str(i.branch.id),
                name=i.branch.name,
                state=i.state,
                step=i.step_name or "",
                who=(
                    f"{i.acted_by_name or 'Someone'}, {i.acted_at:%Y-%m-%d %H:%M} UTC"
                    if i.acted_at
                    else ""
                ),
                comment=i.comment or "",
                can_act=i.state == "pending"
                and actor is not None
                and access.may_act_on_branch(actor, i.branch.allowed_roles),
                roles=roles_in_words(i.branch.allowed_roles),
            )
            for i in found
        ]
        self.approval_comments = {}

    @rx.event
    def set_approval_comment(self, branch_id: str, value: str) -> None:
        self.approval_comments = {**self.approval_comments, branch_id: value}

    @rx.event
    def act_on_branch(self, branch_id: str, action: str) -> Any:
        """Approve or reject one branch of the card in the detail."""
        actor = self._viewer()
        card_id = self.detail.get("id", "")
        project_id, branch = as_uuid(self.detail.get("project_id", "")), as_uuid(branch_id)
        entity_id = as_uuid(card_id)
        if project_id is None or branch is None or entity_id is None:
            return None
        comment = self.approval_comments.get(branch_id) or None
        done, self.approval_error, _ = attempt(
            lambda: decisions.act(actor, project_id, branch, action, comment)
        )
        if done is None:
            return rx.toast.error(self.approval_error)
        before = self._locate(card_id)
        read = self._service().get_by_id(actor, entity_id)
        step_now = str(read.wfm.step.id) if read is not None and read.wfm.step else ""
        if before is not None and read is not None and before[1] == step_now:
            self._edit_column(before[1], leaving=before[0], arriving=self._card(read))
        else:  # automation moved it (a rejection routed back, say): show where it is
            self._load_board()
        self._open_detail(card_id)
        return rx.toast.success(f'"{done.branch.name}" {done.state}.')
