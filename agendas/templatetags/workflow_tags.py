"""Template tags for the workflow include on the agenda detail page."""

from django import template

from agendas import workflow
from agendas.decision.selectors import transition_history

register = template.Library()


@register.filter
def system_text(text):
    """A stored system text (automatic comment, generated nota summary) in the page's language."""
    from agendas.system_texts import translate_system_text

    return translate_system_text(text)


@register.simple_tag
def workflow_actions(agenda, user):
    """The transitions this user's role allows now, each with the reasons it is still refused."""
    return workflow.available_actions(user, agenda)


@register.simple_tag
def workflow_history(agenda):
    return transition_history(agenda)


@register.simple_tag
def cofinancing_of(snapshot):
    """The co-financing of a version (agendas.decision.versions.version_cofinancing)."""
    from agendas.decision.versions import version_cofinancing

    return version_cofinancing(snapshot) if snapshot and snapshot.get("agenda") else None


@register.simple_tag
def reviewer_copy_of(snapshot):
    """A version arranged for reading (agendas.decision.reviewer_copy): year × source budgets, theory of change."""
    from agendas.decision.reviewer_copy import reviewer_copy

    return reviewer_copy(snapshot) if snapshot and snapshot.get("agenda") else None


@register.filter
def commitment_label(code):
    from agendas.models import AgendaPartner

    return dict(AgendaPartner.Commitment.choices).get(code, code)


@register.filter
def status_label(code):
    from agendas.models import Agenda

    return dict(Agenda.Status.choices).get(code, code)
