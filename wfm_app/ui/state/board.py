"""Kanban boards: one column per workflow step, cards moved by drag and drop or "Move to".

The state holds plain view values. A move calls the entity service (which validates it
against the workflow in the database) and then updates the two columns it touched from
the result, without reloading the board.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import reflex as rx

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.engine import (
    access,
    custom_fields,
    definitions,
    rules,
    step_settings,
    versions,
)
from wfm_app.engine.custom_fields import CustomFieldRead
from wfm_app.engine.registry import EntityDescription
from wfm_app.engine.rules import MoveRequest
from wfm_app.engine.schemas import StepRead
from wfm_app.entities.base import EntityService
from wfm_app.entities.board import PAGE_SIZE
from wfm_app.entities.moving import MoveResult
from wfm_app.errors import ConditionFailed, InvalidTransition, WfmError, WipLimitReached
from wfm_app.ui import live, routes
from wfm_app.ui.state.adapters import as_uuid, focus, people_options, report_timing, said
from wfm_app.ui.state.board_part import BoardPart
from wfm_app.ui.state.board_undo import move_pair
from wfm_app.ui.state.card_face import card_view
from wfm_app.ui.state.entity_views import (
    CardView,
    ColumnView,
    FieldView,
    MoveOption,
    builtin_fields,
    custom_field_views,
    money,
)


class BoardMixin(BoardPart, mixin=True):
    """Everything a board does; each entity's board state says only which service."""

    columns: list[ColumnView] = []
    # Allowed moves per step, sent once: a card's "Move to" menu looks up its own step.
    moves_by_step: dict[str, list[MoveOption]] = {}
    assignee_options: list[dict[str, str]] = []  # everyone (managers), else "Me"
    workflow_options: list[dict[str, str]] = []
    project_type_options: list[dict[str, str]] = []
    default_project_type: str = ""
    owner_options: list[dict[str, str]] = []
    can_filter_by_owner: bool = False
    # the New and Edit forms' fields: the entity's own, then its active custom fields
    form_fields: list[FieldView] = []
    alert: str = ""
    loaded: bool = False
    # "3 cards are on an older version of this workflow ..." (or "")
    older_versions: str = ""
    has_approvals: bool = False  # the viewer may approve some branch of this workflow

    # Each column's total amount, everyone's visible cards, not only those loaded.
    _totals: dict[str, float] = {}
    _loads: dict[str, int] = {}  # active cards per step, everyone's (WIP limits count them)
    _step_names: dict[str, str] = {}
    _custom_fields: list[CustomFieldRead] = []

    def _service(self) -> EntityService[Any, Any, Any]:
        raise NotImplementedError

    def _description(self) -> EntityDescription:
        return self._service().kind.description

    def _card(self, read: Any) -> CardView:
        viewer = self._viewer() if read.wfm.branches else None  # only a badge needs it
        return card_view(self._service(), read, self.group_by, viewer)

    def _step(self, step_id: str) -> StepRead:
        """A step of the board's workflow, from the process's definitions cache (not kept
        in tab state)."""
        step = definitions.graph(uuid.UUID(self.workflow_filter)).step(uuid.UUID(step_id))
        if step is None:
            raise LookupError(f"step {step_id} is not on the board's workflow")
        return step

    def _has_amounts(self) -> bool:
        return any(spec.type == "amount" for spec in self._description().fields)

    def _viewer(self) -> Actor | None:
        return self._actor()

    # ---- loading ------------------------------------------------------------------------

    def _column(self, step_id: str, cards: list[CardView], count: int) -> ColumnView:
        """A column from its loaded cards and its count; totals from ``_totals``."""
        step = self._step(step_id)
        key = self._description().probability_key
        total, weighted_total = self._service().column_totals(
            step, Decimal(str(self._totals.get(step_id, 0.0))), self._learned_total(step_id)
        )
        return ColumnView(
            id=step_id,
            name=self._step_names[step_id],
            probability=f"{step.number(key) or 0:.0f}%" if key else "",
            count=count,
            total_label=money(float(total)) if self._has_amounts() else "",
            weighted_label=money(float(weighted_total)) if self._has_amounts() else "",
            cards=cards,
            hidden=max(0, count - len(cards)),
            **self._wip(step),
        )

    def _edit_column(
        self, step_id: str, *, leaving: CardView | None = None, arriving: CardView | None = None
    ) -> None:
        """Change one column in place: a card leaves it, arrives on top, or (both, same
        id) is replaced where it is; its count and total follow."""
        for index, column in enumerate(self.columns):
            if column.id != step_id:
                continue
            cards, count = list(column.cards), column.count
            total = self._totals.get(step_id, 0.0)
            at = 0
            if leaving is not None:
                at = next((i for i, c in enumerate(cards) if c.id == leaving.id), 0)
                cards = [c for c in cards if c.id != leaving.id]
                count, total = count - 1, total - leaving.amount
            if arriving is not None:
                same = leaving is not None and leaving.id == arriving.id
                cards.insert(at if same else 0, arriving)
                count, total = count + 1, total + arriving.amount
            self._totals[step_id] = total
            self._refresh_learned()
            if len(cards) < min(count, PAGE_SIZE):  # keep a column's first page full
                cards += self._page_of(step_id, offset=len(cards), limit=1)
            columns = list(self.columns)
            columns[index] = self._column(step_id, cards, max(count, len(cards)))
            self.columns = columns
            if self.group_by:  # a lane's count and total follow too
                self._refresh_lanes()
            return

    def _page_of(self, step_id: str, *, offset: int, limit: int = PAGE_SIZE) -> list[CardView]:
        """More of one column from the database, with the board's filters."""
        workflow_id, step = as_uuid(self.workflow_filter), as_uuid(step_id)
        if workflow_id is None or step is None:
            return []
        page = self._service().column_page(
            self._viewer(),
            workflow_id,
            step,
            offset=offset,
            limit=limit,
            **self._filter_args(),
        )
        return [self._card(read) for read in page]

    def _filter_args(self) -> dict[str, Any]:
        """The filter bar as the service's keyword arguments (board, column pages, lanes)."""
        return {
            "owner_id": as_uuid(self.owner_filter) if self.owner_filter else None,
            "assignee_id": as_uuid(self.assignee_filter) if self.assignee_filter else None,
            "search": self.search or None,
            "overdue_only": self.overdue_only,
            "waiting_on_me": self.waiting_on_me,
        }

    def _wip(self, step: StepRead) -> dict[str, Any]:
        limit = step_settings.of(step).wip_limit
        if limit is None:
            return {"wip_label": "", "wip_full": False}
        load = self._loads.get(str(step.id), 0)
        # the limit counts everyone's cards: say so to those who see only their own
        unseen = "" if self.can_filter_by_owner else ", counting cards you cannot see"
        return {"wip_label": f"WIP {load} / {limit}{unseen}", "wip_full": load >= limit}

    def _load_board(self) -> None:
        actor = self._viewer()
        board = self._service().board(
            actor,
            workflow_id=as_uuid(self.workflow_filter) if self.workflow_filter else None,
            **self._filter_args(),
        )
        graph = definitions.graph(board.workflow.id)
        self._shown_workflow = str(graph.id)
        # "Waiting on me" only for those who may approve some branch of this workflow
        self.has_approvals = actor is not None and any(
            access.may_act_on_branch(actor, b.allowed_roles) for b in graph.branches
        )
        self._step_names = {str(s.id): s.display_name for s in graph.steps}
        self._loads = {str(k): n for k, n in rules.wip_loads(graph.id).items()}
        self.moves_by_step = {
            str(s.id): [
                MoveOption(str(t.to_step_id), self._step_names[str(t.to_step_id)])
                for t in graph.allowed_from(s.id)
                # the service refuses a plain move into a converted step ("Convert to deal")
                if step_settings.reached_by_hand(graph.step(t.to_step_id))
            ]
            for s in graph.steps
        }
        older = versions.older_cards(actor, graph.id)
        self.older_versions = (
            f"{sum(n for _, n in older)} card(s) are still on older versions of this workflow "
            f"({', '.join(name for name, _ in older)}); they show in the columns of their "
            "status, and an admin can migrate them from the workflow editor."
            if older
            else ""
        )
        if actor is not None:  # this tab now follows changes to this workflow
            spans = frozenset(str(w) for w in versions.columns(graph.id).workflow_ids)
            # __class__, not type(): in a background event self is a proxy of the state
            live.watch(self.router.session.client_token, self.__class__, spans, actor)
        self._totals = {str(c.step.id): float(c.total_amount) for c in board.columns}
        self._load_learned(board)
        self.columns = [
            self._column(str(c.step.id), [self._card(card) for card in c.cards], c.count)
            for c in board.columns
        ]
        self._refresh_lanes()
        if self.columns and all(c.id != self.phone_column for c in self.columns):
            self.phone_column = self.columns[0].id  # a phone starts on the first column
        self.loaded = True

    def _page_load(self) -> Any:
        actor, leave = self._gate(READ_PROJECTS)
        if actor is None:
            return leave
        self.alert = ""
        self.can_filter_by_owner = access.sees_everyones(actor)
        if self.can_filter_by_owner:
            self.owner_options = people_options(actor)
        self.assignee_options = (
            self.owner_options
            if self.can_filter_by_owner
            else [{"value": str(actor.user_id), "label": "Me"}]
        )
        self._custom_fields = custom_fields.get_all(
            actor, self._description().entity_type, include_inactive=True
        )
        self.form_fields = builtin_fields(self._description()) + custom_field_views(
            self._custom_fields
        )
        types, flows = self._service().offered(actor)
        self.project_type_options = [{"value": str(t.id), "label": t.name} for t in types]
        self.default_project_type = str(self._service().default_project_type_id())
        # Live versions only (their columns take the older versions' cards too).
        self.workflow_options = [{"value": str(w.id), "label": w.name} for w in flows]
        offered = {o["value"] for o in self.workflow_options}
        if self.workflow_filter and self.workflow_filter not in offered:
            # this tab's workflow was superseded meanwhile (or is not this board's)
            live = versions.live_of(actor, uuid.UUID(self.workflow_filter))
            self.workflow_filter = str(live) if str(live) in offered else ""
        self._load_groupings()
        self._open_view_on_load(first_open=not self.loaded)
        if not self.workflow_filter:
            self.workflow_filter = str(self._service().default_workflow_id(actor))
        self._load_board()
        # a card's own address (/deals/<id>), or an older link with ?card=<id>
        card_id = self.router.page.params.get(routes.CARD_ARG, "") or (
            self.router.url.query_parameters.get("card", "")
        )
        self.detail_open = False
        if card_id:
            self._open_detail(str(card_id))
        following = self._load_import(actor)  # an import of theirs still running
        return [report_timing("board_shown"), *([following] if following else [])]

    @rx.event
    def recover(self) -> Any:
        """The loading placeholder's: load a board this tab's state lost (a backend
        restart without shared state); a no-op once the page's own load has run."""
        return None if self.loaded else self._load_again()

    def _load_again(self) -> Any:
        """Load this board afresh (KindBoardState reads its kind from the address)."""
        return self._page_load()

    @rx.event
    def show_more(self, step_id: str) -> None:
        """The column's next page, from the database, with the board's filters."""
        column = next((c for c in self.columns if c.id == step_id), None)
        if column is None:
            return
        known = {card.id for card in column.cards}
        page = self._page_of(step_id, offset=len(column.cards))
        cards = column.cards + [card for card in page if card.id not in known]
        self.columns = [
            self._column(step_id, cards, max(c.count, len(cards))) if c.id == step_id else c
            for c in self.columns
        ]

    # ---- moving -------------------------------------------------------------------------

    def _find(self, card_id: str) -> CardView | None:
        found = self._locate(card_id)
        return found[0] if found else None

    def _locate(self, card_id: str) -> tuple[CardView, str] | None:
        """A loaded card and the step of the column it is in."""
        for column in self.columns:
            for card in column.cards:
                if card.id == card_id:
                    return card, column.id
        return None

    def _move(self, card_id: str, step_id: str, request: MoveRequest | None = None) -> Any:
        """One move through the service; a refusal only for missing values or a reason
        opens "Complete to move" instead of an error."""
        actor = self._viewer()
        found = self._locate(card_id)
        if found is None and not self.loaded:
            # This tab's state was lost (Redis restarted empty) while the page still
            # shows the board: load it again, then make the move the person asked for.
            self._load_again()
            found = self._locate(card_id)
        if found is None or found[1] == step_id:
            return None
        card, from_step = found
        try:
            moved = self._service().move_command(
                actor,
                uuid.UUID(card_id),
                uuid.UUID(step_id),
                expected_step_id=uuid.UUID(from_step),
                request=request,
            )
        except InvalidTransition as error:
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            return None  # said once, by the alert
        except ConditionFailed as error:
            return self._ask_to_complete(card, from_step, step_id, error)
        except WipLimitReached as error:
            if actor is not None and access.may_override_wip(actor):
                return self._ask_to_override(card, from_step, step_id, error)
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            return None  # said once, by the alert
        except WfmError as error:
            self.alert = f'"{card.name}" was not moved. {said(error)}'
            self._load_board()
            return None  # said once, by the alert
        return self._moved(card, from_step, step_id, moved)

    def _moved(self, card: CardView, old_step: str, step_id: str, moved: MoveResult[Any]) -> Any:
        """Update the two columns a move touched from its result, not the whole board:
        the card, and the loads of the steps with a WIP limit."""
        new_card = self._card(moved.card)
        self._loads.update({str(step): load for step, load in moved.loads.items()})
        self._edit_column(old_step, leaving=card)
        self._edit_column(step_id, arriving=new_card)
        self.alert = ""
        self._count_unread(self._viewer())
        if self.detail_open and self.detail.get("id") == card.id:
            self._open_detail(card.id)
        done = f'"{new_card.name}" moved to {self._step_names[step_id]}.'
        notice = moved.notice
        said = self._undoable(
            [move_pair(card.id, moved.history_id)],
            f"{done} {notice}" if notice else done,
            warn=bool(notice),
        )
        # Focus follows the card: to its new place on the board, or to the detail's
        # "Current step" when it moved from there (never onto another card's button).
        opened = self.detail_open and self.detail.get("id") == card.id
        target = "#detail-step" if opened else f"#column-{step_id} #card-{new_card.id}"
        return [said, focus(target), report_timing("drop_confirmed")]

    @rx.event
    def drop_card(self, card_id: str, step_id: str) -> Any:
        return self._move(card_id, step_id)

    @rx.event
    def move_card(self, card_id: str, step_id: str) -> Any:
        return self._move(card_id, step_id)

    @rx.event
    def dismiss_alert(self) -> None:
        self.alert = ""
