"""Pages of the support track: the portfolio "agenda's voor alle regio's" and marking a region as supported.
Thin: ``agendas.support.policy`` decides who, ``agendas.support.services`` what."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy

from accounts.models import Region, RegionSupport
from agendas.drafting.forms import ServiceErrorsMixin
from agendas.drafting.views import drafting_view
from agendas.support import selectors, services
from agendas.support.policy import region_support_policy as policy
from kansenagenda.errors import ConflictError
from kansenagenda.locking import LockVersionFormField


class SupportForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Ondersteuning door"), choices=RegionSupport.Kind.choices)
    organisation_name = forms.CharField(label=gettext_lazy("Ondersteunende organisatie"), max_length=200)
    start_date = forms.DateField(
        label=gettext_lazy("Vanaf"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=gettext_lazy("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leeg laten zolang de ondersteuning doorloopt."),
    )
    supporters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Ondersteuners"),
        queryset=services.supporter_candidates(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Mensen met de rol ondersteuner van een regio: zij lezen en reageren op de agenda."),
    )


class EditSupportForm(SupportForm):
    lock_version = LockVersionFormField(label=gettext_lazy("Versie"))


@drafting_view
def all_regions(request):
    if not policy.can_view_overview(request.user):
        raise PermissionDenied(gettext_lazy("Dit overzicht is voor het ministerie."))
    rows = selectors.all_regions(request.user)
    return render(
        request,
        "agendas/support/all_regions.html",
        {
            "rows": rows,
            "without_agenda": sum(1 for r in rows if not r.has_agenda),
            "supported": sum(1 for r in rows if r.current_supports),
            "may_manage": policy.can_manage(request.user),
        },
    )


def _save(request, form, region, support=None):
    data = dict(form.cleaned_data)
    lock_version = data.pop("lock_version", None)
    kwargs = {"support": support, "lock_version": lock_version} if support else {}
    return services.region_support_save(actor=request.user, region=region, **data, **kwargs)


@drafting_view
def support_form(request, region_pk, support_pk=None):
    if not policy.can_manage(request.user):
        raise PermissionDenied(policy.manage_refusal())
    region = get_object_or_404(Region, pk=region_pk)
    support = get_object_or_404(RegionSupport, pk=support_pk, region=region) if support_pk else None
    form_class = EditSupportForm if support else SupportForm
    initial = {}
    if support:
        initial = {
            "kind": support.kind,
            "organisation_name": support.organisation_name,
            "start_date": support.start_date,
            "end_date": support.end_date,
            "supporters": list(support.supporters.values_list("pk", flat=True)),
            "lock_version": support.lock_version,
        }
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _save(request, form, region, support)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(request, gettext_lazy("De ondersteuning van de regio is opgeslagen."))
                return redirect(reverse("agendas:all-regions"))
    return render(
        request,
        "agendas/support/support_form.html",
        {"region": region, "support": support, "form": form},
        status=status,
    )


urlpatterns = [
    path("alle-regios/", all_regions, name="all-regions"),
    path("alle-regios/<int:region_pk>/ondersteuning/", support_form, name="region-support-add"),
    path("alle-regios/<int:region_pk>/ondersteuning/<int:support_pk>/", support_form, name="region-support-edit"),
]
