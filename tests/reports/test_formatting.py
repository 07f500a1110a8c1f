import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from kansenagenda import money
from reports import formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.89"), "€ 1.234.567,89"),
        (Decimal("0"), "€ 0,00"),
        (Decimal("0.005"), "€ 0,01"),  # half up, not banker's rounding
        (Decimal("999.994"), "€ 999,99"),
        (Decimal("-1234.5"), "€ -1.234,50"),
        ("12714030.00", "€ 12.714.030,00"),
        (1000, "€ 1.000,00"),
        (None, "–"),  # one formatter for pages and documents: an absent amount is a dash everywhere
    ],
)
def test_format_money(value, expected):
    # money moved from reports.formatting to kansenagenda.money (one formatter for every channel)
    assert money.format_amount(value, language="nl") == expected


def test_format_money_without_cents():
    assert money.format_amount(Decimal("1234567.89"), decimals=0, language="nl") == "€ 1.234.568"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(Decimal("1234.5678"), 2, "1.234,57"), (150, 0, "150"), ("10.0000", 2, "10,00"), ("abc", 2, ""), (None, 0, "")],
)
def test_format_number(value, decimals, expected):
    assert money.format_number(value, decimals, language="nl") == expected


# the ratio now carries its " : 1" everywhere (it was "1,25" in documents and "1,25 : 1" on pages)
@pytest.mark.parametrize(("value", "expected"), [(Decimal("1.25"), "1,25 : 1"), ("4.00", "4,00 : 1"), (None, "–")])
def test_format_ratio(value, expected):
    assert money.format_ratio(value, language="nl") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 7, 12), "12 juli 2026"),
        (datetime.date(2027, 1, 1), "1 januari 2027"),
        (datetime.date(2027, 3, 31), "31 maart 2027"),
        ("2026-12-05", "5 december 2026"),
        ("2026-05-02T10:00:00", "2 mei 2026"),
        (None, ""),
        ("geen datum", ""),
    ],
)
def test_format_date(value, expected):
    assert formatting.format_date(value) == expected


def test_aware_datetime_is_shown_in_local_time():
    # 23:30 UTC on 31 December is already 1 January in Amsterdam.
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert formatting.format_date(moment) == "1 januari 2027"
    assert timezone.get_current_timezone_name() == "Europe/Amsterdam"


def test_template_filters():
    template = Template("{% load reports_format %}{{ a|euro }}|{{ d|nl_date }}|{{ n|nl_number:1 }}|{{ r|nl_ratio }}")
    out = template.render(Context({"a": Decimal("1234.5"), "d": datetime.date(2026, 7, 12), "n": "3.14", "r": None}))
    assert out == "€ 1.234,50|12 juli 2026|3,1|–"
