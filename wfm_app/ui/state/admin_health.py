"""/admin/wfm/health: the figures an operator watches, for people without Grafana."""

from __future__ import annotations

from typing import Any

import reflex as rx

from wfm_app.auth.actor import MANAGE_DEFINITIONS
from wfm_app.engine import durations
from wfm_app.observability import summary
from wfm_app.ui.state.adapters import attempt
from wfm_app.ui.state.session import SessionState


def _age(seconds: float) -> str:
    if seconds < 1:
        return "none waiting"
    return _duration(seconds)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return durations.in_words(seconds)


class HealthState(SessionState):
    figures: list[dict[str, str]] = []  # label, value: the organization's own
    deployment: list[dict[str, str]] = []  # the operator's view of every organization
    refusals: list[dict[str, str]] = []  # code, count
    workers: list[dict[str, str]] = []  # name, last round, state
    counted_here_only: bool = False
    error: str = ""
    loaded: bool = False

    def _reload(self) -> None:
        actor = self._actor()
        found, self.error, _ = attempt(lambda: summary.health(actor))
        self.loaded = True
        if found is None:
            return
        box = found.outbox
        self.figures = [
            {"label": "Moves per minute (last 10 minutes)", "value": f"{found.moves_per_minute:g}"},
            {"label": "Webhooks waiting", "value": f"{box.pending:,}"},
            {"label": "Oldest waiting webhook", "value": _age(box.oldest_age_seconds)},
            {"label": "Webhooks given up", "value": f"{box.failed:,}"},
        ]
        deployment = found.deployment
        self.deployment, self.refusals, self.workers = [], [], []
        if deployment is None:
            return
        p95 = deployment.p95_move_ms
        self.deployment = [
            {"label": "Moves since the processes started", "value": f"{deployment.moves:,}"},
            {
                "label": "Move time, 95th percentile",
                "value": f"{p95:.1f} ms" if p95 else "none yet",
            },
        ]
        self.refusals = [
            {"code": code, "count": f"{count:,}"} for code, count in deployment.refusals.items()
        ]
        self.workers = [
            {
                "name": worker.name,
                "last": _duration(worker.seconds_since_round) + " ago",
                "state": "alive" if worker.alive else "silent",
            }
            for worker in deployment.workers
        ]
        self.counted_here_only = not deployment.shared

    @rx.event
    def load(self) -> Any:
        actor, leave = self._gate(MANAGE_DEFINITIONS)
        if actor is None:
            return leave
        self._reload()
        return None

    @rx.event
    def refresh(self) -> None:
        self._reload()
