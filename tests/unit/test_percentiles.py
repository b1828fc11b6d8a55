"""percentiles.grouped against numpy's plain sort-based answers (percentile_cont is
numpy's "linear" method), on the shapes that could trip the bucket search: ties
across a bucket, one huge bucket, groups of one and two rows, empty groups, rows left
out, negative and year-long durations; each over all rows at once and over two halves
on two threads (cores.each), as ten million rows are."""

from __future__ import annotations

import numpy as np
import pytest

from wfm_app.engine.analytics import cores, percentiles

HOUR = 3_600_000_000


@pytest.fixture(autouse=True, params=["whole", "halves"])
def _split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "halves":  # split from two rows on, as from a million in use
        monkeypatch.setattr(cores, "SPLIT_FROM", 2)


def _expected(groups: np.ndarray, micros: np.ndarray, count: int) -> dict[int, tuple]:
    found = {}
    for g in range(count):
        mine = micros[groups == g]
        if len(mine):
            median, p85 = np.percentile(mine, [50, 85], method="linear")
            found[g] = (
                len(mine),
                percentiles.hours(float(mine.sum()) / len(mine)),
                percentiles.hours(float(median)),
                percentiles.hours(float(p85)),
            )
    return found


def _assert_same(found: dict[int, tuple], expected: dict[int, tuple]) -> None:
    assert found.keys() == expected.keys()
    for g, (size, mean, median, p85) in expected.items():
        assert found[g][0] == size
        assert found[g][1:] == pytest.approx((mean, median, p85), rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_grouped_matches_a_full_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(1, 200_000))
    count = int(rng.integers(1, 12))
    groups = rng.integers(0, count + 1, rows).astype(np.int16)  # count: left out
    micros = rng.exponential(30 * HOUR, rows).astype(np.int64) - int(rng.integers(0, HOUR))
    micros[rng.random(rows) < 0.2] = 5 * HOUR  # many ties on one value
    micros[groups == count] = 0
    expected = _expected(groups, micros, count)
    _assert_same(percentiles.grouped(groups, micros.copy(), count), expected)


def test_small_empty_and_single_value_groups() -> None:
    groups = np.array([0, 2, 2, 4, 4, 4, 5], dtype=np.int16)
    micros = np.array([7, 3 * HOUR, HOUR, 9, 9, 9, 0], dtype=np.int64)
    found = percentiles.grouped(groups, micros.copy(), 5)
    _assert_same(found, _expected(groups, micros, 5))
    assert found[2][2:] == pytest.approx((2.0, 2.7))  # halfway, then 85 % of the way
    assert set(found) == {0, 2, 4}


def test_one_value_everywhere_and_a_year_apart() -> None:
    same = np.full(300_000, 12 * HOUR, dtype=np.int64)
    groups = np.zeros(len(same), dtype=np.int16)
    _assert_same(percentiles.grouped(groups, same.copy(), 1), _expected(groups, same, 1))
    spread = np.array([0, 365 * 24 * HOUR, 1, 2], dtype=np.int64)
    two = np.array([0, 0, 1, 1], dtype=np.int16)
    _assert_same(percentiles.grouped(two, spread.copy(), 2), _expected(two, spread, 2))


def test_nothing_counted() -> None:
    assert percentiles.grouped(np.empty(0, np.int16), np.empty(0, np.int64), 3) == {}
    left_out = np.full(4, 3, dtype=np.int16)
    assert percentiles.grouped(left_out, np.zeros(4, dtype=np.int64), 3) == {}
