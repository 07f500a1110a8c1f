"""Pages for assigning state representatives to regions (ministry officer, administrator): the regions
with their current representative (missing ones marked) and, per region, the form and its history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import region_representatives as reps
from accounts.models import Region


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Rijksvertegenwoordiger"), queryset=reps.candidates())
    start_date = forms.DateField(
        label=gettext_lazy("Vanaf"),
        initial=timezone.localdate,
        help_text=gettext_lazy("Een huidige rijksvertegenwoordiger blijft dat tot en met de dag ervoor."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _guard(request):
    if not reps.may_assign(request.user):
        raise PermissionDenied(_("Alleen een BZK-medewerker of beheerder wijst rijksvertegenwoordigers toe."))


@login_required
def region_list(request):
    _guard(request)
    today = timezone.localdate()
    rows = [
        {"region": r, "current": reps.current_of(r.assignments, today)} for r in reps.regions_with_representatives()
    ]
    return render(request, "accounts/region_list.html", {"rows": rows})


@login_required
def region_assign(request, pk: int):
    _guard(request)
    region = get_object_or_404(Region, pk=pk)
    form = AssignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assignment = reps.assign(region=region, actor=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _("%(name)s is rijksvertegenwoordiger van %(region)s vanaf %(date)s.")
                    % {"name": assignment.user, "region": region.name, "date": date_format(assignment.start_date)},
                )
                return redirect("region_assign", pk=region.pk)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        status = 400
    assignments = list(region.state_representatives.select_related("user").order_by("-start_date", "-pk"))
    context = {
        "region": region,
        "form": form,
        "assignments": assignments,
        "current": reps.current_of(assignments),
        "history": list(
            region.state_representatives.model.history.filter(region_id=region.pk)
            .select_related("history_user", "user")
            .order_by("-history_date")[:50]
        ),
    }
    return render(request, "accounts/region_assign.html", context, status=status)


urlpatterns = [
    path("regios/", region_list, name="region_list"),
    path("regios/<int:pk>/rijksvertegenwoordiger/", region_assign, name="region_assign"),
]
