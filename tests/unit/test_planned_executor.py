"""The planned executor answers exactly as graphql-core's own does: same data, same errors
at the same paths, whatever a resolver returns (plain values, None where null is not
allowed, awaitables, exceptions, rows of the wrong type)."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from wfm_app.api.graphql.direct import resolve_directly
from wfm_app.api.graphql.planned import PlannedExecutor


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Entry:
    id: strawberry.ID
    value: int | None
    colour: Colour

    @strawberry.field
    def must(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"entry {self.id} fails")

    @strawberry.field
    def later(self) -> str:
        async def settle() -> str:
            return f"later {self.id}"

        return settle()  # type: ignore[return-value]

    @strawberry.field
    def future(self, info: strawberry.Info) -> int:
        found: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        found.set_result(int(self.id) * info.context["factor"])
        return found  # type: ignore[return-value]

    @strawberry.field
    def scaled(self, factor: int = 2) -> int:
        return int(self.id) * factor


@strawberry.type
class Card(Named):
    name: str
    entries_: strawberry.Private[list[Any]]

    @strawberry.field
    def entries(self, limit: int | None = None) -> list[Entry]:
        return self.entries_[:limit] if limit is not None else self.entries_

    @strawberry.field
    def strict_entries(self) -> list[Entry]:
        return self.entries_

    @strawberry.field
    def first(self) -> Entry | None:
        return self.entries_[0] if self.entries_ else None

    @strawberry.field
    def other(self) -> Entry:
        return self  # type: ignore[return-value]  # not an Entry: fields fail to read

    @strawberry.field
    def mixed(self) -> list[Entry | None]:
        return [None, *self.entries_]


def _entries(*ids: int) -> list[Entry]:
    return [
        Entry(id=strawberry.ID(str(i)), value=i if i % 2 else None, colour=Colour.RED) for i in ids
    ]


@strawberry.type
class Query:
    @strawberry.field
    def cards(self) -> list[Card]:
        return [Card(name="a", entries_=_entries(1, 2)), Card(name="b", entries_=_entries())]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Card(name="c", entries_=_entries(3))]

    @strawberry.field
    def broken(self) -> list[Card]:
        return [Card(name="d", entries_=[None])]  # type: ignore[list-item]

    @strawberry.field
    def wrong_rows(self) -> list[Card]:
        return [_entries(5)[0]]  # type: ignore[list-item]


DOCUMENTS = [
    "{ cards { name entries { id value colour scaled } first { id } } }",
    "{ cards { entries(limit: 1) { id scaled(factor: 5) } all: entries { id } } }",
    "query($n: Int) { cards { entries(limit: $n) { id } } }",
    "{ cards { name entries { must } } }",
    "{ cards { first { fails id } } }",
    "{ cards { entries { later future } } }",
    "{ cards { other { id } } }",
    "{ cards { mixed { id } } }",
    "{ broken { name strictEntries { id } } }",
    "{ broken { name entries { id } } }",
    "{ wrongRows { name } }",
    "{ named { name ... on Card { entries { id } } } }",
    "{ cards { ... on Card { name } name entries { id } entries { value } } }",
    "{ cards { name @include(if: false) entries @skip(if: true) { id } first { id } } }",
]


def _answer(executor: type, document: str) -> tuple[Any, list[tuple[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    resolve_directly(schema)
    result = asyncio.run(
        schema.execute(document, variable_values={"n": 1}, context_value={"factor": 10})
    )
    errors = sorted((error.message, error.path) for error in result.errors or [])
    return result.data, errors


@pytest.mark.parametrize("document", DOCUMENTS)
def test_answers_and_errors_are_graphql_cores(document: str) -> None:
    planned = _answer(PlannedExecutor, document)
    assert planned == _answer(StrawberryGraphQLCoreExecutionContext, document)
    assert planned[0] is not None or planned[1], "each document answers something"


def test_plain_fields_are_executed_from_the_plan() -> None:
    calls: list[str] = []
    original = PlannedExecutor.execute_field

    def counted(self: PlannedExecutor, *args: Any) -> Any:
        calls.append(args[2][0].node.name.value)
        return original(self, *args)

    PlannedExecutor.execute_field = counted  # type: ignore[method-assign]
    try:
        data, errors = _answer(PlannedExecutor, DOCUMENTS[0])
    finally:
        PlannedExecutor.execute_field = original  # type: ignore[method-assign]
    assert not errors and data is not None and len(data["cards"]) == 2
    assert calls == [], "no field of this document needs graphql-core's general path"
