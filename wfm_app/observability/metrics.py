"""The Prometheus series (``prometheus_client``) and their text exposition.

With ``WFM_METRICS_DIR`` set, every process (each backend worker, the worker) writes its
values to files there and any process's ``/metrics`` adds them all up (the library's
multiprocess mode; it must know the directory before it is imported, hence the order
below). Labels name kinds of things, never a user or a card: their sets stay bounded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from wfm_app.observability import batching
from wfm_app.settings import settings

if settings.metrics_dir:
    os.makedirs(settings.metrics_dir, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = settings.metrics_dir

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric

MULTIPROCESS = bool(settings.metrics_dir)
# From a fast move (about 3 ms) to a slow page; seconds, as Prometheus counts time.
_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DB = (0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)
_PAGE = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)

OPERATIONS = Counter(
    "wfm_operations",
    "WFM operations (the spec's CREATE_PROJECT, UPDATE_STEP, VALIDATE_TRANSITION and ours) "
    "by outcome: success or the error code.",
    ["operation", "entity_type", "outcome"],
)
OPERATION_SECONDS = Histogram(
    "wfm_operation_duration_seconds",
    "How long each WFM operation took, commit included.",
    ["operation", "entity_type", "outcome"],
    buckets=_FAST,
)
HTTP_SECONDS = Histogram(
    "wfm_http_request_duration_seconds",
    "HTTP requests to the backend by route template (not the raw path).",
    ["method", "route", "status"],
    buckets=_FAST,
)
GRAPHQL_SECONDS = Histogram(
    "wfm_graphql_operation_duration_seconds",
    "GraphQL operations by their name (anonymous or unusual names: 'other') and outcome "
    "(success or the first error's code).",
    ["operation_name", "outcome"],
    buckets=_FAST,
)
DB_SECONDS = Histogram(
    "wfm_db_query_duration_seconds",
    "Database statements by kind (select, insert, update, delete, other).",
    ["statement"],
    buckets=_DB,
)
DB_ERRORS = Counter(
    "wfm_db_errors",
    "Failed database statements by SQLAlchemy's error class (IntegrityError: a constraint "
    "violated; OperationalError: the connection or a time limit).",
    ["error"],
)
DEFINITIONS_CACHE = Counter(
    "wfm_definitions_cache_lookups",
    "Definitions cache lookups (workflows, project types, rules, ...) by result: hit or miss.",
    ["result"],
)
DELIVERIES = Counter(
    "wfm_webhook_deliveries",
    "Webhook delivery attempts by result: delivered, retry (due again later) or failed.",
    ["result"],
)
TIMERS_FIRED = Counter(
    "wfm_timers_fired", "Time-in-step automation rules fired by the worker's scans."
)
WORKER_LAST_ROUND = Gauge(
    "wfm_worker_last_round_timestamp_seconds",
    "When each worker last finished a round (Unix time): a heartbeat.",
    ["worker"],
    multiprocess_mode="max",
)
LIVE_SOCKETS = Gauge(
    "wfm_live_sockets",
    "Browser tabs connected to this backend process (their live updates).",
    multiprocess_mode="liveall",
)
GRAPHQL_WORKERS = Gauge(
    "wfm_graphql_worker_processes",
    "API worker processes answering this backend process's queries (0: its own threads "
    "answer them, as while the workers start; api/graphql/processes.py).",
    multiprocess_mode="liveall",
)
FRONTEND_SECONDS = Histogram(
    "wfm_frontend_duration_seconds",
    "Reported by browsers: board_shown (navigation to a drawn board) and drop_confirmed "
    "(a card dropped to the server's answer drawn).",
    ["measure"],
    buckets=_PAGE,
)


# Series read from the database at scrape time (outbox, business figures): added by
# whoever knows how (observability/figures.py), so this module imports no engine.
_scraped: list[Callable[[], Iterable[Metric]]] = []


class _Scraped:
    def collect(self) -> Iterable[Metric]:
        for source in _scraped:
            yield from source()


def add_scraped(source: Callable[[], Iterable[Metric]]) -> None:
    if source not in _scraped:
        _scraped.append(source)


if not MULTIPROCESS:
    REGISTRY.register(_Scraped())


def exposition() -> tuple[bytes, str]:
    """The text every series has now, and its content type. Blocking (files, the
    database): call it off the event loop."""
    batching.flush_all()
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_Scraped())
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def families(*wanted: Any) -> list[Metric]:
    """The current values of some of our own series (all processes' in multiprocess
    mode), without the database-derived ones."""
    batching.flush_all()
    if not MULTIPROCESS:
        return [family for metric in wanted for family in metric.collect()]
    names = {family.name for metric in wanted for family in metric.collect()}
    registry = CollectorRegistry()
    collector = multiprocess.MultiProcessCollector(registry)
    return [family for family in collector.collect() if family.name in names]


def process_gone(pid: int) -> None:
    """A process that stops: its 'live' gauges leave the sum (multiprocess mode)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(pid)
