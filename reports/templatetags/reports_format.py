"""Template filters for Dutch figures: {{ amount|euro }}, {{ date|nl_date }}, {{ n|nl_number }}."""

from django import template

from reports import formatting

register = template.Library()


@register.filter
def euro(value, decimals=2):
    return formatting.format_money(value, int(decimals))


@register.filter
def nl_number(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def nl_ratio(value):
    return formatting.format_ratio(value)


@register.filter
def nl_percentage(value, decimals=0):
    return formatting.format_percentage(value, int(decimals))


@register.filter
def nl_date(value):
    return formatting.format_date(value)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} – dictionary lookup with a variable key."""
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None
