"""The one set of template filters for figures — every page, PDF and e-mail writes them through
``kansenagenda.money`` (a builtin library: no ``{% load %}`` needed, see settings TEMPLATES).

{{ amount|euro }} → € 1.250.000,50 · {{ amount|amount_input }} → 1250000,50 (a money input's value) ·
{{ r|ratio }} (alias ``nl_ratio``) → 0,96 : 1 · {{ n|nl_number:1 }} → 1.250,5 · {{ p|nl_percentage }} → 20,0 %
(in the active language).
"""

from django import template

from kansenagenda import money

register = template.Library()


@register.filter
def euro(value, decimals=2) -> str:
    return money.format_amount(value, decimals=int(decimals))


@register.filter
def amount_input(value) -> str:
    """The value of a money input: "1250000,50" (no grouping; the parser reads it back unchanged)."""
    return money.format_amount_input(value)


@register.filter(name="ratio")
def ratio(value) -> str:
    return money.format_ratio(value)


register.filter("nl_ratio", ratio)


@register.filter
def nl_number(value, decimals=0) -> str:
    return money.format_number(value, int(decimals))


@register.filter
def nl_percentage(value, decimals=1) -> str:
    return money.format_percent(value, int(decimals))


@register.filter
def quantity(value) -> str:
    """A measured value (milestone baseline, target): "120.000", "0,5" — no trailing zeros."""
    return money.format_quantity(value)
