"""Custom fields as predictors of the win chance (an admin marks them: ``predicts_win``).

Each becomes columns of the fit where the closed cards carry enough of it: a single
choice one column per choice that at least ``MIN_CARDS`` closed cards have (and as many do
not), a yes/no one column, a number one column scaled by the closed cards' own mean and
spread. A card without the value scores 0 on every column, like the cards the model saw
without it. The same column reads a card's values in Python (the card) and its entity
table's ``custom_field_values`` document in SQL (a board column's weighted total).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import case, func, true

MIN_CARDS = 10  # closed cards with a value (and as many without) before it is a column
MIN_NUMBERS = 20  # closed cards with a number before a number field is a column

CardValues = tuple[str | None, Mapping[str, Any]]  # a card's entity type and its values


@dataclass(frozen=True)
class Predictor:
    """A field an admin marked as a predictor."""

    entity_type: str
    key: str
    label: str
    field_type: str  # DROPDOWN, BOOLEAN or NUMBER


@dataclass(frozen=True)
class Term:
    """One column of the fit and its learned weight."""

    entity_type: str
    key: str
    label: str
    field_type: str
    value: str = ""  # the choice a DROPDOWN column stands for
    mean: float = 0.0  # a NUMBER's scaling
    scale: float = 1.0
    weight: float = 0.0

    def feature(self, entity_type: str | None, values: Mapping[str, Any] | None) -> float:
        if entity_type != self.entity_type or not values:
            return 0.0
        stored = values.get(self.key)
        if self.field_type == "DROPDOWN":
            return 1.0 if stored == self.value else 0.0
        if self.field_type == "BOOLEAN":
            return 1.0 if stored is True else 0.0
        number = _number(stored)
        return 0.0 if number is None else (number - self.mean) / self.scale

    def in_sql(self, document: Any) -> Any:
        """This column's share of the score, over an entity table's values document."""
        stored = document[self.key]
        if self.field_type == "DROPDOWN":
            return case((stored.as_string() == self.value, self.weight), else_=0.0)
        if self.field_type == "BOOLEAN":
            return case((stored.as_boolean() == true(), self.weight), else_=0.0)
        number = func.coalesce(stored.as_float(), self.mean)
        return self.weight * (number - self.mean) / self.scale

    def as_document(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Term:
        return cls(
            entity_type=str(document["entity_type"]),
            key=str(document["key"]),
            label=str(document["label"]),
            field_type=str(document["field_type"]),
            value=str(document.get("value", "")),
            mean=float(document.get("mean", 0.0)),
            scale=float(document.get("scale", 1.0)),
            weight=float(document.get("weight", 0.0)),
        )

    def weighted(self, weight: float) -> Term:
        return replace(self, weight=weight)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _columns_of(predictor: Predictor, cards: Sequence[CardValues]) -> tuple[list[Term], str]:
    """The predictor's columns, or none and why."""
    own = [values for entity_type, values in cards if entity_type == predictor.entity_type]
    stored = [values.get(predictor.key) for values in own]
    if predictor.field_type == "NUMBER":
        numbers = [n for n in map(_number, stored) if n is not None]
        if len(numbers) < MIN_NUMBERS or len(set(numbers)) < 2:
            return [], f"{predictor.label} (fewer than {MIN_NUMBERS} closed cards with a number)"
        mean, spread = statistics.fmean(numbers), statistics.pstdev(numbers)
        return [Term(**asdict(predictor), mean=mean, scale=spread)], ""
    if predictor.field_type == "BOOLEAN":
        chosen = {"": sum(1 for value in stored if value is True)}
    else:
        chosen = {}
        for value in stored:
            if isinstance(value, str):
                chosen[value] = chosen.get(value, 0) + 1
    enough = sorted(
        value
        for value, count in chosen.items()
        if count >= MIN_CARDS and len(cards) - count >= MIN_CARDS
    )
    if not enough:
        return [], f"{predictor.label} (fewer than {MIN_CARDS} closed cards with a value)"
    return [Term(**asdict(predictor), value=value) for value in enough], ""


def columns(
    predictors: Sequence[Predictor], cards: Sequence[CardValues]
) -> tuple[list[Term], list[str]]:
    """The columns the closed cards support (weights still 0), and for each marked field
    left out a phrase saying why."""
    terms: list[Term] = []
    skipped: list[str] = []
    for predictor in predictors:
        found, why = _columns_of(predictor, cards)
        terms += found
        if why:
            skipped.append(why)
    return terms, skipped


def labels(terms: Sequence[Term]) -> list[str]:
    """The fields the terms come from, once each, in order."""
    return list(dict.fromkeys(term.label for term in terms))
