"""WFM_GRAPHQL_PROCESSES and WFM_GRAPHQL_NICE: how many API worker processes, started
when, and at what priority (Linux's idle policy by default)."""

from __future__ import annotations

import os

import pytest

from wfm_app.settings import _worker_priority, _worker_processes, load_settings


def test_idle_by_default_or_a_nice_value_kept_in_range() -> None:
    assert _worker_priority("idle") is None
    assert _worker_priority(" IDLE ") is None
    assert _worker_priority("10") == 10
    assert _worker_priority("99") == 19
    assert _worker_priority("-5") == 0


def test_anything_else_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="WFM_GRAPHQL_NICE must be idle or 0-19"):
        _worker_priority("low")


def test_worker_processes_auto_by_default_on_demand_or_a_count_started_with_the_app() -> None:
    assert _worker_processes("auto") == (min(2, os.cpu_count() or 1), True)
    assert _worker_processes(" AUTO ") == (min(2, os.cpu_count() or 1), True)
    assert _worker_processes("0") == (0, False)
    assert _worker_processes("3") == (3, False)
    assert _worker_processes("500") == (64, False)
    with pytest.raises(ValueError, match="WFM_GRAPHQL_PROCESSES must be auto or 0-64"):
        _worker_processes("many")


def test_auto_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WFM_GRAPHQL_PROCESSES", raising=False)
    assert load_settings().graphql_processes_on_demand
