"""Learning a workflow's win chance from its closed cards.

A card observed on step S after ``a`` hours there is like the closed cards that were once
on S for at least ``a`` hours: each finished stay of a closed card on an open step is an
example at every age of a fixed grid it outlasted (0 h, 1 day, 3 days, ...), labelled by
how the card ended (a WON or a LOST step). scikit-learn's logistic regression fits, per
step, a weight and a slope on log(1 + age in days), and a weight per column of the custom
fields an admin marked as predictors (predictors.py); the model is those numbers, so the
board's totals can apply it in SQL.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from wfm_app.engine import step_settings
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.engine.win_chance import predictors
from wfm_app.engine.win_chance.predictors import CardValues, Predictor, Term

AGE_GRID_HOURS = (0, 24, 72, 168, 336, 720, 1440, 2880)
MIN_CLOSED = 20  # closed cards before anything is learned
MIN_EACH_OUTCOME = 3  # won and lost ones, each
MIN_STAYS_PER_STEP = 5  # a step with fewer keeps its fixed probability
MAX_CLOSED = 5000  # the latest closed cards learned from


@dataclass(frozen=True)
class WinModel:
    intercept: float
    # step id -> (weight, slope on log(1 + age in days))
    steps: dict[uuid.UUID, tuple[float, float]]
    closed_cards: int
    won_cards: int
    fitted_at: datetime
    brier: float  # on the examples it learned from
    fixed_brier: float  # the steps' fixed probabilities on the same examples
    terms: tuple[Term, ...] = ()  # the custom fields' columns it learned
    skipped: tuple[str, ...] = ()  # marked fields left out, each with why

    def chance(
        self,
        step_id: uuid.UUID,
        age_hours: float,
        entity_type: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> float | None:
        """The learned chance (0-1) of a card ``age_hours`` on the step, with its custom
        field ``values``; None when the step was not learned (too few stays, or a final
        step)."""
        found = self.steps.get(step_id)
        if found is None:
            return None
        score = self.intercept + found[0] + found[1] * math.log1p(max(age_hours, 0.0) / 24)
        score += sum(t.weight * t.feature(entity_type, values) for t in self.terms)
        return 1 / (1 + math.exp(-score))

    @property
    def predictor_labels(self) -> list[str]:
        return predictors.labels(self.terms)

    def as_document(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "steps": {str(k): list(v) for k, v in self.steps.items()},
            "brier": self.brier,
            "fixed_brier": self.fixed_brier,
            "predictors": [term.as_document() for term in self.terms],
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_document(
        cls, document: dict[str, Any], closed: int, won: int, fitted_at: datetime
    ) -> WinModel:
        steps = {uuid.UUID(k): (float(v[0]), float(v[1])) for k, v in document["steps"].items()}
        return cls(
            float(document["intercept"]),
            steps,
            closed,
            won,
            fitted_at,
            float(document["brier"]),
            float(document["fixed_brier"]),
            tuple(Term.from_document(t) for t in document.get("predictors", [])),
            tuple(str(why) for why in document.get("skipped", [])),
        )


@dataclass
class Examples:
    step_ids: list[uuid.UUID] = field(default_factory=list)
    ages_hours: list[float] = field(default_factory=list)
    won: list[bool] = field(default_factory=list)
    cards: list[int] = field(default_factory=list)  # index into card_values
    card_values: list[CardValues] = field(default_factory=list)  # per closed card

    def add_card(self, entity_type: str | None, values: Mapping[str, Any]) -> int:
        self.card_values.append((entity_type, values))
        return len(self.card_values) - 1

    def add_stay(self, step_id: uuid.UUID, hours: float, won: bool, card: int = -1) -> None:
        for age in AGE_GRID_HOURS:
            if age > hours:
                break
            self.step_ids.append(step_id)
            self.ages_hours.append(float(age))
            self.won.append(won)
            self.cards.append(card)

    def values_of(self, index: int) -> CardValues:
        card = self.cards[index]
        return self.card_values[card] if card >= 0 else (None, {})


def learnable_steps(graph: WorkflowGraph) -> list[uuid.UUID]:
    """Open steps: not final, no outcome of their own."""
    return [
        s.id for s in graph.steps if not s.is_final_step and step_settings.of(s).outcome == "OPEN"
    ]


def fit(
    examples: Examples,
    closed: int,
    won: int,
    fixed: dict[uuid.UUID, float],
    now: datetime,
    marked: Sequence[Predictor] = (),
) -> tuple[WinModel | None, str]:
    """The model, or None and the sentence saying why not."""
    if closed < MIN_CLOSED or min(won, closed - won) < MIN_EACH_OUTCOME:
        return None, (
            f"Not enough closed cards yet: {closed} ({won} won); it learns from "
            f"{MIN_CLOSED} with at least {MIN_EACH_OUTCOME} won and {MIN_EACH_OUTCOME} lost."
        )
    stays: dict[uuid.UUID, int] = {}
    for step_id, age in zip(examples.step_ids, examples.ages_hours, strict=True):
        if age == 0:
            stays[step_id] = stays.get(step_id, 0) + 1
    learned = sorted((s for s, n in stays.items() if n >= MIN_STAYS_PER_STEP), key=str)
    if not learned:
        return None, "No open step has enough stays of closed cards yet."
    column = {step_id: index for index, step_id in enumerate(learned)}
    keep = [i for i, s in enumerate(examples.step_ids) if s in column]
    width = len(learned)
    terms, skipped = predictors.columns(marked, examples.card_values)
    features = np.zeros((len(keep), 2 * width + len(terms)))
    for row, i in enumerate(keep):
        c = column[examples.step_ids[i]]
        features[row, c] = 1.0
        features[row, width + c] = math.log1p(examples.ages_hours[i] / 24)
        entity_type, values = examples.values_of(i)
        for t, term in enumerate(terms):
            features[row, 2 * width + t] = term.feature(entity_type, values)
    labels = np.array([examples.won[i] for i in keep], dtype=int)
    regression = LogisticRegression(C=1.0, max_iter=1000)
    regression.fit(features, labels)
    weights = regression.coef_[0]
    predicted = regression.predict_proba(features)[:, 1]
    baseline = np.array([fixed.get(examples.step_ids[i], 0.0) for i in keep])
    model = WinModel(
        float(regression.intercept_[0]),
        {s: (float(weights[c]), float(weights[width + c])) for s, c in column.items()},
        closed,
        won,
        now,
        float(np.mean((predicted - labels) ** 2)),
        float(np.mean((baseline - labels) ** 2)),
        tuple(term.weighted(float(weights[2 * width + t])) for t, term in enumerate(terms)),
        tuple(skipped),
    )
    return model, ""
