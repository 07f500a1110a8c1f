"""Template filters for documents: {{ date|nl_date }}, {{ mapping|get_item:key }}.

Money, numbers, ratios and percentages (euro, nl_number, nl_ratio, nl_percentage) are the builtin filters of
``agendas.templatetags.money_filters`` (one formatter: ``kansenagenda.money``)."""

from django import template

from reports import formatting

register = template.Library()


@register.filter
def nl_date(value):
    return formatting.format_date(value)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} – dictionary lookup with a variable key."""
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None
