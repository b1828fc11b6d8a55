"""Durations read as people say them, never claiming more time than has passed."""

import pytest

from wfm_app.engine import durations

MINUTE, HOUR, DAY = 60, 3600, 86400


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "1 min"),
        (59, "1 min"),
        (45 * MINUTE + 59, "45 min"),
        (HOUR, "1 h"),
        (23 * HOUR + 59 * MINUTE, "23 h"),
        (DAY, "1 d"),
        (2 * DAY + 4 * HOUR + 30 * MINUTE, "2 d 4 h"),
        (6 * DAY + 23 * HOUR, "6 d 23 h"),
        (7 * DAY, "7 days"),
        (71 * DAY + 20 * HOUR, "71 days"),
        (1712 * HOUR, "71 days"),
        (-5, "1 min"),  # a clock a little behind the database's
    ],
)
def test_in_words(seconds: float, said: str) -> None:
    assert durations.in_words(seconds) == said
