"""``wfmForecast``: Monte Carlo forecasts from a workflow's own throughput
(engine/analytics/forecast.py), checked like the analytics page (members: their own work)."""

from __future__ import annotations

from datetime import date

import strawberry

from wfm_app.api.graphql.common import actor_of, id_of
from wfm_app.api.graphql.types import GqlInfo
from wfm_app.engine.analytics import forecast


@strawberry.type(name="WFMForecastDate")
class WFMForecastDate:
    percent: int
    date: date | None = strawberry.field(description="None: not within three years.")


@strawberry.type(name="WFMForecastCount")
class WFMForecastCount:
    percent: int
    count: int = strawberry.field(description="At least this many done, in percent % of trials.")


@strawberry.type(name="WFMForecast")
class WFMForecast:
    window_start: date
    window_end: date = strawberry.field(description="The last day of history used.")
    finished_in_window: int
    cards: int = strawberry.field(description="The open cards the dates are about.")
    done_by: list[WFMForecastDate]
    by_date: date | None
    done_by_date: list[WFMForecastCount]
    note: str = strawberry.field(description="Why there are no figures (too little history).")


@strawberry.type
class ForecastQueries:
    @strawberry.field(
        name="wfmForecast",
        description="When the open cards (or `cards` of them, a step's, `cardIds`) will be "
        "done (50/85/95 % dates) and how many will be done by `byDate`, from 10,000 trials "
        "over the workflow's daily throughput in the last `windowDays` days.",
    )
    def wfm_forecast(
        self,
        info: GqlInfo,
        workflow_id: strawberry.ID,
        cards: int | None = None,
        step_id: strawberry.ID | None = None,
        card_ids: list[strawberry.ID] | None = None,
        by_date: date | None = None,
        window_days: int = forecast.DEFAULT_WINDOW_DAYS,
        owner_id: strawberry.ID | None = None,
        seed: int = 0,
    ) -> WFMForecast:
        answer = forecast.forecast(
            actor_of(info),
            id_of(workflow_id, "workflow"),
            cards=cards,
            step_id=id_of(step_id, "stepId") if step_id is not None else None,
            card_ids=[id_of(i, "cardIds") for i in card_ids[: forecast.MAX_CARD_IDS + 1]]
            if card_ids is not None
            else None,
            by_date=by_date,
            window_days=window_days,
            owner_id=id_of(owner_id, "owner") if owner_id is not None else None,
            seed=seed,
        )
        return WFMForecast(
            window_start=answer.window_start,
            window_end=answer.window_end,
            finished_in_window=answer.finished_in_window,
            cards=answer.cards,
            done_by=[WFMForecastDate(percent=p, date=d) for p, d in answer.done_by],
            by_date=answer.by_date,
            done_by_date=[WFMForecastCount(percent=p, count=n) for p, n in answer.done_by_date],
            note=answer.note,
        )
