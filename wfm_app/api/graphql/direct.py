"""Plain fields resolved by a plain call.

Strawberry wraps every resolver in layers (argument conversion, an ``Info`` object,
field extensions) that cost several times what our one-line resolvers do; on a list of
1,000 cards with their history that is most of the request. A field with no arguments
and no field extensions, whose resolver wants only its object (and perhaps ``info``),
has nothing for those layers to do: graphql-core calls it directly; so does a field whose
arguments are plain scalars (graphql-core has coerced them already). Everything else
(input types, enums, async resolvers, extensions) keeps Strawberry's path.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

Resolve = Callable[..., Any]
_PLAIN_SCALARS = (int, str, bool, float, strawberry.ID)


class Reader(NamedTuple):
    """A field read straight from its source (api/graphql/planned.py): ``read(source,
    **arguments)``, where ``arguments`` are its own (by their GraphQL names in ``names``)
    and, under ``info_name``, Strawberry's ``Info`` made by ``make_info``."""

    read: Resolve
    names: tuple[tuple[str, str], ...] = ()
    info_name: str | None = None
    make_info: Callable[[GraphQLResolveInfo], Any] | None = None


READERS: dict[Resolve, Reader] = {}


def resolve_directly(schema: strawberry.Schema) -> None:
    """Give each plain field of ``schema`` a direct resolver."""
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            direct = _direct(definition, schema) if definition is not None else None
            if direct is not None:
                field.resolve = direct


def _direct(field: StrawberryField, schema: strawberry.Schema) -> Resolve | None:
    if field.extensions or not all(_plain(argument) for argument in field.arguments):
        return None
    resolver = field.base_resolver
    if resolver is None:
        name = field.python_name

        def attribute(source: Any, _info: GraphQLResolveInfo) -> Any:
            return getattr(source, name)

        READERS[attribute] = Reader(attrgetter(name))
        return attribute
    if (
        resolver.is_async
        or resolver.self_parameter is None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
    ):
        return None
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    info_parameter = resolver.info_parameter
    # graphql-core passes arguments by their GraphQL names, defaults filled in
    names = [
        (schema.config.name_converter.get_graphql_name(argument), argument.python_name)
        for argument in field.arguments
    ]
    if info_parameter is None and not names:

        def of_source(source: Any, _info: GraphQLResolveInfo) -> Any:
            return function(source)

        READERS[of_source] = Reader(function)
        return of_source
    make_info = schema.config.info_class
    info_name = info_parameter.name if info_parameter is not None else None

    def make_strawberry_info(raw: GraphQLResolveInfo) -> Any:
        return make_info(_raw_info=raw, _field=field)

    def with_arguments(source: Any, info: GraphQLResolveInfo, **given: Any) -> Any:
        arguments = {ours: given[theirs] for theirs, ours in names if theirs in given}
        if info_name is not None:
            arguments[info_name] = make_strawberry_info(info)
        return function(source, **arguments)

    READERS[with_arguments] = Reader(function, tuple(names), info_name, make_strawberry_info)
    return with_arguments


def _plain(argument: StrawberryArgument) -> bool:
    """A scalar that graphql-core hands over as Strawberry would (no input type, enum or
    custom scalar to convert)."""
    annotation = argument.type
    if isinstance(annotation, StrawberryOptional):
        annotation = annotation.of_type
    return annotation in _PLAIN_SCALARS
