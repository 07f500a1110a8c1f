"""Template helpers for the drafting pages (money filters are builtins: agendas.templatetags.money_filters)."""

from django import template

register = template.Library()


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
