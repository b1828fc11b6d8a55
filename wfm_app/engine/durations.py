"""A length of time the way people say it: '45 min', '5 h', '2 d 4 h', '71 days'."""

from __future__ import annotations

_HOUR = 3600
_DAY = 24 * _HOUR


def in_words(seconds: float) -> str:
    """Minutes under an hour, hours under a day, days and hours under a week, then days
    (whole units, rounded down: a badge never claims more time than has passed)."""
    seconds = max(0, int(seconds))
    if seconds < _HOUR:
        return f"{max(1, seconds // 60)} min"
    if seconds < _DAY:
        return f"{seconds // _HOUR} h"
    days, hours = divmod(seconds // _HOUR, 24)
    if days < 7:
        return f"{days} d {hours} h" if hours else f"{days} d"
    return f"{days} days"
