"""The monitoring signal of partner commitments withdrawn after the decision (rule: agendas/drafting/commitments.py)."""

from django import template

from agendas.drafting.commitments import withdrawn_after_decision

register = template.Library()


@register.inclusion_tag("agendas/monitoring/_withdrawn_commitments.html")
def withdrawn_commitments(agenda):
    return {"agenda": agenda, "withdrawn": withdrawn_after_decision(agenda)}
