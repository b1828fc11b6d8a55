"""WFM_GRAPHQL_NICE: the API worker processes' priority, Linux's idle policy by default."""

from __future__ import annotations

import pytest

from wfm_app.settings import _worker_priority


def test_idle_by_default_or_a_nice_value_kept_in_range() -> None:
    assert _worker_priority("idle") is None
    assert _worker_priority(" IDLE ") is None
    assert _worker_priority("10") == 10
    assert _worker_priority("99") == 19
    assert _worker_priority("-5") == 0


def test_anything_else_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="WFM_GRAPHQL_NICE must be idle or 0-19"):
        _worker_priority("low")
