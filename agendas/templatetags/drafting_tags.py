"""Template helpers for the drafting pages (money filters are builtins: agendas.templatetags.money_filters)."""

from django import template

register = template.Library()


@register.simple_tag
def threads_for(threads_by_key, section, priority_id=None):
    return threads_by_key.get((section, priority_id), [])
