"""The Rijk's commitments of an agenda (record, change, report yearly) and the portfolio's per-ministry overview.
Thin: ``agendas.rijk.policy`` decides who, ``agendas.rijk.services`` what."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agendas.drafting.forms import ServiceErrorsMixin
from agendas.drafting.views import drafting_view
from agendas.models import Agenda, NationalProgramme
from agendas.permissions import agenda_policy
from agendas.rijk import selectors, services
from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport
from agendas.rijk.policy import rijk_commitment_policy as policy
from kansenagenda.errors import ConflictError
from kansenagenda.locking import LockVersionFormField


class CommitmentForm(ServiceErrorsMixin, forms.Form):
    ministry = forms.ModelChoiceField(label=gettext_lazy("Ministerie"), queryset=Ministry.objects.none())
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Nationaal programma"), queryset=NationalProgramme.objects.none(), required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Toezegging"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wat het Rijk naast het geld toezegt, bijvoorbeeld inzet van een programma of regels."),
    )
    due_year = forms.TypedChoiceField(label=gettext_lazy("Uiterlijk in jaar"), coerce=int)

    def __init__(self, *args, agenda: Agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = Ministry.objects.filter(active=True)
        self.fields["programme"].queryset = NationalProgramme.objects.filter(active=True)
        last = agenda.end_year + services.YEARS_AFTER_END
        self.fields["due_year"].choices = [(y, y) for y in range(agenda.start_year, last + 1)]


class EditCommitmentForm(CommitmentForm):
    lock_version = LockVersionFormField(label=gettext_lazy("Versie"))


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Verslagjaar"), coerce=int)
    status = forms.ChoiceField(label=gettext_lazy("Stand van zaken"), choices=RijkCommitmentReport.Status.choices)
    explanation = forms.CharField(
        label=gettext_lazy("Toelichting"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lock_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


def _page(request, agenda: Agenda, form=None, status: int = 200):
    commitments = selectors.for_agenda(request.user, agenda)
    if form is None and policy.can_record(request.user, agenda):
        form = CommitmentForm(agenda=agenda)
    years = services.reporting_years(agenda)
    year = years[-1] if years else None
    current = selectors.report_for_year(commitments, year) if year else {}
    rows = [
        {
            "commitment": c,
            "latest": selectors.latest_report(c),
            "late": selectors.is_late(c),
            "may_change": policy.can_change(request.user, c),
            "report_form": (
                ReportForm(
                    years=years,
                    initial={
                        "year": year,
                        "status": current[c.pk].status if c.pk in current else "",
                        "explanation": current[c.pk].explanation if c.pk in current else "",
                        "lock_version": current[c.pk].lock_version if c.pk in current else "",
                    },
                    prefix=f"r{c.pk}",
                )
                if years and policy.can_report(request.user, c)
                else None
            ),
        }
        for c in commitments
    ]
    return render(
        request,
        "agendas/rijk/commitments.html",
        {"agenda": agenda, "rows": rows, "form": form, "sees_unsigned": policy.sees_unsigned(request.user)},
        status=status,
    )


@drafting_view
def commitments(request, pk):
    agenda = agenda_policy.get_for(request.user, pk)
    if request.method != "POST":
        return _page(request, agenda)
    if not policy.can_record(request.user, agenda):
        raise PermissionDenied(policy.record_refusal(request.user, agenda))
    form = CommitmentForm(request.POST, agenda=agenda)
    if form.is_valid():
        try:
            services.rijk_commitment_create(agenda=agenda, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext_lazy("De toezegging van het Rijk is vastgelegd."))
            return redirect(reverse("agendas:rijk-commitments", args=[agenda.pk]))
    return _page(request, agenda, form, status=400)


def _commitment(request, pk, rijk_commitment_pk) -> tuple[Agenda, RijkCommitment]:
    agenda = agenda_policy.get_for(request.user, pk)
    commitment = get_object_or_404(
        policy.visible(request.user).select_related("agenda", "ministry"), pk=rijk_commitment_pk, agenda=agenda
    )
    return agenda, commitment


@drafting_view
def commitment_edit(request, pk, rijk_commitment_pk):
    agenda, commitment = _commitment(request, pk, rijk_commitment_pk)
    if not policy.can_change(request.user, commitment):
        raise PermissionDenied(policy.record_refusal(request.user, agenda, commitment))
    initial = {
        "ministry": commitment.ministry_id,
        "programme": commitment.programme_id,
        "text": commitment.text,
        "due_year": commitment.due_year,
        "lock_version": commitment.lock_version,
    }
    form = EditCommitmentForm(request.POST or None, agenda=agenda, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            lock_version = data.pop("lock_version")
            try:
                services.rijk_commitment_update(
                    commitment=commitment, actor=request.user, data=data, lock_version=lock_version
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(request, gettext_lazy("De toezegging van het Rijk is gewijzigd."))
                return redirect(reverse("agendas:rijk-commitments", args=[agenda.pk]))
    return render(
        request,
        "agendas/rijk/commitment_form.html",
        {"agenda": agenda, "commitment": commitment, "form": form},
        status=status,
    )


@drafting_view
def commitment_report(request, pk, rijk_commitment_pk):
    agenda, commitment = _commitment(request, pk, rijk_commitment_pk)
    if request.method != "POST":
        return redirect(reverse("agendas:rijk-commitments", args=[agenda.pk]))
    if not policy.can_report(request.user, commitment):
        raise PermissionDenied(policy.report_refusal(request.user, commitment))
    form = ReportForm(request.POST, years=services.reporting_years(agenda), prefix=f"r{commitment.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.rijk_commitment_report(commitment=commitment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        except ConflictError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext_lazy("De rapportage over de toezegging is opgeslagen."))
    return redirect(reverse("agendas:rijk-commitments", args=[agenda.pk]))


@drafting_view
def per_ministry(request):
    if not policy.overview_visible(request.user):
        raise PermissionDenied(gettext_lazy("Dit overzicht is voor het ministerie."))
    year = timezone.localdate().year
    return render(
        request, "agendas/rijk/per_ministry.html", {"rows": selectors.per_ministry(request.user, year), "year": year}
    )


urlpatterns = [
    path("<int:pk>/rijkstoezeggingen/", commitments, name="rijk-commitments"),
    path("<int:pk>/rijkstoezeggingen/<int:rijk_commitment_pk>/wijzigen/", commitment_edit, name="rijk-commitment-edit"),
    path(
        "<int:pk>/rijkstoezeggingen/<int:rijk_commitment_pk>/rapporteren/",
        commitment_report,
        name="rijk-commitment-report",
    ),
    path("rijkstoezeggingen/per-ministerie/", per_ministry, name="rijk-commitments-per-ministry"),
]
