"""The card detail's comments: the conversation and the form to add to it (thin adapter
over the entity services' comments, entities/comments.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.ui.state.adapters import as_uuid, attempt, reset_form
from wfm_app.ui.state.board_part import BoardPart


class CommentsMixin(BoardPart, mixin=True):
    # author, when, body; oldest first
    detail_comments: list[dict[str, str]] = []
    comment_error: str = ""

    def _load_comments(self, card_id: str) -> None:
        entity_id = as_uuid(card_id)
        if entity_id is None:
            return
        found, _, _ = attempt(lambda: self._service().comments(self._viewer(), entity_id))
        self.detail_comments = [
            {
                "id": str(c.id),
                "author": c.author_name,
                "when": f"{c.created_at:%Y-%m-%d %H:%M} UTC",
                "body": c.body,
            }
            for c in found or []
        ]
        self.comment_error = ""

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
        self._load_comments(card_id)
        told = f" {', '.join(done.mentioned)} will be notified." if done.mentioned else ""
        return [rx.toast.success("Comment added." + told), reset_form("comment-form")]
