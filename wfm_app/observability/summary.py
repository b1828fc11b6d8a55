"""The key figures of ``/admin/wfm/health``, for people without Grafana: an organization's
own moves and outbox from the database; for the operator's admins (access.
operates_deployment) the deployment's too, from the same series Prometheus scrapes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from wfm_app.auth.actor import MANAGE_DEFINITIONS, Actor
from wfm_app.db import unit_of_work
from wfm_app.engine import access
from wfm_app.engine.models import WfmProjectHistory
from wfm_app.observability import figures, metrics, operations
from wfm_app.sqltypes import table_of, utc_now

WINDOW_MINUTES = 10  # moves per minute: the last ten minutes' average
WORKER_STALE_SECONDS = 120.0  # a worker silent this long is not alive
_history = table_of(WfmProjectHistory)


@dataclass(frozen=True)
class Worker:
    name: str
    seconds_since_round: float

    @property
    def alive(self) -> bool:
        return self.seconds_since_round < WORKER_STALE_SECONDS


@dataclass(frozen=True)
class Deployment:
    moves: int  # moves made since the processes started (every organization)
    p95_move_ms: float | None
    refusals: dict[str, int]  # refused moves by error code
    workers: list[Worker]
    shared: bool  # all processes counted (WFM_METRICS_DIR), or this one only


@dataclass(frozen=True)
class Health:
    moves_per_minute: float
    outbox: figures.Outbox
    deployment: Deployment | None


def health(actor: Actor | None) -> Health:
    viewer = access.require_permission(actor, MANAGE_DEFINITIONS, "see the app's health")
    since = utc_now() - timedelta(minutes=WINDOW_MINUTES)
    with unit_of_work() as uow:
        moves = uow.session.execute(
            select(func.count()).where(_history.c.changed_at >= since)
        ).scalar_one()
    return Health(
        moves_per_minute=round(moves / WINDOW_MINUTES, 1),
        outbox=figures.outbox_of_current(),
        deployment=_deployment() if access.operates_deployment(viewer) else None,
    )


def _deployment() -> Deployment:
    found = metrics.families(
        metrics.OPERATIONS, metrics.OPERATION_SECONDS, metrics.WORKER_LAST_ROUND
    )
    refusals: dict[str, int] = {}
    buckets: dict[float, float] = {}
    beats: dict[str, float] = {}
    moves = 0
    for family in found:
        for sample in family.samples:
            labels = sample.labels
            if labels.get("operation") == operations.UPDATE_STEP:
                if sample.name == "wfm_operations_total":
                    if labels["outcome"] == "success":
                        moves += int(sample.value)
                    else:
                        code = labels["outcome"]
                        refusals[code] = refusals.get(code, 0) + int(sample.value)
                elif sample.name.endswith("_bucket") and labels["outcome"] == "success":
                    bound = float(labels["le"])
                    buckets[bound] = buckets.get(bound, 0.0) + sample.value
            elif sample.name == "wfm_worker_last_round_timestamp_seconds":
                beats[labels["worker"]] = max(beats.get(labels["worker"], 0.0), sample.value)
    now = time.time()
    return Deployment(
        moves=moves,
        p95_move_ms=_quantile(0.95, buckets),
        refusals=dict(sorted(refusals.items())),
        workers=[Worker(name, max(0.0, now - at)) for name, at in sorted(beats.items())],
        shared=metrics.MULTIPROCESS,
    )


def _quantile(q: float, buckets: dict[float, float]) -> float | None:
    """Prometheus's histogram_quantile over cumulative buckets, in milliseconds."""
    ordered = sorted(buckets.items())
    total = ordered[-1][1] if ordered else 0.0
    if total <= 0:
        return None
    rank = q * total
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in ordered:
        if count >= rank:
            if bound == float("inf"):
                return lower_bound * 1000
            share = (rank - lower_count) / (count - lower_count) if count > lower_count else 1
            return (lower_bound + (bound - lower_bound) * share) * 1000
        lower_bound, lower_count = bound, count
    return lower_bound * 1000
