"""The print view of an agenda: the full content (vision, analysis, priorities with their theory of change,
milestones, partners, budget totals) without comment forms, buttons or navigation."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from agendas.drafting import selectors
from agendas.permissions import agenda_policy


@login_required
def agenda_print(request, pk):
    agenda = agenda_policy.get_for(request.user, pk)  # 404 for an agenda the user may not see
    priorities = list(selectors.priorities_with_content(agenda))
    summary = selectors.budget_summary(agenda)
    for p in priorities:
        p.budget_total = summary.by_priority.get(p.pk, Decimal("0"))
    context = {
        "agenda": agenda,
        "priorities": priorities,
        "partners": agenda.partners.select_related("organisation"),
        "summary": summary,
        "year_rows": [(year, summary.by_year.get(year, Decimal("0"))) for year in agenda.years],
        "source_rows": [(s, summary.by_source.get(s.pk, Decimal("0"))) for s in summary.sources],
    }
    return render(request, "agendas/agenda_print.html", context)


urlpatterns = [path("<int:pk>/afdrukken/", agenda_print, name="agenda_print")]
