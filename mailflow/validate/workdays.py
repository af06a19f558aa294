"""Working-day arithmetic: weekends and the country's holidays are skipped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from mailflow.refdata import Holiday

_DAY = timedelta(days=1)


def is_working_day(day: date, *, country: str, holidays: Sequence[Holiday]) -> bool:
    if day.weekday() >= 5:
        return False
    return not any(h.day == day and h.country == country for h in holidays)


def add_working_days(start: date, days: int, *, country: str, holidays: Sequence[Holiday]) -> date:
    """The date ``days`` working days after ``start``."""
    current, left = start, days
    while left > 0:
        current += _DAY
        if is_working_day(current, country=country, holidays=holidays):
            left -= 1
    return current


def working_day_on_or_before(day: date, *, country: str, holidays: Sequence[Holiday]) -> date:
    while not is_working_day(day, country=country, holidays=holidays):
        day -= _DAY
    return day
