"""The progress report's theory-of-change page: per priority and per link, does the assumption still hold?
Thin: the policy decides, ``agendas.monitoring.theory`` saves and reads."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from agendas.models import ChainAssessment
from agendas.monitoring import theory
from agendas.permissions import progress_report_policy as policy
from kansenagenda.errors import ConflictError

FIELD_RE = re.compile(r"^(holds|explanation)-(\d+)-([a-z]+)$")


def _answers(post) -> dict[tuple[int, str], dict[str, str]]:
    answers: dict[tuple[int, str], dict[str, str]] = {}
    for name, value in post.items():
        match = FIELD_RE.match(name)
        if match:
            kind, priority_id, link = match.groups()
            answers.setdefault((int(priority_id), link), {})[kind] = value
    return answers


def _render(request, report, *, answers=None, errors=None, conflict=None, status=200):
    chains = theory.theory_chains(report.agenda, report)
    for chain in chains:
        for link in chain.links:
            given = (answers or {}).get((chain.priority.pk, link.code))
            link.value_holds = given.get("holds", "") if given else (link.assessment.holds if link.assessment else "")
            link.value_explanation = (
                given.get("explanation", "") if given else (link.assessment.explanation if link.assessment else "")
            )
            link.error = (errors or {}).get(f"chain-{chain.priority.pk}-{link.code}", "")
    context = {
        "report": report,
        "agenda": report.agenda,
        "chains": chains,
        "can_edit": policy.can(request.user, policy.EDIT, report),
        "holds_choices": ChainAssessment.Holds.choices,
        "errors": errors or {},
        "conflict": conflict,
    }
    return render(request, "agendas/monitoring/theory.html", context, status=status)


@login_required
def report_theory(request, pk: int):
    report = policy.get_for(request.user, pk)
    if request.method != "POST":
        return _render(request, report)
    report = policy.get_for(request.user, pk, policy.EDIT)
    answers = _answers(request.POST)
    try:
        report = theory.chain_assessments_save(
            report=report, actor=request.user, lock_version=request.POST.get("lock_version"), answers=answers
        )
    except ValidationError as exc:
        report.refresh_from_db()
        return _render(request, report, answers=answers, errors=exc.message_dict, status=400)
    except ConflictError as exc:
        report.refresh_from_db()
        return _render(request, report, conflict=exc, status=409)
    messages.success(request, _("De toets van de veranderingstheorie is opgeslagen."))
    return redirect("agendas:monitoring-report-theory", pk=report.pk)


urlpatterns = [
    path("voortgang/rapportages/<int:pk>/veranderingstheorie/", report_theory, name="monitoring-report-theory"),
]
