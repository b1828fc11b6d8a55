"""A board's address says what it shows (issue 33.1): its workflow, search, filters and
grouping (and the saved view applied), so a reload or a shared link shows the same."""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from wfm_app.engine import versions
from wfm_app.ui.state.adapters import as_uuid
from wfm_app.ui.state.board_part import BoardPart

TEXTS = {"workflow": "workflow_filter", "q": "search", "owner": "owner_filter"}
TEXTS |= {"assignee": "assignee_filter", "group": "group_by", "view": "current_view"}
FLAGS = {"overdue": "overdue_only", "waiting": "waiting_on_me"}
MAX_PARAM = 200


class BoardAddressMixin(BoardPart, mixin=True):
    # The connection and address last applied: the page's load can run twice on one
    # connection (its own and the loading placeholder's), and the second carries the
    # address as it was at connect time, older than what the person changed meanwhile.
    _address_applied: str = ""

    def _filters_from_address(self) -> bool:
        """Apply what the address names (not ``view``: the saved views read it); whether
        it named anything. A workflow this board does not offer is left out."""
        query = self.router.url.query_parameters
        named = [param for param in (*TEXTS, *FLAGS) if param in query and param != "view"]
        seen = json.dumps([self.router.session.session_id, sorted(query.items())])
        if named and seen == self._address_applied:
            return True  # applied already; what changed since is newer
        self._address_applied = seen
        for param in named:
            if param in FLAGS:
                setattr(self, FLAGS[param], query[param] == "1")
            else:
                setattr(self, TEXTS[param], query[param][:MAX_PARAM])
        offered = {option["value"] for option in self.workflow_options}
        if self.workflow_filter and self.workflow_filter not in offered:
            # a link to a version since superseded shows the live one
            chosen = as_uuid(self.workflow_filter)
            live = versions.live_of(self._viewer(), chosen) if chosen else None
            self.workflow_filter = str(live) if str(live) in offered else ""
        if "group" in named:
            self.group_by = self._usable_grouping(self.group_by)
        return bool(named)

    def _address(self) -> Any:
        """The address in step with what the board shows, without a reload."""
        values = {param: str(getattr(self, attr)) for param, attr in TEXTS.items()}
        values |= {param: "1" if getattr(self, attr) else "" for param, attr in FLAGS.items()}
        return rx.call_script(
            "(() => { const u = new URL(window.location.href); "
            f"for (const [k, v] of Object.entries({json.dumps(values)})) "
            "{ if (v) u.searchParams.set(k, v); else u.searchParams.delete(k); } "
            "window.history.replaceState(window.history.state, '', u); })()"
        )
