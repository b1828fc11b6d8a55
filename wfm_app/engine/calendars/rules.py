"""What a business calendar may say: parsing and bounds of its parts, shared by every
way one is written (the admin page, the API)."""

from __future__ import annotations

import itertools
import re
from datetime import date
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_INTERVALS_PER_DAY = 6
MAX_OWN_HOLIDAYS = 400
MAX_HOURS_TEXT = 100
MAX_HOLIDAYS_TEXT = 6000
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-\u2013]\s*(\d{1,2}):(\d{2})\s*$")


def parse_day(text: str, weekday: str) -> list[tuple[int, int]]:
    """'09:00-12:00, 13:00-17:00' into minutes from midnight; blank means closed."""
    if len(text) > MAX_HOURS_TEXT:
        raise ValueError(f"{weekday}: at most {MAX_HOURS_TEXT} characters.")
    parts = [part for part in text.split(",") if part.strip()]
    if len(parts) > MAX_INTERVALS_PER_DAY:
        raise ValueError(f"{weekday}: at most {MAX_INTERVALS_PER_DAY} intervals.")
    intervals = []
    for part in parts:
        found = _INTERVAL.match(part)
        if found is None:
            raise ValueError(f'{weekday}: write hours as "09:00-17:00", not "{part.strip()}".')
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or start >= 24 * 60 or end > 24 * 60:
            raise ValueError(f"{weekday}: times run from 00:00 to 24:00.")
        if end <= start:
            raise ValueError(f"{weekday}: {part.strip()} ends before it starts.")
        intervals.append((start, end))
    intervals.sort()
    for (_, end), (start, _) in itertools.pairwise(intervals):
        if start < end:
            raise ValueError(f"{weekday}: the intervals overlap.")
    return intervals


def day_text(intervals: list[tuple[int, int]] | list[list[int]]) -> str:
    return ", ".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in intervals)


def parse_dates(text: str) -> list[str]:
    """Dates one per line (or comma-separated) as YYYY-MM-DD, sorted, no repeats."""
    if len(text) > MAX_HOLIDAYS_TEXT:
        raise ValueError(f"At most {MAX_HOLIDAYS_TEXT:,} characters.")
    found = set()
    for word in re.split(r"[\s,]+", text.strip()):
        if not word:
            continue
        try:
            found.add(date.fromisoformat(word).isoformat())
        except ValueError:
            raise ValueError(f'"{word[:20]}" is not a date like 2026-12-24.') from None
    if len(found) > MAX_OWN_HOLIDAYS:
        raise ValueError(f"At most {MAX_OWN_HOLIDAYS} dates.")
    return sorted(found)


def check_zone(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or name not in available_zones():
        raise ValueError(f'"{name[:64]}" is not a time zone name like Europe/Berlin.')
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'"{name}" is not a time zone this server knows.') from None
    return name


@cache
def available_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def countries() -> dict[str, str]:
    """Two-letter code to a readable name, for the countries ``holidays`` knows."""
    from holidays.registry import COUNTRIES

    names = {}
    for class_names in COUNTRIES.values():
        title, code = class_names[0], class_names[1]
        if len(code) == 2:
            names[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", title)
    return dict(sorted(names.items(), key=lambda item: item[1]))


def check_country(code: str, subdivision: str) -> tuple[str | None, str | None]:
    code, subdivision = code.strip().upper(), subdivision.strip().upper()
    if not code:
        if subdivision:
            raise ValueError("Pick a country before a region.")
        return None, None
    if code not in countries():
        raise ValueError(f'"{code[:8]}" is not a country whose holidays we know.')
    if subdivision:
        known = holidays.country_holidays(code).subdivisions
        if subdivision not in known:
            raise ValueError(f'"{subdivision[:16]}" is not a region of {countries()[code]}.')
    return code, subdivision or None
