"""Template helpers for the drafting pages: money and co-financing ratio as people read them (kansenagenda.money)."""

from django import template

from kansenagenda import money

register = template.Library()


@register.filter
def euro(value) -> str:
    return money.format_amount(value)


@register.filter
def ratio(value) -> str:
    return money.format_ratio(value)


@register.filter
def quantity(value) -> str:
    """A measured value (milestone baseline, target): "120.000", "0,5" — no trailing zeros."""
    return money.format_quantity(value)


@register.filter
def amount_input(value) -> str:
    """The value of a money input: "1250000,50" (no grouping; the parser reads it back unchanged)."""
    return money.format_amount_input(value)


@register.filter
def iso_datetime(value) -> str:
    """The machine-readable moment of a <time datetime>: ISO 8601 in the local time zone, whole seconds
    (HTML forbids more than three decimals, and Django's "c" format writes six)."""
    if not value:
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def threads_for(threads_by_key, section, priority_id=None):
    return threads_by_key.get((section, priority_id), [])
