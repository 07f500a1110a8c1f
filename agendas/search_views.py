"""The search page ("Zoeken in agenda's"): a GET form and the matching agendas the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from agendas.permissions import agenda_policy
from agendas.search import MAX_QUERY_LENGTH, search_agendas


@login_required
def search(request):
    if not agenda_policy.can_search(request.user):
        raise PermissionDenied(_("Zoeken in alle agenda's is er voor het ministerie en de rijksvertegenwoordigers."))
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    results = Paginator(search_agendas(request.user, query), 25).get_page(request.GET.get("pagina"))
    return render(request, "agendas/search.html", {"query": query, "page": results})


urlpatterns = [path("zoeken/", search, name="agenda_search")]
