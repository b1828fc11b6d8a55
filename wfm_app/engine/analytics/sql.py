"""SQL pieces that read the same on PostgreSQL and on the embedded SQLite file: hours
between two timestamps, the UTC day of a timestamp, and percentiles (PostgreSQL's
``percentile_cont``; SQLite has none, so there ``row_number`` and ``count`` over a window
give the same linear interpolation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ARRAY, Float, String, case, func, select, type_coerce
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class hours_between(FunctionElement[float]):  # noqa: N801 (an SQL function's name)
    """hours_between(start, end): (end - start) in hours, as a float."""

    type = Float()
    inherit_cache = True


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    # date_part gives a double; EXTRACT gives numeric since PostgreSQL 14, much slower
    return f"(date_part('epoch', {end} - {start}) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


class utc_day(FunctionElement[str]):  # noqa: N801
    """utc_day(ts): 'YYYY-MM-DD' of the timestamp in UTC."""

    type = String()
    inherit_cache = True


@compiles(utc_day, "postgresql")
def _day_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"to_char({ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(utc_day, "sqlite")
def _day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"strftime('%Y-%m-%d', {ts})"


def _percentile(index: Any, size: Any, value: Any, percent: int) -> Any:
    """Linear interpolation between the values at positions floor((n-1)p) and the next,
    in integer arithmetic both databases truncate the same way."""
    scaled = (size - 1) * percent
    low = scaled // 100
    weight = (scaled % 100) / 100.0
    return func.sum(
        case(
            (index == low, value * (1.0 - weight)),
            (index == low + 1, value * weight),
            else_=0.0,
        )
    )


def summary(values: Any, dialect: str, extra: Callable[[Any], list[Any]] = lambda _v: []) -> Any:
    """``values`` (columns ``key``, ``value``) -> key, size, mean, p50, p85 per key, and
    the aggregates ``extra(value column)`` gives: PostgreSQL's ``percentile_cont``,
    elsewhere the same interpolation by windows."""
    if dialect == "postgresql":  # both fractions from one sort of each group
        both = func.percentile_cont(postgresql.array([0.5, 0.85]))
        per_key = (
            select(
                values.c.key,
                func.count().label("size"),
                func.avg(values.c.value).label("mean"),
                both.within_group(values.c.value).label("p"),
                *extra(values.c.value),
            )
            .group_by(values.c.key)
            .subquery("per_key")
        )
        return select(
            per_key.c.key,
            per_key.c.size,
            per_key.c.mean,
            type_coerce(per_key.c.p, ARRAY(Float))[1].label("p50"),
            type_coerce(per_key.c.p, ARRAY(Float))[2].label("p85"),
            *[column for column in per_key.c if column.name.startswith("extra_")],
        )
    ranked = select(
        values.c.key,
        values.c.value,
        (func.row_number().over(partition_by=values.c.key, order_by=values.c.value) - 1).label("i"),
        func.count().over(partition_by=values.c.key).label("n"),
    ).subquery("ranked")
    return select(
        ranked.c.key,
        func.count().label("size"),
        func.avg(ranked.c.value).label("mean"),
        _percentile(ranked.c.i, ranked.c.n, ranked.c.value, 50).label("p50"),
        _percentile(ranked.c.i, ranked.c.n, ranked.c.value, 85).label("p85"),
        *extra(ranked.c.value),
    ).group_by(ranked.c.key)


@compiles(hours_between)
@compiles(utc_day)
def _named(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    """Any other dialect, and SQLAlchemy naming a statement's columns for itself (which it
    does when the organization filter reads a statement's FROM list): the call as written."""
    arguments = ", ".join(compiler.process(clause, **kw) for clause in element.clauses)
    return f"{type(element).__name__}({arguments})"
