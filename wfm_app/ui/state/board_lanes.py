"""Swimlanes on a board (entities/lanes.py): "Group by" splits every column into lanes
by owner, assignee or a single-choice custom field; each lane's header gives its name,
count and total (from the database, with the board's filters) and collapses; a drop into
another lane sets that lane's value (with the move when the column changes too). The
choice is kept per board in the browser (local storage) and in saved views."""

from __future__ import annotations

import json
import uuid
from typing import Any

import reflex as rx

from wfm_app.entities import lanes
from wfm_app.errors import ConditionFailed, WfmError
from wfm_app.ui.state.adapters import as_uuid, said
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.entity_views import LaneCellView, LaneView, money


class SwimlanesMixin(BoardPart, mixin=True):
    group_options: list[dict[str, str]] = []  # what this board may be grouped by
    collapsed_lanes: list[str] = []
    # [key, label, count, total label] per lane, refreshed with the board's cards
    lane_totals: list[list[str]] = []
    # {board: group_by}: the grouping each board opens with, in this browser
    lane_choices: str = rx.LocalStorage("{}", name="wfm_swimlanes")

    def _load_groupings(self) -> None:
        groupings = lanes.groupings(self._viewer(), self._service())
        self.group_options = [{"value": g.key, "label": g.label} for g in groupings]

    def _usable_grouping(self, group_by: str) -> str:
        return group_by if any(o["value"] == group_by for o in self.group_options) else ""

    def _remembered(self) -> dict[str, Any]:
        """{board: group_by} from this browser's storage (anything else read as empty)."""
        try:
            remembered = json.loads(self.lane_choices or "{}")
        except ValueError:
            return {}
        return remembered if isinstance(remembered, dict) else {}

    def _restore_grouping(self) -> None:
        """The grouping this browser last chose for this board."""
        chosen = self._remembered().get(self._description().entity_type, "")
        self.group_by = self._usable_grouping(str(chosen))

    def _remember_grouping(self) -> None:
        remembered = self._remembered()
        remembered[self._description().entity_type] = self.group_by
        self.lane_choices = json.dumps(remembered)

    def _refresh_lanes(self) -> None:
        workflow_id = as_uuid(self.workflow_filter)
        if not self.group_by or workflow_id is None:
            self.lane_totals = []
            return
        found = lanes.lanes(
            self._viewer(),
            self._service(),
            workflow_id,
            self.group_by,
            **self._filter_args(),
        )
        amounts = self._has_amounts()
        self.lane_totals = [
            [lane.key, lane.label, str(lane.count), money(float(lane.total)) if amounts else ""]
            for lane in found
        ]

    @rx.var
    def lane_rows(self) -> list[LaneView]:
        """The lanes with each column's loaded cards of that lane."""
        rows = []
        for key, label, count, total in self.lane_totals:
            cells = [
                LaneCellView(
                    step_id=column.id,
                    zone=f"{column.id}|{key}",
                    label=f"{column.name} · {label}",
                    cards=[c for c in column.cards if c.lane == key],
                )
                for column in self.columns
            ]
            collapsed = key in self.collapsed_lanes
            rows.append(LaneView(key, label, int(count), total, collapsed, cells))
        return rows

    @rx.event
    def set_group_by(self, value: str) -> Any:
        self.group_by = self._usable_grouping(value[: lanes.MAX_GROUP_BY])
        self.collapsed_lanes = []
        self._remember_grouping()
        return self._refilter()

    @rx.event
    def toggle_lane(self, key: str) -> None:
        if key in self.collapsed_lanes:
            self.collapsed_lanes = [k for k in self.collapsed_lanes if k != key]
        else:
            self.collapsed_lanes = [*self.collapsed_lanes, key]

    @rx.event
    def drop_in_lane(self, card_id: str, zone: str) -> Any:
        step_id, _bar, lane = zone.partition("|")
        found = self._locate(card_id)
        if found is None or as_uuid(step_id) is None:
            return None
        card, from_step = found
        if from_step == step_id and card.lane == lane:
            return None
        try:
            new, moved = lanes.place(
                self._viewer(),
                self._service(),
                uuid.UUID(card_id),
                uuid.UUID(from_step),
                uuid.UUID(step_id),
                self.group_by,
                card.lane,
                lane,
            )
        except ConditionFailed as error:
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            return None
        except WfmError as error:
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            self._load_board()
            return None
        if moved is not None:
            return self._moved(card, from_step, step_id, moved)
        self.alert = ""
        self._edit_column(step_id, leaving=card, arriving=self._card(new))
        lane_name = next((row[1] for row in self.lane_totals if row[0] == lane), lane)
        return rx.toast.success(f'"{card.name}" is now in {lane_name}.')
