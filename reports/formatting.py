"""Dutch dates for documents, exports and the dashboard: "12 juli 2026".

Money, ratios and percentages are written by ``kansenagenda.money`` (one formatter for every channel);
documents render under ``translation.override("nl")`` so they are Dutch whatever the reader's interface.
"""

from __future__ import annotations

import datetime

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def to_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value) -> str:
    """date(2026, 7, 12) or "2026-07-12" → "12 juli 2026". Aware datetimes are shown in local time."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    day = to_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
