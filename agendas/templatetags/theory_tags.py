"""{% theory_chain agenda %}: the agenda's theory-of-change chains with milestone health per link and the linked
monitor indicator's movement (read-only; data from ``agendas.monitoring.theory.theory_chains``)."""

from django import template

from agendas.monitoring.theory import theory_chains

register = template.Library()


@register.inclusion_tag("agendas/monitoring/_theory_chain.html")
def theory_chain(agenda, report=None, page=None):
    return {"chains": theory_chains(agenda, report, page=page), "agenda": agenda}
