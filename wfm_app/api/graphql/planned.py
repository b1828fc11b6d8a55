"""Selections executed from a plan made once per request, not field by field.

graphql-core executes every field of every row the same general way: it looks the field
up, builds a resolve-info tuple, gathers arguments, calls the resolver, then walks
``complete_value`` (non-null? list? leaf? abstract? object?) down to the value. On a list
of 1,000 cards with their histories that machinery is most of the request (72,000 field
executions for ``event_loop.py``'s heavy query). Here each selection set is looked at
once per request: a field with no directives whose resolver is a plain read
(``direct.READERS``: its arguments, the same for every row, worked out once) and whose type
is a leaf, an object or a list of objects is read and completed in a few lines; everything
else, and every value that is not plain (``None`` where null is not allowed, an awaitable,
an error), takes graphql-core's own path, so answers and errors are the same either way
(``tests/unit/test_planned_executor.py``).

A resolver that wants Strawberry's ``Info`` gets one made once per field and request:
ours read only ``info.context`` from it, so they see the first row's path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from wfm_app.api.graphql.direct import READERS

# values a leaf's coercion can take at once: anything else may be an awaitable
_SETTLED = frozenset({str, int, float, bool, Decimal, datetime, date, UUID, dict, list})
# what a planned field's execution gives back that is surely not an awaitable
_DONE = frozenset({str, int, float, bool, dict, list, type(None)})
GENERIC, LEAF, OBJECT, OBJECT_LIST = range(4)


@dataclass(slots=True)
class Step:
    """How one response key of a selection set is produced."""

    name: str
    kind: int
    details: FieldDetailsList
    parent_type: GraphQLObjectType
    field: GraphQLField | None = None
    read: Callable[[Any], Any] | None = None
    info: Any = None  # graphql-core's, made once: for ``is_type_of``
    is_type_of: Callable[[Any, Any], Any] | None = None
    nullable: bool = True
    coerce: Callable[[Any], Any] | None = None
    object_type: GraphQLObjectType | None = None
    item_type: GraphQLOutputType | None = None
    subfields: GroupedFieldSet | None = None
    steps: list[Step] | None = None  # the subfields' plan, made when first needed
    type_name: str = dataclasses.field(init=False)  # the parent's, read for every row's path

    def __post_init__(self) -> None:
        self.type_name = self.parent_type.name


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, int], tuple[GroupedFieldSet, list[Step]]] = {}

    def execute_operation(self, serially: bool | None = None) -> Any:
        """graphql-core's, letting go of the request at the end: graphql-core's executor is
        in a reference cycle of its own (its resolve-info helpers hold its methods), so
        whatever it holds waits for the garbage collector, not for the answer to go. It
        held the request's context, with every row the loaders read; a collection over a
        heavy answer's half a million objects held every thread for most of a second.
        Breaking the cycle frees the executor itself with its answer."""
        try:
            result = super().execute_operation(serially)
        except BaseException:
            self._let_go()
            raise
        if not self.is_awaitable(result):
            self._let_go()
            return result

        async def finished() -> Any:
            try:
                return await result
            finally:
                self._let_go()

        return finished()

    def _let_go(self) -> None:
        self._plans.clear()  # their steps hold resolve infos, and those the context
        self.context_value = None  # no more fields to resolve (no incremental delivery)
        # its helpers hold its own bound methods: a cycle that left every request's
        # executor, and all it held, to the garbage collector (under load a young
        # collection came every few hundred requests and took most of a second)
        self.async_helpers = None  # type: ignore[assignment]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        middleware = self.middleware_manager
        if position_context is not None or (middleware is not None and middleware.middlewares):
            return super().execute_fields(
                parent_type, source, path, grouped_field_set, position_context
            )
        return self._run(self._plan(parent_type, grouped_field_set, path), source, path)

    def _run(self, steps: list[Step], source: Any, path: Path | None) -> Any:
        """graphql-core's ``execute_fields``, from a plan."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for step in steps:
                kind, name = step.kind, step.name
                if kind == GENERIC:
                    result = self.execute_field(
                        step.parent_type,
                        source,
                        step.details,
                        Path(path, name, step.type_name),
                        None,
                    )
                    if result is Undefined:
                        continue
                else:
                    try:
                        value = step.read(source)  # type: ignore[misc]
                    except Exception as raw_error:
                        results[name] = self._failed(
                            step, raw_error, Path(path, name, step.type_name)
                        )
                        continue
                    if kind == LEAF and type(value) in _SETTLED:
                        try:
                            result = step.coerce(value)  # type: ignore[misc]
                        except Exception:
                            result = None  # completed below, where the error is made and placed
                        if result is not None and result is not Undefined:
                            results[name] = result
                            continue
                    result = self._complete_planned(step, value, path)
                results[name] = result
                if type(result) not in _DONE and is_awaitable(result):
                    pending.append(name)
        except Exception:
            if pending:
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results

        async def settled() -> dict[str, Any]:
            values = await gather_with_cancel(*(results[name] for name in pending))
            results.update(zip(pending, values, strict=True))
            return results

        return settled()

    def _complete_planned(self, step: Step, value: Any, path: Path | None) -> Any:
        """graphql-core's ``complete_value`` for a planned step, plain objects inline."""
        if value is None and step.nullable:
            return None
        field_path = Path(path, step.name, step.type_name)
        if value is not None and step.kind != LEAF:
            if step.kind == OBJECT:
                if self._plain_object(step, value):
                    return self._object(step, value, field_path)
            elif type(value) is list:
                return self._object_list(step, value, field_path)
        return self._complete(step, value, field_path)

    def _plain_object(self, step: Step, value: Any) -> bool:
        is_type_of = step.is_type_of
        return (
            value is not None
            and not self.is_awaitable(value)
            and (is_type_of is None or is_type_of(value, step.info) is True)
        )

    def _fields_of(self, step: Step, value: Any, path: Path) -> Any:
        steps = step.steps
        if steps is None:
            steps = step.steps = self._plan(step.object_type, step.subfields, path)  # type: ignore[arg-type]
        return self._run(steps, value, path)

    def _object(self, step: Step, value: Any, field_path: Path) -> Any:
        try:
            completed = self._fields_of(step, value, field_path)
        except Exception as raw_error:
            return self._failed(step, raw_error, field_path)
        if self.is_awaitable(completed):
            return self._settle(completed, self._return_type(step), step.details, field_path)
        return completed

    def _object_list(self, step: Step, items: list[Any], field_path: Path) -> Any:
        """graphql-core's ``complete_iterable_value`` for a list of plain objects."""
        item_type = step.item_type
        assert item_type is not None
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = field_path.add_key(index, None)
                if not self._plain_object(step, item):
                    info = self._raw_info(step, field_path)
                    if is_awaitable(item):
                        completed.append(
                            self.complete_awaitable_list_item_value(
                                item, item_type, step.details, info, item_path, None
                            )
                        )
                        pending.append(index)
                    elif self.complete_list_item_value(
                        item, completed, item_type, step.details, info, item_path, None
                    ):
                        pending.append(index)
                    continue
                try:
                    value = self._fields_of(step, item, item_path)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, step.details, item_path)
                    value = None
                if is_awaitable(value):
                    value = self._settle(value, item_type, step.details, item_path)
                    pending.append(index)
                completed.append(value)
        except Exception as raw_error:
            if pending:
                self.settle_in_background([completed[index] for index in pending])
            return self._failed(step, raw_error, field_path)
        if not pending:
            return completed

        async def settled() -> list[Any]:
            values = await gather_with_cancel(*(completed[index] for index in pending))
            for index, value in zip(pending, values, strict=True):
                completed[index] = value
            return completed

        return settled()

    def _failed(self, step: Step, raw_error: Exception, field_path: Path) -> Any:
        """graphql-core's ``handle_field_error``: the error placed (and raised on where null
        is not allowed); the field's value is null."""
        self.handle_field_error(raw_error, self._return_type(step), step.details, field_path)
        return None

    def _complete(self, step: Step, value: Any, field_path: Path) -> Any:
        """The rest of graphql-core's ``execute_field``, for a value that is not plain."""
        return_type = self._return_type(step)
        info = self._raw_info(step, field_path)
        try:
            if self.is_awaitable(value):
                return self.complete_awaitable_value(
                    return_type, step.details, info, field_path, value, None
                )
            completed = self.complete_value(
                return_type, step.details, info, field_path, value, None
            )
        except Exception as raw_error:
            return self._failed(step, raw_error, field_path)
        if self.is_awaitable(completed):
            return self._settle(completed, return_type, step.details, field_path)
        return completed

    async def _settle(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        details: FieldDetailsList,
        field_path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, field_path)
            return None

    @staticmethod
    def _return_type(step: Step) -> GraphQLOutputType:
        assert step.field is not None
        return step.field.type

    def _raw_info(self, step: Step, field_path: Path) -> Any:
        assert step.field is not None
        nodes = [detail.node for detail in step.details]
        return self.build_resolve_info(step.field, nodes, step.parent_type, field_path)

    def _plan(
        self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet, path: Path | None
    ) -> list[Step]:
        key = (parent_type.name, id(grouped))
        known = self._plans.get(key)
        if known is not None:
            return known[1]
        steps = [self._step(parent_type, name, details, path) for name, details in grouped.items()]
        self._plans[key] = (grouped, steps)  # the set is kept: its id stays its own
        return steps

    def _step(
        self,
        parent_type: GraphQLObjectType,
        name: str,
        details: FieldDetailsList,
        path: Path | None,
    ) -> Step:
        generic = Step(name, GENERIC, details, parent_type)
        node = details[0].node
        field = self.schema.get_field(parent_type, node.name.value)
        reader = READERS.get(field.resolve) if field is not None and field.resolve else None
        if field is None or reader is None or any(d.node.directives for d in details):
            return generic
        info = self.build_resolve_info(
            field, [d.node for d in details], parent_type, Path(path, name, parent_type.name)
        )
        try:  # an operation's arguments and variables are the same for every row
            given = get_argument_values(
                field,
                node,
                self.variable_values,
                details[0].fragment_variable_values,
                self.hide_suggestions,
            )
        except Exception:
            return generic  # refused where graphql-core reports it, on its own path
        arguments = {ours: given[theirs] for theirs, ours in reader.names if theirs in given}
        if reader.info_name is not None and reader.make_info is not None:
            arguments[reader.info_name] = reader.make_info(info)
        read = partial(reader.read, **arguments) if arguments else reader.read
        step = Step(name, GENERIC, details, parent_type, field, read, info)
        field_type = field.type
        if isinstance(field_type, GraphQLNonNull):
            step.nullable, field_type = False, field_type.of_type
        if is_leaf_type(field_type):
            step.kind, step.coerce = LEAF, field_type.coerce_output_value
            return step
        item_type = field_type.of_type if isinstance(field_type, GraphQLList) else None
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if item_type is None:
            object_type = field_type
        if not isinstance(object_type, GraphQLObjectType):
            return generic
        subfields, defer_usages, *_ = self.collect_subfields(object_type, details)
        if defer_usages:
            return generic
        step.object_type, step.subfields, step.item_type = object_type, subfields, item_type
        step.is_type_of = object_type.is_type_of
        step.kind = OBJECT if item_type is None else OBJECT_LIST
        return step
