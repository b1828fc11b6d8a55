"""A kind's cards a page at a time, filtered and sorted in the database (PipeCD's
connections: ``dealsFiltered``, ``leadsFiltered``, ``items``), and every matching card in
batches (exports). Their parallel branches' states (a board's approval badges) are not
read: the API reads a card's branches through its own loader when asked.

Paging is by keyset, not offset: a cursor holds the last card's sort value and id, and
the next page starts after it, so a page costs the same on the first page as on the
thousandth, at 100,000 cards as at 1,000,000 (when an index serves the sort: see the
migration 0020), and never repeats or skips a card added meanwhile.

Nulls sort as PostgreSQL puts them by default: after every value ascending, first
descending; the sort expression replaces a null by a value past every other (``infinity``
for dates and numbers), and the indexes hold that very expression. Part of
``EntityService`` (entities/base.py)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic

from sqlalchemy import Table, bindparam, case, func, literal, literal_column, or_, select, tuple_
from sqlmodel import Session

from wfm_app.auth.actor import READ_PROJECTS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access
from wfm_app.engine.access import require_permission
from wfm_app.engine.models import WfmProject, WorkflowStep
from wfm_app.entities import chances
from wfm_app.entities.filtering import CardFilter, _typed, invalid
from wfm_app.entities.kind import EntityKind, ReadT
from wfm_app.hot_statements import Prepared
from wfm_app.sqltypes import table_of

SEARCHED_TYPES = ("text", "long_text", "email")  # what the header's search reads

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_CURSOR = 1000
WEIGHTED = "weighted_amount"
_projects: Table = table_of(WfmProject)
_steps: Table = table_of(WorkflowStep)
# What a null becomes in the sort, by field type: past every value.
_LAST = {"amount": "'Infinity'", "number": "'Infinity'", "date": "'infinity'"}
_LAST["percent"] = _LAST["number"]


@dataclass(frozen=True, slots=True)
class ListSort:
    key: str = "created_at"
    descending: bool = True


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def cursor(sort_key: str, value: Any, entity_id: uuid.UUID) -> str:
    """Where a card stands in a list sorted by ``sort_key``: its value there, and its id."""
    raw = json.dumps([sort_key, _plain(value), str(entity_id)], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _nothing_behind() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Page(Generic[ReadT]):
    nodes: list[ReadT]
    sort_key: str
    # (sort value, id) of each node: a cursor is made only for the ones asked for
    positions: list[tuple[Any, uuid.UUID]]
    forward: bool
    more: bool  # cards beyond the page, the way it was paged
    # Whether cards lie behind the cursor it started from: an index probe, made only
    # when a client asks (hasPreviousPage going forward, hasNextPage going back).
    behind: Callable[[], bool] = _nothing_behind

    @property
    def has_next(self) -> bool:
        return self.more if self.forward else self.behind()

    @property
    def has_previous(self) -> bool:
        return self.behind() if self.forward else self.more

    @property
    def start_cursor(self) -> str | None:
        return cursor(self.sort_key, *self.positions[0]) if self.positions else None

    @property
    def end_cursor(self) -> str | None:
        return cursor(self.sort_key, *self.positions[-1]) if self.positions else None


@dataclass(frozen=True, slots=True)
class _Order:
    key: str
    raw: Any  # the value a cursor keeps
    sorted_by: Any  # the value the rows are ordered by (nulls replaced)
    null_as: Any  # what replaces a null, or None for a column that has none
    field_type: str
    descending: bool


class EntityLists(Generic[ReadT]):
    _prepared: Prepared  # EntityService's
    kind: EntityKind[ReadT, Any, Any]

    # Provided by EntityService.
    def _select(self) -> Any:
        raise NotImplementedError

    def _visible(self, query: Any, actor: Actor) -> Any:
        raise NotImplementedError

    def _visible_to(self, query: Any, everyones: bool) -> Any:
        raise NotImplementedError

    def _conditions(self, actor: Actor, filters: CardFilter) -> list[Any]:
        raise NotImplementedError

    def _read_rows(self, session: Session, rows: Any, *, with_branches: bool = True) -> list[ReadT]:
        raise NotImplementedError

    def _field_type(self, key: str, field: str) -> str:
        raise NotImplementedError

    def sort_keys(self) -> tuple[str, ...]:
        """What a list of this kind can be sorted by."""
        keys = ["name", "created_at", "updated_at"]
        keys += [
            f.key for f in self.kind.description.fields if f.key != "name" and f.type != "long_text"
        ]
        return (*keys, WEIGHTED) if self._weighs() else tuple(keys)

    def _weighs(self) -> bool:
        return self.kind.probability_key is not None and self._amount_key() is not None

    def _amount_key(self) -> str | None:
        spec = next((f for f in self.kind.description.fields if f.type == "amount"), None)
        return spec.key if spec else None

    def _weighted(self) -> Any:
        """The amount times the card's own probability, else its step's (as read values
        compute it, entities/deals.py), in SQL."""
        table, key = self.kind.table, self.kind.probability_key
        chance: Any = chances.fixed_in_sql(str(key))
        if self.kind.own_probability is not None:
            chance = func.coalesce(table.c[self.kind.own_probability], chance)
        return table.c[str(self._amount_key())] * chance

    def _order(self, sort: ListSort) -> _Order:
        """The sort's expressions, built once per sort: a statement made of the same
        parts again finds its compiled SQL without walking them again."""
        orders: dict[ListSort, _Order] = self.__dict__.setdefault("_orders", {})
        if sort not in orders:
            orders[sort] = self._build_order(sort)
        return orders[sort]

    def _build_order(self, sort: ListSort) -> _Order:
        if sort.key not in self.sort_keys():
            message = f"sort must be one of {', '.join(self.sort_keys())}."
            raise invalid("sort", message)
        raw: Any
        if sort.key == WEIGHTED:
            raw = self._weighted()
            field_type = "amount"
        else:
            raw = self.kind.table.c[sort.key]
            field_type = self._field_type(sort.key, "sort")
        if sort.key == WEIGHTED or raw.nullable:
            null_as: Any = literal_column(_LAST.get(field_type, "''"))
            # CASE, not coalesce(): row-level security lets only leakproof conditions
            # reach an index, and PostgreSQL counts coalesce() as possibly leaky.
            sorted_by = case((raw.is_(None), null_as), else_=raw)
            return _Order(sort.key, raw, sorted_by, null_as, field_type, sort.descending)
        return _Order(sort.key, raw, raw, None, field_type, sort.descending)

    def _position(self, order: _Order, cursor: str, field: str) -> tuple[Any, Any]:
        """A cursor's place in the order: (sort value, id) as SQL values."""
        if len(cursor) > MAX_CURSOR:
            raise invalid(field, f"{field} is too long.")
        try:
            key, value, entity_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            entity_id = uuid.UUID(entity_id)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise invalid(field, f"{field} must be a cursor this API gave.") from None
        if key != order.key:
            raise invalid(field, f"{field} was given for another sort: start again.")
        if value is None and order.null_as is None:
            raise invalid(field, f"{field} must be a cursor this API gave.")
        if value is None:
            return order.null_as, literal(entity_id, self.kind.table.c.id.type)
        bound = literal(_typed(value, order.field_type, field), order.raw.type)
        return bound, literal(entity_id, self.kind.table.c.id.type)

    def _beyond(
        self, order: _Order, position: tuple[Any, Any], *, ahead: bool, inclusive: bool = False
    ) -> Any:
        """Rows after ``position`` in the list's order (``ahead``), else before it; with
        ``inclusive``, the cursor's own row too."""
        here, there = tuple_(order.sorted_by, self.kind.table.c.id), tuple_(*position)
        if ahead != order.descending:
            return here >= there if inclusive else here > there
        return here <= there if inclusive else here < there

    def _ordered(self, query: Any, order: _Order, forward: bool) -> Any:
        table = self.kind.table
        if order.descending == forward:
            return query.order_by(order.sorted_by.desc(), table.c.id.desc())
        return query.order_by(order.sorted_by.asc(), table.c.id.asc())

    def get_all(
        self,
        actor: Actor | None,
        *,
        owner_id: uuid.UUID | None = None,
        with_branches: bool = True,
    ) -> list[ReadT]:
        """Every visible card (one owner's), newest in its step first: PipeCD's plain
        ``deals`` and ``leads``; lists that can grow page through ``list_page``.
        ``with_branches``: as ``_read_rows``."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        everyones, one_owner = access.sees_everyones(actor), owner_id is not None
        statement = self._prepared.get(
            ("all", everyones, one_owner), lambda: self._all(everyones, one_owner)
        )
        params = {"owner_id": owner_id, **access.viewer_params(actor)}
        with unit_of_work() as uow:
            keys, rows = statement.all(uow.session, params)
            found = [dict(zip(keys, row, strict=True)) for row in rows]
            return self._read_rows(uow.session, found, with_branches=with_branches)

    def _all(self, everyones: bool, one_owner: bool) -> Any:
        table = self.kind.table
        query = self._visible_to(self._select(), everyones)
        if one_owner:
            query = query.where(table.c.user_id == bindparam("owner_id"))
        return query.order_by(_projects.c.step_entered_at.desc(), table.c.id)

    def matching(self, actor: Actor, text: str, limit: int) -> tuple[list[ReadT], bool]:
        """The newest ``limit`` visible cards whose name or a text field holds ``text``
        (any case), and whether there are more (the header's search, entities/search.py)."""
        table = self.kind.table
        keys = [f.key for f in self.kind.description.fields if f.type in SEARCHED_TYPES]
        needle = text.lower()
        holds = [func.lower(table.c[key]).contains(needle, autoescape=True) for key in keys]
        query = (
            self._visible(self._select(), actor)
            .where(or_(*holds))
            .order_by(table.c.updated_at.desc(), table.c.id)
            .limit(limit + 1)
        )
        with unit_of_work() as uow:
            cards = self._read_rows(uow.session, uow.session.execute(query).all())
        return cards[:limit], len(cards) > limit

    def list_page(
        self,
        actor: Actor | None,
        filters: CardFilter | None = None,
        sort: ListSort | None = None,
        *,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Page[ReadT]:
        """One page of the visible cards matching ``filters`` in ``sort`` order: the
        ``first`` after the ``after`` cursor, or the ``last`` before ``before``."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        if first is not None and last is not None:
            raise invalid("last", "Give first or last, not both.")
        forward = last is None
        if (before if forward else after) is not None:
            stray = "before" if forward else "after"
            raise invalid(stray, "Page forward with first and after, back with last and before.")
        size = (first if first is not None else DEFAULT_PAGE) if forward else last
        field = "first" if forward else "last"
        if size is None or not 1 <= size <= MAX_PAGE:
            raise invalid(field, f"{field} must be from 1 to {MAX_PAGE}.")
        order = self._order(sort or ListSort())
        where = self._conditions(actor, filters or CardFilter())
        base = self._visible(self._select(), actor).where(*where)
        query = base.add_columns(order.raw.label("list_key"))
        start = after if forward else before
        start_field = "after" if forward else "before"
        position = self._position(order, start, start_field) if start else None
        if position is not None:
            query = query.where(self._beyond(order, position, ahead=forward))
        query = self._ordered(query, order, forward).limit(size + 1)
        with unit_of_work() as uow:
            rows = uow.session.connection().execute(query).all()
            more = len(rows) > size
            rows = rows[:size] if forward else list(reversed(rows[:size]))
            cards = self._read_rows(uow.session, rows, with_branches=False)
        positions = [(row.list_key, row.id) for row in rows]
        if position is None:
            return Page(cards, order.key, positions, forward, more)
        probe = (
            base.with_only_columns(self.kind.table.c.id)
            .where(self._beyond(order, position, ahead=not forward, inclusive=True))
            .limit(1)
        )

        def behind() -> bool:
            with unit_of_work() as uow:
                return uow.session.connection().execute(probe).first() is not None

        return Page(cards, order.key, positions, forward, more, behind)

    def count(self, actor: Actor | None, filters: CardFilter | None = None) -> int:
        """How many visible cards match: a connection's totalCount, counted only when a
        client asks for it (it reads every match, where a page reads one page)."""
        actor = require_permission(actor, READ_PROJECTS, f"read {self.kind.noun}s")
        table = self.kind.table
        query = self._visible(
            select(func.count())
            .select_from(table)
            .join(_projects, _projects.c.id == table.c.wfm_project_id),
            actor,
        ).where(*self._conditions(actor, filters or CardFilter()))
        with unit_of_work() as uow:
            return int(uow.session.execute(query).scalar_one())

    def each(
        self,
        actor: Actor | None,
        filters: CardFilter | None = None,
        sort: ListSort | None = None,
        *,
        batch: int = MAX_PAGE,
    ) -> Iterator[ReadT]:
        """Every visible card matching ``filters``, in ``sort`` order, read a page at a
        time (an export holds one page in memory, whatever the total)."""
        after: str | None = None
        while True:
            page = self.list_page(actor, filters, sort, first=batch, after=after)
            yield from page.nodes
            if not page.has_next:
                return
            after = page.end_cursor
