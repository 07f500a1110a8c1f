"""Save and delete a named set of portfolio filters (POST only); back to the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.models import SavedFilter
from reports.saved_filters import saved_filter_delete, saved_filter_save

PAGES = {"dashboard": "reports:dashboard", "agenda_list": "reports:agenda_list"}


def _back(request, query: str = ""):
    url = reverse(PAGES.get(request.POST.get("page", ""), "reports:dashboard"))
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def save(request):
    query = request.POST.get("query", "")
    try:
        saved = saved_filter_save(user=request.user, name=request.POST.get("name", ""), query=query)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, query)
    messages.success(request, _("Het filter ‘%(name)s’ is bewaard.") % {"name": saved.name})
    return _back(request, saved.query)


@login_required
@require_POST
def delete(request, pk: int):
    try:
        saved_filter_delete(user=request.user, pk=pk)
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Het bewaarde filter is verwijderd."))
    return _back(request)
