"""Dutch formatting for documents, exports and the dashboard: € 1.234.567,89 and "12 juli 2026".

Documents are government records in Dutch, so these never depend on the active UI language.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def to_decimal(value) -> Decimal | None:
    """Accept Decimal, int, str (as stored in document data) or None; never float arithmetic."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_number(value, decimals: int = 0) -> str:
    """1234567.891 → "1.234.567,89" (decimals=2). Empty string for None."""
    number = to_decimal(value)
    if number is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):,.{decimals}f}"  # 1,234,567.89
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{sign}{text}"


def format_money(value, decimals: int = 2) -> str:
    """Decimal("1234567.89") → "€ 1.234.567,89"; negative amounts as "€ -1.234,00"."""
    text = format_number(value, decimals)
    return f"€ {text}" if text else ""


def format_ratio(value) -> str:
    """Co-financing ratio 1.25 → "1,25"; None (no Rijk contribution) → "–"."""
    text = format_number(value, 2)
    return text or "–"


def format_percentage(value, decimals: int = 0) -> str:
    text = format_number(value, decimals)
    return f"{text}%" if text else ""


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


def format_compact_money(value) -> str:
    """For chart labels: € 12,7 mln / € 1,2 mld / € 950.000."""
    number = to_decimal(value)
    if number is None:
        return ""
    if abs(number) >= Decimal("1000000000"):
        return f"€ {format_number(number / Decimal('1000000000'), 1)} mld"
    if abs(number) >= Decimal("1000000"):
        return f"€ {format_number(number / Decimal('1000000'), 1)} mln"
    return format_money(number, 0)
