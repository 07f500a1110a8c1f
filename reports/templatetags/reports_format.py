"""Template filters for figures: {{ amount|euro }}, {{ date|nl_date }}, {{ n|nl_number }}, {{ r|nl_ratio }}.

The figures are written by ``kansenagenda.money`` in the active language (documents render in Dutch)."""

from django import template

from kansenagenda import money
from reports import formatting

register = template.Library()


@register.filter
def euro(value, decimals=2):
    return money.format_amount(value, decimals=int(decimals))


@register.filter
def nl_number(value, decimals=0):
    return money.format_number(value, int(decimals))


@register.filter
def nl_ratio(value):
    return money.format_ratio(value)


@register.filter
def nl_percentage(value, decimals=1):
    return money.format_percent(value, int(decimals))


@register.filter
def nl_date(value):
    return formatting.format_date(value)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} – dictionary lookup with a variable key."""
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None
