"""Partner commitments page: the budget's co-financing beside what the partners confirmed, the form with which
a partner's person confirms, and revoking/withdrawing. Thin: policy and services decide."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from agendas import finance
from agendas.drafting import commitment_services as services
from agendas.drafting.commitments import commitment_cells, withdrawn_after_decision
from agendas.drafting.forms import ServiceErrorsMixin
from agendas.drafting.views import drafting_view
from agendas.models import Agenda, FundingSource, PartnerCommitment
from agendas.permissions import agenda_policy
from agendas.permissions import partner_commitment_policy as policy
from kansenagenda import money
from kansenagenda.errors import ConflictError, TransitionRefused
from kansenagenda.locking import LockVersionFormField


class CommitmentForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Namens organisatie"), queryset=Organisation.objects.none()
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Jaar"), coerce=int)
    source = forms.ModelChoiceField(label=gettext_lazy("Financieringsbron"), queryset=FundingSource.objects.none())
    amount = money.MoneyField(
        label=gettext_lazy("Toegezegd bedrag"),
        help_text=gettext_lazy("In euro's, bijvoorbeeld 150.000,00. Een nieuwe bevestiging vervangt de vorige."),
    )

    def __init__(self, *args, agenda: Agenda, organisation_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")
        self.fields["year"].choices = [(y, y) for y in agenda.years]
        self.fields["source"].queryset = FundingSource.objects.filter(finance.cofinancing_q()).order_by("order")
        if len(organisation_ids) == 1:
            self.fields["organisation"].initial = next(iter(organisation_ids))


class EndCommitmentForm(forms.Form):
    lock_version = LockVersionFormField(label=gettext_lazy("Versie"))
    reason = forms.CharField(
        label=gettext_lazy("Reden"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _page(request, agenda: Agenda, form: CommitmentForm | None, status: int = 200):
    org_ids = policy.organisations_for(request.user, agenda)
    if form is None and org_ids and agenda.is_editable:
        form = CommitmentForm(agenda=agenda, organisation_ids=org_ids)
    cells = commitment_cells(agenda)
    return render(
        request,
        "agendas/partner_commitments.html",
        {
            "agenda": agenda,
            "cells": cells,
            "all_ok": all(c.ok for c in cells),
            "form": form,
            "own_organisation_ids": org_ids,
            "withdrawn": withdrawn_after_decision(agenda),
            "may_end": agenda.is_editable or agenda.status in services.AFTER_DECISION,
            "after_decision": agenda.status in services.AFTER_DECISION,
        },
        status=status,
    )


@drafting_view
def commitments(request, pk):
    agenda = agenda_policy.get_for(request.user, pk)
    if request.method != "POST":
        return _page(request, agenda, None)
    org_ids = policy.organisations_for(request.user, agenda)
    form = CommitmentForm(request.POST, agenda=agenda, organisation_ids=org_ids)
    if form.is_valid():
        try:
            services.commitment_confirm(agenda=agenda, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext_lazy("De toezegging is bevestigd."))
            return redirect(reverse("agendas:partner-commitments", args=[agenda.pk]))
    return _page(request, agenda, form, status=400)


@drafting_view
@require_POST
def commitment_end(request, pk, commitment_pk):
    agenda = agenda_policy.get_for(request.user, pk)
    commitment = get_object_or_404(
        PartnerCommitment.objects.select_related("organisation"), pk=commitment_pk, agenda=agenda
    )
    form = EndCommitmentForm(request.POST)
    back = reverse("agendas:partner-commitments", args=[agenda.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.commitment_end(
            commitment=commitment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            lock_version=form.cleaned_data["lock_version"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    except (ConflictError, TransitionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext_lazy("De toezegging is ingetrokken."))
    return redirect(back)


urlpatterns = [
    path("<int:pk>/toezeggingen/", commitments, name="partner-commitments"),
    path("<int:pk>/toezeggingen/<int:commitment_pk>/intrekken/", commitment_end, name="partner-commitment-end"),
]
