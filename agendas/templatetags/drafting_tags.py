"""Template helpers for the drafting pages: money and co-financing ratio as people read them."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(value) -> str:
    if value in (None, ""):
        return "–"
    return "€\u00a0" + number_format(Decimal(value).quantize(Decimal("0.01")), 2, force_grouping=True)


@register.filter
def ratio(value) -> str:
    if value is None:
        return "–"
    return f"{number_format(value, 2)} : 1"


@register.simple_tag
def threads_for(threads_by_key, section, priority_id=None):
    return threads_by_key.get((section, priority_id), [])
