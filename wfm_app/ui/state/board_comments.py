"""The card detail's "Add a comment" (thin adapter over the entity services' comments,
entities/comments.py); the comments show in the card's timeline (state/timeline.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.adapters import as_uuid, attempt, reset_form
from wfm_app.ui.state.board_part import BoardPart


class CommentsMixin(BoardPart, mixin=True):
    comment_error: str = ""

    @rx.event
    def add_comment(self, form: dict[str, Any]) -> Any:
        card_id = self.detail.get("id", "")
        entity_id, body = as_uuid(card_id), str(form.get("body") or "")
        if entity_id is None:
            return None
        done, error, errors = attempt(
            lambda: self._service().add_comment(self._viewer(), entity_id, body)
        )
        if done is None:
            self.comment_error = errors.get("body", error)
            return None
        self._open_detail(card_id)  # the timeline, with the comment at its top
        told = f" {', '.join(done.mentioned)} will be notified." if done.mentioned else ""
        return [rx.toast.success("Comment added." + told), reset_form("comment-form")]
