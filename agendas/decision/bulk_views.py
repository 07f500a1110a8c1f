"""The bulk reviewer assignment page (ministry officers): pick agendas waiting for review and one reviewer;
the result lists per agenda whether the reviewer was assigned or why not."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agendas.decision.bulk import reviewers_assign_bulk
from agendas.decision.forms import AssignReviewerForm
from agendas.models import Agenda
from agendas.permissions import agenda_policy, workflow_policy

OPEN_FOR_REVIEW = (Agenda.Status.SUBMITTED, Agenda.Status.UNDER_REVIEW)


class BulkAssignForm(AssignReviewerForm):
    agendas = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Agenda's"), queryset=Agenda.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agendas"].queryset = candidates


@login_required
def bulk_assign(request):
    if not workflow_policy.is_officer(request.user):
        raise PermissionDenied(_("Alleen een BZK-medewerker kan beoordelaars toewijzen."))
    candidates = (
        agenda_policy.visible(request.user)
        .filter(status__in=OPEN_FOR_REVIEW)
        .select_related("alliance__region")
        .order_by("title", "pk")
    )
    form = BulkAssignForm(request.POST or None, candidates=candidates)
    outcomes = None
    if request.method == "POST" and form.is_valid():
        outcomes = reviewers_assign_bulk(
            agendas=list(form.cleaned_data["agendas"]),
            actor=request.user,
            reviewer=form.cleaned_data["reviewer"],
            due_date=form.cleaned_data["due_date"],
        )
    return render(
        request, "agendas/workflow/bulk_assign.html", {"form": form, "outcomes": outcomes, "candidates": candidates}
    )


urlpatterns = [path("beoordelaars-toewijzen/", bulk_assign, name="workflow-bulk-assign")]
